#include "latchkey/crypto.h"

#include <sodium.h>

namespace latchkey {
namespace {

class SodiumRandom final : public RandomSource {
 public:
  void Fill(char* out, std::size_t size) override { randombytes_buf(out, size); }
};

const unsigned char* Bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }
unsigned char* Bytes(std::string& s) { return reinterpret_cast<unsigned char*>(s.data()); }

}  // namespace

Status CryptoInit() {
  static const bool ready = sodium_init() >= 0;
  return ready ? Status::Ok() : Status(Code::kInternal);
}

RandomSource& SystemRandom() {
  static SodiumRandom random;
  (void)CryptoInit();
  return random;
}

std::string RandomBytes(RandomSource& random, std::size_t size) {
  std::string out(size, '\0');
  if (size > 0) random.Fill(out.data(), size);
  return out;
}

bool ConstantTimeEqual(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  if (a.empty()) return true;
  return sodium_memcmp(a.data(), b.data(), a.size()) == 0;
}

void SecureZero(std::string& bytes) {
  if (!bytes.empty()) sodium_memzero(bytes.data(), bytes.size());
}

SecretBytes& SecretBytes::operator=(SecretBytes&& other) noexcept {
  if (this != &other) {
    SecureZero(bytes_);
    bytes_ = std::move(other.bytes_);
    other.bytes_.clear();
  }
  return *this;
}

std::string Sha256(std::string_view message) {
  (void)CryptoInit();
  std::string digest(crypto_hash_sha256_BYTES, '\0');
  crypto_hash_sha256(Bytes(digest), Bytes(message), message.size());
  return digest;
}

std::string HmacSha256(std::string_view key, std::string_view message) {
  (void)CryptoInit();
  crypto_auth_hmacsha256_state state;
  std::string mac(crypto_auth_hmacsha256_BYTES, '\0');
  crypto_auth_hmacsha256_init(&state, Bytes(key), key.size());
  crypto_auth_hmacsha256_update(&state, Bytes(message), message.size());
  crypto_auth_hmacsha256_final(&state, Bytes(mac));
  sodium_memzero(&state, sizeof state);
  return mac;
}

Result<Ed25519KeyPair> Ed25519FromSeed(std::string_view seed) {
  if (seed.size() != kEd25519SeedBytes) return Code::kInvalidArgument;
  (void)CryptoInit();
  std::string public_key(crypto_sign_PUBLICKEYBYTES, '\0');
  std::string secret_key(crypto_sign_SECRETKEYBYTES, '\0');
  crypto_sign_seed_keypair(Bytes(public_key), Bytes(secret_key), Bytes(seed));
  return Ed25519KeyPair{std::move(public_key), SecretBytes(std::move(secret_key))};
}

Ed25519KeyPair Ed25519Generate(RandomSource& random) {
  std::string seed = RandomBytes(random, kEd25519SeedBytes);
  Result<Ed25519KeyPair> pair = Ed25519FromSeed(seed);
  SecureZero(seed);
  return std::move(pair).value();
}

Result<std::string> Ed25519Sign(std::string_view secret_key, std::string_view message) {
  if (secret_key.size() != kEd25519SecretKeyBytes) return Code::kInvalidArgument;
  (void)CryptoInit();
  std::string signature(crypto_sign_BYTES, '\0');
  crypto_sign_detached(Bytes(signature), nullptr, Bytes(message), message.size(), Bytes(secret_key));
  return signature;
}

bool Ed25519Verify(std::string_view public_key, std::string_view message, std::string_view signature) {
  if (public_key.size() != kEd25519PublicKeyBytes || signature.size() != kEd25519SignatureBytes) return false;
  (void)CryptoInit();
  return crypto_sign_verify_detached(Bytes(signature), Bytes(message), message.size(), Bytes(public_key)) == 0;
}

}  // namespace latchkey
