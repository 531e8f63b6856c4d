// Keys, signing and password hashing of the core, plus low-level primitives
// over hex strings for the shared test vectors and benchmarks.
import { ready, readyTools, unwrap } from './core.js';

/** Signs claims with a private JWK (Ed25519 or oct). Returns the compact JWT. */
export function signJwt(privateJwk, claims, { typ = 'at+jwt' } = {}) {
  return unwrap(readyTools('signJwt').signJwt(JSON.stringify(privateJwk), typ, JSON.stringify(claims))).token;
}

/** A new Ed25519 private JWK, kid = RFC 7638 thumbprint. */
export function generateEd25519Jwk() {
  return JSON.parse(readyTools('generateEd25519Jwk').generateEd25519Jwk());
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
  return unwrap(readyTools('hashPassword').hashPassword(password, iterations, memoryKib)).hash;
}

/** 'ok', 'password_mismatch' or 'password_hash_invalid'. */
export function verifyPassword(hash, password) {
  return readyTools('verifyPassword').verifyPassword(hash, password);
}

export function needsRehash(hash, { iterations = 2, memoryKib = 19 * 1024 } = {}) {
  return unwrap(readyTools('needsRehash').needsRehash(hash, iterations, memoryKib)).needs_rehash;
}

/** The shared error table: [{code, http_status, message}]. */
export function errorTable() {
  return JSON.parse(ready().errorTable());
}

/** Not a stable API: for the shared test vectors and benchmarks. */
export const primitives = {
  ed25519Verify: (publicKeyHex, messageHex, signatureHex) => readyTools('primitives').ed25519VerifyHex(publicKeyHex, messageHex, signatureHex),
  ed25519Sign: (seedHex, messageHex) => readyTools('primitives.ed25519Sign').ed25519SignHex(seedHex, messageHex),
  hmacSha256: (keyHex, messageHex) => readyTools('primitives').hmacSha256Hex(keyHex, messageHex),
  sha256: (messageHex) => readyTools('primitives').sha256Hex(messageHex),
  totp: (keyHex, unixTime, algorithm, digits) => readyTools('primitives.totp').totpCode(keyHex, unixTime, algorithm, digits),
  base64UrlToHex: (text) => JSON.parse(readyTools('primitives').base64UrlToHex(text)),
  checkJson: (text, maxBytes, maxDepth) => readyTools('primitives').checkJson(text, maxBytes, maxDepth),
};
