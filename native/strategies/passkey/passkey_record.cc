#include "strategies/passkey/passkey_record.h"

#include "latchkey/encoding.h"

namespace latchkey {
namespace {

// Typed reads that never abort: the core is built with JSON_NOEXCEPTION, so
// Json::value() on a member of the wrong type would.
std::string Text(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}
std::int64_t Integer(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<std::int64_t>() : 0;
}
bool Flag(const Json& j, const char* key) {
  const auto it = j.find(key);
  return it != j.end() && it->is_boolean() && it->get<bool>();
}

}  // namespace

std::string PasskeyRecord::ToSecret() const {
  return Json{{"public_key", Base64UrlEncode(public_key)},
              {"alg", algorithm},
              {"sign_count", sign_count},
              {"backup_eligible", backup_eligible},
              {"backup_state", backup_state},
              {"user_verified", user_verified},
              {"aaguid", aaguid},
              {"fmt", attestation_format},
              {"transports", transports},
              {"name", name},
              {"last_used_at", last_used_at}}
      .dump();
}

Result<PasskeyRecord> PasskeyRecord::FromSecret(const std::string& secret) {
  Result<Json> json = ParseJson(secret);
  if (!json.ok() || !json->is_object()) return Code::kInternal;
  const Json& j = *json;
  PasskeyRecord record;
  Result<std::string> key = Base64UrlDecode(Text(j, "public_key"));
  if (!key.ok()) return Code::kInternal;
  record.public_key = std::move(key).value();
  record.algorithm = Integer(j, "alg");
  record.sign_count = static_cast<std::uint32_t>(Integer(j, "sign_count"));
  record.backup_eligible = Flag(j, "backup_eligible");
  record.backup_state = Flag(j, "backup_state");
  record.user_verified = Flag(j, "user_verified");
  record.aaguid = Text(j, "aaguid");
  record.attestation_format = Text(j, "fmt");
  if (const auto it = j.find("transports"); it != j.end() && it->is_array()) {
    for (const Json& t : *it) {
      if (t.is_string()) record.transports.push_back(t.get<std::string>());
    }
  }
  record.name = Text(j, "name");
  record.last_used_at = Integer(j, "last_used_at");
  return record;
}

Json PasskeyJson(const Credential& credential, const PasskeyRecord& record) {
  return Json{{"id", credential.id},
              {"name", record.name},
              {"credential_id", credential.identifier},
              {"created_at", credential.created_at},
              {"last_used_at", record.last_used_at == 0 ? Json() : Json(record.last_used_at)},
              {"backup_eligible", record.backup_eligible},
              {"backed_up", record.backup_state},
              {"transports", record.transports},
              {"aaguid", record.aaguid}};
}

}  // namespace latchkey
