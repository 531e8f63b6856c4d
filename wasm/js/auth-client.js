// AuthClient: signs in against a Latchkey server and keeps the session alive.
// It performs I/O only (fetch, timers, storage, locks); WHEN to refresh, how
// long to back off and whether a failure ends the session are decided by the
// core's state machine (refresh-machine.js).
//
// Session end: a terminal refresh failure (refresh_token_reused, _expired,
// _invalid, session_revoked, user_disabled...) clears storage and emits
// SESSION_EXPIRED, then SIGNED_OUT, once; the failing call throws the
// AuthError. Nothing retries after that until the next login.
import { init } from './core.js';
import { AuthError, errorFromResponse, networkError } from './errors.js';
import { decodeToken } from './decode.js';
import { decideRefresh, initialRefreshState } from './refresh-machine.js';
import { defaultStorage, readRecord, writeRecord, removeRecord } from './storage.js';
import { withSessionLock, sessionChannel } from './coordination.js';
import { scheduleTimer } from './timer.js';
import { MfaApi } from './mfa.js';

function issuedAt(session) {
  try {
    const { claims } = decodeToken(session.access_token);
    if (Number.isFinite(claims.iat)) return claims.iat;
  } catch {
    // opaque access token: fall back to the response's numbers
  }
  return session.expires_at - session.expires_in;
}

function serverDateMs(response) {
  const date = response.headers.get('date');
  const ms = date ? Date.parse(date) : NaN;
  return Number.isFinite(ms) ? ms : undefined;
}

function sessionFrom(body) {
  const { access_token, refresh_token, token_type, expires_in, expires_at, user } = body;
  return { access_token, refresh_token, token_type, expires_in, expires_at, user };
}

// How long a tab that waited for another tab's refresh listens for its news
// before refreshing itself (see _refreshLocked).
const CROSS_TAB_GRACE_MS = 300;
// A refresh runs under the session lock, so it must end: after this it counts
// as a network error (retried with backoff).
const REFRESH_TIMEOUT_MS = 20_000;

const userFrom = (body) => (body && typeof body.user === 'object' && body.id === undefined ? body.user : body);

export class AuthClient {
  /**
   * @param {{baseUrl: string, storage?: object, storageKey?: string, autoRefresh?: boolean,
   *          fetch?: typeof fetch, now?: () => number, random?: () => number, refreshPolicy?: object}} options
   */
  constructor({ baseUrl, storage, storageKey = 'latchkey.session', autoRefresh = true, fetch: fetchImpl, now, random, refreshPolicy } = {}) {
    if (typeof baseUrl !== 'string' || !baseUrl) throw new AuthError('invalid_argument', 'baseUrl is required');
    this._base = baseUrl.replace(/\/+$/, '');
    this._storage = storage ?? defaultStorage();
    this._key = storageKey;
    this._autoRefresh = autoRefresh;
    // Called as a plain function: window.fetch throws "Illegal invocation" when
    // called as a method of another object.
    this._fetch = fetchImpl ? (...args) => fetchImpl(...args) : (...args) => globalThis.fetch(...args);
    this._now = now ?? Date.now;
    this._random = random ?? Math.random;
    this._policy = refreshPolicy ?? {};
    this._session = null;
    this._state = initialRefreshState();
    this._listeners = new Set();
    this._refreshing = null; // single flight within this client
    this._lastFailure = null;
    this._timer = null;
    this._nextRefreshAtMs = null; // when the timer below fires (see nextRefreshAt)
    this._loaded = null;
    this._changeWaiters = new Set();
    this._mfaPending = null; // {mfa_token, expires_at, factors} between the two steps of a sign-in
    /** The second factor: enroll, verify, challenge, listFactors, unenroll, getAuthenticatorAssuranceLevel. */
    this.mfa = new MfaApi(this);
    /** Passkeys of the signed-in user: register, list, rename, remove (passkeys.js loads on the first register). */
    this.passkeys = {
      register: async (options) => (await import('./passkeys.js')).register(this, options),
      list: async () => (await this.request('/auth/passkeys')).passkeys,
      rename: async (id, name) =>
        this.request(`/auth/passkeys/${encodeURIComponent(id)}`, { method: 'PATCH', body: { name } }),
      remove: async (id, { currentPassword } = {}) => {
        const body = currentPassword === undefined ? undefined : { current_password: currentPassword };
        await this.request(`/auth/passkeys/${encodeURIComponent(id)}`, { method: 'DELETE', body });
      },
    };
    this._channel = sessionChannel(this._storage, this._key, (message) => this._onStoredChange(message));
    this._onVisible = () => {
      if (document.visibilityState === 'visible') this._decideAndSchedule({ kind: 'visible' });
    };
    if (typeof document === 'object' && typeof document.addEventListener === 'function') {
      document.addEventListener('visibilitychange', this._onVisible);
    }
  }

