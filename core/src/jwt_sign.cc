#include "latchkey/encoding.h"
#include "latchkey/jwt.h"

namespace latchkey {

JwtBuilder& JwtBuilder::type(std::string typ) {
  typ_ = std::move(typ);
  return *this;
}
JwtBuilder& JwtBuilder::issuer(std::string iss) { return claim("iss", std::move(iss)); }
JwtBuilder& JwtBuilder::subject(std::string sub) { return claim("sub", std::move(sub)); }
JwtBuilder& JwtBuilder::audience(std::string aud) { return claim("aud", std::move(aud)); }
JwtBuilder& JwtBuilder::audiences(std::vector<std::string> aud) { return claim("aud", std::move(aud)); }
JwtBuilder& JwtBuilder::issued_at(std::int64_t iat) { return claim("iat", iat); }
JwtBuilder& JwtBuilder::not_before(std::int64_t nbf) { return claim("nbf", nbf); }
JwtBuilder& JwtBuilder::expires_at(std::int64_t exp) { return claim("exp", exp); }
JwtBuilder& JwtBuilder::jwt_id(std::string jti) { return claim("jti", std::move(jti)); }

JwtBuilder& JwtBuilder::claim(const std::string& name, Json value) {
  claims_[name] = std::move(value);
  return *this;
}

Result<std::string> JwtBuilder::Sign(const Jwk& key) const {
  if (!key.can_sign()) return Code::kInvalidArgument;
  Json header = {{"alg", AlgorithmName(key.algorithm())}, {"kid", key.kid()}};
  if (!typ_.empty()) header["typ"] = typ_;

  Result<std::string> header_text = SerializeJson(header);
  if (!header_text.ok()) return header_text.code();
  Result<std::string> claims_text = SerializeJson(claims_);
  if (!claims_text.ok()) return claims_text.code();

  std::string token = Base64UrlEncode(*header_text);
  token += '.';
  token += Base64UrlEncode(*claims_text);

  std::string signature;
  if (key.algorithm() == Algorithm::kEdDSA) {
    Result<std::string> sig = Ed25519Sign(key.secret(), token);
    if (!sig.ok()) return sig.code();
    signature = std::move(sig).value();
  } else {
    signature = HmacSha256(key.secret(), token);
  }
  token += '.';
  token += Base64UrlEncode(signature);
  return token;
}

}  // namespace latchkey
