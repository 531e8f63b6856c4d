// The minimal JS entry of the latchkey package: loads the wasm core once and
// exposes its token, key and password functions. Every call copies its inputs
// into wasm memory and its result out (embind strings); nothing returned here
// is a view into wasm memory. The full client API builds on this later.
import createLatchkeyCore from '../dist/latchkey_core.mjs';

const wasmUrl = new URL('../dist/latchkey_core.wasm', import.meta.url);
let loading = null;
let core = null;

/** An error from the core, with a stable code from the shared error table. */
export class AuthError extends Error {
  constructor(code, message) {
    super(message ?? code);
    this.name = 'AuthError';
    this.code = code;
  }
}

const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

async function readWasm() {
  if (isNode) {
    const { readFile } = await import('node:fs/promises');
    return readFile(wasmUrl);
  }
  const response = await fetch(wasmUrl);
  if (!response.ok) throw new AuthError('internal_error', `cannot load ${wasmUrl}: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

async function randomSource() {
  if (globalThis.crypto?.getRandomValues) return globalThis.crypto;
  if (isNode) return (await import('node:crypto')).webcrypto;  // Node 18 without the global
  throw new AuthError('internal_error', 'no crypto.getRandomValues in this environment');
}

async function load(options) {
  const [wasmBinary, random] = await Promise.all([options.wasmBinary ?? readWasm(), randomSource()]);
  const word = new Uint32Array(1);
  core = await createLatchkeyCore({
    wasmBinary,
    // libsodium's randombytes asks the module for entropy, one word at a time.
    getRandomValue() {
      random.getRandomValues(word);
      return word[0];
    },
  });
}

/** Loads the wasm module. Idempotent: every call returns the same promise. */
export function init(options = {}) {
  loading ??= load(options).catch((error) => {
    loading = null;
    throw error;
  });
  return loading;
}

function ready() {
  if (!core) throw new AuthError('not_initialized', 'call and await init() first');
  return core;
}

function unwrap(json) {
  const result = JSON.parse(json);
  if (!result.ok) throw new AuthError(result.code);
  return result;
}

const nowSeconds = () => Math.floor(Date.now() / 1000);

// Frees verifiers that were dropped without dispose().
const finalizer = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((handle) => handle.delete()) : null;

/**
 * Builds a verifier once from a config ({algorithms, jwks, issuer, audience,
 * leeway_seconds, required_claims, typ, max_token_bytes, max_json_depth}).
 * Throws AuthError for an invalid config.
 */
export function createVerifier(config) {
  const handle = new (ready().VerifierHandle)(JSON.stringify(config));
  const status = handle.status();
  if (status !== 'ok') {
    handle.delete();
    throw new AuthError(status);
  }
  const owner = {};
  finalizer?.register(owner, handle, owner);
  let disposed = false;
  return Object.assign(owner, {
    /** {valid: true, header, claims} or {valid: false, code}. `now` in seconds. */
    verify(token, now = nowSeconds()) {
      if (disposed) throw new AuthError('invalid_argument', 'verifier disposed');
      if (typeof token !== 'string') return { valid: false, code: 'token_malformed' };
      const result = JSON.parse(handle.verify(token, now));
      return result.ok ? { valid: true, header: result.header, claims: result.claims } : { valid: false, code: result.code };
    },
    dispose() {
      if (disposed) return;
      disposed = true;
      finalizer?.unregister(owner);
      handle.delete();
    },
  });
}

/** Signs claims with a private JWK (Ed25519 or oct). Returns the compact JWT. */
export function signJwt(privateJwk, claims, { typ = 'at+jwt' } = {}) {
  return unwrap(ready().signJwt(JSON.stringify(privateJwk), typ, JSON.stringify(claims))).token;
}

/** A new Ed25519 private JWK, kid = RFC 7638 thumbprint. */
export function generateEd25519Jwk() {
  return JSON.parse(ready().generateEd25519Jwk());
}

/** The public form of a JWK: an Ed25519 key without `d`. */
export function publicJwk(jwk) {
  return unwrap(ready().publicJwk(JSON.stringify(jwk))).jwk;
}

export function jwkThumbprint(jwk) {
  return unwrap(ready().jwkThumbprint(JSON.stringify(jwk))).thumbprint;
}

/** Argon2id hash; defaults are OWASP's t=2, m=19 MiB, p=1. */
export function hashPassword(password, { iterations = 2, memoryKib = 19 * 1024 } = {}) {
  return unwrap(ready().hashPassword(password, iterations, memoryKib)).hash;
}

/** 'ok', 'password_mismatch' or 'password_hash_invalid'. */
export function verifyPassword(hash, password) {
  return ready().verifyPassword(hash, password);
}

export function needsRehash(hash, { iterations = 2, memoryKib = 19 * 1024 } = {}) {
  return unwrap(ready().needsRehash(hash, iterations, memoryKib)).needs_rehash;
}

const currentYear = () => new Date().getFullYear();

// A string with a lone surrogate has no UTF-8 form; embind would silently
// replace it, so the core would judge a different password. Refuse it here.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function text(value) {
  if (typeof value !== 'string') throw new AuthError('invalid_argument', 'expected a string');
  if (LONE_SURROGATE.test(value)) throw new AuthError('utf8_invalid');
  return value;
}
const texts = (list) => JSON.stringify(Array.from(list ?? [], text));

function strengthFromCore(r) {
  return {
    score: r.score,
    guesses: r.guesses,
    guessesLog10: r.guesses_log10,
    length: r.length,
    crackTimes: {
      onlineThrottled: r.crack_times_seconds.online_throttled,
      onlineUnthrottled: r.crack_times_seconds.online_unthrottled,
      offlineSlowHash: r.crack_times_seconds.offline_slow_hash,
      offlineFastHash: r.crack_times_seconds.offline_fast_hash,
    },
    feedback: r.feedback,
    sequence: r.sequence,
  };
}

/**
 * Strength estimate of a password, by the same code the server runs:
 * {score 0..4, guesses, guessesLog10, crackTimes (seconds), feedback:
 * {warning: {code, text} | null, suggestions: [{code, text}]}, sequence,
 * acceptable, reasons}. acceptable and reasons apply `policy` (default: the
 * default policy) with userInputs as context. Throws AuthError('utf8_invalid')
 * for a string with lone surrogates.
 */
export function passwordStrength(password, { userInputs = [], policy = {}, referenceYear = currentYear() } = {}) {
  const verdict = checkPassword(password, policy, { context: userInputs, referenceYear });
  if (verdict.strength) return { ...verdict.strength, acceptable: verdict.acceptable, reasons: verdict.reasons };
  // Too long to estimate: the policy already said no.
  const r = unwrap(ready().passwordStrength(text(password), texts(userInputs), referenceYear));
  return { ...strengthFromCore(r), acceptable: false, reasons: verdict.reasons };
}

/** The estimator alone: no policy, no normalisation. */
export function estimateStrength(password, { userInputs = [], referenceYear = currentYear() } = {}) {
  return strengthFromCore(unwrap(ready().passwordStrength(text(password), texts(userInputs), referenceYear)));
}

/**
 * Applies a password policy (as GET /auth/password-policy publishes it) to a
 * password: {acceptable, reasons: ['too_short' | 'too_long' | 'blocklisted' |
 * 'contains_context' | 'too_weak'], length, strength}.
 */
export function checkPassword(password, policy = {}, { context = [], referenceYear = currentYear() } = {}) {
  const r = unwrap(ready().checkPassword(text(password), JSON.stringify(policy), texts(context), referenceYear));
  return {
    acceptable: r.acceptable,
    reasons: r.reasons,
    length: r.length,
    strength: r.strength ? strengthFromCore(r.strength) : null,
  };
}

/** A policy with its defaults filled in; throws AuthError('password_policy_invalid'). */
export function passwordPolicy(policy = {}) {
  return unwrap(ready().passwordPolicy(JSON.stringify(policy))).policy;
}

/** The shared error table: [{code, http_status, message}]. */
export function errorTable() {
  return JSON.parse(ready().errorTable());
}

/**
 * Low-level primitives over hex strings, for the shared test vectors and
 * benchmarks: not a stable API.
 */
export const primitives = {
  ed25519Verify: (publicKeyHex, messageHex, signatureHex) => ready().ed25519VerifyHex(publicKeyHex, messageHex, signatureHex),
  ed25519Sign: (seedHex, messageHex) => ready().ed25519SignHex(seedHex, messageHex),
  hmacSha256: (keyHex, messageHex) => ready().hmacSha256Hex(keyHex, messageHex),
  sha256: (messageHex) => ready().sha256Hex(messageHex),
  base64UrlToHex: (text) => JSON.parse(ready().base64UrlToHex(text)),
  checkJson: (text, maxBytes, maxDepth) => ready().checkJson(text, maxBytes, maxDepth),
};