  // ---- public API (contract 4) ----

  async signup({ email, password, name } = {}) {
    await this._load();
    const body = name === undefined ? { email, password } : { email, password, name };
    const { json, response } = await this._call('/auth/signup', { method: 'POST', body, auth: false });
    if (typeof json?.access_token !== 'string') return null; // e.g. email verification required
    return this._signedIn(json, response);
  }

  async login({ email, password } = {}) {
    await this._load();
    const { json, response } = await this._call('/auth/login', { method: 'POST', body: { email, password }, auth: false });
    if (json?.mfa_required === true) return this._mfaRequired(json);
    return this._signedIn(json, response);
  }

  /** Signs in with a passkey ({email?, mediation?, signal?}): {session} | {mfaRequired, factors, expiresAt}. */
  async signInWithPasskey(options) {
    await this._load();
    return (await import('./passkeys.js')).signInWithPasskey(this, options);
  }

  // Social sign-in (oauth.js, loaded on first use).
  /** Starts a sign-in at a provider: {url}, and the browser goes there unless skipBrowserRedirect. */
  async signInWithOAuth(options) {
    await this._load();
    return (await import('./oauth.js')).signInWithOAuth(this, options);
  }

  /** Finishes a sign-in on the page the provider returned to: {session} | {mfaRequired, ...} | {linked} | null. */
  async handleOAuthReturn(options = {}) {
    // Most page loads are not a return: answer without loading oauth.js.
    const href = options.url ?? (typeof window === 'object' ? window.location.href : '');
    const fragment = new URLSearchParams(href.includes('#') ? href.slice(href.indexOf('#') + 1) : '');
    if (!['code', 'error', 'linked'].some((key) => fragment.has(key))) return null;
    await this._load();
    return (await import('./oauth.js')).handleOAuthReturn(this, options);
  }

  /** Links another provider to the signed-in user (currentPassword, or a recent sign-in): {url}. */
  async linkIdentity(options) {
    await this._load();
    return (await import('./oauth.js')).linkIdentity(this, options);
  }

  /** Removes a linked identity; never the last way to sign in (last_sign_in_method). */
  async unlinkIdentity({ identityId, currentPassword } = {}) {
    const body = currentPassword === undefined ? undefined : { current_password: currentPassword };
    await this.request(`/auth/identities/${encodeURIComponent(identityId)}`, { method: 'DELETE', body });
  }

  /** The providers linked to the signed-in user. */
  async getUserIdentities() {
    return (await this.request('/auth/identities')).identities;
  }

  /** The server's configured providers, for sign-in buttons: [{id, name}]. */
  async getProviders() {
    return (await this.request('/auth/providers', { auth: false })).providers;
  }

  /** scope 'local' (this session), 'others' (keep this one) or 'global'. */
  async logout({ scope = 'local' } = {}) {
    await this._load();
    if (this._session) {
      try {
        await this._call('/auth/logout', { method: 'POST', body: { scope }, auth: true, retry: false });
      } catch (error) {
        // Local sign-out must work offline and with a dead session; others/global must not pretend.
        if (scope !== 'local') throw error;
      }
    }
    if (scope !== 'others') await this._endSession(null);
  }

