// Verifier::FromConfig: the JSON form of VerifierOptions shared by the CLI,
// the wasm bindings and the tests.
#include <set>

#include "latchkey/jwt.h"

namespace latchkey {
namespace {

Status StringList(const Json& value, std::vector<std::string>& out, bool allow_single) {
  if (allow_single && value.is_string()) {
    out.push_back(value.get<std::string>());
    return Status::Ok();
  }
  if (!value.is_array()) return Code::kVerifierConfigInvalid;
  for (const Json& item : value) {
    if (!item.is_string()) return Code::kVerifierConfigInvalid;
    out.push_back(item.get<std::string>());
  }
  return Status::Ok();
}

Status PositiveSize(const Json& value, std::size_t& out) {
  if (!value.is_number_unsigned() && !(value.is_number_integer() && value.get<std::int64_t>() >= 0)) {
    return Code::kVerifierConfigInvalid;
  }
  out = value.get<std::size_t>();
  return Status::Ok();
}

}  // namespace

Result<Verifier> Verifier::FromConfig(const Json& config) {
  if (!config.is_object()) return Code::kVerifierConfigInvalid;
  static const std::set<std::string> kKnown = {
      "algorithms",      "jwks", "issuer",          "audience",      "leeway_seconds",
      "required_claims", "typ",  "max_token_bytes", "max_json_depth"};
  for (const auto& [name, value] : config.items()) {
    if (kKnown.count(name) == 0) return Code::kVerifierConfigInvalid;
  }

  VerifierOptions options;
  const auto algorithms = config.find("algorithms");
  if (algorithms == config.end() || !algorithms->is_array()) return Code::kVerifierConfigInvalid;
  for (const Json& name : *algorithms) {
    if (!name.is_string()) return Code::kVerifierConfigInvalid;
    const std::optional<Algorithm> algorithm = AlgorithmFromName(name.get_ref<const std::string&>());
    if (!algorithm) return Code::kVerifierConfigInvalid;
    options.algorithms.push_back(*algorithm);
  }

  if (const auto it = config.find("issuer"); it != config.end()) {
    if (!it->is_string()) return Code::kVerifierConfigInvalid;
    options.issuer = it->get<std::string>();
  }
  if (const auto it = config.find("audience"); it != config.end()) {
    LATCHKEY_RETURN_IF_ERROR(StringList(*it, options.audiences, /*allow_single=*/true));
  }
  if (const auto it = config.find("required_claims"); it != config.end()) {
    LATCHKEY_RETURN_IF_ERROR(StringList(*it, options.required_claims, /*allow_single=*/false));
  }
  if (const auto it = config.find("typ"); it != config.end()) {
    if (!it->is_string() || it->get_ref<const std::string&>().empty()) return Code::kVerifierConfigInvalid;
    options.type = it->get<std::string>();
  }
  if (const auto it = config.find("leeway_seconds"); it != config.end()) {
    if (!it->is_number_integer()) return Code::kVerifierConfigInvalid;
    if (it->is_number_unsigned() && it->get<std::uint64_t>() > INT64_MAX) return Code::kVerifierConfigInvalid;
    options.leeway_seconds = it->get<std::int64_t>();
  }
  if (const auto it = config.find("max_token_bytes"); it != config.end()) {
    LATCHKEY_RETURN_IF_ERROR(PositiveSize(*it, options.max_token_bytes));
  }
  if (const auto it = config.find("max_json_depth"); it != config.end()) {
    LATCHKEY_RETURN_IF_ERROR(PositiveSize(*it, options.max_json_depth));
  }

  const auto jwks = config.find("jwks");
  if (jwks == config.end()) return Code::kVerifierConfigInvalid;
  Result<Jwks> keys = Jwks::FromJson(*jwks, /*allow_private=*/false);
  if (!keys.ok()) return keys.code();
  return Create(std::move(keys).value(), std::move(options));
}

}  // namespace latchkey
