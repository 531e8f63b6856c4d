// client.mfa: the second factor (TOTP and recovery codes) against a Latchkey
// server's /auth/mfa/* routes. A sign-in for a user with a factor resolves
// to {mfaRequired: true, factors} and emits MFA_CHALLENGE; challenge() then
// finishes it (SIGNED_IN, MFA_CHALLENGE_VERIFIED). On a signed-in session,
// challenge() steps it up to aal2 instead, keeping its refresh token.
import { AuthError } from './errors.js';
import { decodeToken } from './decode.js';

function claimsOf(session) {
  try {
    return decodeToken(session.access_token).claims;
  } catch {
    return {};
  }
}

export class MfaApi {
  /** @param {import('./auth-client.js').AuthClient} client */
  constructor(client) {
    this._client = client;
  }

  /** A new TOTP factor: {factor_id, factor, secret, otpauth_uri, qr_svg}. Needs the current password. */
  async enroll({ friendlyName, currentPassword } = {}) {
    const body = {};
    if (friendlyName !== undefined) body.friendly_name = friendlyName;
    if (currentPassword !== undefined) body.current_password = currentPassword;
    return this._client.request('/auth/mfa/totp/enroll', { method: 'POST', body });
  }

  /** The factor's first code: {factor, recovery_codes}; this session becomes aal2. */
  async verify({ factorId, code } = {}) {
    const { json, response } = await this._client._call('/auth/mfa/totp/verify',
      { method: 'POST', body: { factor_id: factorId, code }, auth: true });
    await this._client._steppedUp(json, response);
    return { factor: json.factor, recovery_codes: json.recovery_codes };
  }

  /**
   * A code from the app ({code}) or a recovery code ({recoveryCode}): finishes a pending sign-in, or steps the
   * current session up to aal2. Resolves to the session.
   */
  async challenge({ code, recoveryCode, factorId } = {}) {
    const client = this._client;
    await client._load();
    const answer = recoveryCode !== undefined ? { recovery_code: recoveryCode } : { code };
    if (factorId !== undefined) answer.factor_id = factorId;
    const pending = client._mfaPending;
    if (pending) {
      if (pending.expires_at * 1000 <= client._now()) {
        client._mfaPending = null;
        throw new AuthError('mfa_token_invalid');
      }
      const { json, response } = await client._call('/auth/mfa/challenge',
        { method: 'POST', body: { ...answer, mfa_token: pending.mfa_token }, auth: false });
      client._mfaPending = null;
      const session = await client._signedIn(json, response);
      client._emit('MFA_CHALLENGE_VERIFIED', session);
      return session;
    }
    if (!client._session) throw new AuthError('session_missing');
    const { json, response } = await client._call('/auth/mfa/challenge', { method: 'POST', body: answer, auth: true });
    return client._steppedUp(json, response);
  }

  /** {factors, recovery_codes_remaining, aal}. */
  async listFactors() {
    return this._client.request('/auth/mfa/factors');
  }

  /** Removes a factor (a verified one needs an aal2 session). */
  async unenroll({ factorId } = {}) {
    await this._client.request(`/auth/mfa/factors/${encodeURIComponent(factorId)}`, { method: 'DELETE' });
  }

  /** Ten new recovery codes (aal2); the old ones stop working. */
  async regenerateRecoveryCodes() {
    return (await this._client.request('/auth/mfa/recovery-codes', { method: 'POST' })).recovery_codes;
  }

  /**
   * Like supabase-js: {currentLevel, nextLevel, currentAuthenticationMethods}. nextLevel is aal2 when the user has a
   * verified factor (so a session at aal1 can step up), from the server's factor list.
   */
  async getAuthenticatorAssuranceLevel() {
    const client = this._client;
    await client._load();
    if (client._mfaPending) return { currentLevel: null, nextLevel: 'aal2', currentAuthenticationMethods: [] };
    if (!client._session) return { currentLevel: null, nextLevel: null, currentAuthenticationMethods: [] };
    const claims = claimsOf(client._session);
    const { factors } = await this.listFactors();
    const enrolled = factors.some((factor) => factor.status === 'verified');
    return {
      currentLevel: claims.aal ?? 'aal1',
      nextLevel: enrolled ? 'aal2' : 'aal1',
      currentAuthenticationMethods: Array.isArray(claims.amr) ? claims.amr : [],
    };
  }
}
