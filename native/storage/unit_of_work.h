// Several store calls committed as one: either all of them take effect or
// none, and with --sync full they cost one durable commit instead of one each
// (a login writes its session and its audit event together). Store calls made
// by `work` on the calling thread join the unit; calls from other threads do
// not, so `work` must not hand store calls to a pool. Units may nest.
#pragma once

#include <functional>

#include "latchkey/status.h"

namespace latchkey {

class UnitOfWork {
 public:
  virtual ~UnitOfWork() = default;
  // Commits when `work` returns Ok; rolls back and returns its status otherwise.
  virtual Status Run(const std::function<Status()>& work) = 0;
};

}  // namespace latchkey
