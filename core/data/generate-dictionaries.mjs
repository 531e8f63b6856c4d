// Generates core/data/strength_data.cc, the strength estimator's word lists and
// keyboard graphs, from the npm packages @zxcvbn-ts/language-common and
// @zxcvbn-ts/language-en (MIT; devDependencies). The output is deterministic:
// the same package versions give the same bytes.
// Usage: node core/data/generate-dictionaries.mjs [--check]
//   --check exits 1 when the file on disk differs from what would be generated.
//
// Encoding (see docs/password-policy.md): every word is stored once, lowercase,
// under the dictionary where it ranks best. Words are grouped by (dictionary,
// rank bucket, flags); a group holds its words sorted and front-coded (one byte
// of shared-prefix length, then the rest). Ranks up to 10 are exact, larger ones
// fall into buckets (a decade by default) and stand for their bucket's
// geometric mean. gzip then packs this far better than frequency-ordered lists.
// The size budget also cuts the tails of the big lists (CAPS below).
import fs from 'node:fs';
import zlib from 'node:zlib';
import path from 'node:path';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const here = path.dirname(fileURLToPath(import.meta.url));
const OUT = path.join(here, 'strength_data.cc');

const common = await import('@zxcvbn-ts/language-common');
const en = await import('@zxcvbn-ts/language-en');
const version = (name) => require(`${name}/package.json`).version;

// Dictionary ids: must match DictionaryId in core/src/strength/dictionary.h.
// zxcvbn-ts 4 ranks the diceware list like any other (its special diceware
// score is keyed to a name the language package does not use), so do we.
const MAIN_DICTS = ['diceware', 'passwords', 'commonWords', 'firstnames', 'lastnames', 'wikipedia'];
const SOURCE = {
  diceware: common.dictionary['diceware-common'],
  passwords: common.dictionary['passwords-common'],
  commonWords: en.dictionary['commonWords-en'],
  firstnames: en.dictionary['firstnames-en'],
  lastnames: en.dictionary['lastnames-en'],
  wikipedia: en.dictionary['wikipedia-en'],
};
const WORD_SEQUENCES = [
  'cardinalNumbers', 'ordinalNumbers', 'daysOfWeek', 'months', 'seasons', 'timePeriods', 'rainbowColors',
  'directions', 'intermediateDirections', 'sizeProgression', 'militaryAlphabet', 'planets', 'zodiacSigns',
  'chineseZodiac',
];
for (const name of WORD_SEQUENCES) SOURCE[name] = en.dictionary[`${name}-en`];
const GRAPHS = Object.keys(common.adjacencyGraphs); // zxcvbn-ts's order: it breaks ties

// How deep into each frequency list the estimator goes. The tails of the big
// lists cost the most bytes and match the fewest real passwords; the size
// budget of the wasm module (450 KB gzip in all) sets these.
// LK_CAPS and LK_STEPS (JSON) override them when exploring the trade-off.
const CAPS = process.env.LK_CAPS
  ? JSON.parse(process.env.LK_CAPS)
  : { diceware: Infinity, passwords: Infinity, commonWords: 25000, firstnames: Infinity, lastnames: 8000, wikipedia: 12000 };

// Rank buckets per decade, per list (ranks up to 10 are always exact).
const STEPS = process.env.LK_STEPS ? JSON.parse(process.env.LK_STEPS) : {};
const DEFAULT_STEPS = 1;

const FLAG_PASSWORD_LIST = 2;

const codePoints = (w) => [...w].length;

// Rank as zxcvbn ranks it: position + 1, and a word listed twice keeps its last position.
function ranks(list) {
  const map = new Map();
  list.forEach((word, index) => map.set(String(word), index + 1));
  for (const word of map.keys()) {
    if (word !== word.toLowerCase()) map.delete(word); // never matches a lowercased password
    if (/[\n\x00-\x08]/.test(word)) throw new Error(`control character in ${JSON.stringify(word)}`);
  }
  return map;
}

// A word of L code points ranked above 10^L never beats brute force over the same
// characters (10^L guesses), so the estimator would never pick it.
const useful = (word, rank) => rank <= 10 ** codePoints(word);

// Bucket upper bounds: 10, then round(10^(k/steps)), with `steps` buckets per decade.
function bucketOf(rank, steps) {
  if (rank <= 10) return [rank, rank];
  let k = steps;
  while (Math.round(10 ** (k / steps)) < rank) k += 1;
  return [Math.round(10 ** ((k - 1) / steps)) + 1, Math.round(10 ** (k / steps))];
}
function representative(lo, hi) {
  let sum = 0;
  for (let r = lo; r <= hi; r += 1) sum += Math.log(r);
  return Math.round(Math.exp(sum / (hi - lo + 1)));
}

