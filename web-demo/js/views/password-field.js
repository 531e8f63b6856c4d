// A new-password input with its strength meter and a show/hide switch,
// shared by sign-up, change password and reset password.
import { field, h } from '../dom.js';
import { strengthMeter } from '../strength-meter.js';

export function newPasswordField(ctx, { label = 'Password', name = 'password', userInputs = () => [] } = {}) {
  const { row, input } = field(label, { name, type: 'password', autocomplete: 'new-password', required: true },
    'A long phrase of several unusual words is strong and easy to remember.');
  const meter = strengthMeter({ getPolicy: ctx.policy, getUserInputs: userInputs });
  input.addEventListener('input', () => meter.update(input.value));
  const toggle = h('input', { type: 'checkbox', id: `${input.id}-show` });
  toggle.addEventListener('change', () => (input.type = toggle.checked ? 'text' : 'password'));
  row.append(h('div', { class: 'checkbox' }, toggle, h('label', { for: toggle.id, text: 'Show password' })), meter.element);
  return { row, input, meter, refresh: () => meter.update(input.value) };
}
