// Agreement with zxcvbn-ts 4 (devDependency) on the generated corpus: the
// same score on at least 90% of passwords, within one step on at least 99%.
// Both run in this process with the same dictionaries, graphs and year; the
// figures per category are reported as diagnostics (see bench/README.md).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

import { init, estimateStrength } from '../../wasm/js/index.js';
import { loadVectors } from './helpers.mjs';

before(() => init({ tools: true }));

test('scores agree with zxcvbn-ts', (t) => {
  const corpus = loadVectors('strength-corpus.json');
  const zxcvbn = new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  const year = new Date().getFullYear();  // zxcvbn-ts reads the clock for its reference year
  const byCategory = new Map();
  let same = 0;
  let near = 0;
  for (const c of corpus.cases) {
    const reference = zxcvbn.check(c.password, c.user_inputs).score;
    const ours = estimateStrength(c.password, { userInputs: c.user_inputs ?? [], referenceYear: year }).score;
    const row = byCategory.get(c.category) ?? { n: 0, same: 0, near: 0 };
    row.n += 1;
    row.same += ours === reference ? 1 : 0;
    row.near += Math.abs(ours - reference) <= 1 ? 1 : 0;
    byCategory.set(c.category, row);
    same += ours === reference ? 1 : 0;
    near += Math.abs(ours - reference) <= 1 ? 1 : 0;
  }
  const n = corpus.cases.length;
  const pct = (x, total) => `${((100 * x) / total).toFixed(1)}%`;
  for (const [category, row] of byCategory) {
    t.diagnostic(`${category}: ${row.n} passwords, same score ${pct(row.same, row.n)}, within one ${pct(row.near, row.n)}`);
  }
  t.diagnostic(`all: ${n} passwords, same score ${pct(same, n)}, within one ${pct(near, n)}`);
  assert.ok(same / n >= 0.9, `same score on ${pct(same, n)}`);
  assert.ok(near / n >= 0.99, `within one on ${pct(near, n)}`);
});
