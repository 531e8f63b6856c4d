#include "identity/sign_in_methods.h"

namespace latchkey {

bool SignsIn(const Credential& credential) {
  return credential.type == credential_type::kPassword || credential.type == credential_type::kOidc ||
         credential.type == credential_type::kWebauthn;
}

int OtherWaysIn(const std::vector<Credential>& credentials, std::string_view except_id) {
  int count = 0;
  for (const Credential& credential : credentials) {
    if (credential.id != except_id && SignsIn(credential)) ++count;
  }
  return count;
}

}  // namespace latchkey
