// One map from the server's stable error codes (core/include/latchkey/
// error_codes.def) to what the page tells a person. Codes not listed here fall
// back to the server's own safe message.

const MESSAGES = {
  invalid_credentials: 'That email and password do not match. Check both and try again.',
  email_taken: 'An account with this email already exists. Log in instead, or reset the password.',
  email_invalid: 'Enter an email address like name@example.com.',
  weak_password: 'This password is too easy to guess. The meter above says how to make it stronger.',
  password_too_long: 'This password is too long.',
  password_mismatch: 'Your current password is not right.',
  user_disabled: 'This account has been disabled by an administrator.',
  rate_limited: 'Too many attempts in a short time. Wait a minute, then try again.',
  server_busy: 'The server is busy right now. Try again in a few seconds.',
  session_revoked: 'Your session has ended. Log in again.',
  refresh_token_expired: 'Your session has expired. Log in again.',
  refresh_token_reused: 'This session was ended for safety (a refresh token was used twice). Log in again.',
  refresh_token_invalid: 'Your session is no longer valid. Log in again.',
  token_missing: 'You need to log in first.',
  token_expired: 'Your sign-in has expired. Log in again.',
  forbidden: 'You do not have permission to do this.',
  last_admin: 'The last administrator cannot be demoted, disabled or deleted.',
  reauthentication_required: 'Confirm it is you: enter your current password.',
  not_found: 'That was not found. It may have been deleted.',
  reset_token_invalid: 'This reset link is not valid any more (links work once and expire). Ask for a new one.',
  verification_token_invalid: 'This verification link is not valid any more (links work once and expire). Ask for a new one.',
  email_not_verified: 'Confirm your email address first, with the link we sent you.',
  otp_code_invalid: 'That code is not right, or was already used. Wait for the next code and try again.',
  recovery_code_invalid: 'That recovery code is not right, or was already used.',
  mfa_token_invalid: 'This sign-in took too long or was already finished. Log in again.',
  insufficient_aal: 'This needs your second factor: enter a code from your authenticator app first.',
  factor_exists: 'Two-factor authentication is already set up. Remove it first to set it up again.',
  factor_not_found: 'That factor was not found. It may have been removed.',
  network_error: 'Cannot reach the Latchkey server. Is it still running?',
  provider_access_denied: 'The sign-in was cancelled at the provider.',
  provider_unavailable: 'The sign-in provider cannot be reached right now. Try again later, or use your password.',
  provider_response_invalid: 'The sign-in provider sent an answer that could not be trusted. Try again.',
  provider_email_unverified: 'The provider has not verified an email address for this account, so it cannot be used to sign in here.',
  identity_email_conflict: 'An account with this email already exists. Log in with your password, then link the provider from your profile.',
  identity_taken: 'That provider account is already linked to another user.',
  last_sign_in_method: 'This is your only way to sign in. Set a password, add a passkey or link a provider first.',
  passkey_cancelled: 'The passkey prompt was closed before it finished. Try again when you are ready.',
  passkeys_unsupported: 'This browser cannot use passkeys on this page.',
  passkey_exists: 'This passkey is already registered (maybe on this account: see the list).',
  passkey_not_recognized: 'This passkey is not registered here. Sign in another way and add it from your profile.',
  passkey_not_found: 'That passkey no longer exists.',
  passkey_challenge_invalid: 'That passkey request expired. Try again.',
  passkey_counter_regressed: 'This passkey was refused: its counter went backwards, a sign it may have been copied. Sign in another way.',
  passkey_origin_invalid: 'This page is not allowed to use passkeys for this server.',
  passkey_rp_id_mismatch: 'This passkey belongs to another site.',
  passkey_signature_invalid: 'The passkey\'s signature did not check out. Try again.',
  passkey_user_verification_required: 'Your device did not confirm it is you (PIN or fingerprint). Try again.',
  oauth_state_invalid: 'This sign-in attempt expired or was already used. Start again.',
  oauth_code_invalid: 'This sign-in could not be finished (it expired, or was started in another tab). Start again.',
  redirect_not_allowed: 'This server does not allow returning to this page after a sign-in.',
};

const FIELD_NAMES = { name: 'name', email: 'email', password: 'password', new_password: 'new password', scope: 'scope' };

/** A sentence for an AuthError (or any error) that a person can act on. */
export function messageFor(error) {
  if (!error) return '';
  if (error instanceof TypeError && !error.code) return MESSAGES.network_error;
  const code = error.code;
  if (code === 'validation_failed') {
    const field = error.details?.field ?? error.field;
    if (field && FIELD_NAMES[field]) return `The ${FIELD_NAMES[field]} is missing or too long.`;
  }
  return MESSAGES[code] ?? error.message ?? 'Something went wrong.';
}
