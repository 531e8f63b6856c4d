"""A FastAPI app whose routes accept Latchkey access tokens.

Tokens are checked offline with PyJWT against the server's JWKS (EdDSA keys,
fetched once and cached; a token signed by a newly rotated key makes PyJWT
fetch the set again): the signature, the header's `typ` (at+jwt, RFC 9068),
`iss`, `aud`, `exp`, `iat` and `sub`. A role is then a claim like any other.

    LATCHKEY_URL=http://127.0.0.1:8080 python3 -m uvicorn app:app --port 8000

Debian packages: python3-fastapi, python3-jwt, python3-cryptography, python3-uvicorn.
"""
import os

import jwt
from fastapi import Depends, FastAPI, HTTPException
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

LATCHKEY_URL = os.environ.get("LATCHKEY_URL", "http://127.0.0.1:8080").rstrip("/")
ISSUER = os.environ.get("LATCHKEY_ISSUER", LATCHKEY_URL)  # `latchkey serve --issuer`, default its URL
AUDIENCE = os.environ.get("LATCHKEY_AUDIENCE", "latchkey")  # `latchkey serve --audience`

jwks = jwt.PyJWKClient(f"{LATCHKEY_URL}/.well-known/jwks.json", cache_keys=True, lifespan=300)
bearer = HTTPBearer(auto_error=False)
app = FastAPI(title="Latchkey FastAPI example")


def unauthorized(code: str) -> HTTPException:
    # The same error codes as the Latchkey server, and the RFC 6750 challenge.
    return HTTPException(status_code=401, detail={"error": code},
                         headers={"WWW-Authenticate": f'Bearer error="invalid_token", error_description="{code}"'})


def access_token(credentials: HTTPAuthorizationCredentials | None = Depends(bearer)) -> dict:
    """The verified claims of the request's access token, or 401."""
    if credentials is None:
        raise unauthorized("token_missing")
    token = credentials.credentials
    try:
        key = jwks.get_signing_key_from_jwt(token)
        verified = jwt.api_jwt.decode_complete(
            token, key.key, algorithms=["EdDSA"], audience=AUDIENCE, issuer=ISSUER,
            options={"require": ["exp", "iat", "iss", "aud", "sub"]})
    except jwt.ExpiredSignatureError:
        raise unauthorized("token_expired")
    except (jwt.PyJWTError, jwt.PyJWKClientError):
        raise unauthorized("token_invalid")
    # An ID token or any other JWT signed by the same key is not an access token.
    if str(verified["header"].get("typ", "")).lower() not in ("at+jwt", "application/at+jwt"):
        raise unauthorized("token_type_invalid")
    return verified["payload"]


def require_role(*roles: str):
    def check(claims: dict = Depends(access_token)) -> dict:
        if claims.get("role") not in roles:
            raise HTTPException(status_code=403, detail={"error": "forbidden"})
        return claims
    return check


@app.get("/api/hello")
def hello(claims: dict = Depends(access_token)):
    return {"hello": claims["sub"], "email": claims.get("email"), "role": claims.get("role")}


@app.get("/api/admin/report")
def admin_report(claims: dict = Depends(require_role("admin"))):
    return {"report": "for admins only", "by": claims["sub"]}
