// Verifier::FromConfig: the JSON form of VerifierOptions shared by the CLI,
// the wasm bindings and the tests. A refusal names the member at fault and
// why, so a typo (`audiences`) or an algorithm this build does not verify is
// found at once instead of guessed at.
#include <algorithm>
#include <array>

#include "latchkey/jwt.h"

namespace latchkey {
namespace {

// The limits Verifier::Create enforces, repeated here only to explain them;
// jwt_test.cc checks both agree at the boundaries.
constexpr std::int64_t kLeewayLimit = 86400;
constexpr std::size_t kTokenBytesLimit = 1 << 20;
constexpr std::size_t kJsonDepthLimit = 256;

constexpr std::array<const char*, 10> kKnown = {
    "algorithms",      "jwks", "issuer",          "audience",       "leeway_seconds",
    "required_claims", "typ",  "max_token_bytes", "max_json_depth", "required_aal"};

// A JS caller writes camelCase; the core reads snake_case. Both may be wrong.
std::string Suggestion(const std::string& name) {
  std::string folded;
  for (char c : name) {
    if (c == '_' || c == '-') continue;
    folded += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
  }
  if (folded.size() > 1 && folded.back() == 's') folded.pop_back();  // audiences, issuers
  for (const char* known : kKnown) {
    std::string candidate;
    for (const char* p = known; *p; ++p) {
      if (*p != '_') candidate += *p;
    }
    std::string singular = candidate;
    if (singular.back() == 's') singular.pop_back();
    if (folded == candidate || folded == singular) return known;
  }
  if (folded == "alg" || folded == "algorithm") return "algorithms";
  if (folded == "aud") return "audience";
  if (folded == "iss") return "issuer";
  if (folded == "leeway" || folded == "clocktolerance") return "leeway_seconds";
  if (folded == "type") return "typ";
  if (folded == "aal" || folded == "minaal" || folded == "requiredlevel") return "required_aal";
  return {};
}

// At most 40 bytes of a caller's value in a message, as JSON text.
std::string Quote(const Json& value) {
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > 40) text = text.substr(0, 37) + "...";
  return text;
}

// Every algorithm the library verifies. A wasm module may leave RS256, PS256
// and ES256 out, but the package routes a configuration naming them to the
// module that has them (its pk module), so the list holds there too.
std::string SupportedAlgorithms() { return "EdDSA, HS256, RS256, PS256, ES256"; }

class Problems {
 public:
  explicit Problems(VerifierConfigError* out) : out_(out) {}
  Code Fail(std::string option, std::string reason) {
    if (out_ != nullptr) *out_ = VerifierConfigError{std::move(option), std::move(reason)};
    return Code::kVerifierConfigInvalid;
  }

 private:
  VerifierConfigError* out_;
};

Status StringList(const Json& value, const char* name, std::vector<std::string>& out, bool allow_single,
                  Problems& problems) {
  if (allow_single && value.is_string()) {
    if (value.get_ref<const std::string&>().empty()) return problems.Fail(name, "must not be empty");
    out.push_back(value.get<std::string>());
    return Status::Ok();
  }
  const char* shape = allow_single ? "must be a string or an array of strings" : "must be an array of strings";
  if (!value.is_array()) return problems.Fail(name, std::string(shape) + ", not " + Quote(value));
  for (const Json& item : value) {
    if (!item.is_string()) return problems.Fail(name, std::string(shape) + "; " + Quote(item) + " is not a string");
    if (item.get_ref<const std::string&>().empty()) return problems.Fail(name, "must not contain an empty string");
    out.push_back(item.get<std::string>());
  }
  return Status::Ok();
}

Status BoundedSize(const Json& value, const char* name, std::size_t limit, std::size_t& out, Problems& problems) {
  const std::string range = "must be a whole number from 1 to " + std::to_string(limit);
  if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<std::int64_t>() >= 0)) {
    return problems.Fail(name, range + ", not " + Quote(value));
  }
  out = value.get<std::size_t>();
  if (out == 0 || out > limit) return problems.Fail(name, range + ", not " + Quote(value));
  return Status::Ok();
}

}  // namespace

