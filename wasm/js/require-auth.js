// requireAuth: protect a Node API with Latchkey access tokens. Framework-
// neutral at its core (an Authorization header in, a verdict out), with an
// Express adapter (`.express`). Built on createVerifier: the same wasm core
// the server signs with checks signature, typ, iss, aud, exp and nbf, with
// the JWKS fetched from jwksUrl and refetched for an unknown kid.
import { init } from './core.js';
import { AuthError } from './errors.js';
import { createVerifier } from './verifier.js';

const BEARER = /^Bearer ([A-Za-z0-9\-_.~+/]+=*)$/i;

function refusal(status, error, message) {
  // RFC 6750 §3: the challenge names the error; 403 is insufficient_scope, or
  // RFC 9470's insufficient_user_authentication when a second factor is missing.
  const kind = error === 'insufficient_aal' ? 'insufficient_user_authentication'
    : status === 403 ? 'insufficient_scope' : error === 'token_missing' ? null : 'invalid_token';
  const challenge = kind ? `Bearer error="${kind}", error_description="${error}"` : 'Bearer';
  return { ok: false, status, error, message, headers: { 'WWW-Authenticate': challenge } };
}

/**
 * @param {{jwksUrl?: string, jwks?: object, audience?: string | string[], issuer?: string,
 *          roles?: string[], roleClaim?: string, typ?: string | null, leewaySeconds?: number,
 *          requiredAal?: 'aal1' | 'aal2' | 'aal3',
 *          algorithms?: string[], fetch?: typeof fetch, now?: () => number}} options
 */
export function requireAuth(options = {}) {
  const { roles, roleClaim = 'role', typ = 'at+jwt', ...verifierOptions } = options;
  if (roles !== undefined && (!Array.isArray(roles) || roles.some((r) => typeof r !== 'string'))) {
    throw new AuthError('invalid_argument', { message: 'requireAuth: option "roles" must be an array of strings', details: { option: 'roles' } });
  }
  if (verifierOptions.jwksUrl === undefined && verifierOptions.jwks === undefined) {
    throw new AuthError('verifier_config_invalid', { message: 'requireAuth: give option "jwksUrl" (or "jwks")', details: { option: 'jwksUrl' } });
  }
  // Built once the wasm is loaded; a bad option rejects here, at the first check and at `ready`.
  const verifier = init().then(() => createVerifier({ ...verifierOptions, ...(typ ? { typ } : {}) }));
  verifier.catch(() => {}); // reported through check() and ready, not as an unhandled rejection

  /**
   * The verdict for one request: {ok: true, claims, token} or
   * {ok: false, status: 401 | 403, error, message, headers}.
   * @param {string | undefined | null | {headers?: object}} authorization the header's value, or a request
   */
  async function check(authorization) {
    const header = typeof authorization === 'object' && authorization !== null
      ? authorization.headers?.authorization ?? authorization.headers?.get?.('authorization')
      : authorization;
    const v = await verifier;
    if (typeof header !== 'string' || header === '') return refusal(401, 'token_missing', 'An access token is required.');
    const match = BEARER.exec(header.trim());
    if (!match) return refusal(401, 'token_malformed', 'The Authorization header is not "Bearer <token>".');
    const verdict = await v.verify(match[1]);
    if (verdict.code === 'insufficient_aal') {
      return refusal(403, verdict.code, 'This needs a second factor: complete the MFA challenge first.');
    }
    if (!verdict.valid) return refusal(401, verdict.code, 'The access token is not valid.');
    if (roles && !roles.includes(verdict.claims[roleClaim])) {
      return refusal(403, 'forbidden', `This needs the role ${roles.join(' or ')}.`);
    }
    return { ok: true, claims: verdict.claims, token: match[1] };
  }

  /** Express (and Connect) middleware: req.auth = {claims, token}, or the refusal as JSON. */
  function express(req, res, next) {
    check(req.headers?.authorization).then(
      (result) => {
        if (result.ok) {
          req.auth = { claims: result.claims, token: result.token };
          return next();
        }
        res.status(result.status).set(result.headers).json({ error: result.error, message: result.message });
      },
      (error) => next(error),
    );
  }

  return {
    check,
    express,
    /** Resolves once the verifier is built; rejects with the configuration's AuthError. */
    ready: verifier.then(() => undefined),
    async dispose() {
      (await verifier.catch(() => null))?.dispose();
    },
  };
}
