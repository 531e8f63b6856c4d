// CORS over real HTTP: preflights from allowed origins get 204 and the full
// set of headers; preflights from any other origin get a clear 403
// origin_not_allowed instead of a bare 404; --dev allows local pages on any
// port; --cors-origin refuses values that can never match an Origin header.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer, call, repoRoot } from './server.mjs';

const binary = path.resolve(repoRoot, process.env.LATCHKEY_NATIVE_BUILD ?? 'build/native', 'native/latchkey');

let strict; // --cors-origin https://app.example and a port wildcard
let dev; // --dev only

before(async () => {
  strict = await startServer(['--cors-origin', 'https://app.example', '--cors-origin', 'http://lan.example:*']);
  dev = await startServer(['--dev']);
});
after(async () => {
  await strict?.stop();
  await dev?.stop();
});

const preflight = (base, origin, path = '/auth/login', method = 'POST') =>
  call(base, 'OPTIONS', path, {
    headers: { Origin: origin, 'Access-Control-Request-Method': method, 'Access-Control-Request-Headers': 'authorization, content-type' },
  });

function assertGranted(response, origin) {
  assert.equal(response.status, 204);
  assert.equal(response.headers.get('access-control-allow-origin'), origin);
  assert.match(response.headers.get('access-control-allow-methods'), /\bPOST\b/);
  assert.match(response.headers.get('access-control-allow-methods'), /\bPATCH\b/);
  assert.match(response.headers.get('access-control-allow-methods'), /\bDELETE\b/);
  assert.match(response.headers.get('access-control-allow-headers'), /Authorization/);
  assert.match(response.headers.get('access-control-allow-headers'), /Content-Type/);
  assert.equal(response.headers.get('access-control-max-age'), '600');
  assert.match(response.headers.get('vary') ?? '', /Origin/);
}

function assertRefused(response) {
  assert.equal(response.status, 403);
  assert.equal(response.body.error, 'origin_not_allowed');
  assert.match(response.body.message, /--cors-origin/);
  assert.equal(response.headers.get('access-control-allow-origin'), null);
  assert.equal(response.headers.get('access-control-allow-methods'), null);
  assert.match(response.headers.get('vary') ?? '', /Origin/);
}

test('an allowed origin: preflight 204 with Allow-Origin/Methods/Headers/Max-Age and Vary: Origin', async () => {
  assertGranted(await preflight(strict.base, 'https://app.example'), 'https://app.example');
  assertGranted(await preflight(strict.base, 'https://app.example', '/auth/me', 'PATCH'), 'https://app.example');
  assertGranted(await preflight(strict.base, 'https://app.example', '/auth/sessions/abc', 'DELETE'), 'https://app.example');
  // A port wildcard covers every port of that scheme and host, and no other host.
  assertGranted(await preflight(strict.base, 'http://lan.example:5173'), 'http://lan.example:5173');
  assertGranted(await preflight(strict.base, 'http://lan.example'), 'http://lan.example');
  assertRefused(await preflight(strict.base, 'http://lan.example.evil:5173'));
  assertRefused(await preflight(strict.base, 'https://lan.example:5173'));
});

test('any other origin: preflight refused with 403 origin_not_allowed, not a bare 404', async () => {
  for (const origin of ['https://evil.example', 'https://app.example.evil', 'http://app.example', 'null', 'http://localhost:5173']) {
    assertRefused(await preflight(strict.base, origin));
  }
  // The actual request still runs (it is the browser that withholds it) but carries no grant.
  const actual = await call(strict.base, 'GET', '/auth/password-policy', { headers: { Origin: 'https://evil.example' } });
  assert.equal(actual.status, 200);
  assert.equal(actual.headers.get('access-control-allow-origin'), null);
  assert.match(actual.headers.get('vary') ?? '', /Origin/);
});

test('public keys and metadata may be read from any origin', async () => {
  const jwks = await call(strict.base, 'GET', '/.well-known/jwks.json', { headers: { Origin: 'https://evil.example' } });
  assert.equal(jwks.status, 200);
  assert.equal(jwks.headers.get('access-control-allow-origin'), '*');
  const pre = await preflight(strict.base, 'https://evil.example', '/.well-known/jwks.json', 'GET');
  assert.equal(pre.status, 204);
  assert.equal(pre.headers.get('access-control-allow-origin'), '*');
});

test('--dev allows http://localhost:* and http://127.0.0.1:* and nothing else', async () => {
  for (const origin of ['http://localhost:5173', 'http://localhost', 'http://127.0.0.1:3000', 'http://127.0.0.1']) {
    assertGranted(await preflight(dev.base, origin), origin);
  }
  for (const origin of ['https://localhost:5173', 'http://localhost.evil.example', 'http://127.0.0.1.evil.example:80',
    'http://localhost:51x3', 'https://app.example', 'null']) {
    assertRefused(await preflight(dev.base, origin));
  }
});

test('--cors-origin refuses values that never equal an Origin header', () => {
  for (const value of ['https://app.example/', 'app.example', 'https://app.example/path', 'ftp://app.example', 'https://', 'https://app.example:']) {
    // Bounded: a server that accepted the value would start and keep running.
    const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-cors-'));
    const result = spawnSync(binary, ['serve', '--port', '0', '--database', path.join(dir, 'x.db'), '--cors-origin', value], {
      encoding: 'utf8', timeout: 30_000, // generous: the ASan build starts slowly on a busy machine
    });
    rmSync(dir, { recursive: true, force: true });
    assert.equal(result.status, 2, value);
    assert.match(result.stderr, /invalid value for --cors-origin/, value);
  }
});
