// A real OpenID provider for tests and for trying social sign-in locally:
// npm's oidc-provider with its development login and consent pages, on
// 127.0.0.1. Prints one JSON line, {"issuer": ...}, once it answers.
//
//   node tests/support/oidc_provider.mjs --client-id ID --client-secret SECRET \
//     --redirect-uri http://127.0.0.1:8080/auth/oauth/local/callback [--alg RS256|PS256|ES256|EdDSA]
//     [--port 0] [--userinfo-only] [--kid KID]
//
// Accounts: any login works (the password is ignored). "alice@example.com"
// has that email, verified; "unverified:bob@example.com" has bob@example.com,
// not verified; a login without "@" has no email. --userinfo-only keeps the
// email out of the ID token (only the user info endpoint has it), as some
// providers do.
import http from 'node:http';
import { parseArgs } from 'node:util';
import Provider from 'oidc-provider';
import { exportJWK, generateKeyPair } from 'jose';

const { values } = parseArgs({
  options: {
    'client-id': { type: 'string' },
    'client-secret': { type: 'string' },
    'redirect-uri': { type: 'string', multiple: true },
    alg: { type: 'string', default: 'RS256' },
    port: { type: 'string', default: '0' },
    'userinfo-only': { type: 'boolean', default: false },
    kid: { type: 'string' },
  },
});
if (!values['client-id'] || !values['client-secret'] || !values['redirect-uri']) {
  console.error('usage: oidc_provider.mjs --client-id ID --client-secret SECRET --redirect-uri URI [--alg ALG]');
  process.exit(2);
}

const generated = {
  RS256: () => generateKeyPair('RS256', { extractable: true, modulusLength: 2048 }),
  PS256: () => generateKeyPair('PS256', { extractable: true, modulusLength: 2048 }),
  ES256: () => generateKeyPair('ES256', { extractable: true }),
  EdDSA: () => generateKeyPair('EdDSA', { extractable: true, crv: 'Ed25519' }),
}[values.alg];
if (!generated) {
  console.error(`unknown --alg ${values.alg}`);
  process.exit(2);
}
const { privateKey } = await generated();
const jwk = { ...(await exportJWK(privateKey)), kid: values.kid ?? `test-${values.alg.toLowerCase()}`, alg: values.alg, use: 'sig' };

function accountFor(login) {
  const unverified = login.startsWith('unverified:');
  const email = unverified ? login.slice('unverified:'.length) : login;
  const claims = { sub: login };
  if (email.includes('@')) {
    claims.email = email;
    claims.email_verified = !unverified;
    claims.name = email.split('@')[0].replace(/^./, (c) => c.toUpperCase());
  }
  return claims;
}

const server = http.createServer();
await new Promise((resolve) => server.listen(Number(values.port), '127.0.0.1', resolve));
const issuer = `http://127.0.0.1:${server.address().port}`;

const provider = new Provider(issuer, {
  clients: [{
    client_id: values['client-id'],
    client_secret: values['client-secret'],
    redirect_uris: values['redirect-uri'],
    response_types: ['code'],
    grant_types: ['authorization_code'],
    id_token_signed_response_alg: values.alg,
    token_endpoint_auth_method: 'client_secret_basic',
  }],
  jwks: { keys: [jwk] },
  findAccount: async (ctx, id) => ({ accountId: id, claims: async () => accountFor(id) }),
  claims: { openid: ['sub'], email: ['email', 'email_verified'], profile: ['name'] },
  features: { devInteractions: { enabled: true } },
  pkce: { required: () => true },
  cookies: { keys: ['a test cookie key, not a secret'] },
  // false: scope claims go in the ID token too, as Google and Microsoft do.
  conformIdTokenClaims: values['userinfo-only'],
  enabledJWA: { idTokenSigningAlgValues: [values.alg] },
});
provider.on('server_error', (ctx, error) => console.error('oidc-provider error:', error));
server.on('request', provider.callback());

console.log(JSON.stringify({ issuer }));
process.on('SIGTERM', () => server.close(() => process.exit(0)));