  /** A refreshed session, whatever its token's age. */
  async refresh() {
    await this._load();
    if (!this._session) throw new AuthError('session_missing');
    return this._refreshSingleFlight(this._session.refresh_token);
  }

  /** The current session, refreshed first when it is about to expire; null when signed out. */
  async getSession() {
    await this._load();
    if (!this._session) return null;
    try {
      await this._accessToken();
    } catch (error) {
      if (!this._session) return null;
      if (!(error instanceof AuthError) || this._decide({ kind: 'request' }).token_expired) throw error;
    }
    return this._session;
  }

  async getUser() {
    const user = userFrom(await this.request('/auth/me'));
    await this._updateStoredUser(user);
    return user;
  }

  async updateUser(changes = {}) {
    // A new email needs proof of presence: the current password, sent as current_password.
    const { currentPassword, ...fields } = changes;
    const body = currentPassword === undefined ? fields : { ...fields, current_password: currentPassword };
    const user = userFrom(await this.request('/auth/me', { method: 'PATCH', body }));
    await this._updateStoredUser(user);
    this._emit('USER_UPDATED', this._session);
    return user;
  }

  /** JSON call against baseUrl: parsed JSON, null on 204; throws AuthError on an error status. */
  async request(path, { method = 'GET', body, auth = true, headers } = {}) {
    return (await this._call(path, { method, body, auth, headers })).json;
  }

  /** fetch() with the bearer token: refreshes first when due, retries once after a refresh on 401. */
  async fetch(input, init = {}) {
    const target = typeof input === 'string' && input.startsWith('/') ? this._base + input : input;
    return this._authorized((token) => {
      const headers = new Headers(init.headers ?? (input instanceof Request ? input.headers : undefined));
      headers.set('Authorization', `Bearer ${token}`);
      return this._send(target, { ...init, headers });
    });
  }

  /** cb(event, session) for INITIAL_SESSION, SIGNED_IN, TOKEN_REFRESHED, USER_UPDATED, MFA_CHALLENGE, MFA_CHALLENGE_VERIFIED, SESSION_EXPIRED, SIGNED_OUT. */
  onAuthStateChange(callback) {
    const listener = { callback };
    this._listeners.add(listener);
    this._load().then(() => {
      if (this._listeners.has(listener)) callback('INITIAL_SESSION', this._session);
    }, () => {});
    return () => this._listeners.delete(listener);
  }

  /**
   * When this client will next refresh on its own, in ms since the epoch on
   * this machine's clock (compare with Date.now()): the moment the core's
   * refresh schedule chose, or the retry after a failed refresh. null when no
   * refresh is scheduled (signed out, or autoRefresh off).
   * @returns {number | null}
   */
  get nextRefreshAt() {
    return this._nextRefreshAtMs;
  }

  /** Stops timers and listeners (a client you drop needs no close in Node: its timer is unref'd). */
  close() {
    this._timer?.cancel();
    this._timer = null;
    this._nextRefreshAtMs = null;
    this._channel.close();
    if (typeof document === 'object' && typeof document.removeEventListener === 'function') {
      document.removeEventListener('visibilitychange', this._onVisible);
    }
    this._listeners.clear();
  }

  // ---- session state ----

  // Loads the wasm if the app has not yet (init() is idempotent) and reads
  // the stored session, once; a failure is not remembered, the next call retries.
  _load() {
    this._loaded ??= init()
      .then(() => readRecord(this._storage, this._key))
      .then((record) => {
        if (record && !this._session) this._adopt(record);
      })
      .catch((error) => {
        this._loaded = null;
        throw error;
      });
    return this._loaded;
  }

