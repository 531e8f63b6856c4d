// The verifier's required assurance level from JS (issue 12): createVerifier's
// `requiredAal` and requireAuth's 403 for a token without the second factor.
// The verdict table itself runs in both builds from tests/vectors/jwt-cases.json.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { init, createVerifier, requireAuth, signJwt, generateEd25519Jwk, publicJwk, AuthError } from '../../wasm/js/index.js';

let key;
let jwks;
const now = Math.floor(Date.now() / 1000);
const token = (aal) => signJwt(key, { sub: 'user-1', iat: now, exp: now + 600, ...(aal === undefined ? {} : { aal }) });

before(async () => {
  await init({ tools: true });
  key = generateEd25519Jwk();
  jwks = { keys: [publicJwk(key)] };
});

test('requiredAal: aal2 and above pass, aal1, none or an unknown level fail with insufficient_aal', () => {
  const verifier = createVerifier({ jwks, requiredAal: 'aal2' });
  try {
    assert.equal(verifier.verify(token('aal2')).valid, true);
    assert.equal(verifier.verify(token('aal2')).claims.aal, 'aal2');
    assert.equal(verifier.verify(token('aal3')).valid, true);
    assert.deepEqual(verifier.verify(token('aal1')), { valid: false, code: 'insufficient_aal' });
    assert.deepEqual(verifier.verify(token()), { valid: false, code: 'insufficient_aal' });
    assert.deepEqual(verifier.verify(token('AAL2')), { valid: false, code: 'insufficient_aal' });
    assert.deepEqual(verifier.verify(token(2)), { valid: false, code: 'token_claim_invalid' });
  } finally {
    verifier.dispose();
  }
  // The snake_case spelling of the JSON configuration works too.
  const snake = createVerifier({ jwks, required_aal: 'aal2' });
  assert.equal(snake.verify(token('aal1')).code, 'insufficient_aal');
  snake.dispose();
  // Without the option, aal is not looked at.
  const plain = createVerifier({ jwks });
  assert.equal(plain.verify(token()).valid, true);
  assert.equal(plain.verify(token('aal1')).valid, true);
  plain.dispose();
});

test('a wrong requiredAal is verifier_config_invalid naming the option as JS spells it', () => {
  for (const wrong of ['aal4', 'AAL2', 2, '', null]) {
    assert.throws(() => createVerifier({ jwks, requiredAal: wrong }), (error) => {
      assert.ok(error instanceof AuthError);
      assert.equal(error.code, 'verifier_config_invalid');
      assert.equal(error.details.option, 'requiredAal');
      assert.match(error.message, /^createVerifier: option "requiredAal" must be "aal1", "aal2" or "aal3", not /);
      return true;
    });
  }
  assert.throws(() => createVerifier({ jwks, requiredAAL: 'aal2' }),
    (error) => error.details.reason === 'is not an option; did you mean "requiredAal"?');
});

test('requireAuth({requiredAal}) answers 403 with RFC 9470 insufficient_user_authentication', async () => {
  const guard = requireAuth({ jwks, typ: null, requiredAal: 'aal2' });
  try {
    await guard.ready;
    const low = await guard.check(`Bearer ${token('aal1')}`);
    assert.equal(low.ok, false);
    assert.equal(low.status, 403);
    assert.equal(low.error, 'insufficient_aal');
    assert.match(low.headers['WWW-Authenticate'], /^Bearer error="insufficient_user_authentication"/);
    const high = await guard.check(`Bearer ${token('aal2')}`);
    assert.equal(high.ok, true);
    assert.equal(high.claims.aal, 'aal2');
    // A bad token is still a 401, not a step-up.
    const forged = await guard.check(`Bearer ${token('aal2').slice(0, -4)}AAAA`);
    assert.equal(forged.status, 401);
  } finally {
    await guard.dispose();
  }
  const wrong = requireAuth({ jwks, requiredAal: 'aal9' });
  await assert.rejects(wrong.ready, (error) => error.code === 'verifier_config_invalid' && error.details.option === 'requiredAal');
});
