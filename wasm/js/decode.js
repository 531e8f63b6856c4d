// decodeToken: reads a JWT's header and claims WITHOUT verifying anything.
// For display only (a user's name, an expiry countdown); never for decisions.
import { AuthError } from './errors.js';

function base64UrlToText(part) {
  if (!/^[A-Za-z0-9_-]*$/.test(part)) throw new AuthError('token_malformed');
  const base64 = part.replace(/-/g, '+').replace(/_/g, '/') + '='.repeat((4 - (part.length % 4)) % 4);
  const binary = atob(base64);
  const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

function parsePart(part) {
  try {
    const value = JSON.parse(base64UrlToText(part));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value;
  } catch {
    // fall through
  }
  throw new AuthError('token_malformed');
}

/** {header, claims} of a compact JWS, unverified. Throws AuthError('token_malformed'). */
export function decodeToken(token) {
  if (typeof token !== 'string') throw new AuthError('token_malformed');
  const parts = token.split('.');
  if (parts.length !== 3) throw new AuthError('token_malformed');
  return { header: parsePart(parts[0]), claims: parsePart(parts[1]) };
}
