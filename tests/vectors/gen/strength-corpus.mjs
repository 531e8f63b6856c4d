// Latchkey test-vector generator: a varied corpus of passwords for the strength
// estimator. Used three ways: the native and wasm builds must give identical
// results on it; the agreement test compares scores with zxcvbn-ts; the
// benchmark times it. Words come from the same npm packages the estimator's
// lists come from, sampled across all ranks (also ranks the estimator does
// not keep), so the agreement figure includes what the size budget costs.
// Deterministic: a seeded generator, no clock.
// Usage: node tests/vectors/gen/strength-corpus.mjs [--check]
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import * as common from '@zxcvbn-ts/language-common';
import * as en from '@zxcvbn-ts/language-en';

const OUT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'strength-corpus.json');
const REFERENCE_YEAR = 2026;

// mulberry32: small, seedable, good enough to sample with.
let state = 0x1a7c4e11;
function random() {
  state = (state + 0x6d2b79f5) | 0;
  let t = Math.imul(state ^ (state >>> 15), 1 | state);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const int = (lo, hi) => lo + Math.floor(random() * (hi - lo + 1));
const pick = (list) => list[Math.floor(random() * list.length)];
// Half uniform over ranks, half log-uniform (frequent words are used more).
const sample = (list) => (random() < 0.5 ? pick(list) : list[Math.floor(Math.exp(random() * Math.log(list.length)))]);

const passwords = common.dictionary['passwords-common'].map(String);
const diceware = common.dictionary['diceware-common'].map(String);
const words = en.dictionary['commonWords-en'].map(String);
const wiki = en.dictionary['wikipedia-en'].map(String);
const first = en.dictionary['firstnames-en'].map(String);
const last = en.dictionary['lastnames-en'].map(String);

const cases = [];
const seen = new Set();
function add(category, password, userInputs) {
  if (!password || seen.has(password)) return false;
  seen.add(password);
  const c = { id: `${category}-${cases.filter((x) => x.category === category).length + 1}`, category, password };
  if (userInputs) c.user_inputs = userInputs;
  cases.push(c);
  return true;
}
function repeat(category, count, make) {
  let made = 0;
  for (let tries = 0; made < count && tries < count * 20; tries += 1) if (add(category, ...[make()].flat())) made += 1;
}

const L33T = { a: ['4', '@'], e: ['3'], i: ['1', '!'], o: ['0'], s: ['$', '5'], t: ['7', '+'], l: ['1'], g: ['9'], b: ['8'] };
const l33t = (w) => [...w].map((c) => (L33T[c] && random() < 0.7 ? pick(L33T[c]) : c)).join('');
const capitalize = (w) => w.charAt(0).toUpperCase() + w.slice(1);
const digits = (n) => Array.from({ length: n }, () => int(0, 9)).join('');
const year = () => String(int(1950, 2025));
function mutate(w) {
  switch (int(0, 9)) {
    case 0: return capitalize(w);
    case 1: return w.toUpperCase();
    case 2: return l33t(w);
    case 3: return [...w].reverse().join('');
    case 4: return w + digits(int(1, 4));
    case 5: return capitalize(w) + year();
    case 6: return w + pick(['!', '?', '#', '.', '123', '!!']);
    case 7: return capitalize(l33t(w)) + digits(int(1, 3));
    case 8: return w.replace(/[aeiou]/g, (c) => (random() < 0.5 ? c.toUpperCase() : c));
    default: return digits(int(1, 3)) + w;
  }
}

// Common passwords across all ranks, as they are and slightly changed.
repeat('common', 200, () => sample(passwords));
repeat('common-mutated', 150, () => mutate(sample(passwords)));
// Words and names, mutated.
repeat('word-mutated', 300, () => mutate(sample(pick([words, words, wiki, first, last]))));
// Keyboard walks: random walks on the graphs, sometimes shifted.
const graphs = common.adjacencyGraphs;
repeat('keyboard', 150, () => {
  const graph = graphs[pick(['qwerty', 'qwerty', 'qwertz', 'azerty', 'dvorak', 'keypad'])];
  let key = pick(Object.keys(graph));
  let direction = int(0, 5);
  let out = key;
  const length = int(4, 14);
  while (out.length < length) {
    if (random() < 0.25) direction = int(0, graph[key].length - 1);
    const next = graph[key][direction];
    if (!next) {
      direction = int(0, graph[key].length - 1);
      continue;
    }
    key = next[0];
    out += random() < 0.15 && next.length > 1 ? next[1] : key;
  }
  return random() < 0.3 ? out + digits(int(1, 3)) : out;
});
for (const walk of ['qwertyuiop', '1qaz2wsx', 'zxcvbnm', 'asdfghjkl;', 'qazwsxedc', '!QAZ2wsx', '147852369', 'poiuytrewq']) add('keyboard', walk);
// Dates and years, alone and with words.
const pad = (n) => String(n).padStart(2, '0');
repeat('date', 150, () => {
  const [d, m, y] = [int(1, 28), int(1, 12), int(1940, 2030)];
  const sep = pick(['', '', '.', '/', '-', '_', ' ']);
  const yy = random() < 0.4 ? pad(y % 100) : String(y);
  const date = pick([[pad(d), pad(m), yy], [pad(m), pad(d), yy], [yy, pad(m), pad(d)], [String(d), String(m), yy]]).join(sep);
  return random() < 0.4 ? sample(first).toLowerCase() + date : date;
});
// Repeats: characters, units, words.
repeat('repeat', 100, () => {
  switch (int(0, 3)) {
    case 0: return pick(['a', 'z', '1', '!', 'x', '0']).repeat(int(4, 16));
    case 1: return (pick(['ab', 'abc', '123', 'xo', 'qwe', '69']) ).repeat(int(2, 6));
    case 2: return sample(words).repeat(int(2, 3));
    default: return sample(words).repeat(2) + digits(int(1, 3));
  }
});
// Sequences.
repeat('sequence', 80, () => {
  const alphabets = ['abcdefghijklmnopqrstuvwxyz', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ', '0123456789', 'αβγδεζηθικλμνξοπρστυφχψω', 'абвгдежзийклмнопрстуфхцчшщ'];
  const alphabet = [...pick(alphabets)];
  const step = pick([1, 1, 1, 2, 3]);
  const length = int(4, 10);
  const start = int(0, Math.max(0, alphabet.length - 1 - step * (length - 1)));
  let out = Array.from({ length }, (_, k) => alphabet[start + k * step]).filter(Boolean);
  if (random() < 0.3) out = out.reverse();
  return out.join('') + (random() < 0.3 ? sample(words) : '');
});
// Random strings of several alphabets and lengths.
const LOWER = 'abcdefghijklmnopqrstuvwxyz';
const ALNUM = LOWER + LOWER.toUpperCase() + '0123456789';
const PRINTABLE = ALNUM + '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~ ';
repeat('random', 300, () => {
  const alphabet = pick([LOWER, ALNUM, ALNUM, PRINTABLE]);
  return Array.from({ length: int(6, 24) }, () => pick(alphabet)).join('');
});
// Passphrases: 2 to 5 words, joined several ways.
repeat('passphrase', 300, () => {
  const list = pick([words, diceware, diceware, wiki]);
  const parts = Array.from({ length: int(2, 5) }, () => sample(list));
  switch (int(0, 4)) {
    case 0: return parts.join(' ');
    case 1: return parts.join('-');
    case 2: return parts.join('');
    case 3: return parts.map(capitalize).join('');
    default: return parts.join(pick(['.', '_', '1', '!'])) + digits(int(0, 2));
  }
});
// Unicode: accents, other scripts, CJK, emoji.
const ACCENTED = ['café', 'über', 'señor', 'naïve', 'résumé', 'crème', 'straße', 'smörgåsbord', 'façade', 'jalapeño', 'Ångström', 'Zoë', 'Müller', 'François', 'Æsir', 'øre'];
const SCRIPTS = ['пароль', 'привет', 'москва', 'λόγος', 'καλημέρα', '密码', '你好世界', 'パスワード', 'ありがとう', '비밀번호', 'שלום', 'مرحبا', 'नमस्ते', 'ไทย'];
const EMOJI = ['🔑', '🐱', '🚀', '❤️', '😀', '🎉', '🌈', '👍🏽'];
repeat('unicode', 150, () => {
  switch (int(0, 4)) {
    case 0: return mutate(pick(ACCENTED).toLowerCase()) + (random() < 0.5 ? digits(2) : '');
    case 1: return pick(SCRIPTS) + digits(int(0, 4));
    case 2: return sample(words) + pick(EMOJI) + (random() < 0.5 ? pick(EMOJI) : '');
    case 3: return pick(SCRIPTS) + pick(SCRIPTS) + pick(EMOJI);
    default: return Array.from({ length: int(4, 12) }, () => String.fromCodePoint(int(0x4e00, 0x9fff))).join('');
  }
});
// The user's own details in the password.
repeat('user-input', 70, () => {
  const [f, l] = [sample(first), sample(last)];
  const email = `${f}.${l}@example.com`;
  const password = pick([f + l, capitalize(l) + digits(4), f + '@' + year(), l + 'latchkey' + digits(2), `${f}.${l}`]);
  return [password, [email, `${capitalize(f)} ${capitalize(l)}`, 'latchkey']];
});
// Long inputs, up to and past the estimator's bound.
repeat('long', 30, () => {
  const parts = Array.from({ length: int(8, 40) }, () => (random() < 0.5 ? sample(words) : digits(int(2, 6))));
  return parts.join(pick(['', ' ', '-'])).slice(0, int(40, 300));
});

const out = JSON.stringify({ description: 'Password corpus for the strength estimator (tests/vectors/gen/strength-corpus.mjs).', reference_year: REFERENCE_YEAR, cases }, null, 1) + '\n';
if (process.argv.includes('--check')) {
  if (!fs.existsSync(OUT) || fs.readFileSync(OUT, 'utf8') !== out) {
    console.error('tests/vectors/strength-corpus.json is out of date: run node tests/vectors/gen/strength-corpus.mjs');
    process.exit(1);
  }
  console.log(`tests/vectors/strength-corpus.json is up to date (${cases.length} cases)`);
} else {
  fs.writeFileSync(OUT, out);
  console.log(`wrote tests/vectors/strength-corpus.json: ${cases.length} cases`);
}
