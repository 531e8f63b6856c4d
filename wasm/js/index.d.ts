// Type declarations of the latchkey package (wasm/js/index.js).

// AuthErrorCode is generated from core/include/latchkey/error_codes.def by the
// wasm build (wasm/dist/error-codes.d.ts); tests/package/types.test.mjs checks it.
import type { AuthErrorCode } from '../dist/error-codes.js';
export type { AuthErrorCode };

/** Every failure of the package. `status` is the HTTP status when a server answered, else 0. */
export class AuthError extends Error {
  constructor(code: AuthErrorCode, info?: string | { message?: string; status?: number; details?: unknown });
  readonly name: 'AuthError';
  readonly code: AuthErrorCode;
  readonly status: number;
  readonly details: unknown;
}

export interface InitOptions {
  /** The core's .wasm bytes, instead of fetching them. */
  wasmBinary?: ArrayBuffer | Uint8Array;
  /**
   * Also load the tools module: passwordStrength, estimateStrength,
   * checkPassword, passwordPolicy, signJwt, generateEd25519Jwk, hashPassword,
   * verifyPassword, needsRehash. Verification and AuthClient do not need it.
   */
  tools?: boolean;
  /** The tools' .wasm bytes, instead of fetching them. */
  toolsWasmBinary?: ArrayBuffer | Uint8Array;
  /**
   * Also load the pk module: verification of RS256, PS256 and ES256 (OpenID
   * providers' ID tokens). A `jwksUrl` verifier loads it by itself; a verifier
   * with a static `jwks` needs it loaded before createVerifier.
   */
  pk?: boolean;
  /** The pk module's .wasm bytes, instead of fetching them. */
  pkWasmBinary?: ArrayBuffer | Uint8Array;
}

/** Loads the core module (and the tools module with `tools: true`, the pk module with `pk: true`). Idempotent. */
export function init(options?: InitOptions): Promise<void>;

/** Loads the tools module on demand (the strength estimator's word lists, signing, hashing). Idempotent. */
export function loadTools(options?: { toolsWasmBinary?: ArrayBuffer | Uint8Array }): Promise<void>;

/** Loads the pk module on demand (RS256, PS256 and ES256 verification). Idempotent. */
export function loadPk(options?: { pkWasmBinary?: ArrayBuffer | Uint8Array }): Promise<void>;

/** The algorithms a verifier may allow. RS256, PS256 and ES256 are verified by the pk module. */
export type JwsAlgorithm = 'EdDSA' | 'HS256' | 'RS256' | 'PS256' | 'ES256';

// ---- tokens ----

export interface Jwk {
  kty: string;
  kid?: string;
  alg?: string;
  crv?: string;
  x?: string;
  d?: string;
  k?: string;
  [member: string]: unknown;
}
export interface Jwks {
  keys: Jwk[];
}

export interface JwtHeader {
  alg: string;
  typ?: string;
  kid?: string;
  [member: string]: unknown;
}

export interface AccessTokenClaims {
  iss?: string;
  sub?: string;
  aud?: string | string[];
  exp?: number;
  iat?: number;
  nbf?: number;
  jti?: string;
  sid?: string;
  role?: string;
  email?: string;
  email_verified?: boolean;
  /** Assurance level of the sign-in: 'aal1' (one factor) or 'aal2' (a second factor). */
  aal?: string;
  /** Authentication methods (RFC 8176), e.g. ['pwd', 'otp']. */
  amr?: string[];
  [claim: string]: unknown;
}

export type VerifyResult =
  | { valid: true; header: JwtHeader; claims: AccessTokenClaims }
  | { valid: false; code: AuthErrorCode };

/** Authenticator assurance levels (NIST SP 800-63B), as the `aal` claim states them. */
export type AssuranceLevel = 'aal1' | 'aal2' | 'aal3';

