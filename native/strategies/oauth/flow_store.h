// The state of a social sign-in between its steps, kept server-side: the
// `state` sent to the provider (until the callback) and the one-time code
// handed to the browser (until the token exchange). Only the SHA-256 of each
// is stored; a row is taken at most once and only before it expires.
// Implemented for SQLite and PostgreSQL in storage/.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "latchkey/status.h"

namespace latchkey {

namespace flow_kind {
inline constexpr std::string_view kState = "state";  // sent to the provider, back at the callback
inline constexpr std::string_view kCode = "code";    // sent to the browser, exchanged at /auth/token
}  // namespace flow_kind

struct OAuthFlow {
  std::string flow_hash;  // hex SHA-256 of the state or code
  std::string kind;       // one of flow_kind
  std::string data;       // JSON: what the next step needs
  std::int64_t created_at = 0;
  std::int64_t expires_at = 0;
};

class OAuthFlowStore {
 public:
  virtual ~OAuthFlowStore() = default;
  virtual Status Put(const OAuthFlow& flow) = 0;
  // Deletes and returns the flow if it has this kind and is live at `now`:
  // of two concurrent callers exactly one gets it. Else kNotFound.
  virtual Result<OAuthFlow> Consume(std::string_view flow_hash, std::string_view kind, std::int64_t now) = 0;
  // Deletes flows that expired before `now`; returns how many.
  virtual Result<std::int64_t> DeleteExpired(std::int64_t now) = 0;
};

}  // namespace latchkey
