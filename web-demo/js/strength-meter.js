// The live password strength meter: the wasm estimator (the same code the
// server runs) applied with the server's policy from /auth/password-policy
// and the person's email and name as context. It can also show the server's
// own verdict from a 422 weak_password answer, in the same shape.
import { h, replaceChildren } from './dom.js';
import { passwordStrength } from './latchkey.js';

const LABELS = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'];

function reasonText(reason, policy) {
  switch (reason) {
    case 'too_short': return `Use at least ${policy?.min_length ?? 8} characters.`;
    case 'too_long': return `Use at most ${policy?.max_length ?? 64} characters.`;
    case 'blocklisted': return 'This is one of the most common passwords.';
    case 'contains_context': return 'Do not build the password from your email address or name.';
    case 'too_weak': return `It needs to be at least “${LABELS[policy?.min_score ?? 3]}”.`;
    default: return 'It contains characters that cannot be used.';
  }
}

// Context words as the server uses them (email, name and the product name).
const contextWords = (inputs) => [...inputs.filter(Boolean), 'latchkey'];

/**
 * @param {{getPolicy: () => object|null, getUserInputs: () => string[], label?: string}} options
 * @returns {{element: HTMLElement, update(password: string): object|null, showServerVerdict(details: object): void}}
 */
export function strengthMeter({ getPolicy, getUserInputs, label = 'Password strength' }) {
  const fill = h('div', { class: 'meter-fill' });
  const bar = h('div', { class: 'meter-bar', 'aria-hidden': 'true' }, fill);
  const summary = h('p', { class: 'meter-summary', 'aria-live': 'polite' });
  const warning = h('p', { class: 'meter-warning' });
  const suggestions = h('ul', { class: 'meter-suggestions' });
  const server = h('div', { class: 'meter-server', hidden: true, role: 'alert' });
  const element = h('div', { class: 'meter', 'data-score': '', 'aria-label': label, role: 'group' },
    bar, summary, warning, suggestions, server);
  let announce = null;

  function render({ score, feedback, acceptable, reasons }, policy, { immediate = false } = {}) {
    element.dataset.score = String(score);
    element.dataset.acceptable = String(acceptable);
    fill.style.width = `${((score + 1) / 5) * 100}%`;
    const verdict = acceptable ? 'meets the password policy.' : `not accepted yet. ${reasons.map((r) => reasonText(r, policy)).join(' ')}`;
    const text = `${LABELS[score]} (${score} of 4): ${verdict}`;
    // Screen readers hear the summary once typing pauses, not on every key.
    clearTimeout(announce);
    if (immediate) summary.textContent = text;
    else announce = setTimeout(() => (summary.textContent = text), 400);
    summary.dataset.text = text;
    warning.textContent = feedback?.warning?.text ?? '';
    replaceChildren(suggestions, (feedback?.suggestions ?? []).map((s) => h('li', { text: s.text })));
  }

  return {
    element,
    /** Re-estimates as the person types; returns the verdict (null when empty). */
    update(password) {
      server.hidden = true;
      if (!password) {
        clearTimeout(announce);
        element.dataset.score = '';
        fill.style.width = '0';
        summary.textContent = '';
        warning.textContent = '';
        replaceChildren(suggestions);
        return null;
      }
      const policy = getPolicy();
      let result;
      try {
        result = passwordStrength(password, { userInputs: contextWords(getUserInputs()), policy: policy ?? {} });
      } catch {
        result = { score: 0, feedback: null, acceptable: false, reasons: ['invalid_utf8'] };
      }
      render(result, policy);
      return result;
    },
    /** The server's 422 weak_password details ({score, feedback, reasons}), shown the same way. */
    showServerVerdict(details = {}) {
      const policy = getPolicy();
      const score = Number.isInteger(details.score) ? details.score : 0;
      render({ score, feedback: details.feedback, acceptable: false, reasons: details.reasons ?? ['too_weak'] }, policy,
        { immediate: true });
      server.textContent = `The server refused this password: ${(details.reasons ?? ['too_weak']).map((r) => reasonText(r, policy)).join(' ')}`;
      server.hidden = false;
    },
  };
}