interface VerifierOptionsBase {
  issuer?: string;
  audience?: string | string[];
  /** Clock skew allowed on exp/nbf/iat, seconds (default 60). */
  leewaySeconds?: number;
  /** Allow-list; default ['EdDSA']. 'none' is never accepted. */
  algorithms?: JwsAlgorithm[];
  /** Required `typ` header, e.g. 'at+jwt'. */
  typ?: string;
  requiredClaims?: string[];
  maxTokenBytes?: number;
  maxJsonDepth?: number;
  /**
   * The lowest assurance level the token's `aal` claim must state; a token with
   * no `aal` or a lower one fails with `insufficient_aal` (e.g. 'aal2': signed in
   * with a second factor).
   */
  requiredAal?: AssuranceLevel;
  /** The clock, in milliseconds like Date.now (default Date.now). */
  now?: () => number;
}

export interface StaticVerifierOptions extends VerifierOptionsBase {
  jwks: Jwks;
  jwksUrl?: never;
}

export interface RemoteVerifierOptions extends VerifierOptionsBase {
  jwks?: never;
  /** e.g. `${baseUrl}/.well-known/jwks.json`; cached for its Cache-Control max-age. */
  jwksUrl: string | URL;
  /** At most one refetch for an unknown kid per this interval (default 30000 ms). */
  cooldownMs?: number;
  /** Freshness when the response has no max-age (default 600000 ms). */
  maxAgeMs?: number;
  fetch?: typeof fetch;
}

export interface Verifier {
  /** `now` in seconds overrides the clock for this call. */
  verify(token: string, now?: number): VerifyResult;
  /** Frees the wasm memory the verifier holds. Idempotent. */
  dispose(): void;
}

export interface RemoteVerifier {
  verify(token: string, now?: number): Promise<VerifyResult>;
  /** How many times the JWKS was fetched. */
  readonly fetchCount: number;
  dispose(): void;
}

export function createVerifier(options: StaticVerifierOptions): Verifier;
export function createVerifier(options: RemoteVerifierOptions): RemoteVerifier;

// ---- protecting an API (Node) ----

interface RequireAuthOptionsBase {
  issuer?: string;
  audience?: string | string[];
  /** Accepted values of the role claim; any verified token when absent. */
  roles?: string[];
  /** The claim holding the role (default 'role', as Latchkey issues it). */
  roleClaim?: string;
  /** Required `typ` header (default 'at+jwt'); null accepts any. */
  typ?: string | null;
  leewaySeconds?: number;
  algorithms?: JwsAlgorithm[];
  /** A token below this level gets 403 insufficient_aal (RFC 9470's insufficient_user_authentication). */
  requiredAal?: AssuranceLevel;
  now?: () => number;
}
export type RequireAuthOptions =
  | (RequireAuthOptionsBase & { jwksUrl: string | URL; jwks?: never; fetch?: typeof fetch; cooldownMs?: number; maxAgeMs?: number })
  | (RequireAuthOptionsBase & { jwks: Jwks; jwksUrl?: never });

export type AuthCheck =
  | { ok: true; claims: AccessTokenClaims; token: string }
  | {
      ok: false;
      /** 401: no valid token; 403: valid, but not one of `roles`, or below `requiredAal`. */
      status: 401 | 403;
      error: AuthErrorCode;
      message: string;
      headers: { 'WWW-Authenticate': string };
    };

/** The parts of an Express (or Connect) request and response the adapter uses. */
export interface ExpressLikeRequest {
  headers: { authorization?: string; [name: string]: unknown };
  auth?: { claims: AccessTokenClaims; token: string };
}
export interface ExpressLikeResponse {
  status(code: number): ExpressLikeResponse;
  set(headers: Record<string, string>): ExpressLikeResponse;
  json(body: unknown): unknown;
}

export interface AuthGuard {
  /** The verdict for a request: its Authorization header, or the request itself. */
  check(authorization: string | null | undefined | { headers?: unknown }): Promise<AuthCheck>;
  /** Express middleware: sets req.auth = {claims, token} and calls next(), or answers 401/403 as JSON. */
  express(req: ExpressLikeRequest, res: ExpressLikeResponse, next: (error?: unknown) => void): void;
  /** Resolves once the verifier is built; rejects with AuthError for a bad option. */
  readonly ready: Promise<void>;
  dispose(): Promise<void>;
}

/** Protects a Node API with Latchkey access tokens (framework-neutral; `.express` for Express). */
export function requireAuth(options: RequireAuthOptions): AuthGuard;

/** Header and claims WITHOUT verification: for display only. Throws AuthError('token_malformed'). */
export function decodeToken(token: string): { header: JwtHeader; claims: AccessTokenClaims };

