#include "passwords/password_hasher.h"

#include "passwords/bcrypt_hash.h"

namespace latchkey {
namespace {

class Argon2idHasher final : public PasswordHasher {
 public:
  explicit Argon2idHasher(const Argon2Params& params) : params_(params) {}
  std::string_view scheme() const override { return "argon2id"; }
  bool Recognizes(std::string_view stored) const override { return stored.rfind("$argon2id$", 0) == 0; }
  Status Verify(std::string_view stored, std::string_view, std::string_view normalized) const override {
    return VerifyPassword(stored, normalized);
  }
  bool NeedsUpgrade(std::string_view stored) const override {
    const Result<bool> stale = NeedsRehash(stored, params_);
    return stale.ok() && *stale;
  }

 private:
  Argon2Params params_;
};

class BcryptHasher final : public PasswordHasher {
 public:
  std::string_view scheme() const override { return "bcrypt"; }
  bool Recognizes(std::string_view stored) const override { return IsLegacyHash(stored); }
  Status Verify(std::string_view stored, std::string_view typed, std::string_view) const override {
    return VerifyBcrypt(stored, typed);
  }
  bool NeedsUpgrade(std::string_view) const override { return true; }
};

}  // namespace

std::unique_ptr<PasswordHasher> NewArgon2idHasher(const Argon2Params& params) {
  return std::make_unique<Argon2idHasher>(params);
}
std::unique_ptr<PasswordHasher> NewBcryptHasher() { return std::make_unique<BcryptHasher>(); }

}  // namespace latchkey
