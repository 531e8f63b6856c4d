#include "passwords/password_hashing.h"

#include "latchkey/encoding.h"

namespace latchkey {

PasswordHashing::PasswordHashing(HashPool& pool, const Argon2Params& params) : pool_(pool), params_(params) {
  hashers_.push_back(NewArgon2idHasher(params));
  hashers_.push_back(NewBcryptHasher());
}

Status PasswordHashing::Init(RandomSource& random) {
  std::string secret = Base64UrlEncode(RandomBytes(random, 24));
  Result<std::string> hash = HashPassword(secret, params_);
  SecureZero(secret);
  if (!hash.ok()) return hash.code();
  dummy_hash_ = std::move(hash).value();
  return Status::Ok();
}

const PasswordHasher* PasswordHashing::Find(std::string_view stored) const {
  for (const auto& hasher : hashers_) {
    if (hasher->Recognizes(stored)) return hasher.get();
  }
  return nullptr;
}

Result<std::string> PasswordHashing::Hash(std::string_view normalized, RequestContext& ctx) {
  Result<std::string> hash = Code::kInternal;
  const Status ran = pool_.Run([&] { hash = HashPassword(normalized, params_); });
  if (!ran.ok()) {
    ctx.retry_after = 1;
    return ran.code();
  }
  return hash;
}

Status PasswordHashing::Verify(std::string_view stored, std::string_view typed, std::string_view normalized,
                               RequestContext& ctx) {
  const PasswordHasher* hasher = Find(stored);
  if (!hasher) return Code::kPasswordHashInvalid;
  Status verified = Code::kInternal;
  const Status ran = pool_.Run([&] { verified = hasher->Verify(stored, typed, normalized); });
  if (!ran.ok()) {
    ctx.retry_after = 1;
    return ran.code();
  }
  return verified;
}

Status PasswordHashing::VerifyDummy(std::string_view normalized, RequestContext& ctx) {
  const Status verified = Verify(dummy_hash_, normalized, normalized, ctx);
  return verified.code() == Code::kServerBusy ? verified : Status(Code::kPasswordMismatch);
}

bool PasswordHashing::NeedsUpgrade(std::string_view stored, std::string_view* scheme) const {
  const PasswordHasher* hasher = Find(stored);
  if (scheme) *scheme = hasher ? hasher->scheme() : std::string_view("unknown");
  return hasher && hasher->NeedsUpgrade(stored);
}

}  // namespace latchkey