Result<Verifier> Verifier::FromConfig(const Json& config, VerifierConfigError* error) {
  Problems problems(error);
  if (!config.is_object()) return problems.Fail("", "the configuration must be a JSON object");
  for (const auto& [name, value] : config.items()) {
    if (std::find(kKnown.begin(), kKnown.end(), name) != kKnown.end()) continue;
    const std::string hint = Suggestion(name);
    const std::string shown = name.size() > 40 ? name.substr(0, 37) + "..." : name;
    return problems.Fail(shown, hint.empty() ? "is not an option" : "is not an option; did you mean \"" + hint + "\"?");
  }

  VerifierOptions options;
  const auto algorithms = config.find("algorithms");
  if (algorithms == config.end()) return problems.Fail("algorithms", "is required, e.g. [\"EdDSA\"]");
  if (!algorithms->is_array()) {
    return problems.Fail("algorithms", "must be an array of algorithm names, not " + Quote(*algorithms));
  }
  if (algorithms->empty()) return problems.Fail("algorithms", "must name at least one algorithm");
  for (const Json& name : *algorithms) {
    if (!name.is_string()) return problems.Fail("algorithms", Quote(name) + " is not an algorithm name");
    const std::string& text = name.get_ref<const std::string&>();
    if (text == "none") return problems.Fail("algorithms", "\"none\" is never accepted (unsigned tokens)");
    const std::optional<Algorithm> algorithm = AlgorithmFromName(text);
    if (!algorithm) {
      return problems.Fail("algorithms", Quote(name) + " is not supported; supported: " + SupportedAlgorithms());
    }
    options.algorithms.push_back(*algorithm);
  }

  if (const auto it = config.find("issuer"); it != config.end()) {
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
      return problems.Fail("issuer", "must be a non-empty string, not " + Quote(*it));
    }
    options.issuer = it->get<std::string>();
  }
  if (const auto it = config.find("audience"); it != config.end()) {
    LATCHKEY_RETURN_IF_ERROR(StringList(*it, "audience", options.audiences, /*allow_single=*/true, problems));
  }
  if (const auto it = config.find("required_claims"); it != config.end()) {
    LATCHKEY_RETURN_IF_ERROR(
        StringList(*it, "required_claims", options.required_claims, /*allow_single=*/false, problems));
  }
  if (const auto it = config.find("typ"); it != config.end()) {
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) {
      return problems.Fail("typ", "must be a non-empty string such as \"at+jwt\", not " + Quote(*it));
    }
    options.type = it->get<std::string>();
  }
  if (const auto it = config.find("leeway_seconds"); it != config.end()) {
    const std::string range = "must be a whole number of seconds from 0 to " + std::to_string(kLeewayLimit);
    if (!it->is_number_integer()) return problems.Fail("leeway_seconds", range + ", not " + Quote(*it));
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > static_cast<std::uint64_t>(kLeewayLimit)) {
      return problems.Fail("leeway_seconds", range + ", not " + Quote(*it));
    }
    options.leeway_seconds = it->get<std::int64_t>();
    if (options.leeway_seconds < 0 || options.leeway_seconds > kLeewayLimit) {
      return problems.Fail("leeway_seconds", range + ", not " + Quote(*it));
    }
  }
  if (const auto it = config.find("max_token_bytes"); it != config.end()) {
    LATCHKEY_RETURN_IF_ERROR(BoundedSize(*it, "max_token_bytes", kTokenBytesLimit, options.max_token_bytes, problems));
  }
  if (const auto it = config.find("max_json_depth"); it != config.end()) {
    LATCHKEY_RETURN_IF_ERROR(BoundedSize(*it, "max_json_depth", kJsonDepthLimit, options.max_json_depth, problems));
  }

  if (const auto it = config.find("required_aal"); it != config.end()) {
    const int level = it->is_string() ? AalLevel(it->get_ref<const std::string&>()) : 0;
    if (level == 0) return problems.Fail("required_aal", "must be \"aal1\", \"aal2\" or \"aal3\", not " + Quote(*it));
    options.required_aal = level;
  }

  const auto jwks = config.find("jwks");
  if (jwks == config.end()) return problems.Fail("jwks", "is required: a key set {\"keys\": [...]}");
  Result<Jwks> keys = Jwks::FromJson(*jwks, /*allow_private=*/false);
  if (!keys.ok()) {
    // Key errors keep their own codes; the option is still named.
    problems.Fail("jwks", std::string(Describe(keys.code()).message));
    return keys.code();
  }
  Result<Verifier> verifier = Create(std::move(keys).value(), std::move(options));
  if (!verifier.ok()) problems.Fail("", "the options are out of range");
  return verifier;
}

}  // namespace latchkey
