#include "identity/email_collisions.h"

#include <map>

#include "latchkey/account_rules.h"

namespace latchkey {

Result<std::vector<EmailCollision>> FindEmailCollisions(UserStore& users) {
  constexpr std::int64_t kPage = 500;
  std::map<std::string, std::vector<User>> by_address;
  std::vector<EmailCollision> found;
  for (std::int64_t offset = 0;; offset += kPage) {
    Result<UserPage> page = users.List("", kPage, offset);
    if (!page.ok()) return page.code();
    for (User& user : page->users) {
      Result<std::string> normalized = NormalizeEmail(user.email);
      if (!normalized.ok()) {
        found.push_back(EmailCollision{"", {std::move(user)}, "invalid_under_current_rule"});
        continue;
      }
      by_address[*normalized].push_back(std::move(user));
    }
    if (static_cast<std::int64_t>(page->users.size()) < kPage) break;
  }
  for (auto& [address, holders] : by_address) {
    if (holders.size() > 1) found.push_back(EmailCollision{address, std::move(holders), "duplicate"});
  }
  return found;
}

Json EmailCollisionsJson(const std::vector<EmailCollision>& collisions) {
  Json list = Json::array();
  for (const EmailCollision& collision : collisions) {
    Json accounts = Json::array();
    for (const User& user : collision.users) {
      accounts.push_back({{"id", user.id}, {"email", user.email}, {"created_at", user.created_at}});
    }
    list.push_back({{"reason", collision.reason},
                    {"address", collision.normalized.empty() ? Json() : Json(collision.normalized)},
                    {"accounts", std::move(accounts)}});
  }
  return list;
}

}  // namespace latchkey
