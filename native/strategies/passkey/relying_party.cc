// The relying party from the configuration (passkey_strategy.h, RelyingPartyFor).
#include <cctype>

#include "strategies/passkey/passkey_strategy.h"

namespace latchkey {
namespace {

struct Origin {
  std::string scheme;
  std::string host;
  std::string port;  // empty when the URL has none
};

// scheme://host[:port] from a URL (its path, if any, ignored).
std::optional<Origin> ParseOrigin(const std::string& url) {
  const std::size_t scheme_end = url.find("://");
  if (scheme_end == std::string::npos) return std::nullopt;
  Origin origin;
  origin.scheme = url.substr(0, scheme_end);
  std::string authority = url.substr(scheme_end + 3);
  authority = authority.substr(0, authority.find_first_of("/?#"));
  if (authority.empty()) return std::nullopt;
  if (authority.front() == '[') {  // an IPv6 literal
    const std::size_t close = authority.find(']');
    if (close == std::string::npos) return std::nullopt;
    origin.host = authority.substr(0, close + 1);
    if (close + 1 < authority.size() && authority[close + 1] == ':') origin.port = authority.substr(close + 2);
  } else {
    const std::size_t colon = authority.rfind(':');
    origin.host = authority.substr(0, colon);
    if (colon != std::string::npos) origin.port = authority.substr(colon + 1);
  }
  for (char& c : origin.host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return origin;
}

// As browsers write an origin in clientDataJSON: no default port.
std::string Serialize(const Origin& origin) {
  const bool default_port =
      (origin.scheme == "https" && origin.port == "443") || (origin.scheme == "http" && origin.port == "80");
  return origin.scheme + "://" + origin.host + (origin.port.empty() || default_port ? "" : ":" + origin.port);
}

// Browsers take only domains as RP IDs, never IP addresses (WebAuthn §5.1.3).
bool IsIpLiteral(const std::string& host) {
  if (!host.empty() && host.front() == '[') return true;
  if (host.find_first_not_of("0123456789.") == std::string::npos) return true;
  return false;
}

bool IsDomain(const std::string& host) {
  if (host.empty() || host.size() > 253 || host.front() == '.' || host.back() == '.') return false;
  for (char c : host) {
    if (!(std::islower(static_cast<unsigned char>(c)) || std::isdigit(static_cast<unsigned char>(c)) || c == '-' ||
          c == '.')) {
      return false;
    }
  }
  // One label alone is a top-level domain ("com"), which browsers refuse,
  // except localhost.
  return host.find("..") == std::string::npos && !IsIpLiteral(host) &&
         (host == "localhost" || host.find('.') != std::string::npos);
}

// WebAuthn needs a secure context: https, or http on localhost.
bool IsSecureContext(const Origin& origin) {
  return origin.scheme == "https" || origin.host == "localhost" ||
         (origin.host.size() > 10 && origin.host.compare(origin.host.size() - 10, 10, ".localhost") == 0);
}

// Whether pages of `host` may use passkeys of `rp_id`: the RP ID is the
// host or a parent domain of it.
bool Covers(const std::string& rp_id, const std::string& host) {
  return host == rp_id ||
         (host.size() > rp_id.size() && host.compare(host.size() - rp_id.size(), rp_id.size(), rp_id) == 0 &&
          host[host.size() - rp_id.size() - 1] == '.');
}

}  // namespace

webauthn::RelyingParty RelyingPartyFor(const ServerConfig& config, std::string* why) {
  why->clear();
  webauthn::RelyingParty rp;
  std::optional<Origin> public_origin = ParseOrigin(config.public_url);
  if (public_origin && IsIpLiteral(public_origin->host)) {
    // http://127.0.0.1:8080 can have no passkeys; http://localhost:8080, the
    // same server, can. (A page on another IP address is no secure context
    // over http, so it could not use them either.)
    public_origin->host = "localhost";
  }
  rp.id = config.webauthn_rp_id;
  for (char& c : rp.id) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (rp.id.empty() && public_origin) rp.id = public_origin->host;
  rp.origins = config.webauthn_origins;
  const bool derived_origin = rp.origins.empty();
  if (derived_origin && public_origin) rp.origins.push_back(Serialize(*public_origin));
  if (!IsDomain(rp.id)) {
    *why = "--webauthn-rp-id must be a domain name such as example.com (browsers refuse IP addresses), not '" + rp.id +
           "'";
    return rp;
  }
  for (std::string& text : rp.origins) {
    const std::string named = derived_origin ? "the public URL's origin '" + text + "' (set --webauthn-origin)"
                                             : "--webauthn-origin '" + text + "'";
    const std::optional<Origin> origin = ParseOrigin(text);
    if (!origin || (origin->scheme != "https" && origin->scheme != "http")) {
      *why = named + " is not an http(s) origin";
      return rp;
    }
    if (!IsSecureContext(*origin)) {
      *why = named + " is http on a host other than localhost: browsers offer passkeys only on https pages";
      return rp;
    }
    if (!Covers(rp.id, origin->host)) {
      *why = named + " is not on the relying party ID '" + rp.id + "' or a subdomain of it; set --webauthn-rp-id";
      return rp;
    }
    text = Serialize(*origin);  // browsers send lowercase hosts
  }
  return rp;
}

}  // namespace latchkey
