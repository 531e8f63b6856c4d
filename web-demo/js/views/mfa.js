// Two-factor authentication: set up a TOTP app (QR code made by the server,
// shown as an image so its markup never enters the page), verify the first
// code, see the recovery codes once with a copy button, regenerate them, and
// remove the factor (which needs this session at aal2: a code first).
import { attempt, errorBox, field, formatTime, h, replaceChildren, showError } from '../dom.js';
import { messageFor } from '../errors.js';
import { decodeToken } from '../latchkey.js';

function card(title, ...children) {
  const id = `${title.toLowerCase().replace(/\W+/g, '-')}-title`;
  return h('section', { class: 'card', 'aria-labelledby': id }, h('h2', { id, text: title }), ...children);
}

function codeField(label = 'Code from your authenticator app') {
  return field(label, { name: 'code', inputmode: 'numeric', autocomplete: 'one-time-code', pattern: '[0-9]*', maxlength: 8 });
}

function recoveryCodesBox(codes) {
  const status = h('p', { role: 'status' });
  const copy = h('button', { type: 'button', text: 'Copy the codes' });
  copy.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(codes.join('\n'));
      status.textContent = 'Copied.';
    } catch {
      status.textContent = 'The browser did not allow copying: select the codes and copy them by hand.';
    }
  });
  return h('div', { class: 'callout recovery-codes' },
    h('p', { text: 'Recovery codes: each signs you in once if you lose your phone. They are shown only now; keep them somewhere safe.' }),
    h('ul', { class: 'codes', 'aria-label': 'Recovery codes' }, codes.map((c) => h('li', { text: c }))), copy, status);
}

function currentAal(session) {
  try {
    return decodeToken(session.access_token).claims.aal ?? 'aal1';
  } catch {
    return 'aal1';
  }
}

export async function mfaView(ctx) {
  const body = h('div');
  const view = h('section', { class: 'view' }, h('h1', { text: 'Two-factor authentication' }), body);

  async function refresh(extra) {
    const listed = await ctx.client.mfa.listFactors();
    const session = await ctx.client.getSession();
    const verified = listed.factors.find((f) => f.status === 'verified');
    const level = h('p', { class: 'aal' }, 'This session: ', h('strong', { 'data-aal': currentAal(session), text: currentAal(session) }),
      currentAal(session) === 'aal2' ? ' (password and a second factor)' : ' (one factor)');
    replaceChildren(body, extra ?? null, level, verified ? enrolledCard(verified, listed, session) : setupCard());
  }

  function setupCard() {
    const password = field('Current password', { name: 'current_password', type: 'password', autocomplete: 'current-password' });
    const error = errorBox();
    const form = h('form', { novalidate: true }, h('p', { text: 'Use an authenticator app (such as Aegis, Google Authenticator or 1Password) as a second step when you log in.' }),
      password.row, error, h('button', { type: 'submit', class: 'primary', text: 'Set up an authenticator app' }));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      showError(error, '');
      let enrolled;
      const failure = await attempt(form, async () => {
        enrolled = await ctx.client.mfa.enroll({ friendlyName: 'Authenticator app', currentPassword: password.input.value });
      });
      if (failure) {
        // Here "invalid credentials" can only mean the current password.
        showError(error, failure.code === 'invalid_credentials' ? 'Your current password is not right.' : messageFor(failure));
        password.input.focus();
        return;
      }
      form.replaceWith(verifyForm(enrolled));
    });
    return card('Set up', form);
  }

  function verifyForm(enrolled) {
    const code = codeField();
    const error = errorBox();
    const qr = h('img', { class: 'qr', alt: 'QR code to scan with your authenticator app', width: 200, height: 200,
      src: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(enrolled.qr_svg)}` });
    const form = h('form', { novalidate: true },
      h('p', { text: 'Scan this QR code with your app, or type the key by hand. Then enter the code the app shows.' }),
      qr, h('p', {}, 'Key: ', h('code', { class: 'totp-secret', text: enrolled.secret })),
      code.row, error, h('button', { type: 'submit', class: 'primary', text: 'Verify and turn on' }));
    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      showError(error, '');
      let verified;
      const failure = await attempt(form, async () => {
        verified = await ctx.client.mfa.verify({ factorId: enrolled.factor_id, code: code.input.value.trim() });
      });
      if (failure) {
        showError(error, messageFor(failure));
        code.input.select();
        code.input.focus();
        return;
      }
      ctx.notify('Two-factor authentication is on.');
      await refresh(recoveryCodesBox(verified.recovery_codes));
    });
    queueMicrotask(() => code.input.focus());
    return form;
  }

  function enrolledCard(factor, listed, session) {
    const status = h('p', { text: `On since ${formatTime(factor.created_at)}. Recovery codes left: ${listed.recovery_codes_remaining}.` });
    const error = errorBox();
    const actions = h('div', { class: 'actions' });
    if (currentAal(session) !== 'aal2') {
      // Removing the factor or new codes need this session to have used it.
      const code = codeField();
      const form = h('form', { novalidate: true }, h('p', { text: 'To change these settings, confirm with a code first.' }),
        code.row, error, h('button', { type: 'submit', text: 'Confirm' }));
      form.addEventListener('submit', async (event) => {
        event.preventDefault();
        showError(error, '');
        const failure = await attempt(form, () => ctx.client.mfa.challenge({ code: code.input.value.trim() }));
        if (failure) {
          showError(error, messageFor(failure));
          code.input.focus();
          return;
        }
        await refresh();
      });
      return card('Authenticator app', status, form);
    }
    const remove = h('button', { type: 'button', class: 'danger', text: 'Turn off two-factor authentication' });
    remove.addEventListener('click', async () => {
      const failure = await attempt(actions, () => ctx.client.mfa.unenroll({ factorId: factor.id }));
      if (failure) return showError(error, messageFor(failure));
      ctx.notify('Two-factor authentication is off.');
      await refresh();
    });
    const regenerate = h('button', { type: 'button', text: 'New recovery codes' });
    regenerate.addEventListener('click', async () => {
      let codes;
      const failure = await attempt(actions, async () => (codes = await ctx.client.mfa.regenerateRecoveryCodes()));
      if (failure) return showError(error, messageFor(failure));
      await refresh(recoveryCodesBox(codes));
    });
    actions.append(regenerate, ' ', remove);
    return card('Authenticator app', status, actions, error);
  }

  await refresh();
  return view;
}
