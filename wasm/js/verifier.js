// createVerifier: offline verification of access tokens by the core.
// With `jwks` (a key set object) it is synchronous: verify() returns the
// verdict. With `jwksUrl` the keys are fetched (jwks-cache.js) and verify()
// returns a Promise of the verdict.
//
// RS256, PS256 and ES256 (OpenID providers' ID tokens) are in the pk module,
// which only a verifier allowing one of them loads: a remote verifier loads
// it on demand (its verify() is async anyway); a static one needs it loaded
// already (init({ pk: true }) or loadPk()), as its verify() is synchronous.
//
// Wasm memory: a verifier is a C++ object in wasm memory. The JS object owns
// it: dispose() frees it (a FinalizationRegistry frees forgotten ones), and a
// remote verifier deletes the old object when new keys replace it. Tokens and
// verdicts cross as strings that embind copies; no view escapes.
import { loadPk, loadedPk, ready } from './core.js';
import { AuthError } from './errors.js';
import { RemoteJwks } from './jwks-cache.js';

const finalizer = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((handle) => handle.delete()) : null;

// JS-side options; everything else goes to the core as is (it refuses unknown names).
function coreConfig(options, jwks) {
  const {
    jwks: _jwks, jwksUrl: _url, now: _now, fetch: _fetch, cooldownMs: _cooldown, maxAgeMs: _maxAge,
    leewaySeconds, requiredClaims, maxTokenBytes, maxJsonDepth, requiredAal, ...rest
  } = options;
  const config = { algorithms: ['EdDSA'], ...rest, jwks };
  if (leewaySeconds !== undefined) config.leeway_seconds = leewaySeconds;
  if (requiredClaims !== undefined) config.required_claims = requiredClaims;
  if (maxTokenBytes !== undefined) config.max_token_bytes = maxTokenBytes;
  if (maxJsonDepth !== undefined) config.max_json_depth = maxJsonDepth;
  if (requiredAal !== undefined) config.required_aal = requiredAal;
  for (const key of Object.keys(config)) if (config[key] === undefined) delete config[key];
  return config;
}

// The core names options as the JSON configuration does; JS callers use these.
const JS_NAMES = { leeway_seconds: 'leewaySeconds', required_claims: 'requiredClaims', max_token_bytes: 'maxTokenBytes', max_json_depth: 'maxJsonDepth', required_aal: 'requiredAal' };
const jsName = (name) => JS_NAMES[name] ?? name;

// verifier_config_invalid (or a key error) with the option at fault and why.
function configError(code, problem) {
  const option = jsName(problem.option ?? '');
  const reason = (problem.reason ?? '').replace(/"(\w+)"\?$/, (whole, name) => `"${jsName(name)}"?`);
  if (!reason) return new AuthError(code);
  const message = option ? `createVerifier: option "${option}" ${reason}` : `createVerifier: ${reason}`;
  return new AuthError(code, { message, details: { option, reason } });
}

const PK_ALGORITHMS = ['RS256', 'PS256', 'ES256'];
const needsPk = (options) => Array.isArray(options.algorithms) && options.algorithms.some((a) => PK_ALGORITHMS.includes(a));

// The module whose verifier handles the configuration's algorithms.
function moduleFor(config) {
  if (!needsPk(config)) return ready();
  const pk = loadedPk();
  if (!pk) {
    throw new AuthError('not_initialized', {
      message: 'RS256, PS256 and ES256 are in the pk module, loaded on demand: call and await init({ pk: true }) (or loadPk()) first, or verify with jwksUrl',
    });
  }
  return pk;
}

// A new wasm-side verifier; on any failure it is freed before the error leaves.
function newHandle(config) {
  const handle = new (moduleFor(config).VerifierHandle)(JSON.stringify(config));
  let kept = false;
  try {
    const status = handle.status();
    if (status !== 'ok') throw configError(status, JSON.parse(handle.problem()));
    kept = true;
    return handle;
  } finally {
    if (!kept) handle.delete();
  }
}

// The token goes in and the verdict comes out as strings that embind copies.
function verdict(handle, token, nowSeconds) {
  if (typeof token !== 'string') return { valid: false, code: 'token_malformed' };
  const result = JSON.parse(handle.verify(token, nowSeconds));
  return result.ok ? { valid: true, header: result.header, claims: result.claims } : { valid: false, code: result.code };
}

function clock(options) {
  const now = options.now ?? Date.now;
  return () => Math.floor(now() / 1000);
}

function staticVerifier(options) {
  let handle = newHandle(coreConfig(options, options.jwks));
  const owner = {};
  finalizer?.register(owner, handle, owner);
  const nowSeconds = clock(options);
  return Object.assign(owner, {
    /** {valid: true, header, claims} or {valid: false, code}. `now` in seconds overrides the clock. */
    verify(token, now = nowSeconds()) {
      if (!handle) throw new AuthError('invalid_argument', 'verifier disposed');
      return verdict(handle, token, now);
    },
    dispose() {
      if (!handle) return;
      finalizer?.unregister(owner);
      handle.delete();
      handle = null;
    },
  });
}

function remoteVerifier(options) {
  const remote = new RemoteJwks(options.jwksUrl, options);
  // A bad option fails now, not at the first fetch; with RS256/PS256/ES256
  // and the pk module still loading, at the first verify().
  let pkLoading = needsPk(options) && !loadedPk() ? loadPk() : null;
  if (!pkLoading) newHandle(coreConfig(options, { keys: [] })).delete();
  const nowSeconds = clock(options);
  const owner = {};
  let current = null; // {handle, version}
  let disposed = false;

  const install = (jwks) => {
    if (current?.version === remote.version) return current;
    const next = { handle: newHandle(coreConfig(options, jwks)), version: remote.version };
    if (current) {
      finalizer?.unregister(owner);
      current.handle.delete();
    }
    current = next;
    finalizer?.register(owner, next.handle, owner);
    return current;
  };

  Object.assign(owner, {
    /** Promise of {valid: true, header, claims} or {valid: false, code}. */
    async verify(token, now = nowSeconds()) {
      if (disposed) throw new AuthError('invalid_argument', 'verifier disposed');
      if (pkLoading) {
        await pkLoading;
        pkLoading = null;
      }
      let used = install(await remote.keys());
      let result = verdict(used.handle, token, now);
      if (result.code === 'token_key_not_found' && !disposed && (await remote.reloadForUnknownKid(used.version))) {
        used = install(remote.jwks);
        result = verdict(used.handle, token, now);
      }
      return result;
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      finalizer?.unregister(owner);
      current?.handle.delete();
      current = null;
    },
  });
  // A getter (Object.assign would copy a snapshot): how many times the JWKS was fetched.
  Object.defineProperty(owner, 'fetchCount', { get: () => remote.fetches, enumerable: true });
  return owner;
}

/**
 * A verifier built once from {jwks | jwksUrl, issuer, audience,
 * leewaySeconds, algorithms (default ['EdDSA']; RS256, PS256 and ES256 use
 * the pk module), typ, now}. Throws AuthError for an invalid config.
 */
export function createVerifier(options) {
  if (!options || typeof options !== 'object') {
    throw new AuthError('verifier_config_invalid', { message: 'createVerifier: the options must be an object', details: { option: '', reason: 'must be an object' } });
  }
  if (options.jwksUrl !== undefined) {
    if (options.jwks !== undefined) {
      throw new AuthError('verifier_config_invalid', { message: 'createVerifier: option "jwks" excludes "jwksUrl": give one of them', details: { option: 'jwks', reason: 'excludes jwksUrl' } });
    }
    return remoteVerifier(options);
  }
  return staticVerifier(options);
}
