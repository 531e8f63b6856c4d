// Passkeys for AuthClient, loaded on first use (the verify-and-refresh path
// does not carry it): navigator.credentials with the server's WebAuthn
// options, the binary members converted to and from base64url here (as
// WebAuthn Level 3's parse…FromJSON and toJSON() do where the browser has
// them), and the answer sent back for the server's checks.
import { AuthError } from './errors.js';

function toBase64url(buffer) {
  const bytes = new Uint8Array(buffer);
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  const binary = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes.buffer;
}

function webauthn() {
  const credentials = globalThis.navigator?.credentials;
  if (typeof globalThis.PublicKeyCredential !== 'function' || typeof credentials?.create !== 'function') {
    throw new AuthError('passkeys_unsupported');
  }
  return credentials;
}

const descriptors = (list) => (list ?? []).map((item) => ({ ...item, id: fromBase64url(item.id) }));

function creationOptions(json) {
  if (typeof PublicKeyCredential.parseCreationOptionsFromJSON === 'function') {
    return PublicKeyCredential.parseCreationOptionsFromJSON(json);
  }
  return {
    ...json,
    challenge: fromBase64url(json.challenge),
    user: { ...json.user, id: fromBase64url(json.user.id) },
    excludeCredentials: descriptors(json.excludeCredentials),
  };
}

function requestOptions(json) {
  if (typeof PublicKeyCredential.parseRequestOptionsFromJSON === 'function') {
    return PublicKeyCredential.parseRequestOptionsFromJSON(json);
  }
  return { ...json, challenge: fromBase64url(json.challenge), allowCredentials: descriptors(json.allowCredentials) };
}

// PublicKeyCredential.toJSON(), done by hand where the browser lacks it.
function credentialJson(credential) {
  if (typeof credential.toJSON === 'function') return credential.toJSON();
  const { response } = credential;
  const json = {
    id: credential.id,
    rawId: toBase64url(credential.rawId),
    type: credential.type,
    authenticatorAttachment: credential.authenticatorAttachment ?? undefined,
    clientExtensionResults: credential.getClientExtensionResults?.() ?? {},
    response: { clientDataJSON: toBase64url(response.clientDataJSON) },
  };
  if (response.attestationObject) {
    json.response.attestationObject = toBase64url(response.attestationObject);
    json.response.transports = response.getTransports?.() ?? [];
  } else {
    json.response.authenticatorData = toBase64url(response.authenticatorData);
    json.response.signature = toBase64url(response.signature);
    if (response.userHandle) json.response.userHandle = toBase64url(response.userHandle);
  }
  return json;
}

// The browser's refusals: the person cancelled, the prompt timed out, or a
// passkey for this account already exists on the authenticator.
function browserError(error) {
  if (error instanceof AuthError) return error;
  if (error?.name === 'NotAllowedError' || error?.name === 'AbortError') {
    return new AuthError('passkey_cancelled', { message: error.message });
  }
  if (error?.name === 'InvalidStateError') return new AuthError('passkey_exists', { message: error.message });
  if (error?.name === 'SecurityError' || error?.name === 'NotSupportedError') {
    return new AuthError('passkeys_unsupported', { message: error.message });
  }
  return new AuthError('passkey_response_invalid', { message: String(error?.message ?? error) });
}

/** Registers a passkey for the signed-in user: the stored passkey {id, name, created_at, ...}. */
export async function register(client, { name, currentPassword, signal } = {}) {
  const credentials = webauthn();
  const body = currentPassword === undefined ? {} : { current_password: currentPassword };
  const options = await client.request('/auth/passkeys/registration/options', { method: 'POST', body });
  let credential;
  try {
    credential = await credentials.create({ publicKey: creationOptions(options), signal });
  } catch (error) {
    throw browserError(error);
  }
  const verify = { credential: credentialJson(credential) };
  if (name !== undefined) verify.name = name;
  return client.request('/auth/passkeys/registration/verify', { method: 'POST', body: verify });
}

/**
 * Signs in with a passkey: {session} | {mfaRequired, factors, expiresAt}.
 * With an email, only that account's passkeys are offered; without, the
 * browser lists the site's passkeys (username-less). mediation 'conditional'
 * offers them in the autofill of an input with autocomplete="username webauthn"
 * and waits until one is picked (pass an AbortSignal to stop waiting).
 */
export async function signInWithPasskey(client, { email, mediation, signal } = {}) {
  const credentials = webauthn();
  if (mediation === 'conditional' && !(await PublicKeyCredential.isConditionalMediationAvailable?.())) {
    throw new AuthError('passkeys_unsupported', { message: 'This browser has no passkey autofill.' });
  }
  const body = email === undefined ? {} : { email };
  const { json: options } = await client._call('/auth/passkeys/authentication/options',
    { method: 'POST', body, auth: false });
  let credential;
  try {
    credential = await credentials.get({ publicKey: requestOptions(options), mediation, signal });
  } catch (error) {
    throw browserError(error);
  }
  const { json, response } = await client._call('/auth/passkeys/authentication/verify',
    { method: 'POST', body: { credential: credentialJson(credential) }, auth: false });
  if (json?.mfa_required === true) return client._mfaRequired(json);
  return { session: await client._signedIn(json, response) };
}
