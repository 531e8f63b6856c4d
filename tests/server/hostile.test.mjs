// Hostile input at the HTTP edge, on default settings: no single request or
// connection pattern may grow the server's memory by more than 30 MB or keep
// /healthz from answering another client within 2 s. Each case below was
// measured against the server before its own front (issue 14); each failed.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { statSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';

import { startServer, call, repoRoot, metricsText } from './server.mjs';
import { connect, collect, exchange, statuses, streamUntilAnswered, rssMiB, healthz } from './hostile-client.mjs';

let server;
let rssAtStart;
before(async () => {
  server = await startServer(['--rate-login-ip', 'off']);
  rssAtStart = rssMiB(server.child.pid);
});
after(() => server.stop());

function assertRssBounded(what) {
  const grown = rssMiB(server.child.pid) - rssAtStart;
  assert.ok(grown < 30, `${what}: RSS grew by ${grown.toFixed(1)} MiB`);
}

const login = '{"email":"a@example.com","password":"not the password"}';

test('a Range header with hundreds of ranges gets one copy of the file, not hundreds', async () => {
  const file = path.join(repoRoot, 'web-demo/style.css');
  const size = statSync(file).size;
  const ranges = Array.from({ length: 400 }, () => '0-').join(',');
  const { text, bytes } = await exchange(server.port,
    `GET /style.css HTTP/1.1\r\nHost: x\r\nRange: bytes=${ranges}\r\nConnection: close\r\n\r\n`, { maxBytes: 4 << 20 });
  assert.ok(bytes <= size + 2048, `answered ${bytes} bytes for a ${size}-byte file`);
  assert.match(text, /^HTTP\/1\.1 (200|206) /);
  assertRssBounded('ranges');
});

test('a chunked body over --max-body is refused with 413 after the limit, not read to its end', async () => {
  const head = 'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n';
  const piece = `10000\r\n${'a'.repeat(0x10000)}\r\n`;
  const result = await streamUntilAnswered(server.port, head, piece, { maxBytes: 16 << 20 });
  assert.deepEqual(statuses(result.text), [413], result.text.slice(0, 200));
  assert.match(result.text, /"error":"request_too_large"/);
  assert.ok(result.written < 8 << 20, `the server read on: ${result.written} bytes written before the answer`);
  assertRssBounded('chunked');
  // One chunk that alone is over the limit is refused at its size line.
  const big = await exchange(server.port, `${head}100000\r\n${'a'.repeat(1000)}`);
  assert.deepEqual(statuses(big.text), [413]);
  assert.ok(big.closed);
});

test('a Content-Length over --max-body is refused before the body is read', async () => {
  const { text, closed } = await exchange(server.port,
    `POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${64 << 20}\r\n\r\n{"a":`);
  assert.deepEqual(statuses(text), [413]);
  assert.ok(closed, 'the connection is closed');
});

test('a huge request line is refused with 414 after the limit, not buffered', async () => {
  const result = await streamUntilAnswered(server.port, 'GET /', 'a'.repeat(64 * 1024), { maxBytes: 16 << 20 });
  assert.deepEqual(statuses(result.text), [414], result.text.slice(0, 200));
  assert.match(result.text, /"error":"uri_too_long"/);
  assert.ok(result.written < 8 << 20, `${result.written} bytes written before the answer`);
  assertRssBounded('request line');
});

test('too many headers, or too many header bytes, are refused with 431', async () => {
  const many = Array.from({ length: 200 }, (_, i) => `X-H${i}: v\r\n`).join('');
  const a = await exchange(server.port, `GET /healthz HTTP/1.1\r\nHost: x\r\n${many}\r\n`);
  assert.deepEqual(statuses(a.text), [431], a.text.slice(0, 200));
  assert.match(a.text, /"error":"headers_too_large"/);
  // Under the count, over the bytes: 40 headers of 1 KB.
  const big = Array.from({ length: 40 }, (_, i) => `X-B${i}: ${'b'.repeat(1024)}\r\n`).join('');
  const b = await exchange(server.port, `GET /healthz HTTP/1.1\r\nHost: x\r\n${big}\r\n`);
  assert.deepEqual(statuses(b.text), [431]);
  // Endless headers are cut off at the limit, not buffered.
  const endless = await streamUntilAnswered(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n',
    `X-E: ${'e'.repeat(4000)}\r\n`, { maxBytes: 16 << 20 });
  assert.deepEqual(statuses(endless.text), [431]);
  assert.ok(endless.written < 8 << 20);
  assertRssBounded('headers');
});

