// HOTP/TOTP (core/otp.h): RFC 4226 Appendix D, RFC 6238 Appendix B (through
// tests/vectors/rfc-vectors.json in vectors_test.cc), the verifier's skew
// window and replay rule, and RFC 4648 base32.
#include <catch2/catch.hpp>

#include "latchkey/encoding.h"
#include "latchkey/otp.h"
#include "sha1.h"

namespace latchkey {
namespace {

const std::string kRfcSecret = "12345678901234567890";

TEST_CASE("SHA-1 and HMAC-SHA-1 known answers (FIPS 180 examples, RFC 2202)", "[otp]") {
  CHECK(HexEncode(internal::Sha1("abc")) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  CHECK(HexEncode(internal::Sha1("")) == "da39a3ee5e6b4b0d3255bfef95601890afd80709");
  CHECK(HexEncode(internal::Sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq")) ==
        "84983e441c3bd26ebaae4aa1f95129e5e54670f1");
  CHECK(HexEncode(internal::Sha1(std::string(1000000, 'a'))) == "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
  // RFC 2202 test cases 1, 2 and 6 (a key longer than the block).
  CHECK(HexEncode(internal::HmacSha1(std::string(20, '\x0b'), "Hi There")) ==
        "b617318655057264e28bc0b6fb378c8ef146be00");
  CHECK(HexEncode(internal::HmacSha1("Jefe", "what do ya want for nothing?")) ==
        "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79");
  CHECK(HexEncode(
            internal::HmacSha1(std::string(80, '\xaa'), "Test Using Larger Than Block-Size Key - Hash Key First")) ==
        "aa4ae5e15272d00e95705637ce8a3b55ed402112");
}

TEST_CASE("HOTP: RFC 4226 Appendix D", "[otp]") {
  const char* expected[] = {"755224", "287082", "359152", "969429", "338314",
                            "254676", "287922", "162583", "399871", "520489"};
  for (std::uint64_t counter = 0; counter < 10; ++counter) {
    INFO("counter " << counter);
    Result<std::string> code = Hotp(kRfcSecret, counter, OtpAlgorithm::kSha1, 6);
    REQUIRE(code.ok());
    CHECK(*code == expected[counter]);
  }
  CHECK(Hotp("", 0, OtpAlgorithm::kSha1, 6).code() == Code::kInvalidArgument);
  CHECK(Hotp(kRfcSecret, 0, OtpAlgorithm::kSha1, 5).code() == Code::kInvalidArgument);
  CHECK(Hotp(kRfcSecret, 0, OtpAlgorithm::kSha1, 9).code() == Code::kInvalidArgument);
  CHECK(Hotp(kRfcSecret, 0, OtpAlgorithm::kSha1, 8)->size() == 8);
}

TEST_CASE("TOTP: steps, a ±1 window, ±2 refused, replay refused", "[otp]") {
  const TotpParams params;                 // SHA-1, 6 digits, 30 s
  const std::int64_t now = 1'700'000'015;  // the middle of a step
  const std::int64_t step = TotpStep(now, 30);
  CHECK(step == 56'666'667);
  const auto code_at = [&](std::int64_t s) {
    return *Hotp(kRfcSecret, static_cast<std::uint64_t>(s), params.algorithm, 6);
  };

  CHECK(VerifyTotp(kRfcSecret, code_at(step), now, params, 1, -1).value() == step);
  CHECK(VerifyTotp(kRfcSecret, code_at(step - 1), now, params, 1, -1).value() == step - 1);
  CHECK(VerifyTotp(kRfcSecret, code_at(step + 1), now, params, 1, -1).value() == step + 1);
  CHECK(VerifyTotp(kRfcSecret, code_at(step - 2), now, params, 1, -1).code() == Code::kOtpCodeInvalid);
  CHECK(VerifyTotp(kRfcSecret, code_at(step + 2), now, params, 1, -1).code() == Code::kOtpCodeInvalid);
  // A code accepted once (its step stored as last used) is never accepted again,
  // and neither is an older one.
  CHECK(VerifyTotp(kRfcSecret, code_at(step), now, params, 1, step).code() == Code::kOtpCodeInvalid);
  CHECK(VerifyTotp(kRfcSecret, code_at(step - 1), now, params, 1, step).code() == Code::kOtpCodeInvalid);
  CHECK(VerifyTotp(kRfcSecret, code_at(step + 1), now, params, 1, step).value() == step + 1);
  // Malformed codes and parameters.
  CHECK(VerifyTotp(kRfcSecret, "", now, params, 1, -1).code() == Code::kOtpCodeInvalid);
  CHECK(VerifyTotp(kRfcSecret, code_at(step) + "0", now, params, 1, -1).code() == Code::kOtpCodeInvalid);
  CHECK(VerifyTotp(kRfcSecret, "12345a", now, params, 1, -1).code() == Code::kOtpCodeInvalid);
  CHECK(VerifyTotp("", code_at(step), now, params, 1, -1).code() == Code::kInvalidArgument);
  CHECK(VerifyTotp(kRfcSecret, code_at(step), -5, params, 1, -1).code() == Code::kInvalidArgument);
  CHECK(VerifyTotp(kRfcSecret, code_at(step), now, params, 11, -1).code() == Code::kInvalidArgument);
}

TEST_CASE("base32 (RFC 4648 section 10), case-insensitive, padding ignored", "[otp]") {
  const std::pair<const char*, const char*> vectors[] = {{"", ""},
                                                         {"f", "MY"},
                                                         {"fo", "MZXQ"},
                                                         {"foo", "MZXW6"},
                                                         {"foob", "MZXW6YQ"},
                                                         {"fooba", "MZXW6YTB"},
                                                         {"foobar", "MZXW6YTBOI"}};
  for (const auto& [plain, encoded] : vectors) {
    CHECK(Base32Encode(plain) == encoded);
    CHECK(Base32Decode(encoded).value() == plain);
  }
  CHECK(Base32Decode("mzxw6ytboi").value() == "foobar");
  CHECK(Base32Decode("MZXW6YQ=").value() == "foob");
  CHECK(Base32Decode("MZXW 6YTB OI").value() == "foobar");
  CHECK(Base32Decode("MZXW1").code() == Code::kInvalidArgument);  // '1' is not base32
  CHECK(Base32Decode("M").code() == Code::kInvalidArgument);      // no encoder makes one symbol
  CHECK(Base32Encode(kRfcSecret) == "GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ");
}

}  // namespace
}  // namespace latchkey