  // Takes over a stored record (ours from an earlier run, or another client's),
  // with the clock offset estimated when its tokens arrived.
  _adopt(record) {
    this._session = record.session;
    this._state = { ...initialRefreshState(), has_session: true, offset_ms: record.offset_ms ?? 0 };
    this._decideAndSchedule({
      kind: 'other_tab_refreshed',
      expires_at: record.session.expires_at,
      issued_at: issuedAt(record.session),
    });
  }

  // A first step that needs the second factor: client.mfa.challenge() finishes it.
  _mfaRequired(json) {
    const expiresAt = json.expires_at ?? Math.floor(this._now() / 1000) + (json.expires_in ?? 0);
    this._mfaPending = { mfa_token: json.mfa_token, expires_at: expiresAt, factors: json.factors };
    this._emit('MFA_CHALLENGE', null);
    return { mfaRequired: true, factors: json.factors, expiresAt };
  }

  async _signedIn(json, response) {
    const session = sessionFrom(json);
    this._lastFailure = null;
    this._decideAndSchedule({
      kind: 'tokens_received',
      expires_at: session.expires_at,
      issued_at: issuedAt(session),
      server_date_ms: serverDateMs(response),
    });
    this._session = session;
    const record = { session, offset_ms: this._state.offset_ms };
    await withSessionLock(this._storage, this._key, () => writeRecord(this._storage, this._key, record));
    this._channel.notify({ record });
    this._emit('SIGNED_IN', session);
    return session;
  }

  // A new access token for the same session (a second factor verified while
  // signed in): the refresh token stays.
  async _steppedUp(json, response) {
    const session = { ...this._session, ...sessionFrom(json), refresh_token: this._session.refresh_token };
    this._decideAndSchedule({
      kind: 'tokens_received',
      expires_at: session.expires_at,
      issued_at: issuedAt(session),
      server_date_ms: serverDateMs(response),
    });
    this._session = session;
    const record = { session, offset_ms: this._state.offset_ms };
    await withSessionLock(this._storage, this._key, () => writeRecord(this._storage, this._key, record));
    this._channel.notify({ record });
    this._emit('MFA_CHALLENGE_VERIFIED', session);
    return session;
  }

  // quiet: another client already cleared storage and told everyone.
  async _endSession(expiredCode, { quiet = false } = {}) {
    this._timer?.cancel();
    this._timer = null;
    this._nextRefreshAtMs = null;
    const had = this._session !== null;
    this._session = null;
    this._state = expiredCode ? { ...this._state, signed_out: true, last_error: expiredCode } : initialRefreshState();
    if (!quiet) {
      await removeRecord(this._storage, this._key);
      this._channel.notify({ record: null });
    }
    if (!had) return;
    if (expiredCode) this._emit('SESSION_EXPIRED', null);
    this._emit('SIGNED_OUT', null);
  }

  // Only the user part changes, under the lock and on the stored record:
  // writing back our whole session could undo another client's rotation.
  async _updateStoredUser(user) {
    if (!this._session || !user || typeof user !== 'object') return;
    this._session = { ...this._session, user };
    await withSessionLock(this._storage, this._key, async () => {
      const record = await readRecord(this._storage, this._key);
      if (record) await writeRecord(this._storage, this._key, { ...record, session: { ...record.session, user } });
    });
  }

