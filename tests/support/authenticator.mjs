// A software WebAuthn authenticator and client for the server tests: real
// key pairs from node:crypto (ES256, EdDSA, RS256), real attestation objects
// ("none") and assertions, answered in the shape of the browser's
// PublicKeyCredential.toJSON(). Every field a relying party checks can be
// spoiled through `spoil` to drive the failure paths.
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

import { encode } from './cbor.mjs';

const b64u = (bytes) => Buffer.from(bytes).toString('base64url');
const sha256 = (data) => createHash('sha256').update(data).digest();

const FLAG_UP = 0x01;
const FLAG_UV = 0x04;
const FLAG_BE = 0x08;
const FLAG_BS = 0x10;
const FLAG_AT = 0x40;

function keyPair(alg) {
  if (alg === -7) return generateKeyPairSync('ec', { namedCurve: 'P-256' });
  if (alg === -8) return generateKeyPairSync('ed25519');
  if (alg === -257) return generateKeyPairSync('rsa', { modulusLength: 2048 });
  throw new Error(`unsupported alg ${alg}`);
}

// The public key as a COSE_Key map (RFC 9053); `label` is the algorithm it
// claims (another one than the key's own, to test the refusal).
export function coseKey(publicKey, alg, label = alg) {
  const jwk = publicKey.export({ format: 'jwk' });
  const d = (text) => Buffer.from(text, 'base64url');
  if (alg === -7) return new Map([[1, 2], [3, label], [-1, 1], [-2, d(jwk.x)], [-3, d(jwk.y)]]);
  if (alg === -8) return new Map([[1, 1], [3, label], [-1, 6], [-2, d(jwk.x)]]);
  return new Map([[1, 3], [3, label], [-1, d(jwk.n)], [-2, d(jwk.e)]]);
}

function signWith(privateKey, alg, data) {
  if (alg === -7) return sign('sha256', data, { key: privateKey, dsaEncoding: 'der' });
  if (alg === -8) return sign(null, data, privateKey);
  return sign('sha256', data, privateKey);
}

export class SoftAuthenticator {
  /**
   * @param {{origin: string, rpId?: string, alg?: number, uv?: boolean, backupEligible?: boolean,
   *          backupState?: boolean, counter?: number | null}} options counter null: always 0 (synced passkeys)
   */
  constructor({ origin, rpId, alg = -7, uv = true, backupEligible = false, backupState = false, counter = 1 } = {}) {
    this.origin = origin;
    this.rpId = rpId ?? new URL(origin).hostname;
    this.alg = alg;
    this.uv = uv;
    this.backupEligible = backupEligible;
    this.backupState = backupState;
    this.counter = counter;
    this.credentials = []; // {id, keys, userHandle}
  }

  _flags(extra, spoil) {
    if (spoil.flags !== undefined) return spoil.flags;
    let flags = FLAG_UP | extra;
    if (this.uv) flags |= FLAG_UV;
    if (this.backupEligible) flags |= FLAG_BE;
    if (this.backupState) flags |= FLAG_BS;
    return flags;
  }

  _count(spoil) {
    if (spoil.counter !== undefined) return spoil.counter;
    if (this.counter === null) return 0;
    return this.counter++;
  }

  _clientData(type, challenge, spoil) {
    const data = {
      type: spoil.type ?? type,
      challenge: spoil.challenge ?? challenge,
      origin: spoil.origin ?? this.origin,
      crossOrigin: spoil.crossOrigin ?? false,
    };
    return Buffer.from(spoil.clientDataJSON ?? JSON.stringify(data));
  }

  _authData(flags, counter, attested, spoil) {
    const head = Buffer.alloc(37);
    sha256(spoil.rpId ?? this.rpId).copy(head, 0);
    head[32] = flags;
    head.writeUInt32BE(counter >>> 0, 33);
    return Buffer.concat([head, attested ?? Buffer.alloc(0), spoil.authDataTail ?? Buffer.alloc(0)]);
  }

  /** navigator.credentials.create() with the server's options JSON: the credential's toJSON(). */
  create(options, spoil = {}) {
    const keys = keyPair(spoil.alg ?? this.alg);
    const id = spoil.credentialId ?? randomBytes(32);
    const alg = spoil.alg ?? this.alg;
    const cose = spoil.coseKey ?? encode(coseKey(keys.publicKey, alg, spoil.coseAlg ?? alg));
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(id.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, id, cose]);
    const authData = this._authData(this._flags(FLAG_AT, spoil), this._count(spoil), attested, spoil);
    const attestation = spoil.attestationObject ??
      encode({ fmt: spoil.fmt ?? 'none', attStmt: spoil.attStmt ?? {}, authData });
    const clientDataJSON = this._clientData('webauthn.create', options.challenge, spoil);
    this.credentials.push({ id, keys, userHandle: Buffer.from(options.user.id, 'base64url') });
    return {
      id: b64u(spoil.rawId ?? id),
      rawId: b64u(spoil.rawId ?? id),
      type: spoil.credentialType ?? 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: { credProps: { rk: true } },
      response: {
        clientDataJSON: b64u(clientDataJSON),
        attestationObject: b64u(attestation),
        transports: ['internal'],
      },
    };
  }

  /** navigator.credentials.get(): an assertion by `credential` (default: the newest one made here). */
  get(options, spoil = {}, credential = this.credentials.at(-1)) {
    const clientDataJSON = this._clientData('webauthn.get', options.challenge, spoil);
    const authData = this._authData(this._flags(0, spoil), this._count(spoil), null, spoil);
    let signature = signWith(credential.keys.privateKey, this.alg, Buffer.concat([authData, sha256(clientDataJSON)]));
    if (spoil.signature) signature = spoil.signature(signature);
    return {
      id: b64u(spoil.credentialId ?? credential.id),
      rawId: b64u(spoil.credentialId ?? credential.id),
      type: 'public-key',
      authenticatorAttachment: 'platform',
      clientExtensionResults: {},
      response: {
        clientDataJSON: b64u(clientDataJSON),
        authenticatorData: b64u(authData),
        signature: b64u(signature),
        userHandle: b64u(spoil.userHandle ?? credential.userHandle),
      },
    };
  }
}
