// The strength benchmark's inputs: for each length (8, 16, 32, 64 code
// points), 200 passwords cut from concatenations of the test corpus
// (tests/vectors/strength-corpus.json), so each class mixes words, dates,
// walks, random strings and Unicode; plus adversarial inputs at the 256 code
// point bound. Deterministic. Prints JSON: {lengths: {8: [...], ...}, worst: [...]}.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = JSON.parse(fs.readFileSync(path.join(root, 'tests/vectors/strength-corpus.json'), 'utf8'));
const pool = corpus.cases.map((c) => [...c.password]);

let state = 0x5eed1234;
const random = () => {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const pick = (list) => list[Math.floor(random() * list.length)];

export function benchCorpus(perLength = 200) {
  const lengths = {};
  for (const length of [8, 16, 32, 64]) {
    const list = [];
    while (list.length < perLength) {
      let points = [];
      while (points.length < length) points = points.concat(pick(pool));
      list.push(points.slice(0, length).join(''));
    }
    lengths[length] = list;
  }
  const l33t = '4@8(6#3!1|0$5+7%2';
  const worst = [
    'a'.repeat(256),
    'ab'.repeat(128),
    '1'.repeat(256),
    l33t.repeat(16).slice(0, 256),
    'p4$$w0rd'.repeat(32),
    Array.from({ length: 256 }, (_, k) => String.fromCharCode(33 + ((k * 37) % 94))).join(''),
    '0123456789'.repeat(26).slice(0, 256),
    '19911991'.repeat(32),
    'qwertyuiop'.repeat(26).slice(0, 256),
    Array.from({ length: 64 }, () => pick(pool).join('')).join('').slice(0, 1000),
  ];
  return { lengths, worst };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(JSON.stringify(benchCorpus()) + '\n');
}
