// The strength estimator and the password policy through the wasm build's JS
// entry: identical results to the native build on the whole corpus (scores,
// guesses, the chosen patterns, feedback codes), and the JS API's shape.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { init, estimateStrength, passwordStrength, checkPassword, passwordPolicy, AuthError } from '../../wasm/js/index.js';
import { loadVectors, nativeStrength, latchkeyCli } from './helpers.mjs';

before(() => init({ tools: true }));

const corpus = loadVectors('strength-corpus.json');

// What must be identical, in a form assert.deepEqual can compare.
const essence = (r) => ({
  score: r.score,
  guesses: r.guesses,
  length: r.length,
  sequence: r.sequence.map((m) => [m.pattern, m.i, m.j, m.token, m.guesses, m.dictionary_name ?? null, m.rank ?? null]),
  warning: r.feedback.warning?.code ?? null,
  suggestions: r.feedback.suggestions.map((s) => s.code),
});

test('the corpus gives identical results in wasm and native', () => {
  const native = nativeStrength('strength-corpus.json');
  assert.ok(corpus.cases.length >= 1500, `only ${corpus.cases.length} cases`);
  assert.equal(native.size, corpus.cases.length);
  const mismatches = [];
  for (const c of corpus.cases) {
    const wasm = estimateStrength(c.password, { userInputs: c.user_inputs ?? [], referenceYear: corpus.reference_year });
    const n = native.get(c.id);
    const [a, b] = [essence(wasm), essence(n)];
    try {
      assert.deepEqual(a, b);
      assert.ok(Math.abs(wasm.guessesLog10 - n.guesses_log10) < 1e-9);
    } catch {
      mismatches.push(`${c.id} ${JSON.stringify(c.password)}: wasm ${JSON.stringify(a)} native ${JSON.stringify(b)}`);
    }
  }
  assert.deepEqual(mismatches.slice(0, 5), []);
});

test('estimateStrength: shape, feedback with codes and English text', () => {
  const r = estimateStrength('password');
  assert.equal(r.score, 0);
  assert.deepEqual(r.feedback.warning.code, 'top_ten');
  assert.equal(typeof r.feedback.warning.text, 'string');
  assert.equal(r.feedback.suggestions[0].code, 'another_word');
  for (const key of ['onlineThrottled', 'onlineUnthrottled', 'offlineSlowHash', 'offlineFastHash']) {
    assert.equal(typeof r.crackTimes[key], 'number');
  }
  assert.equal(estimateStrength('correct horse battery staple').score, 4);
  // Code points: an emoji is one position.
  assert.equal(estimateStrength('caf\u00e9\u{1F511}').length, 5);
});

test('passwordStrength applies the default policy: acceptable and reasons', () => {
  const weak = passwordStrength('password1');
  assert.equal(weak.acceptable, false);
  assert.ok(weak.reasons.includes('blocklisted'));
  assert.ok(weak.reasons.includes('too_weak'));
  const strong = passwordStrength('correct horse battery staple');
  assert.equal(strong.acceptable, true);
  assert.deepEqual(strong.reasons, []);
  const personal = passwordStrength('Smithson-loves-kayaks-42', { userInputs: ['alice.smithson@example.com'] });
  assert.ok(personal.reasons.includes('contains_context'));
});

test('checkPassword with a published policy, and policy validation', () => {
  const policy = passwordPolicy({ min_length: 12 });
  assert.deepEqual(policy, { min_length: 12, max_length: 256, min_score: 3, blocklist: true, context_check: true, service_words: [] });
  assert.deepEqual(checkPassword('kayak-orbit', policy).reasons.slice(0, 1), ['too_short']);
  // The policy's service words count as context without being passed again.
  const withService = passwordPolicy({ service_words: ['Acmecorp'] });
  assert.deepEqual(checkPassword('Zebra-acmecorp-Quartz-91', withService).reasons, ['contains_context']);
  assert.equal(checkPassword('Zebra-acmecorp-Quartz-91', policy).acceptable, true);
  const tooLong = checkPassword('x'.repeat(300), policy);
  assert.deepEqual(tooLong.reasons, ['too_long']);
  assert.equal(tooLong.strength, null);
  assert.throws(() => passwordPolicy({ min_score: 7 }), (e) => e instanceof AuthError && e.code === 'password_policy_invalid');
  assert.throws(() => checkPassword('abc', { bogus: true }), (e) => e.code === 'password_policy_invalid');
});

test('lone surrogates are refused as invalid UTF-8', () => {
  assert.throws(() => estimateStrength('abc\uD800'), (e) => e instanceof AuthError && e.code === 'utf8_invalid');
});

test('the CLI gives the same verdict as wasm', () => {
  for (const password of ['password1', 'correct horse battery staple', 'Tr0ub4dor&3']) {
    const cli = latchkeyCli(['password', 'check', '--json'], password + '\n');
    const native = JSON.parse(cli.stdout);
    const wasm = checkPassword(password);
    assert.equal(native.acceptable, wasm.acceptable);
    assert.deepEqual(native.reasons, wasm.reasons);
    assert.equal(native.strength.score, wasm.strength.score);
    assert.equal(cli.status, wasm.acceptable ? 0 : 1);
  }
});

test('each matcher: the vectors of tests/vectors/strength-matchers.json', () => {
  const file = loadVectors('strength-matchers.json');
  for (const c of file.cases) {
    const r = estimateStrength(c.password, { referenceYear: file.reference_year });
    assert.equal(r.score, c.score, c.password);
    assert.equal(r.feedback.warning?.code ?? null, c.warning, c.password);
    assert.equal(r.sequence.length, c.sequence.length, c.password);
    c.sequence.forEach((expected, k) => {
      for (const [name, value] of Object.entries(expected)) assert.deepEqual(r.sequence[k][name], value, `${c.password} ${name}`);
    });
  }
});