test('slow clients cannot starve others: /healthz answers within 2 s with 100 slowloris connections open', async () => {
  // From two other loopback addresses, each under the per-address cap.
  const sockets = [];
  try {
    for (let i = 0; i < 100; i++) {
      const socket = await connect(server.port, i % 2 ? '127.0.0.2' : '127.0.0.3');
      socket.on('error', () => {});
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      sockets.push(socket);
    }
    const drip = setInterval(() => sockets.forEach((s, i) => s.writable && s.write(`X-Drip-${i}: 1\r\n`)), 500);
    try {
      for (let round = 0; round < 4; round++) {
        await new Promise((r) => setTimeout(r, 500));
        const ms = await healthz(server.port, 2000);
        assert.ok(ms < 2000, `healthz took ${ms} ms`);
      }
    } finally {
      clearInterval(drip);
    }
  } finally {
    sockets.forEach((s) => s.destroy());
  }
  assertRssBounded('slowloris');
});

test('connections per client address are capped; other addresses are still served', async () => {
  const sockets = [];
  try {
    for (let i = 0; i < 64; i++) {
      const socket = await connect(server.port, '127.0.0.4');
      socket.on('error', () => {});
      sockets.push(socket);
    }
    const { text, closed } = await exchange(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n',
      { localAddress: '127.0.0.4', timeoutMs: 3000 });
    assert.deepEqual(statuses(text), [429], text.slice(0, 200));
    assert.match(text, /"error":"rate_limited"/);
    assert.ok(closed);
    assert.ok((await healthz(server.port)) < 2000);
  } finally {
    sockets.forEach((s) => s.destroy());
  }
});

test('unknown methods get 501, and neither methods nor unknown paths become metric labels', async () => {
  for (let i = 0; i < 30; i++) {
    const { text, closed } = await exchange(server.port, `BREW${i} /auth/x${i} HTTP/1.1\r\nHost: x\r\n\r\n`);
    assert.deepEqual(statuses(text), [501], text.slice(0, 200));
    assert.match(text, /"error":"not_implemented"/);
    assert.ok(closed);
    assert.equal((await call(server.base, 'GET', `/auth/nothing-here-${i}`)).status, 404);
  }
  const metrics = await metricsText(server.base);
  assert.doesNotMatch(metrics, /BREW/);
  assert.doesNotMatch(metrics, /nothing-here/);
  assert.match(metrics, /latchkey_http_requests_total\{route="OTHER unmatched",status="501"\} 30/);
  assert.match(metrics, /latchkey_http_requests_total\{route="GET unmatched",status="404"\} \d+/);
});

// Each is followed on the same connection by a second request that a lax
// parser could take for the rest of the first (smuggling).
const ambiguous = {
  'two Content-Length': `Content-Length: ${login.length}\r\nContent-Length: ${login.length}\r\n\r\n${login}`,
  'two different Content-Length': `Content-Length: ${login.length}\r\nContent-Length: 5\r\n\r\n${login}`,
  'Content-Length and Transfer-Encoding': `Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n${login.length.toString(16)}\r\n${login}\r\n0\r\n\r\n`,
  'Transfer-Encoding "chunked "': `Transfer-Encoding: chunked \r\n\r\n${login.length.toString(16)}\r\n${login}\r\n0\r\n\r\n`,
  'Transfer-Encoding "\\tchunked"': `Transfer-Encoding:\tchunked\r\n\r\n${login.length.toString(16)}\r\n${login}\r\n0\r\n\r\n`,
  'Transfer-Encoding xchunked': `Transfer-Encoding: xchunked\r\nContent-Length: ${login.length}\r\n\r\n${login}`,
  'Transfer-Encoding gzip, chunked': `Transfer-Encoding: gzip, chunked\r\n\r\n${login.length.toString(16)}\r\n${login}\r\n0\r\n\r\n`,
  'two Transfer-Encoding': `Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n${login.length.toString(16)}\r\n${login}\r\n0\r\n\r\n`,
  'a space before the colon': `Content-Length : ${login.length}\r\n\r\n${login}`,
  'an obs-fold line': `Content-Length: ${login.length}\r\nX-Folded: a\r\n b\r\n\r\n${login}`,
  'a bare LF': `Content-Length: ${login.length}\nX-A: b\r\n\r\n${login}`,
};

