// Which credentials sign someone in on their own (a password, a provider
// identity, a passkey), as opposed to second factors (TOTP, recovery codes),
// which never do alone. Removing a way in must leave at least one: the rule
// social sign-in's unlink and passkey deletion both apply.
#pragma once

#include <string_view>
#include <vector>

#include "identity/credential_store.h"

namespace latchkey {

bool SignsIn(const Credential& credential);

// How many of `credentials` sign in, leaving out the one whose id is `except_id`.
int OtherWaysIn(const std::vector<Credential>& credentials, std::string_view except_id);

}  // namespace latchkey
