// The passkey vectors through the wasm pk module (wasm/passkey_bindings.cc):
// every case must get the verdict and result that tests/core/webauthn_test.cc
// requires of the native build from the same file.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';

import { init } from '../../wasm/js/index.js';
import { loadedPk } from '../../wasm/js/core.js';
import { loadVectors } from './helpers.mjs';

before(() => init({ pk: true }));

for (const [name, minimum] of [['webauthn/cases.json', 90], ['webauthn/spec-level3.json', 10]]) {
  test(`passkey vectors ${name}: wasm verdicts and results equal the expected ones`, () => {
    const pk = loadedPk();
    const file = loadVectors(name);
    const rp = JSON.stringify(file.rp);
    assert.ok(file.cases.length >= minimum);
    const mismatches = [];
    for (const c of file.cases) {
      const expectation = JSON.stringify(c.expectation);
      const reply = JSON.parse(c.ceremony === 'registration'
        ? pk.verifyPasskeyRegistration(JSON.stringify(c.credential), rp, expectation)
        : pk.verifyPasskeyAssertion(JSON.stringify(c.credential), JSON.stringify(c.stored), rp, expectation));
      const verdict = reply.ok ? 'ok' : reply.code;
      if (verdict !== c.expect) {
        mismatches.push(`${c.id}: wasm ${verdict}, expected ${c.expect}`);
        continue;
      }
      if (!reply.ok) continue;
      for (const [member, value] of Object.entries(c.result)) {
        if (reply[member] !== value) mismatches.push(`${c.id}: ${member} ${reply[member]}, expected ${value}`);
      }
    }
    assert.deepEqual(mismatches, []);
  });
}

test('passkey bindings: malformed arguments are invalid_argument, a non-JSON credential passkey_response_invalid', () => {
  const pk = loadedPk();
  const rp = JSON.stringify({ id: 'example.test', origins: ['https://example.test'] });
  const expectation = JSON.stringify({ challenge: 'AAAA', require_user_verification: false });
  assert.equal(JSON.parse(pk.verifyPasskeyRegistration('{}', '[]', expectation)).code, 'invalid_argument');
  assert.equal(JSON.parse(pk.verifyPasskeyRegistration('{}', rp, '{"challenge":"+"}')).code, 'invalid_argument');
  assert.equal(JSON.parse(pk.verifyPasskeyAssertion('{}', '{}', rp, expectation)).code, 'invalid_argument');
  assert.equal(JSON.parse(pk.verifyPasskeyRegistration('not json', rp, expectation)).code, 'passkey_response_invalid');
});
