#include "latchkey/otp.h"

#include <sodium.h>

#include "latchkey/crypto.h"
#include "sha1.h"

namespace latchkey {
namespace {

constexpr char kBase32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

std::string Hmac(OtpAlgorithm algorithm, std::string_view key, std::string_view message) {
  switch (algorithm) {
    case OtpAlgorithm::kSha1:
      return internal::HmacSha1(key, message);
    case OtpAlgorithm::kSha256:
      return HmacSha256(key, message);
    case OtpAlgorithm::kSha512: {
      (void)CryptoInit();
      crypto_auth_hmacsha512_state state;
      unsigned char mac[crypto_auth_hmacsha512_BYTES];
      crypto_auth_hmacsha512_init(&state, reinterpret_cast<const unsigned char*>(key.data()), key.size());
      crypto_auth_hmacsha512_update(&state, reinterpret_cast<const unsigned char*>(message.data()), message.size());
      crypto_auth_hmacsha512_final(&state, mac);
      sodium_memzero(&state, sizeof state);
      return std::string(reinterpret_cast<const char*>(mac), sizeof mac);
    }
  }
  return {};
}

}  // namespace

Result<std::string> Hotp(std::string_view key, std::uint64_t counter, OtpAlgorithm algorithm, int digits) {
  if (key.empty() || digits < 6 || digits > 8) return Code::kInvalidArgument;
  std::string message(8, '\0');
  for (int i = 7; i >= 0; --i) {
    message[static_cast<std::size_t>(i)] = static_cast<char>(counter & 0xFF);
    counter >>= 8;
  }
  const std::string mac = Hmac(algorithm, key, message);
  // Dynamic truncation (RFC 4226 §5.3).
  const std::size_t offset = static_cast<unsigned char>(mac.back()) & 0x0F;
  const std::uint32_t binary = ((static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset])) & 0x7F) << 24) |
                               (static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 1])) << 16) |
                               (static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 2])) << 8) |
                               static_cast<std::uint32_t>(static_cast<unsigned char>(mac[offset + 3]));
  std::uint32_t modulus = 1;
  for (int i = 0; i < digits; ++i) modulus *= 10;
  std::string code = std::to_string(binary % modulus);
  code.insert(0, static_cast<std::size_t>(digits) - code.size(), '0');
  return code;
}

std::int64_t TotpStep(std::int64_t unix_time, std::int64_t period) {
  if (unix_time < 0 || period <= 0) return -1;
  return unix_time / period;
}

Result<std::string> Totp(std::string_view key, std::int64_t unix_time, const TotpParams& params) {
  const std::int64_t step = TotpStep(unix_time, params.period);
  if (step < 0) return Code::kInvalidArgument;
  return Hotp(key, static_cast<std::uint64_t>(step), params.algorithm, params.digits);
}

Result<std::int64_t> VerifyTotp(std::string_view key, std::string_view code, std::int64_t unix_time,
                                const TotpParams& params, int window, std::int64_t last_used_step) {
  const std::int64_t now = TotpStep(unix_time, params.period);
  if (now < 0 || window < 0 || window > 10 || key.empty() || params.digits < 6 || params.digits > 8) {
    return Code::kInvalidArgument;
  }
  // Every candidate is computed and compared whatever matched, so the time
  // taken says nothing about which step (if any) matched.
  std::int64_t matched = -1;
  const bool well_formed = code.size() == static_cast<std::size_t>(params.digits);
  for (std::int64_t step = now - window; step <= now + window; ++step) {
    if (step < 0) continue;
    Result<std::string> expected = Hotp(key, static_cast<std::uint64_t>(step), params.algorithm, params.digits);
    if (!expected.ok()) return expected.code();
    const bool equal = well_formed && ConstantTimeEqual(*expected, code);
    if (equal && step > last_used_step && matched < 0) matched = step;
  }
  if (matched < 0) return Code::kOtpCodeInvalid;
  return matched;
}

std::string Base32Encode(std::string_view bytes) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  for (const char c : bytes) {
    buffer = (buffer << 8) | static_cast<unsigned char>(c);
    bits += 8;
    while (bits >= 5) {
      out.push_back(kBase32[(buffer >> (bits - 5)) & 0x1F]);
      bits -= 5;
    }
  }
  if (bits > 0) out.push_back(kBase32[(buffer << (5 - bits)) & 0x1F]);
  return out;
}

Result<std::string> Base32Decode(std::string_view text) {
  std::string out;
  std::uint32_t buffer = 0;
  int bits = 0;
  std::size_t symbols = 0;
  for (const char raw : text) {
    if (raw == '=' || raw == ' ') continue;
    const char c = (raw >= 'a' && raw <= 'z') ? static_cast<char>(raw - 'a' + 'A') : raw;
    int value = -1;
    if (c >= 'A' && c <= 'Z') value = c - 'A';
    if (c >= '2' && c <= '7') value = c - '2' + 26;
    if (value < 0) return Code::kInvalidArgument;
    buffer = (buffer << 5) | static_cast<std::uint32_t>(value);
    bits += 5;
    ++symbols;
    if (bits >= 8) {
      out.push_back(static_cast<char>((buffer >> (bits - 8)) & 0xFF));
      bits -= 8;
    }
  }
  // Lengths of 1, 3 or 6 symbols mod 8 are never produced by an encoder.
  const std::size_t tail = symbols % 8;
  if (tail == 1 || tail == 3 || tail == 6) return Code::kInvalidArgument;
  return out;
}

}  // namespace latchkey