for (const [name, rest] of Object.entries(ambiguous)) {
  test(`ambiguous framing is refused with 400 and the connection closed: ${name}`, async () => {
    const request = `POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${rest}` +
      'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n';
    const { text, closed } = await exchange(server.port, request, { timeoutMs: 3000 });
    assert.deepEqual(statuses(text), [400], text.slice(0, 300));
    assert.match(text, /\r\nConnection: close\r\n/i);
    assert.ok(closed, 'the connection is closed');
  });
}

test('plain chunked bodies, pipelining and keep-alive still work', async () => {
  const chunked = `POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n` +
    `5\r\n${login.slice(0, 5)}\r\n${(login.length - 5).toString(16)};ext=1\r\n${login.slice(5)}\r\n0\r\nX-Trailer: t\r\n\r\n`;
  const socket = await connect(server.port);
  const answer = collect(socket, { timeoutMs: 3000 });
  socket.write(chunked + 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  const { text, closed } = await answer;
  assert.deepEqual(statuses(text), [401, 200, 200], text);
  assert.ok(closed);
});

test('a head or body sent too slowly is answered 408 at its deadline', async () => {
  const slow = await startServer(['--header-timeout', '1', '--body-timeout', '1']);
  try {
    const started = Date.now();
    const socket = await connect(slow.port);
    const answer = collect(socket, { timeoutMs: 4000 });
    socket.write('GET /healthz HTTP/1.1\r\n');
    const drip = setInterval(() => socket.writable && socket.write('X-A: b\r\n'), 200);
    const { text, closed } = await answer;
    clearInterval(drip);
    socket.destroy();
    assert.deepEqual(statuses(text), [408], text.slice(0, 200));
    assert.match(text, /"error":"request_timeout"/);
    assert.ok(closed && Date.now() - started < 3000);
    const body = await exchange(slow.port,
      'POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{"em', { timeoutMs: 4000 });
    assert.deepEqual(statuses(body.text), [408]);
  } finally {
    await slow.stop();
  }
});

test('a second server on a port in use refuses to start with a clear error', async () => {
  const binary = path.resolve(repoRoot, process.env.LATCHKEY_NATIVE_BUILD ?? 'build/native', 'native/latchkey');
  // Bounded: a second server that does start would otherwise run forever.
  const result = spawnSync(binary, ['serve', '--port', String(server.port), '--database', path.join(server.dir, 'second.db'),
    '--web-root', '', '--outbox-dir', path.join(server.dir, 'outbox2'), '--argon2-iterations', '1', '--argon2-memory-kib', '8192'],
  { encoding: 'utf8', timeout: 30000 });
  assert.equal(result.status, 1, `exit ${result.status}: ${result.stderr}`);
  assert.match(result.stderr, /cannot listen on 127\.0\.0\.1:\d+: address already in use/);
  assert.equal((await call(server.base, 'GET', '/healthz')).status, 200);
});

test('HEAD, HTTP/1.0 and the version check', async () => {
  const head = await exchange(server.port, 'HEAD /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.deepEqual(statuses(head.text), [200]);
  assert.match(head.text, /\r\nContent-Length: \d+\r\n/);
  assert.ok(head.text.endsWith('\r\n\r\n'), 'no body after a HEAD answer');
  // HTTP/1.0 closes after one answer unless it asks to keep the connection.
  const old = await exchange(server.port, 'GET /healthz HTTP/1.0\r\n\r\n');
  assert.deepEqual(statuses(old.text), [200]);
  assert.ok(old.closed);
  const kept = await exchange(server.port, 'GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\nGET /healthz HTTP/1.0\r\n\r\n');
  assert.deepEqual(statuses(kept.text), [200, 200]);
  const future = await exchange(server.port, 'GET /healthz HTTP/2.0\r\nHost: x\r\n\r\n');
  assert.deepEqual(statuses(future.text), [505]);
  const noHost = await exchange(server.port, 'GET /healthz HTTP/1.1\r\n\r\n');
  assert.deepEqual(statuses(noHost.text), [400]);
});
