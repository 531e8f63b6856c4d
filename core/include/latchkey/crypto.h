// Thin, named wrappers over libsodium: randomness, constant-time comparison,
// SHA-256, HMAC-SHA256 and Ed25519. Randomness is injected through
// RandomSource so tests can be deterministic; SystemRandom() is libsodium's
// CSPRNG. All functions are thread-safe once CryptoInit() has succeeded (every
// function here calls it, so callers rarely need to).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "latchkey/status.h"

namespace latchkey {

inline constexpr std::size_t kEd25519SeedBytes = 32;
inline constexpr std::size_t kEd25519PublicKeyBytes = 32;
inline constexpr std::size_t kEd25519SecretKeyBytes = 64;  // seed || public key
inline constexpr std::size_t kEd25519SignatureBytes = 64;
inline constexpr std::size_t kSha256Bytes = 32;

// Initialises libsodium once. Idempotent; fails only if the platform has no
// usable entropy source.
Status CryptoInit();

class RandomSource {
 public:
  virtual ~RandomSource() = default;
  virtual void Fill(char* out, std::size_t size) = 0;
};

// libsodium's CSPRNG (getrandom() natively, crypto.getRandomValues in wasm).
RandomSource& SystemRandom();

std::string RandomBytes(RandomSource& random, std::size_t size);

// Compares in time that depends only on the lengths, never on the contents.
bool ConstantTimeEqual(std::string_view a, std::string_view b);

// Overwrites memory in a way the compiler may not remove.
void SecureZero(std::string& bytes);

// Holds key material and wipes it when it goes away. Move-only.
class SecretBytes {
 public:
  SecretBytes() = default;
  explicit SecretBytes(std::string bytes) : bytes_(std::move(bytes)) {}
  SecretBytes(SecretBytes&& other) noexcept : bytes_(std::move(other.bytes_)) { other.bytes_.clear(); }
  SecretBytes& operator=(SecretBytes&& other) noexcept;
  SecretBytes(const SecretBytes&) = delete;
  SecretBytes& operator=(const SecretBytes&) = delete;
  ~SecretBytes() { SecureZero(bytes_); }

  std::string_view view() const { return bytes_; }
  std::size_t size() const { return bytes_.size(); }
  bool empty() const { return bytes_.empty(); }

 private:
  std::string bytes_;
};

std::string Sha256(std::string_view message);
std::string HmacSha256(std::string_view key, std::string_view message);

// Derives the 64-byte libsodium secret key and the public key from a 32-byte seed.
struct Ed25519KeyPair {
  std::string public_key;  // 32 bytes
  SecretBytes secret_key;  // 64 bytes: seed || public key
};
Result<Ed25519KeyPair> Ed25519FromSeed(std::string_view seed);
Ed25519KeyPair Ed25519Generate(RandomSource& random);

// `secret_key` is the 64-byte form. Returns the 64-byte signature.
Result<std::string> Ed25519Sign(std::string_view secret_key, std::string_view message);

// libsodium's strict verification (canonical S, no small-order keys).
// Wrong lengths are rejected before any arithmetic.
bool Ed25519Verify(std::string_view public_key, std::string_view message, std::string_view signature);

}  // namespace latchkey
