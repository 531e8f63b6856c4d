// Route registration. Routes are thin: parse, call AuthService, map the
// result. Authentication is a wrapper, not repeated in each route.
#pragma once

#include <httplib.h>

#include <functional>

#include "accounts/auth_service.h"
#include "http/responses.h"
#include "http/router.h"
#include "limits/hash_pool.h"
#include "metrics/metrics.h"
#include "recovery/recovery_service.h"
#include "storage/sqlite.h"

namespace latchkey::http {

using AuthedHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const Principal&, RequestContext&)>;

// Checks the bearer token (and, with admin_only, the role) before `handler`.
httplib::Server::Handler Authenticated(AuthService& auth, bool admin_only, AuthedHandler handler);

void RegisterAuthRoutes(Router& server, AuthService& auth);
void RegisterAdminRoutes(Router& server, AuthService& auth);
// Recovery, verification, PATCH /auth/me (name and email), and /dev/outbox.
void RegisterRecoveryRoutes(Router& server, AuthService& auth, RecoveryService& recovery);

struct MetaDeps {
  AuthService& auth;
  KeyManager& keys;
  storage::Database& db;
  Metrics& metrics;
  HashPool& hashes;
  RecoveryService& recovery;
};
void RegisterMetaRoutes(Router& server, MetaDeps deps);

}  // namespace latchkey::http
