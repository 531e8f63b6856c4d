// The strength estimator and password policy of the core: the same code the
// server runs on signup, so the browser can say in advance what it will say.
// Strings are copied into wasm memory by embind and results copied out.
// They run in the tools module: await init({ tools: true }) first.
import { readyTools, unwrap } from './core.js';
import { AuthError } from './errors.js';

const currentYear = () => new Date().getFullYear();

// A string with a lone surrogate has no UTF-8 form; embind would silently
// replace it, so the core would judge a different password. Refuse it here.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
function text(value) {
  if (typeof value !== 'string') throw new AuthError('invalid_argument', 'expected a string');
  if (LONE_SURROGATE.test(value)) throw new AuthError('utf8_invalid');
  return value;
}
const texts = (list) => JSON.stringify(Array.from(list ?? [], text));

function strengthFromCore(r) {
  return {
    score: r.score,
    guesses: r.guesses,
    guessesLog10: r.guesses_log10,
    length: r.length,
    crackTimes: {
      onlineThrottled: r.crack_times_seconds.online_throttled,
      onlineUnthrottled: r.crack_times_seconds.online_unthrottled,
      offlineSlowHash: r.crack_times_seconds.offline_slow_hash,
      offlineFastHash: r.crack_times_seconds.offline_fast_hash,
    },
    feedback: r.feedback,
    sequence: r.sequence,
  };
}

/**
 * Strength estimate of a password, by the same code the server runs:
 * {score 0..4, guesses, guessesLog10, crackTimes (seconds), feedback:
 * {warning: {code, text} | null, suggestions: [{code, text}]}, sequence,
 * acceptable, reasons}. acceptable and reasons apply `policy` (default: the
 * default policy) with userInputs as context. Throws AuthError('utf8_invalid')
 * for a string with lone surrogates.
 */
export function passwordStrength(password, { userInputs = [], policy = {}, referenceYear = currentYear() } = {}) {
  readyTools('passwordStrength'); // named in the error when the tools are not loaded
  const verdict = checkPassword(password, policy, { context: userInputs, referenceYear });
  if (verdict.strength) return { ...verdict.strength, acceptable: verdict.acceptable, reasons: verdict.reasons };
  // Too long to estimate: the policy already said no.
  const r = unwrap(readyTools('passwordStrength').passwordStrength(text(password), texts(userInputs), referenceYear));
  return { ...strengthFromCore(r), acceptable: false, reasons: verdict.reasons };
}

/** The estimator alone: no policy, no normalisation. */
export function estimateStrength(password, { userInputs = [], referenceYear = currentYear() } = {}) {
  return strengthFromCore(unwrap(readyTools('passwordStrength').passwordStrength(text(password), texts(userInputs), referenceYear)));
}

/**
 * Applies a password policy (as GET /auth/password-policy publishes it) to a
 * password: {acceptable, reasons: ['too_short' | 'too_long' | 'blocklisted' |
 * 'contains_context' | 'too_weak'], length, strength}.
 */
export function checkPassword(password, policy = {}, { context = [], referenceYear = currentYear() } = {}) {
  const r = unwrap(readyTools('checkPassword').checkPassword(text(password), JSON.stringify(policy), texts(context), referenceYear));
  return {
    acceptable: r.acceptable,
    reasons: r.reasons,
    length: r.length,
    strength: r.strength ? strengthFromCore(r.strength) : null,
  };
}

/** A policy with its defaults filled in; throws AuthError('password_policy_invalid'). */
export function passwordPolicy(policy = {}) {
  return unwrap(readyTools('passwordPolicy').passwordPolicy(JSON.stringify(policy))).policy;
}
