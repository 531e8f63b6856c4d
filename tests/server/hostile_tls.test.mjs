// Hostile input over HTTPS (--tls-cert/--tls-key): the same front serves TLS,
// so the limits of hostile.test.mjs hold here too. A self-signed certificate
// is made for each run with the openssl command-line tool.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import https from 'node:https';
import { spawn, spawnSync, execFileSync } from 'node:child_process';

import { startServer, binary, repoRoot, onLines } from './server.mjs';
import { connect, collect, exchange, statuses, rssMiB } from './hostile-client.mjs';

let dir;
let cert;
let key;
let server;
let rssAtStart;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'latchkey-tls-'));
  cert = path.join(dir, 'cert.pem');
  key = path.join(dir, 'key.pem');
  execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
    '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1', '-keyout', key, '-out', cert], { stdio: 'pipe' });
  server = await startServer(['--tls-cert', cert, '--tls-key', key, '--header-timeout', '2', '--body-timeout', '2']);
  rssAtStart = rssMiB(server.child.pid);
});
after(async () => {
  await server?.stop();
  rmSync(dir, { recursive: true, force: true });
});

/** A TLS connection that checks the server's certificate (optionally from 127.0.0.x). */
function connectTls(port, localAddress) {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: readFileSync(cert), ...(localAddress ? { localAddress } : {}) });
    socket.once('secureConnect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Sends `bytes` over a new TLS connection and collects the answer. */
async function exchangeTls(bytes, options = {}) {
  const socket = await connectTls(server.port);
  const answer = collect(socket, options);
  socket.write(bytes);
  const result = await answer;
  socket.destroy();
  return result;
}

/** GET /healthz over HTTPS on a fresh connection: the time it took, or a rejection after timeoutMs. */
function healthzTls(timeoutMs = 2000) {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const request = https.get({ host: '127.0.0.1', port: server.port, path: '/healthz', ca: readFileSync(cert), agent: false,
      timeout: timeoutMs }, (res) => {
      res.resume();
      res.on('end', () => (res.statusCode === 200 ? resolve(Date.now() - start) : reject(new Error(`status ${res.statusCode}`))));
    });
    request.on('timeout', () => request.destroy(new Error(`no answer to /healthz in ${timeoutMs} ms`)));
    request.on('error', reject);
  });
}

