// ECDSA P-256 over BigInt with a nonce derived from the key and the message
// (HMAC-SHA-256, not RFC 6979, but as reproducible), for the vector
// generators: the same inputs always give the same signature, so the
// generated files can be checked byte for byte (--check). Affine
// coordinates: slow, but only a few dozen signatures. Callers check each
// signature with node:crypto.
import { createHash, createHmac } from 'node:crypto';

export const P256 = {
  p: 0xffffffff00000001000000000000000000000000ffffffffffffffffffffffffn,
  n: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  g: [0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
    0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n],
};
const mod = (a, m) => ((a % m) + m) % m;
function modPow(b, e, m) {
  let r = 1n;
  for (b = mod(b, m); e > 0n; e >>= 1n, b = (b * b) % m) if (e & 1n) r = (r * b) % m;
  return r;
}
const modInv = (a, m) => modPow(a, m - 2n, m);
function pointAdd(P, Q) {
  if (P === null) return Q;
  if (Q === null) return P;
  const { p } = P256;
  if (P[0] === Q[0] && mod(P[1] + Q[1], p) === 0n) return null;
  const l = P[0] === Q[0] && P[1] === Q[1]
    ? mod(3n * (P[0] * P[0] - 1n) * modInv(2n * P[1], p), p)
    : mod((Q[1] - P[1]) * modInv(Q[0] - P[0], p), p);
  const x = mod(l * l - P[0] - Q[0], p);
  return [x, mod(l * (P[0] - x) - P[1], p)];
}
function scalarMult(k, P) {
  let R = null;
  for (let A = P; k > 0n; k >>= 1n, A = pointAdd(A, A)) if (k & 1n) R = pointAdd(R, A);
  return R;
}
export const toInt = (buf) => BigInt(`0x${buf.toString('hex')}`);
export const toBytes32 = (x) => Buffer.from(x.toString(16).padStart(64, '0'), 'hex');

/** The signature of `data` under the private scalar `d` (32 bytes): {r, s} as BigInt. */
export function signP256(d, data) {
  const { n } = P256;
  const e = toInt(createHash('sha256').update(data).digest());
  const k = mod(toInt(createHmac('sha256', d).update(data).digest()), n - 1n) + 1n;
  const r = mod(scalarMult(k, P256.g)[0], n);
  const s = mod(modInv(k, n) * (e + r * toInt(d)), n);
  return { r, s };
}