const best = new Map(); // word -> {dict, rank, flags}
const entry = (word) => {
  if (!best.has(word)) best.set(word, { dict: -1, rank: Infinity, flags: 0 });
  return best.get(word);
};
[...MAIN_DICTS, ...WORD_SEQUENCES].forEach((name, dict) => {
  const cap = CAPS[name] ?? Infinity;
  for (const [word, rank] of ranks(SOURCE[name])) {
    if (name === 'passwords') entry(word).flags |= FLAG_PASSWORD_LIST;
    if (rank > cap || !useful(word, rank)) continue;
    const e = entry(word);
    if (rank < e.rank) Object.assign(e, { dict, rank });
  }
});
// Passwords too short to be useful to the estimator stay for the blocklist
// when they are long enough to matter there.
const groups = new Map();
for (const [word, e] of best) {
  if (e.dict < 0 && !(e.flags & FLAG_PASSWORD_LIST && codePoints(word) >= 5)) continue;
  let rank = 0;
  if (e.dict >= MAIN_DICTS.length) rank = e.rank; // word-sequence lists stay exact
  else if (e.dict >= 0) rank = representative(...bucketOf(e.rank, STEPS[MAIN_DICTS[e.dict]] ?? DEFAULT_STEPS));
  const key = `${e.dict + 1} ${rank} ${e.flags}`;
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(word);
}

const bytesCompare = (a, b) => Buffer.compare(Buffer.from(a), Buffer.from(b));
function frontCoded(words) {
  let previous = Buffer.alloc(0);
  let out = '';
  for (const word of words) {
    const bytes = Buffer.from(word);
    let k = 0;
    while (k < previous.length && k < bytes.length && k < 60 && previous[k] === bytes[k]) k += 1;
    out += String.fromCharCode(48 + k) + bytes.subarray(k).toString('latin1') + '\n';
    previous = bytes;
  }
  return out;
}

// Sections: \x02 groups, \x01 word-sequence lists (rank order), \x03 keyboard graphs.
let data = '';
const keyOrder = (a, b) => {
  const [x, y] = [a.split(' ').map(Number), b.split(' ').map(Number)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
};
let wordCount = 0;
for (const key of [...groups.keys()].sort(keyOrder)) {
  const words = groups.get(key).sort(bytesCompare);
  wordCount += words.length;
  data += `\x02${key}\n` + frontCoded(words);
}
WORD_SEQUENCES.forEach((name) => {
  data += `\x01${name}\n` + frontCoded([...ranks(SOURCE[name]).keys()]);
});
for (const name of GRAPHS) {
  const graph = common.adjacencyGraphs[name];
  data += `\x03${name}\n`;
  for (const [key, neighbours] of Object.entries(graph)) {
    data += Buffer.from([key, ...neighbours.map((n) => n ?? '')].join('\t')).toString('latin1') + '\n';
  }
}

// C++ source: string literals of at most ~3000 bytes (compilers need not take
// longer ones), octal escapes for everything but plain printable ASCII.
const bytes = Buffer.from(data, 'latin1');
const escape = (b) =>
  b >= 0x20 && b < 0x7f && b !== 0x22 && b !== 0x5c && b !== 0x3f ? String.fromCharCode(b) : '\\' + b.toString(8).padStart(3, '0');
const lines = [];
let chunk = [];
let chunkBytes = 0;
let line = '';
const flushLine = () => {
  if (line) chunk.push(`    "${line}"`);
  line = '';
};
const flushChunk = () => {
  flushLine();
  if (chunk.length) lines.push(chunk.join('\n') + ',');
  chunk = [];
  chunkBytes = 0;
};
for (const b of bytes) {
  line += escape(b);
  chunkBytes += 1;
  if (b === 0x0a || line.length >= 100) flushLine();
  if (chunkBytes >= 3000 && b === 0x0a) flushChunk();
}
flushChunk();

const out = `// Generated by core/data/generate-dictionaries.mjs: do not edit.
// Sources: @zxcvbn-ts/language-common ${version('@zxcvbn-ts/language-common')} and @zxcvbn-ts/language-en ${version('@zxcvbn-ts/language-en')} (MIT).
// ${wordCount} words, ${bytes.length} bytes. Format: see the generator.
#include "strength/data.h"

namespace latchkey::strength {

const std::string_view kDataChunks[] = {
${lines.join('\n')}
};
const std::size_t kDataChunkCount = sizeof(kDataChunks) / sizeof(kDataChunks[0]);

}  // namespace latchkey::strength
`;

if (process.argv.includes('--check')) {
  const current = fs.existsSync(OUT) ? fs.readFileSync(OUT, 'utf8') : '';
  if (current !== out) {
    console.error('core/data/strength_data.cc is out of date: run node core/data/generate-dictionaries.mjs');
    process.exit(1);
  }
  console.log(`core/data/strength_data.cc is up to date (${wordCount} words)`);
} else {
  fs.writeFileSync(OUT, out);
  const gz = zlib.gzipSync(bytes, { level: 9 }).length;
  console.log(`wrote core/data/strength_data.cc: ${wordCount} words, ${bytes.length} bytes, ${gz} gzipped`);
}
