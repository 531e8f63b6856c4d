// Rebuilds the Wycheproof RSA PKCS#1 v1.5 and ECDSA P-256 vector files of tests/vectors/wycheproof/
// from Debian's nss source package, which ships them only as generated C headers
// (gtests/common/testvectors/*.h, made by its genTestVectors.py from Wycheproof's JSON files).
// RSA-PSS is shipped as Wycheproof's own JSON (gtests/common/wycheproof/source_vectors/) and copied
// unchanged. Node built-ins only. Usage:
//   mkdir -p build/nss && (cd build/nss && apt-get source --download-only nss && tar -xzf nss_*.orig.tar.gz)
//   node tests/vectors/gen/wycheproof-from-nss.mjs build/nss/nss-3.87.1/nss
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const nss = process.argv[2];
if (!nss) {
  console.error('usage: node tests/vectors/gen/wycheproof-from-nss.mjs NSS_SOURCE_DIR (the directory holding gtests/)');
  process.exit(2);
}
const outDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', 'wycheproof');
const headers = path.join(nss, 'gtests/common/testvectors');

const bytesHex = (braced) => Buffer.from((braced.match(/0x[0-9a-f]{2}/gi) || []).map((b) => parseInt(b, 16))).toString('hex');

// Entries as genTestVectors.py writes them: comment, tcID, {oid, id, {sig}, key, {msg}, valid}.
function entries(text) {
  const re = /\/\/ Comment:([^\n]*)\n((?:[ \t]*\/\/ (?!tcID)[^\n]*\n)*)[ \t]*\/\/ tcID: (\d+)\n\s*\{SEC_OID_SHA256,\s*(\d+),\s*(\{[^}]*\}),\s*(pub_key_\d+|\{[^}]*\}),\s*(\{[^}]*\}),\s*(true|false)\}/g;
  const out = [];
  for (const m of text.matchAll(re)) {
    const comment = (m[1] + ' ' + m[2].replace(/^[ \t]*\/\/ ?/gm, '').replace(/\n/g, ' ')).replace(/\s+/g, ' ').trim();
    if (m[3] !== m[4]) throw new Error(`tcID ${m[3]} and id ${m[4]} differ`);
    out.push({ tcId: Number(m[3]), comment, sig: bytesHex(m[5]), key: m[6], msg: bytesHex(m[7]), result: m[8] === 'true' ? 'valid' : 'invalid' });
  }
  return out;
}

// Minimal DER reader for the two SPKI shapes and ECDSA-Sig-Value (strict: short or long lengths, minimal).
function derItem(buf, at) {
  const tag = buf[at];
  let len = buf[at + 1];
  let head = 2;
  if (len & 0x80) {
    const n = len & 0x7f;
    if (n === 0 || n > 2) return null;
    len = 0;
    for (let i = 0; i < n; i++) len = (len << 8) | buf[at + 2 + i];
    if (len < 0x80 || (n === 2 && len < 0x100)) return null;
    head += n;
  }
  if (at + head + len > buf.length) return null;
  return { tag, body: buf.subarray(at + head, at + head + len), end: at + head + len };
}

function rsaPublicKey(spkiHex) {
  const spki = Buffer.from(spkiHex, 'hex');
  const seq = derItem(spki, 0);
  const alg = derItem(seq.body, 0);
  const bits = derItem(seq.body, alg.end);
  const rsa = derItem(bits.body, 1); // skip the unused-bits octet
  const n = derItem(rsa.body, 0);
  const e = derItem(rsa.body, n.end);
  const strip = (b) => Buffer.from(b).toString('hex').replace(/^(00)+/, '');
  return { n: strip(n.body), e: strip(e.body) };
}

// ECDSA-Sig-Value in strict DER to r || s (32 bytes each); null when the DER is not strict
// (such cases test the DER parser, which JWS never uses) or r or s does not fit in 32 bytes.
function p1363(sigHex) {
  const sig = Buffer.from(sigHex, 'hex');
  const seq = derItem(sig, 0);
  if (!seq || seq.tag !== 0x30 || seq.end !== sig.length) return null;
  const parts = [];
  let at = 0;
  for (let i = 0; i < 2; i++) {
    const int = seq.body.length > at ? derItem(seq.body, at) : null;
    if (!int || int.tag !== 0x02 || int.body.length === 0) return null;
    const b = int.body;
    if (b[0] & 0x80) return null; // negative
    if (b.length > 1 && b[0] === 0 && !(b[1] & 0x80)) return null; // not minimal
    const value = b[0] === 0 && b.length > 1 ? b.subarray(1) : b;
    if (value.length > 32) return null;
    parts.push(Buffer.concat([Buffer.alloc(32 - value.length), value]).toString('hex'));
    at = int.end;
  }
  if (at !== seq.body.length) return null;
  return parts.join('');
}