// ---- passwords ----

export interface FeedbackItem {
  code: string;
  text: string;
}

export interface Strength {
  score: 0 | 1 | 2 | 3 | 4;
  guesses: number;
  guessesLog10: number;
  length: number;
  crackTimes: {
    onlineThrottled: number;
    onlineUnthrottled: number;
    offlineSlowHash: number;
    offlineFastHash: number;
  };
  feedback: { warning: FeedbackItem | null; suggestions: FeedbackItem[] };
  sequence: unknown[];
}

export type PolicyReason = 'too_short' | 'too_long' | 'blocklisted' | 'contains_context' | 'too_weak';

/** The JSON of GET /auth/password-policy (unknown fields are refused at run time). */
export interface PasswordPolicy {
  min_length?: number;
  max_length?: number;
  min_score?: number;
  blocklist?: boolean;
  context_check?: boolean;
  /** Words of the service (name, domain) counted as context for every password. */
  service_words?: string[];
  [field: string]: unknown;
}

export function passwordStrength(
  password: string,
  options?: { userInputs?: string[]; policy?: PasswordPolicy; referenceYear?: number },
): Strength & { acceptable: boolean; reasons: PolicyReason[] };

export function estimateStrength(password: string, options?: { userInputs?: string[]; referenceYear?: number }): Strength;

export function checkPassword(
  password: string,
  policy?: PasswordPolicy,
  options?: { context?: string[]; referenceYear?: number },
): { acceptable: boolean; reasons: PolicyReason[]; length: number; strength: Strength | null };

export function passwordPolicy(policy?: PasswordPolicy): Required<Pick<PasswordPolicy, 'min_length' | 'max_length' | 'min_score'>> & PasswordPolicy;

// ---- the auth client ----

export interface User {
  id: string;
  email: string;
  name?: string;
  role?: string;
  email_verified?: boolean;
  pending_email?: string | null;
  [field: string]: unknown;
}

export interface Session {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
  /** Server clock, seconds since the epoch. */
  expires_at: number;
  user: User;
}

/** localStorage, or anything with the same three methods, sync or async. */
export interface SessionStorage {
  getItem(key: string): string | null | Promise<string | null>;
  setItem(key: string, value: string): void | Promise<void>;
  removeItem(key: string): void | Promise<void>;
}

export type AuthChangeEvent =
  | 'INITIAL_SESSION'
  | 'SIGNED_IN'
  | 'TOKEN_REFRESHED'
  | 'USER_UPDATED'
  | 'MFA_CHALLENGE'
  | 'MFA_CHALLENGE_VERIFIED'
  | 'SIGNED_OUT'
  | 'SESSION_EXPIRED';

export interface Factor {
  id: string;
  type: 'totp';
  friendly_name: string;
  status: 'verified' | 'unverified';
  created_at: number;
}

/** What login() resolves to for a user with a second factor: finish with client.mfa.challenge(). */
export interface MfaRequired {
  mfaRequired: true;
  factors: Array<Pick<Factor, 'id' | 'type' | 'friendly_name'>>;
  /** Unix seconds: the second step must come before. */
  expiresAt: number;
}

export interface TotpEnrollment {
  factor_id: string;
  factor: Factor;
  /** Base32, shown once. */
  secret: string;
  otpauth_uri: string;
  /** The otpauth URI as an SVG QR code. */
  qr_svg: string;
}

export interface AuthenticatorAssuranceLevel {
  currentLevel: AssuranceLevel | null;
  nextLevel: AssuranceLevel | null;
  currentAuthenticationMethods: string[];
}

export interface MfaApi {
  /** Needs `currentPassword` (proof of presence). */
  enroll(options?: { friendlyName?: string; currentPassword?: string }): Promise<TotpEnrollment>;
  /** The first code: recovery codes (shown once); this session becomes aal2. */
  verify(options: { factorId: string; code: string }): Promise<{ factor: Factor; recovery_codes: string[] }>;
  /** Finishes a pending sign-in, or steps the current session up to aal2. */
  challenge(answer: { code: string; factorId?: string } | { recoveryCode: string }): Promise<Session>;
  listFactors(): Promise<{ factors: Factor[]; recovery_codes_remaining: number; aal: AssuranceLevel }>;
  unenroll(options: { factorId: string }): Promise<void>;
  regenerateRecoveryCodes(): Promise<string[]>;
  getAuthenticatorAssuranceLevel(): Promise<AuthenticatorAssuranceLevel>;
}