test('HTTPS answers through the front, with HSTS, keep-alive and a pipelined second request', async () => {
  const { text, closed } = await exchangeTls(
    'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\nGET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
  assert.deepEqual(statuses(text), [200, 200], text.slice(0, 300));
  assert.match(text, /\r\nStrict-Transport-Security: max-age=\d+/i);
  assert.ok(closed);
});

test('slow-header clients over TLS and idle handshakes cannot starve /healthz', async () => {
  const sockets = [];
  try {
    // From two other loopback addresses, each under the per-address cap.
    for (let i = 0; i < 60; i++) {
      const socket = await connectTls(server.port, i % 2 ? '127.0.0.2' : '127.0.0.3');
      socket.on('error', () => {});
      socket.write('GET /healthz HTTP/1.1\r\nHost: x\r\n');
      sockets.push(socket);
    }
    // And connections that never start the handshake.
    for (let i = 0; i < 20; i++) {
      const socket = await connect(server.port, '127.0.0.5');
      socket.on('error', () => {});
      sockets.push(socket);
    }
    const drip = setInterval(() => sockets.forEach((s, i) => s.writable && s.encrypted && s.write(`X-Drip-${i}: 1\r\n`)), 400);
    try {
      for (let round = 0; round < 3; round++) {
        await new Promise((r) => setTimeout(r, 400));
        const ms = await healthzTls(2000);
        assert.ok(ms < 2000, `healthz took ${ms} ms`);
      }
    } finally {
      clearInterval(drip);
    }
    // The head deadline (--header-timeout 2) ends the dripping clients with 408.
    const answered = await collect(sockets[0], { timeoutMs: 4000 });
    assert.deepEqual(statuses(answered.text), [408], answered.text.slice(0, 200));
    assert.ok(answered.closed);
  } finally {
    sockets.forEach((s) => s.destroy());
  }
  // Under ASan freed memory waits in its quarantine instead of being reused:
  // the 30 MiB bound is the production allocator's (the native run checks it).
  const bound = process.env.ASAN_OPTIONS ? 100 : 30;
  const grown = rssMiB(server.child.pid) - rssAtStart;
  assert.ok(grown < bound, `RSS grew by ${grown.toFixed(1)} MiB`);
});

test('a chunked body over --max-body over TLS is refused with 413, not read to its end', async () => {
  const socket = await connectTls(server.port);
  let answered = false;
  socket.on('data', () => (answered = true));
  socket.on('close', () => (answered = true));
  const answer = collect(socket, { timeoutMs: 8000, maxBytes: 1 << 20 });
  socket.write('POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n');
  const piece = `10000\r\n${'a'.repeat(0x10000)}\r\n`;
  let written = 0;
  while (!answered && written < 16 << 20 && !socket.destroyed) {
    if (!socket.write(piece)) {
      // A refused client is no longer read: wait for the answer, not for 'drain'.
      await new Promise((resolve) => {
        const check = setInterval(() => {
          if (answered || socket.destroyed || socket.writableLength === 0) {
            clearInterval(check);
            resolve();
          }
        }, 5);
      });
    }
    written += piece.length;
  }
  const { text, closed } = await answer;
  socket.destroy();
  assert.deepEqual(statuses(text), [413], text.slice(0, 200));
  assert.match(text, /"error":"request_too_large"/);
  assert.ok(closed);
  assert.ok(written < 8 << 20, `the server read on: ${written} bytes written before the answer`);
});

test('ambiguous framing over TLS is refused with 400 as on plain HTTP', async () => {
  const { text, closed } = await exchangeTls('POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n' +
    'Content-Length: 2\r\nContent-Length: 3\r\n\r\n{}');
  assert.deepEqual(statuses(text), [400]);
  assert.ok(closed);
});

test('a plain-HTTP request to the TLS port gets a plain 400 and a close', async () => {
  const { text, closed } = await exchange(server.port, 'GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n', { timeoutMs: 3000 });
  assert.deepEqual(statuses(text), [400], JSON.stringify(text.slice(0, 200)));
  assert.match(text, /\r\nConnection: close\r\n/i);
  assert.ok(closed);
  // Bytes that are neither TLS nor HTTP: closed, and the server still answers.
  const junk = await exchange(server.port, '\x00\x01\x02 not a handshake\r\n\r\n', { timeoutMs: 3000 });
  assert.ok(junk.closed);
  assert.ok((await healthzTls(2000)) < 2000);
});

test('Range headers with many ranges get one copy of the file over TLS too', async () => {
  const size = statSync(path.join(repoRoot, 'web-demo/style.css')).size;
  const ranges = Array.from({ length: 400 }, () => '0-').join(',');
  const { text, bytes } = await exchangeTls(
    `GET /style.css HTTP/1.1\r\nHost: x\r\nRange: bytes=${ranges}\r\nConnection: close\r\n\r\n`, { maxBytes: 4 << 20 });
  assert.match(text, /^HTTP\/1\.1 (200|206) /);
  assert.ok(bytes <= size + 2048, `answered ${bytes} bytes for a ${size}-byte file`);
});

test('SIGTERM right after start stops a TLS server at once (no signal lost between bind and serve)', async () => {
  for (let i = 0; i < 3; i++) {
    const work = mkdtempSync(path.join(dir, 'term-'));
    const child = spawn(binary, ['serve', '--port', '0', '--database', path.join(work, 'db'), '--web-root', '',
      '--outbox-dir', path.join(work, 'outbox'), '--log-format', 'json', '--tls-cert', cert, '--tls-key', key],
    { stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise((r) => child.once('exit', (code) => r(code)));
    // The "listening" line comes before the server runs its loop: the old race.
    await new Promise((resolve) => onLines(child.stdout, (line) => line.includes('"listening"') && resolve()));
    const started = Date.now();
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
    const code = await exited;
    clearTimeout(timer);
    assert.equal(code, 0, 'exited cleanly, not killed');
    assert.ok(Date.now() - started < 3000, `took ${Date.now() - started} ms`);
  }
});

test('unreadable or mismatched TLS files stop the server with a clear error', () => {
  const other = path.join(dir, 'other-key.pem');
  execFileSync('openssl', ['genpkey', '-algorithm', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-out', other], { stdio: 'pipe' });
  for (const [certFile, keyFile, message] of [
    [path.join(dir, 'missing.pem'), key, /TLS certificate/],
    [cert, other, /cannot load the TLS key: .*mismatch/],
  ]) {
    const result = spawnSync(binary, ['serve', '--port', '0', '--database', path.join(dir, 'bad.db'), '--web-root', '',
      '--outbox-dir', path.join(dir, 'outbox'), '--tls-cert', certFile, '--tls-key', keyFile], { encoding: 'utf8', timeout: 20000 });
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stderr, message);
  }
});