const source = (file) => `Debian source package nss 3.87.1, gtests/common/testvectors/${file}, generated there from Project Wycheproof (testvectors/`;

// RSA PKCS#1 v1.5, SHA-256, 2048-bit keys.
{
  const file = 'rsa_signature_2048_sha256-vectors.h';
  const text = fs.readFileSync(path.join(headers, file), 'utf8');
  const keys = new Map([...text.matchAll(/static const std::vector<uint8_t> (pub_key_\d+)(\{[^}]*\});/g)].map((m) => [m[1], bytesHex(m[2])]));
  const groups = new Map();
  for (const t of entries(text)) {
    const der = keys.get(t.key);
    if (!der) throw new Error(`unknown key ${t.key}`);
    if (!groups.has(der)) groups.set(der, { type: 'RsassaPkcs1Verify', sha: 'SHA-256', ...rsaPublicKey(der), publicKeyDer: der, tests: [] });
    groups.get(der).tests.push({ tcId: t.tcId, comment: t.comment, msg: t.msg, sig: t.sig, result: t.result });
  }
  write('rsa_signature_2048_sha256_nss.json', {
    algorithm: 'RSASSA-PKCS1-v1_5',
    source: `${source(file)}rsa_signature_2048_sha256_test.json); converted back to JSON by tests/vectors/gen/wycheproof-from-nss.mjs`,
    notes: 'result is NSS\'s verdict: Wycheproof "valid" is valid; "acceptable" cases are invalid except SmallModulus/SmallPublicKey ones.',
    testGroups: [...groups.values()],
  });
}

// ECDSA P-256 with SHA-256: the DER file turned into the IEEE P1363 form JWS uses.
{
  const file = 'p256ecdsa-sha256-vectors.h';
  const text = fs.readFileSync(path.join(headers, file), 'utf8');
  const groups = new Map();
  let dropped = 0;
  for (const t of entries(text)) {
    const der = bytesHex(t.key);
    const sig = p1363(t.sig);
    if (sig === null) { dropped++; continue; }
    if (!der.startsWith('3059301306072a8648ce3d020106082a8648ce3d030107034200' + '04')) throw new Error(`tcId ${t.tcId}: not an uncompressed P-256 SPKI`);
    const point = der.slice(-128);
    if (!groups.has(der)) groups.set(der, { type: 'EcdsaP1363Verify', sha: 'SHA-256', publicKey: { curve: 'secp256r1', wx: point.slice(0, 64), wy: point.slice(64) }, publicKeyDer: der, tests: [] });
    groups.get(der).tests.push({ tcId: t.tcId, comment: t.comment, msg: t.msg, sig, result: t.result });
  }
  write('ecdsa_secp256r1_sha256_p1363_nss.json', {
    algorithm: 'ECDSA',
    source: `${source(file)}ecdsa_secp256r1_sha256_test.json); converted by tests/vectors/gen/wycheproof-from-nss.mjs`,
    notes: `Signatures turned from strict DER into r || s (P1363, as in JWS). ${dropped} cases whose DER is not strict, or whose r or s does not fit in 32 bytes, test a DER parser and were left out.`,
    testGroups: [...groups.values()],
  });
}

fs.copyFileSync(path.join(nss, 'gtests/common/wycheproof/source_vectors/rsa_pss_2048_sha256_mgf1_32_test.json'),
  path.join(outDir, 'rsa_pss_2048_sha256_mgf1_32_test.json'));

function write(name, doc) {
  doc.numberOfTests = doc.testGroups.reduce((n, g) => n + g.tests.length, 0);
  fs.writeFileSync(path.join(outDir, name), JSON.stringify(doc, null, 1) + '\n');
  const counts = {};
  for (const g of doc.testGroups) for (const t of g.tests) counts[t.result] = (counts[t.result] || 0) + 1;
  console.log(`${name}: ${doc.numberOfTests} tests in ${doc.testGroups.length} groups`, counts, doc.notes);
}
