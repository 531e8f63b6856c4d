// Accounts whose addresses the current email rule (core/account_rules.h)
// would merge or refuse: made before NFKC, Unicode lowercase and the
// invisible-character rule, two accounts may now name one mailbox. Nothing
// is merged: `latchkey migrate` prints them and `latchkey serve` logs them,
// for an operator to decide.
#pragma once

#include <string>
#include <vector>

#include "identity/user_store.h"
#include "latchkey/json.h"

namespace latchkey {

struct EmailCollision {
  std::string normalized;   // the address under today's rule; empty when refused
  std::vector<User> users;  // two or more for a duplicate; one for a refused address
  std::string reason;       // "duplicate" or "invalid_under_current_rule"
};

Result<std::vector<EmailCollision>> FindEmailCollisions(UserStore& users);

// [{reason, address, accounts: [{id, email, created_at}]}] for reports.
Json EmailCollisionsJson(const std::vector<EmailCollision>& collisions);

}  // namespace latchkey