  // Another client changed the stored session (refresh, login, logout) and
  // says so with the new record ({record: null} after a sign-out).
  // Resolves at the next change message, or after timeoutMs.
  _nextChange(timeoutMs) {
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this._changeWaiters.delete(done);
        resolve();
      };
      const timer = setTimeout(done, timeoutMs);
      this._changeWaiters.add(done);
    });
  }

  async _onStoredChange(message) {
    try {
      await this._load(); // a tab still loading the wasm hears its neighbours too
    } catch {
      return;
    }
    const record = message && 'record' in message ? message.record : await readRecord(this._storage, this._key);
    if (!record) {
      if (this._session) await this._endSession(null, { quiet: true });
      for (const waiter of [...this._changeWaiters]) waiter();
      return;
    }
    if (record.session.refresh_token === this._session?.refresh_token) return;
    const signedIn = !this._session;
    this._adopt(record);
    this._emit(signedIn ? 'SIGNED_IN' : 'TOKEN_REFRESHED', this._session);
    for (const waiter of [...this._changeWaiters]) waiter();
  }

  _emit(event, session) {
    for (const { callback } of [...this._listeners]) {
      try {
        callback(event, session);
      } catch {
        // a listener's bug must not break the client
      }
    }
  }

  // ---- decisions ----

  _decide(event) {
    const withJitter = event.kind === 'refresh_failed' || event.kind === 'network_error' ? { jitter: this._random(), ...event } : event;
    const { state, decision } = decideRefresh(this._state, withJitter, this._now(), this._policy);
    this._state = state;
    return decision;
  }

  _decideAndSchedule(event) {
    const decision = this._decide(event);
    this._schedule(decision);
    return decision;
  }

  // autoRefresh: one timer at the moment the core names.
  _schedule(decision) {
    this._timer?.cancel();
    this._timer = null;
    this._nextRefreshAtMs = null;
    if (!this._autoRefresh || !['wait_until', 'retry_after', 'use_token', 'refresh_now'].includes(decision.action)) return;
    const delay = Math.max(0, decision.at_ms - this._now());
    this._nextRefreshAtMs = this._now() + delay;
    this._timer = scheduleTimer(delay, () => this._onTimer());
  }

  async _onTimer() {
    this._timer = null;
    this._nextRefreshAtMs = null;
    const decision = this._decideAndSchedule({ kind: 'timer' });
    if (decision.action === 'refresh_now' && this._session) {
      await this._refreshSingleFlight(this._session.refresh_token).catch(() => {});
    }
  }

  // A token good for a request now, refreshing first when the core says so.
  async _accessToken() {
    await this._load();
    const decision = this._decide({ kind: 'request' });
    switch (decision.action) {
      case 'use_token':
        return this._session.access_token;
      case 'refresh_now':
        return (await this._refreshSingleFlight(this._session.refresh_token)).access_token;
      case 'session_over':
        throw new AuthError(decision.code === 'ok' ? 'session_missing' : decision.code);
      default: // retry_after with an expired token: the last failure stands
        throw this._lastFailure ?? new AuthError('network_error');
    }
  }

  // ---- refreshing ----

  // One refresh per client at a time; the lock makes it one across clients.
  _refreshSingleFlight(presented) {
    this._refreshing ??= withSessionLock(this._storage, this._key, (lock) => this._refreshLocked(presented, lock)).finally(() => {
      this._refreshing = null;
    });
    return this._refreshing;
  }

  async _refreshLocked(presented, { contended, crossTab }) {
    if (!this._session) throw new AuthError('session_missing'); // ended while we waited
    // A message from the lock's previous holder may already have brought its
    // result (in browsers it can beat the localStorage write to this tab).
    if (this._session.refresh_token !== presented) return this._session;
    let record = await readRecord(this._storage, this._key);
    if (contended && crossTab && record?.session.refresh_token === presented) {
      // Another tab held the lock and this tab has not heard of a change:
      // its message may still be on the way. Wait for it, briefly.
      await this._nextChange(CROSS_TAB_GRACE_MS);
      if (!this._session) throw new AuthError('session_missing');
      if (this._session.refresh_token !== presented) return this._session;
      record = await readRecord(this._storage, this._key);
    }
    if (!record) {
      await this._endSession(null);
      throw new AuthError('session_missing');
    }
    if (record.session.refresh_token !== presented) {
      // Another client rotated it while we waited: use its result.
      if (record.session.refresh_token !== this._session?.refresh_token) {
        this._adopt(record);
        this._emit('TOKEN_REFRESHED', this._session);
      }
      return this._session;
    }
    let response;
    try {
      response = await this._send(`${this._base}/auth/refresh`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ refresh_token: presented }),
        // The lock is held meanwhile: a hung request must not stall every tab.
        signal: AbortSignal.timeout?.(REFRESH_TIMEOUT_MS),
      });
    } catch (error) {
      this._lastFailure = error;
      this._decideAndSchedule({ kind: 'network_error' });
      throw error;
    }
    if (!response.ok) {
      const error = await errorFromResponse(response);
      this._lastFailure = error;
      const retryAfter = Number(response.headers.get('retry-after'));
      const decision = this._decideAndSchedule({
        kind: 'refresh_failed',
        code: error.code,
        ...(Number.isFinite(retryAfter) && retryAfter > 0 ? { retry_after_seconds: retryAfter } : {}),
      });
      if (decision.action === 'session_over') await this._endSession(error.code);
      throw error;
    }
    const session = sessionFrom(await response.json());
    this._lastFailure = null;
    this._session = session;
    this._decideAndSchedule({
      kind: 'tokens_received',
      expires_at: session.expires_at,
      issued_at: issuedAt(session),
      server_date_ms: serverDateMs(response),
    });
    const stored = { session, offset_ms: this._state.offset_ms };
    await writeRecord(this._storage, this._key, stored);
    this._channel.notify({ record: stored });
    this._emit('TOKEN_REFRESHED', session);
    return session;
  }

  // ---- HTTP ----

  async _send(url, init) {
    try {
      return await this._fetch(url, init);
    } catch (error) {
      throw (await this._corsRefusal(url, error)) ?? networkError(error);
    }
  }

  // A browser hides why a cross-origin request failed: fetch rejects with a
  // TypeError whether the server is down or did not allow this page's origin.
  // A no-cors request reaches the server without asking it, so when that one
  // gets through, the server is up and CORS is what stopped the first.
  async _corsRefusal(url, error) {
    const pageOrigin = globalThis.location?.origin;
    if (!(error instanceof TypeError) || typeof pageOrigin !== 'string' || !pageOrigin.startsWith('http')) return null;
    let target;
    try {
      target = new URL(url, globalThis.location.href).origin;
    } catch {
      return null;
    }
    if (target === pageOrigin) return null;
    try {
      await this._fetch(url, { method: 'GET', mode: 'no-cors', cache: 'no-store', credentials: 'omit' });
    } catch {
      return null; // unreachable: a network error after all
    }
    const refusal = new AuthError('origin_not_allowed', {
      message:
        `The server at ${target} answered but does not allow requests from ${pageOrigin}. ` +
        `Start it with --cors-origin ${pageOrigin} (or --dev, which allows http://localhost:* and http://127.0.0.1:*).`,
      status: 0,
      details: { origin: pageOrigin, server: target, flag: '--cors-origin' },
    });
    refusal.cause = error;
    return refusal;
  }

  // Runs send(token); on 401, refreshes (unless another call already did) and tries once more.
  async _authorized(send, { retry = true } = {}) {
    const token = await this._accessToken();
    const response = await send(token);
    if (response.status !== 401 || !retry || !this._session) return response;
    if (this._session.access_token === token) await this._refreshSingleFlight(this._session.refresh_token);
    return send(this._session.access_token);
  }

  async _call(path, { method = 'GET', body, auth = true, headers = {}, retry = true }) {
    const init = { method, headers: { Accept: 'application/json', ...headers } };
    if (body !== undefined) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(body);
    }
    const url = this._base + path;
    const response = auth
      ? await this._authorized((token) => this._send(url, { ...init, headers: { ...init.headers, Authorization: `Bearer ${token}` } }), { retry })
      : await this._send(url, init);
    if (!response.ok) throw await errorFromResponse(response);
    const text = response.status === 204 ? '' : await response.text();
    return { response, json: text ? JSON.parse(text) : null };
  }
}
