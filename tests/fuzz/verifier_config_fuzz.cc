// The verifier configuration (Verifier::FromConfig) from JSON text, as the
// CLI and the npm package take it; a verifier that builds then verifies a
// fixed token, so the options it read are used.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "fuzz_check.h"
#include "latchkey/jwt.h"

namespace {

// valid-eddsa from tests/vectors/jwt-cases.json (ed_a; verifies at the vectors' clock).
constexpr std::string_view kToken =
    "eyJhbGciOiJFZERTQSIsImtpZCI6IkZBZ0VHblJQV2tIYWZXYmd5VXJpdnVTOG9ZTm9hZXU4SWxvS2NvMjZsOGMiLCJ0eXAiOiJhdCtqd3QifQ."
    "eyJpc3MiOiJodHRwczovL2F1dGguZXhhbXBsZS50ZXN0Iiwic3ViIjoidXNlci0xIiwiYXVkIjoibGF0Y2hrZXktZGVtbyIsImlhdCI6MTY5OTk5"
    "OTk5MCwiZXhwIjoxNzAwMDAwOTAwLCJqdGkiOiJqdGktMDAwMSIsInNpZCI6InNpZC0wMDAxIiwicm9sZSI6InVzZXIiLCJlbWFpbCI6InVzZXIt"
    "MUBleGFtcGxlLnRlc3QiLCJlbWFpbF92ZXJpZmllZCI6dHJ1ZX0."
    "EgoJSNZWYMjGHvnjSLabA81OgpiiFPKxvtRPpEFj0jTcLsxh99oBM4KK-TcqLdxIoAaMZ-rFQ5AUax7lcZ6sCg";

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  latchkey::Result<latchkey::Json> config =
      latchkey::ParseJson(std::string_view(reinterpret_cast<const char*>(data), size));
  if (!config.ok()) return 0;
  latchkey::Result<latchkey::Verifier> verifier = latchkey::Verifier::FromConfig(*config);
  if (!verifier.ok()) return 0;
  const latchkey::VerifierOptions& options = verifier->options();
  FUZZ_CHECK(!options.algorithms.empty());
  FUZZ_CHECK(options.leeway_seconds >= 0 && options.leeway_seconds <= 86400);
  FUZZ_CHECK(options.max_token_bytes > 0 && options.max_json_depth > 0);
  for (const latchkey::Jwk& key : verifier->keys().keys) {
    FUZZ_CHECK(key.algorithm() != latchkey::Algorithm::kEdDSA || !key.can_sign());
  }
  for (const std::int64_t now : {std::int64_t{1700000000}, std::int64_t{0}, INT64_MAX, INT64_MIN}) {
    (void)verifier->Verify(kToken, now);
  }
  return 0;
}
