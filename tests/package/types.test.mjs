// The TypeScript declarations: the AuthErrorCode union is exactly the error
// table, and a strict typed example compiles (tsc --noEmit).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import path from 'node:path';

import { init, errorTable } from '../../wasm/js/index.js';
import { repoRoot } from './helpers.mjs';

const here = path.join(repoRoot, 'tests/package');

function tableCodes() {
  const text = readFileSync(path.join(repoRoot, 'core/include/latchkey/error_codes.def'), 'utf8');
  return [...text.matchAll(/^LATCHKEY_ERROR\(\w+, "([a-z0-9_]+)"/gm)].map((m) => m[1]).filter((c) => c !== 'ok');
}

function unionCodes() {
  const text = readFileSync(path.join(repoRoot, 'wasm/js/index.d.ts'), 'utf8');
  const block = /export type AuthErrorCode =([^;]*);/.exec(text);
  assert.ok(block, 'AuthErrorCode not found in index.d.ts');
  return [...block[1].matchAll(/'([a-z0-9_]+)'/g)].map((m) => m[1]);
}

test('AuthErrorCode in index.d.ts lists exactly the error table (but ok)', async () => {
  const table = tableCodes();
  const union = unionCodes();
  assert.ok(table.length > 40);
  assert.deepEqual([...union].sort(), [...table].sort());
  // And the wasm build carries the same table.
  await init();
  assert.deepEqual(errorTable().map((r) => r.code).filter((c) => c !== 'ok').sort(), [...table].sort());
});

test('the strict typed example type-checks against the declarations', () => {
  const tsc = path.join(repoRoot, 'node_modules/typescript/bin/tsc');
  try {
    execFileSync(process.execPath, [tsc, '-p', path.join(here, 'tsconfig.json')], { encoding: 'utf8', stdio: 'pipe' });
  } catch (error) {
    assert.fail(`tsc failed:\n${error.stdout}${error.stderr}`);
  }
});