/** A provider account linked to the user (GET /auth/identities). */
export interface UserIdentity {
  id: string;
  provider: string;
  email: string;
  name: string;
  created_at: number;
}

export interface OAuthProvider {
  id: string;
  name: string;
}

export interface SignInWithOAuthOptions {
  /** A provider id from getProviders(). */
  provider: string;
  /** Where the provider's answer lands; must match the server's --redirect-allow. Default: this page. */
  redirectTo?: string;
  /** Return the URL without sending the browser there. */
  skipBrowserRedirect?: boolean;
}

/** What handleOAuthReturn() resolves to; null when the URL carries no provider answer. */
export type OAuthReturn = { session: Session } | MfaRequired | { linked: string } | null;

/** The relying party a server checks passkeys against (--webauthn-rp-id, --webauthn-origin). */
export interface PasskeyRelyingParty {
  id: string;
  origins: string[];
}

export interface PasskeyCheck {
  rp: PasskeyRelyingParty;
  /** The challenge the server issued, base64url. */
  challenge: string;
  requireUserVerification?: boolean;
}

export interface VerifiedPasskeyRegistration {
  credential_id: string;
  /** COSE key, base64url: store it for verifyPasskeyAssertion. */
  public_key: string;
  algorithm: -7 | -8 | -257;
  sign_count: number;
  aaguid: string;
  user_verified: boolean;
  backup_eligible: boolean;
  backup_state: boolean;
  attestation_format: string;
  transports: string[];
}

export interface VerifiedPasskeyAssertion {
  credential_id: string;
  user_handle: string;
  sign_count: number;
  user_verified: boolean;
  backup_state: boolean;
}

/** The server's registration checks, offline (pk module: init({ pk: true }) first); throws the AuthError it would answer. */
export function verifyPasskeyRegistration(credential: object, check: PasskeyCheck): VerifiedPasskeyRegistration;
/** The server's assertion checks, offline (pk module); throws the AuthError it would answer (e.g. passkey_counter_regressed). */
export function verifyPasskeyAssertion(credential: object,
  check: PasskeyCheck & { stored: { public_key: string; sign_count: number; backup_eligible: boolean } }): VerifiedPasskeyAssertion;

/** A passkey of the signed-in user (GET /auth/passkeys). */
export interface Passkey {
  id: string;
  name: string;
  /** The WebAuthn credential ID, base64url. */
  credential_id: string;
  created_at: number;
  last_used_at: number | null;
  /** May be synced to other devices (the BE flag). */
  backup_eligible: boolean;
  /** Is synced now (the BS flag). */
  backed_up: boolean;
  transports: string[];
  /** The authenticator model's AAGUID, hex (all zeros when it does not say). */
  aaguid: string;
}

export interface PasskeysApi {
  /** Creates a passkey with the browser and stores it; needs `currentPassword` or a recent sign-in. */
  register(options?: { name?: string; currentPassword?: string; signal?: AbortSignal }): Promise<Passkey>;
  list(): Promise<Passkey[]>;
  rename(id: string, name: string): Promise<Passkey>;
  /** Never the last way to sign in (last_sign_in_method); needs `currentPassword` or a recent sign-in. */
  remove(id: string, options?: { currentPassword?: string }): Promise<void>;
}

export interface SignInWithPasskeyOptions {
  /** Offer only this account's passkeys; without it the browser lists the site's passkeys. */
  email?: string;
  /** 'conditional': offer passkeys in the autofill of an input with autocomplete="username webauthn". */
  mediation?: 'conditional' | 'optional' | 'required' | 'silent';
  signal?: AbortSignal;
}

export interface RefreshPolicy {
  margin_ms?: number;
  margin_fraction?: number;
  backoff_initial_ms?: number;
  backoff_max_ms?: number;
}

