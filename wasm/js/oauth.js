// Social sign-in for AuthClient, loaded on first use (the verify-and-refresh
// path does not carry it). PKCE (RFC 7636, S256): the verifier stays in this
// tab's session storage from the redirect to the provider until the return
// to the page, where the one-time code in the URL fragment is exchanged at
// POST /auth/token for a session.
import { AuthError } from './errors.js';

const FRAGMENT_KEYS = ['code', 'error', 'linked'];

function base64url(bytes) {
  let text = '';
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

async function pkcePair() {
  const verifier = base64url(globalThis.crypto.getRandomValues(new Uint8Array(32)));
  const digest = await globalThis.crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

function flowStorage(client) {
  try {
    if (typeof window === 'object' && window.sessionStorage) return window.sessionStorage;
  } catch {
    // disabled storage: fall back to the client's own
  }
  return client._storage;
}

const flowKey = (client) => `${client._key}.oauth-verifier`;

function browserRedirect(url, skip) {
  if (!skip && typeof window === 'object' && window.location) window.location.assign(url);
}

/** {url}; sends the browser there unless skipBrowserRedirect. */
export async function signInWithOAuth(client, { provider, redirectTo, skipBrowserRedirect = false } = {}) {
  if (typeof provider !== 'string' || !provider) throw new AuthError('invalid_argument', 'provider is required');
  const target = redirectTo ?? (typeof window === 'object' ? window.location.href.split('#')[0] : undefined);
  if (typeof target !== 'string') throw new AuthError('invalid_argument', 'redirectTo is required outside a browser');
  const { verifier, challenge } = await pkcePair();
  await flowStorage(client).setItem(flowKey(client), verifier);
  const query = new URLSearchParams({ redirect_to: target, code_challenge: challenge, code_challenge_method: 'S256' });
  const url = `${client._base}/auth/oauth/${encodeURIComponent(provider)}/authorize?${query}`;
  browserRedirect(url, skipBrowserRedirect);
  return { url };
}

/** {url} to link another provider to the signed-in user; needs the recent-auth proof. */
export async function linkIdentity(client, { provider, redirectTo, currentPassword, skipBrowserRedirect = false } = {}) {
  const target = redirectTo ?? (typeof window === 'object' ? window.location.href.split('#')[0] : undefined);
  const body = { provider, redirect_to: target };
  if (currentPassword !== undefined) body.current_password = currentPassword;
  const { json } = await client._call('/auth/identities/link', { method: 'POST', body, auth: true });
  browserRedirect(json.url, skipBrowserRedirect);
  return { url: json.url };
}

/**
 * The return from a provider, from a URL (default: this page's): exchanges
 * the code (SIGNED_IN, or MFA_CHALLENGE for a user with a second factor),
 * clears the fragment from the address bar, and resolves to
 * {session} | {mfaRequired, factors, expiresAt} | {linked} | null (nothing
 * to handle). A provider's or the server's refusal rejects with its AuthError.
 */
export async function handleOAuthReturn(client, { url } = {}) {
  const href = url ?? (typeof window === 'object' ? window.location.href : '');
  const hash = href.includes('#') ? href.slice(href.indexOf('#') + 1) : '';
  const params = new URLSearchParams(hash);
  if (!FRAGMENT_KEYS.some((key) => params.has(key))) return null;
  if (url === undefined && typeof window === 'object' && window.history?.replaceState) {
    // The code is single use; a reload or a shared link must not carry it.
    window.history.replaceState(window.history.state, '', href.split('#')[0]);
  }
  if (params.has('error')) {
    throw new AuthError(params.get('error'), { message: params.get('error_description') ?? 'The sign-in failed.' });
  }
  if (params.has('linked')) return { linked: params.get('linked') };
  const storage = flowStorage(client);
  const verifier = await storage.getItem(flowKey(client));
  await storage.removeItem(flowKey(client));
  if (typeof verifier !== 'string') {
    throw new AuthError('oauth_code_invalid', { message: 'This sign-in was not started in this tab; start again.' });
  }
  const response = await client._send(`${client._base}/auth/token`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
    body: new URLSearchParams({ grant_type: 'authorization_code', code: params.get('code'), code_verifier: verifier }).toString(),
  });
  const json = await response.json().catch(() => null);
  if (json?.error === 'mfa_required') return client._mfaRequired(json);
  if (!response.ok) {
    throw new AuthError(json?.error_code ?? json?.error ?? 'internal_error',
      { message: json?.error_description ?? `HTTP ${response.status}`, status: response.status });
  }
  return { session: await client._signedIn(json, response) };
}
