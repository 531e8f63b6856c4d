// The server's passkey checks (the core's WebAuthn relying party), offline:
// a page or a Node service sees what a Latchkey server will decide about a
// registration or an assertion, from the same C++ code. In the pk module,
// so after init({ pk: true }) or loadPk(); synchronous then.
import { AuthError } from './errors.js';
import { loadedPk } from './core.js';

function pkModule(what) {
  const pk = loadedPk();
  if (!pk) {
    throw new AuthError('not_initialized', {
      message: `${what} is in the pk module, loaded on demand: call and await init({ pk: true }) (or loadPk()) first`,
    });
  }
  return pk;
}

// {ok: true, ...result} -> result; {ok: false, code} -> AuthError(code).
function outcome(json) {
  const { ok, code, ...result } = JSON.parse(json);
  if (!ok) throw new AuthError(code);
  return result;
}

const expectation = ({ challenge, requireUserVerification = false }) =>
  JSON.stringify({ challenge, require_user_verification: requireUserVerification });

/**
 * A registration (credentials.create()'s toJSON()) against the relying party
 * {id, origins} and the base64url challenge issued: {credential_id, public_key,
 * algorithm, sign_count, user_verified, backup_eligible, ...}, or the AuthError
 * the server would answer.
 */
export function verifyPasskeyRegistration(credential, { rp, challenge, requireUserVerification } = {}) {
  return outcome(pkModule('verifyPasskeyRegistration').verifyPasskeyRegistration(
    JSON.stringify(credential), JSON.stringify(rp), expectation({ challenge, requireUserVerification })));
}

/**
 * An assertion (credentials.get()'s toJSON()) against the stored credential
 * {public_key (COSE, base64url), sign_count, backup_eligible}: {sign_count,
 * user_verified, backup_state, ...}, or the AuthError the server would answer.
 */
export function verifyPasskeyAssertion(credential, { stored, rp, challenge, requireUserVerification } = {}) {
  return outcome(pkModule('verifyPasskeyAssertion').verifyPasskeyAssertion(
    JSON.stringify(credential), JSON.stringify(stored), JSON.stringify(rp), expectation({ challenge, requireUserVerification })));
}
