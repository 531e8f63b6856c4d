// checkPassword with the server's published policy accepts exactly the
// passwords that the server's signup accepts, on a varied generated list.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { init, checkPassword, passwordStrength } from '../../wasm/js/index.js';
import { startServer, call } from './helpers.mjs';

let server;
before(async () => {
  await init({ tools: true });
  server = await startServer(['--rate-signup', 'off', '--rate-signup-email', 'off']);
});
after(() => server?.stop());

// Deterministic variety: a seeded generator, no Math.random.
function generator(seed) {
  let x = seed >>> 0;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 2 ** 32;
  };
}

const NAME = 'Morgan Tester';

function passwords(email) {
  const rand = generator(20261122);
  const pick = (list) => list[Math.floor(rand() * list.length)];
  const words = ['correct', 'horse', 'battery', 'staple', 'orbit', 'velvet', 'quartz', 'lantern', 'maple', 'thunder', 'pixel', 'saffron', 'glacier', 'kettle', 'nimbus'];
  const common = ['password', 'password1', 'password123', '12345678', 'qwertyuiop', 'iloveyou', 'letmein123', 'football', 'monkey123', 'abc12345', 'sunshine', 'princess1', 'trustno1', 'baseball'];
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789!@#$%^&*()-_=+[]{};:,.<>/?';
  const randomString = (n) => Array.from({ length: n }, () => pick([...alphabet])).join('');
  const local = email.split('@')[0];
  const list = new Set();
  for (let n = 1; n <= 12; n++) list.add(randomString(n)); // around the minimum length
  for (let i = 0; i < 30; i++) list.add(randomString(6 + Math.floor(rand() * 20)));
  for (const c of common) {
    list.add(c);
    list.add(c.toUpperCase());
    list.add(`${c}!`);
  }
  for (let i = 0; i < 40; i++) {
    const n = 1 + Math.floor(rand() * 4);
    list.add(Array.from({ length: n }, () => pick(words)).join(pick([' ', '-', '', '.', '_'])));
  }
  for (let i = 0; i < 15; i++) list.add(`${pick(words)}${Math.floor(rand() * 10000)}`);
  // Context: the email, its local part, the name, the service.
  for (const ctx of [local, email, 'morgan', 'Tester', 'morgantester', 'latchkey', 'Latchkey']) {
    list.add(ctx);
    list.add(`${ctx}2024`);
    list.add(`${ctx}-${pick(words)}-${pick(words)}`);
    list.add(`${pick(words)} ${ctx} ${pick(words)} ${pick(words)}`);
  }
  // Keyboard walks, sequences, repeats, dates, l33t.
  for (const p of ['qwertyuiopasdf', 'asdfghjkl;', 'zxcvbnm,./', '1qaz2wsx3edc', 'abcdefghijkl', '0123456789', 'aaaaaaaaaaaa',
    'abcabcabcabc', '19871225', '25.12.1987', 'P@ssw0rd!', 'p4$$w0rd', 'Tr0ub4dor&3', 'tr0ub4d0r', 'l3tm31n!', 'zyxwvutsrqpo']) list.add(p);
  // Unicode: NFKC forms, accents, CJK, emoji, spaces.
  for (const p of ['ｐａｓｓｗｏｒｄ', 'ﬁﬂﬃ straße', 'Ünïcödé pässwörd', 'пароль123', 'пароль надёжный длинный', '密码密码密码密码', '长城 长江 黄河 泰山',
    '🔑🔒🔓🗝️', '🐴🔋📎✔️ horse', 'café crème brûlée', 'ÅÄÖ åäö ÆØ æø', '   spaces   ', ' x ', 'tab\there\tpw', 'ℌ𝔢𝔩𝔩𝔬 𝔴𝔬𝔯𝔩𝔡']) list.add(p);
  // Long ones, around the maximum length.
  for (const n of [60, 64, 100, 200, 255, 256, 257, 300]) list.add(randomString(n));
  for (const n of [255, 256, 257]) list.add(`${pick(words)} `.repeat(60).slice(0, n));
  return [...list];
}

async function inBatches(items, size, fn) {
  const out = [];
  for (let i = 0; i < items.length; i += size) out.push(...(await Promise.all(items.slice(i, i + size).map(fn))));
  return out;
}

test('checkPassword with /auth/password-policy agrees with signup on every password of a varied list', async (t) => {
  const policyResponse = await call(server.base, 'GET', '/auth/password-policy');
  assert.equal(policyResponse.status, 200);
  const policy = policyResponse.body;
  const email = `policy-${process.pid}@example.com`;
  const list = passwords(email);
  assert.ok(list.length >= 200, `only ${list.length} passwords`);
  let accepted = 0;
  const mismatches = [];
  await inBatches(list.map((password, i) => ({ password, i })), 8, async ({ password, i }) => {
    // Each signup uses its own address with the same local part, so the context is the same.
    const address = email.replace('@', `+${i}@`);
    const local = checkPassword(password, policy, { context: [address, NAME] });
    const remote = await call(server.base, 'POST', '/auth/signup', { json: { email: address, password, name: NAME } });
    assert.ok(remote.status === 201 || remote.status === 422, `${JSON.stringify(password)}: HTTP ${remote.status} ${JSON.stringify(remote.body)}`);
    if (remote.status === 201) accepted += 1;
    if (local.acceptable !== (remote.status === 201)) mismatches.push({ password, local: local.reasons, server: remote.body });
    else if (remote.status === 422) {
      const serverReasons = remote.body.details?.reasons ?? remote.body.reasons;
      if (serverReasons) assert.deepEqual([...local.reasons].sort(), [...serverReasons].sort(), JSON.stringify(password));
    }
  });
  t.diagnostic(`${list.length} passwords, ${accepted} accepted by both`);
  assert.deepEqual(mismatches, []);
  // The list must exercise both answers.
  assert.ok(accepted >= 30 && accepted <= list.length - 30, `accepted ${accepted} of ${list.length}`);
});

test('passwordStrength gives the meter what it shows', () => {
  const weak = passwordStrength('password1');
  assert.equal(weak.acceptable, false);
  assert.ok(weak.score <= 1);
  assert.ok(weak.feedback.warning || weak.feedback.suggestions.length);
  const strong = passwordStrength('velvet quartz lantern nimbus', { userInputs: ['alice@example.com'] });
  assert.equal(strong.acceptable, true);
  assert.equal(strong.score, 4);
  assert.equal(passwordStrength('alice-velvet', { userInputs: ['alice@example.com'] }).reasons.includes('contains_context'), true);
});
