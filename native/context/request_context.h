// Who asks, from where, and when: passed by the HTTP layer (or the CLI) to
// every service call. Services report a wait in retry_after when they refuse
// for load or rate.
#pragma once

#include <cstdint>
#include <string>

namespace latchkey {

struct RequestContext {
  std::string ip;
  std::string user_agent;
  std::string request_id;
  std::int64_t now = 0;
  double monotonic = 0;          // seconds, for rate limits
  std::int64_t retry_after = 0;  // out: seconds to wait when refused for load or rate
};

}  // namespace latchkey
