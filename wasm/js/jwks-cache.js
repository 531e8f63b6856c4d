// A remote JWKS (e.g. https://auth.example/.well-known/jwks.json) kept in
// memory. Fresh for the response's Cache-Control max-age (bounded), then
// fetched again. A token with an unknown kid (a key rotation) may force a
// refetch, but at most one per cooldown interval, and concurrent callers share
// one fetch: a flood of forged kids cannot turn into a flood of requests.
import { AuthError, networkError } from './errors.js';

const DEFAULT_MAX_AGE_MS = 10 * 60_000;
const MAX_MAX_AGE_MS = 24 * 3600_000;

function maxAgeMs(response, fallbackMs) {
  const header = response.headers.get('cache-control') ?? '';
  if (/\bno-(store|cache)\b/i.test(header)) return 0;
  const match = /\bmax-age=(\d+)/i.exec(header);
  return match ? Math.min(Number(match[1]) * 1000, MAX_MAX_AGE_MS) : fallbackMs;
}

export class RemoteJwks {
  /**
   * @param {string | URL} url
   * @param {{fetch?: typeof fetch, now?: () => number, cooldownMs?: number, maxAgeMs?: number}} options
   */
  constructor(url, { fetch: fetchImpl, now = Date.now, cooldownMs = 30_000, maxAgeMs: fallback = DEFAULT_MAX_AGE_MS } = {}) {
    this.url = String(url);
    this.fetch = fetchImpl ? (...args) => fetchImpl(...args) : (...args) => globalThis.fetch(...args); // never as a method
    this.now = now;
    this.cooldownMs = cooldownMs;
    this.fallbackMaxAgeMs = fallback;
    this.jwks = null;
    this.version = 0; // bumps on every successful fetch
    this.fetchedAt = -Infinity;
    this.freshUntil = -Infinity;
    this.pending = null;
    this.fetches = 0; // for tests and metrics
  }

  /** The keys, fetched when missing or stale. */
  async keys() {
    if (this.jwks && this.now() < this.freshUntil) return this.jwks;
    return this.load();
  }

  /**
   * Called on an unknown kid: refetches unless one happened within the
   * cooldown. Resolves true when newer keys may be available.
   */
  async reloadForUnknownKid(seenVersion) {
    if (this.version !== seenVersion) return true; // someone else already reloaded
    if (this.pending) return this.pending.then(() => true, () => false);
    if (this.now() - this.fetchedAt < this.cooldownMs) return false;
    try {
      await this.load();
      return true;
    } catch {
      return false;
    }
  }

  load() {
    this.pending ??= this.fetchOnce().finally(() => {
      this.pending = null;
    });
    return this.pending;
  }

  async fetchOnce() {
    this.fetches += 1;
    let response;
    try {
      response = await this.fetch(this.url, { headers: { Accept: 'application/json' } });
    } catch (error) {
      this.fetchedAt = this.now(); // a failure also cools down
      throw networkError(error);
    }
    this.fetchedAt = this.now();
    if (!response.ok) throw new AuthError('jwk_invalid', { message: `JWKS: HTTP ${response.status}`, status: response.status });
    let jwks;
    try {
      jwks = await response.json();
    } catch {
      throw new AuthError('json_invalid', { message: 'JWKS is not JSON' });
    }
    if (!jwks || !Array.isArray(jwks.keys)) throw new AuthError('jwk_invalid', { message: 'JWKS has no keys array' });
    this.jwks = jwks;
    this.version += 1;
    this.freshUntil = this.fetchedAt + maxAgeMs(response, this.fallbackMaxAgeMs);
    return jwks;
  }
}
