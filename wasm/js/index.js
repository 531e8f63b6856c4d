// The latchkey package: offline token verification, the password strength
// meter and a refreshing auth client, all on the wasm build of the core.
// `await init()` once, then verification and AuthClient may be used;
// `await init({ tools: true })` also loads the strength meter, signing and
// password hashing (a larger module of their own, loaded only on request).
// A verifier allowing RS256, PS256 or ES256 uses the pk module, loaded on
// demand by a jwksUrl verifier or by `await init({ pk: true })`.
export { init, loadTools, loadPk } from './core.js';
export { AuthError } from './errors.js';
export { decodeToken } from './decode.js';
export { createVerifier } from './verifier.js';
export { verifyPasskeyRegistration, verifyPasskeyAssertion } from './passkey-checks.js';
export { requireAuth } from './require-auth.js';
export { passwordStrength, estimateStrength, checkPassword, passwordPolicy } from './password.js';
export { AuthClient } from './auth-client.js';
export { memoryStorage } from './storage.js';
export {
  signJwt,
  generateEd25519Jwk,
  publicJwk,
  jwkThumbprint,
  hashPassword,
  verifyPassword,
  needsRehash,
  errorTable,
  primitives,
} from './primitives.js';
