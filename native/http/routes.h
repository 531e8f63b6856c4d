// Route registration. Routes are thin: parse, call a service (app/app.h
// Services), map the result. Authentication is a wrapper, not repeated in
// each route; roles are checked by the services themselves.
#pragma once

#include <httplib.h>

#include <functional>

#include "app/app.h"
#include "http/responses.h"
#include "http/router.h"

namespace latchkey::http {

using AuthedHandler =
    std::function<void(const httplib::Request&, httplib::Response&, const Principal&, RequestContext&)>;

// Checks the bearer token before `handler`.
httplib::Server::Handler Authenticated(SessionIssuer& issuer, AuthedHandler handler);

// `handler` only for callers at the assurance level `route_group` needs
// (--require-aal2-for); others get 403 insufficient_aal.
AuthedHandler Assured(MfaService& mfa, std::string route_group, AuthedHandler handler);

void RegisterAuthRoutes(Router& server, Services services);
// /auth/mfa/*: TOTP enrolment, the sign-in's second step, step-up, factors.
void RegisterMfaRoutes(Router& server, Services services);
// Social sign-in: /auth/providers, /auth/oauth/{id}/authorize and callback, /auth/identities.
void RegisterOAuthRoutes(Router& server, Services services);
// Passkeys: /auth/passkeys/* and /admin/users/{id}/passkeys.
void RegisterPasskeyRoutes(Router& server, Services services);
void RegisterAdminRoutes(Router& server, Services services);
// Recovery, verification, PATCH /auth/me (name and email), and /dev/outbox.
void RegisterRecoveryRoutes(Router& server, Services services);
// Keys, discovery, health, metrics (behind --metrics-token), OpenAPI.
void RegisterMetaRoutes(Router& server, Services services);

}  // namespace latchkey::http
