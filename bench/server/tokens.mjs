// Mints many distinct access tokens for the uncached /auth/me figure of
// bench/server/run.sh: copies of one real token with a new jti each, signed
// with the server's own key (read from its database by run.sh), so each is
// valid and different. More tokens than the server's verified-token cache
// holds (8,192), taken in turn, so every request pays a signature check.
// Usage: node tokens.mjs ACCESS_TOKEN PRIVATE_JWK COUNT > tokens.txt
import { createPrivateKey, randomBytes, sign } from 'node:crypto';

const [token, jwkText, countText] = process.argv.slice(2);
const jwk = JSON.parse(jwkText);
const key = createPrivateKey({ key: { kty: jwk.kty, crv: jwk.crv, d: jwk.d, x: jwk.x }, format: 'jwk' });
const [header] = token.split('.');
const claims = JSON.parse(Buffer.from(token.split('.')[1], 'base64url'));
const lines = [];
for (let i = 0; i < Number(countText); i++) {
  const payload = Buffer.from(JSON.stringify({ ...claims, jti: randomBytes(16).toString('hex') })).toString('base64url');
  const signature = sign(null, Buffer.from(`${header}.${payload}`), key).toString('base64url');
  lines.push(`${header}.${payload}.${signature}`);
}
process.stdout.write(lines.join('\n') + '\n');
