// One password scores the same at every entry point: `latchkey password
// strength`, `latchkey password check`, the package's passwordStrength and
// checkPassword, and signup on a live server. All of them estimate the NFKC
// form; the corpus (tests/vectors/strength-corpus.json plus fullwidth,
// mathematical, ligature and superscript forms of common passwords, the kind
// that scored differently) goes through each and the results are compared.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { init, passwordStrength, checkPassword } from '../../wasm/js/index.js';
import { startServer, call, uniqueEmail, repoRoot } from './helpers.mjs';

const binary = path.resolve(repoRoot, process.env.LATCHKEY_NATIVE_BUILD ?? 'build/native', 'native/latchkey');
const year = new Date().getUTCFullYear();

// Letters shifted into another Unicode block that NFKC folds back to ASCII.
const shift = (text, upper, lower, digit) =>
  [...text].map((c) => {
    if (c >= 'a' && c <= 'z') return String.fromCodePoint(lower + c.charCodeAt(0) - 97);
    if (c >= 'A' && c <= 'Z') return String.fromCodePoint(upper + c.charCodeAt(0) - 65);
    if (digit && c >= '0' && c <= '9') return String.fromCodePoint(digit + c.charCodeAt(0) - 48);
    return c;
  }).join('');
const fullwidth = (t) => shift(t, 0xff21, 0xff41, 0xff10);
const mathBold = (t) => shift(t, 0x1d400, 0x1d41a, 0x1d7ce);
const mathSans = (t) => shift(t, 0x1d5a0, 0x1d5ba, 0x1d7e2);

const SEEDS = ['password', 'password1', 'iloveyou', 'sunshine', 'dragon2024', 'letmein', 'monkey123', 'football',
  'Tr0ub4dor&3', 'correct horse battery staple', 'qwertyuiop', 'welcome1', 'princess', 'baseball1', 'shadow99'];

function corpus() {
  const file = JSON.parse(readFileSync(path.join(repoRoot, 'tests/vectors/strength-corpus.json'), 'utf8'));
  const plain = file.cases.map((c) => c.password).filter((p) => !/[\r\n]/.test(p));
  const forms = SEEDS.flatMap((s) => [fullwidth(s), mathBold(s), mathSans(s), s.replace(/fi/g, '\ufb01') + '\ufb01', `${s}\u00b2\u00b3`]);
  return { plain, forms, all: [...new Set([...forms, ...plain])] };
}

const cliLines = (args, passwords) =>
  execFileSync(binary, args, { input: passwords.join('\n') + '\n', encoding: 'utf8', maxBuffer: 256 << 20 })
    .trimEnd().split('\n').map((l) => JSON.parse(l));

let server;
let policy;
before(async () => {
  await init({ tools: true });
  server = await startServer(['--rate-signup', 'off', '--rate-signup-email', 'off']);
  policy = (await call(server.base, 'GET', '/auth/password-policy')).body;
});
after(async () => {
  await server?.stop();
});

test('the corpus has the forms NFKC changes', () => {
  const { forms } = corpus();
  assert.equal(forms.length, SEEDS.length * 5);
  assert.ok(forms.every((f) => f.normalize('NFKC') !== f));
});

test('`password strength --lines`, `password check --lines` and passwordStrength agree on every password', () => {
  const { all } = corpus();
  const strength = cliLines(['password', 'strength', '--lines'], all);
  const checked = cliLines(['password', 'check', '--lines'], all);
  assert.equal(strength.length, all.length);
  assert.equal(checked.length, all.length);
  const differ = [];
  all.forEach((password, i) => {
    const wasm = passwordStrength(password, { referenceYear: year });
    const cli = strength[i];
    const check = checked[i];
    const same = cli.score === wasm.score && Math.abs(cli.guesses_log10 - wasm.guessesLog10) < 1e-9 &&
      cli.acceptable === wasm.acceptable && JSON.stringify(cli.reasons) === JSON.stringify(wasm.reasons) &&
      check.acceptable === wasm.acceptable && (check.strength?.score ?? cli.score) === cli.score;
    if (!same) differ.push({ password, cli: cli.score, check: check.strength?.score, wasm: wasm.score });
  });
  assert.deepEqual(differ.slice(0, 10), [], `${differ.length} of ${all.length} differ`);
});

test('the NFKC forms score as their ASCII originals everywhere (ｐａｓｓｗｏｒｄ is not a strong password)', () => {
  const { forms } = corpus();
  const strength = cliLines(['password', 'strength', '--lines'], forms);
  const originals = cliLines(['password', 'strength', '--lines'], forms.map((f) => f.normalize('NFKC')));
  forms.forEach((form, i) => {
    assert.equal(strength[i].score, originals[i].score, form);
    assert.equal(passwordStrength(form, { referenceYear: year }).score, originals[i].score, form);
  });
  assert.equal(strength[0].score, 0, `${forms[0]} scores as "password"`);
});

test('signup on a live server gives the same verdict and score as checkPassword with the published policy', async () => {
  const { forms, plain } = corpus();
  // Every NFKC form, and a spread of the plain corpus (each signup hashes a password).
  const sample = [...forms, ...plain.filter((p, i) => i % 25 === 0 && Buffer.byteLength(p) <= 1024)];
  const differ = [];
  for (const password of sample) {
    const email = uniqueEmail('nfkc');
    const name = 'Corpus User';
    const local = checkPassword(password, policy, { context: [email, name], referenceYear: year });
    const response = await call(server.base, 'POST', '/auth/signup', { json: { email, password, name } });
    const accepted = response.status === 201;
    if (!accepted) assert.equal(response.status, 422, `${password}: ${JSON.stringify(response.body)}`);
    const serverScore = accepted ? null : response.body.score;
    const same = accepted === local.acceptable && (accepted || serverScore === undefined || serverScore === local.strength?.score);
    if (!same) differ.push({ password, server: accepted ? 'accepted' : serverScore, local: local.acceptable ? 'accepted' : local.strength?.score });
  }
  assert.deepEqual(differ, []);
  assert.ok(sample.length >= 150, `${sample.length} signups`);
});
