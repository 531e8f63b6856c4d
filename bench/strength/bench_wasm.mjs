// Wasm timing of the estimator through the package's JS entry (embind copies
// and JSON included), and zxcvbn-ts 4 in the same Node process on the same
// passwords. Usage: node bench/strength/bench_wasm.mjs [rounds]
import { performance } from 'node:perf_hooks';
import { ZxcvbnFactory } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

import { init, estimateStrength } from '../../wasm/js/index.js';
import { benchCorpus } from './corpus.mjs';

const rounds = Number(process.argv[2] ?? 3);
const { lengths, worst } = benchCorpus();
const percentile = (values, p) => {
  const v = [...values].sort((a, b) => a - b);
  return v[Math.round(p * (v.length - 1))];
};
const time = (fn) => {
  const start = performance.now();
  fn();
  return (performance.now() - start) * 1000;  // microseconds
};

let start = performance.now();
await init({ tools: true });
estimateStrength('warm up: builds the dictionary index');
console.log(`wasm: init + first call (index build) ${(performance.now() - start).toFixed(1)} ms`);
start = performance.now();
const zxcvbn = new ZxcvbnFactory({ dictionary: { ...common.dictionary, ...en.dictionary }, graphs: common.adjacencyGraphs, translations: en.translations });
zxcvbn.check('warm up');
console.log(`zxcvbn-ts: setup + first call ${(performance.now() - start).toFixed(1)} ms`);

// Warm-up: V8 compiles wasm (and JS) in tiers; measure the optimised code.
for (const passwords of Object.values(lengths)) {
  for (const p of passwords.slice(0, 100)) {
    estimateStrength(p);
    zxcvbn.check(p);
  }
}

console.log('length  passwords  wasm p50 us  wasm p99 us  zxcvbn-ts p50 us  zxcvbn-ts p99 us  speed-up (total time)');
for (const [length, passwords] of Object.entries(lengths)) {
  const ours = [];
  const theirs = [];
  for (let r = 0; r < rounds; r += 1) {
    for (const p of passwords) ours.push(time(() => estimateStrength(p)));
    for (const p of passwords) theirs.push(time(() => zxcvbn.check(p)));
  }
  const sum = (v) => v.reduce((a, b) => a + b, 0);
  console.log(
    `${length.padStart(6)}  ${String(passwords.length).padStart(9)}  ${percentile(ours, 0.5).toFixed(1).padStart(11)}  ${percentile(ours, 0.99).toFixed(1).padStart(11)}  ` +
      `${percentile(theirs, 0.5).toFixed(1).padStart(16)}  ${percentile(theirs, 0.99).toFixed(1).padStart(16)}  ${(sum(theirs) / sum(ours)).toFixed(1).padStart(8)}x`,
  );
}
let slowest = 0;
for (const p of worst) slowest = Math.max(slowest, Math.min(...Array.from({ length: rounds }, () => time(() => estimateStrength(p)))));
console.log(`wasm: slowest adversarial input (256 code points): ${(slowest / 1000).toFixed(2)} ms`);