export interface AuthClientOptions {
  baseUrl: string;
  /** Default: localStorage in browsers, memory in Node. */
  storage?: SessionStorage;
  /** Default 'latchkey.session'. */
  storageKey?: string;
  /** Refresh on a timer before expiry (default true; the timer never keeps Node alive). */
  autoRefresh?: boolean;
  fetch?: typeof fetch;
  /** The client's clock in ms (default Date.now). */
  now?: () => number;
  /** Jitter source in [0, 1) (default Math.random). */
  random?: () => number;
  refreshPolicy?: RefreshPolicy;
}

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

export class AuthClient {
  constructor(options: AuthClientOptions);
  /** null when the server gave no tokens (email verification required). */
  signup(credentials: { email: string; password: string; name?: string }): Promise<Session | null>;
  /** MfaRequired (and the MFA_CHALLENGE event) for a user with a second factor. */
  login(credentials: { email: string; password: string }): Promise<Session | MfaRequired>;
  readonly mfa: MfaApi;
  readonly passkeys: PasskeysApi;
  /** Rejects with passkey_cancelled when the person dismisses the prompt, passkeys_unsupported without WebAuthn. */
  signInWithPasskey(options?: SignInWithPasskeyOptions): Promise<{ session: Session } | MfaRequired>;
  /** Sends the browser to the provider, with PKCE; the return is finished by handleOAuthReturn(). */
  signInWithOAuth(options: SignInWithOAuthOptions): Promise<{ url: string }>;
  /**
   * On the page the provider returned to: exchanges the code for a session (SIGNED_IN) and clears the
   * fragment. Rejects with the provider's or server's AuthError (e.g. identity_email_conflict).
   */
  handleOAuthReturn(options?: { url?: string }): Promise<OAuthReturn>;
  /** Links a provider to the signed-in user; needs `currentPassword` or a recent sign-in. */
  linkIdentity(options: SignInWithOAuthOptions & { currentPassword?: string }): Promise<{ url: string }>;
  /** Never the last way to sign in (last_sign_in_method). */
  unlinkIdentity(options: { identityId: string; currentPassword?: string }): Promise<void>;
  getUserIdentities(): Promise<UserIdentity[]>;
  getProviders(): Promise<OAuthProvider[]>;
  logout(options?: { scope?: 'local' | 'others' | 'global' }): Promise<void>;
  refresh(): Promise<Session>;
  getSession(): Promise<Session | null>;
  getUser(): Promise<User>;
  /** A new email needs `currentPassword` (or, for an account without one, a sign-in within 5 minutes). */
  updateUser(changes: { name?: string; email?: string; currentPassword?: string }): Promise<User>;
  request<T = unknown>(
    path: string,
    options?: { method?: string; body?: unknown; auth?: boolean; headers?: Record<string, string> },
  ): Promise<T>;
  fetch(input: string | URL | Request, init?: RequestInit): Promise<Response>;
  onAuthStateChange(callback: (event: AuthChangeEvent, session: Session | null) => void): () => void;
  /**
   * When the client will next refresh on its own: ms since the epoch on this
   * machine's clock (compare with Date.now()), as the refresh schedule chose,
   * or the retry after a failed refresh. null when none is scheduled (signed
   * out, or autoRefresh off).
   */
  readonly nextRefreshAt: number | null;
  /** Stops the timer and listeners. */
  close(): void;
}

/** A new in-memory SessionStorage (share one between clients to share a session). */
export function memoryStorage(): SessionStorage;

// ---- lower level (keys, hashes, vectors) ----

export function signJwt(privateJwk: Jwk, claims: Record<string, unknown>, options?: { typ?: string }): string;
export function generateEd25519Jwk(): Jwk;
export function publicJwk(jwk: Jwk): Jwk;
export function jwkThumbprint(jwk: Jwk): string;
export function hashPassword(password: string, options?: { iterations?: number; memoryKib?: number }): string;
export function verifyPassword(hash: string, password: string): 'ok' | 'password_mismatch' | 'password_hash_invalid';
export function needsRehash(hash: string, options?: { iterations?: number; memoryKib?: number }): boolean;
export function errorTable(): Array<{ code: AuthErrorCode | 'ok'; http_status: number; message: string }>;
/** Not a stable API. */
export const primitives: Record<string, (...args: never[]) => unknown>;
