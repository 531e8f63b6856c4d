// deploy/nginx/latchkey.conf, run for real: Debian's nginx in the foreground
// with that file (ports rewritten) in a temporary folder, in front of
// `latchkey serve --trusted-proxy 127.0.0.1`. Clients connect from different
// loopback addresses (127.0.0.2, 127.0.0.3) so the proxy sees different
// client addresses, as it would on the internet.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';

import { startServer, repoRoot } from './server.mjs';
import { connect, collect, statuses } from './hostile-client.mjs';

const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

let server;
let proxy;
let dir;
let proxyPort;

function freePort() {
  return new Promise((resolve) => {
    const probe = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => resolve(port));
    });
  });
}

async function startNginx(upstreamPort) {
  dir = mkdtempSync(path.join(tmpdir(), 'latchkey-nginx-'));
  proxyPort = await freePort();
  const site = readFileSync(path.join(repoRoot, 'deploy/nginx/latchkey.conf'), 'utf8')
    .replace(/server 127\.0\.0\.1:8080;/, `server 127.0.0.1:${upstreamPort};`)
    .replace(/listen 80;/, `listen 127.0.0.1:${proxyPort};`);
  assert.ok(site.includes(`127.0.0.1:${upstreamPort}`) && site.includes(`listen 127.0.0.1:${proxyPort}`), 'ports rewritten');
  writeFileSync(path.join(dir, 'latchkey.conf'), site);
  // Everything nginx writes stays in the temporary folder; one process, as
  // the user running the test.
  writeFileSync(path.join(dir, 'nginx.conf'), `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log info;
events { worker_connections 512; }
http {
  log_format upstream '$remote_addr "$request_method $uri" $status upstream=$upstream_status';
  access_log ${dir}/access.log upstream;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  include ${dir}/latchkey.conf;
}
`);
  execFileSync(nginxBinary, ['-t', '-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: 'pipe' });
  const child = spawn(nginxBinary, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try {
      (await connect(proxyPort)).destroy();
      return child;
    } catch {
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  throw new Error(`nginx did not start: ${readFileSync(path.join(dir, 'error.log'), 'utf8')}`);
}

before(async () => {
  assert.ok(nginxBinary, 'nginx is not installed: .ci/setup.sh installs nginx-light');
  server = await startServer(['--trusted-proxy', '127.0.0.1', '--rate-login-ip', '2/3600', '--rate-login-account', 'off',
    '--rate-failed-logins', 'off', '--rate-signup', 'off']);
  proxy = await startNginx(server.port);
});

after(async () => {
  if (proxy && proxy.exitCode === null) {
    const exited = new Promise((r) => proxy.once('exit', r));
    proxy.kill('SIGQUIT');
    await exited;
  }
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** One request through the proxy, from the client address `from`. */
async function viaProxy(from, request) {
  const socket = await connect(proxyPort, from);
  const answer = collect(socket, { timeoutMs: 5000 });
  socket.write(request);
  const result = await answer;
  socket.destroy();
  return result;
}

const records = () => server.logs.map((l) => { try { return JSON.parse(l); } catch { return {}; } });
const login = (email, extra = '') => {
  const body = JSON.stringify({ email, password: 'not the password at all' });
  return `POST /auth/login HTTP/1.1\r\nHost: auth.example\r\nContent-Type: application/json\r\n${extra}` +
    `Content-Length: ${body.length}\r\nConnection: close\r\n\r\n${body}`;
};

test('through nginx, the audit log and the rate limits see each real client address', async () => {
  const email = `proxied-${Date.now()}@example.com`;
  // Whatever a client writes in X-Forwarded-For is replaced by the proxy.
  const first = await viaProxy('127.0.0.2', login(email, 'X-Forwarded-For: 198.51.100.66\r\n'));
  assert.deepEqual(statuses(first.text), [401], first.text.slice(0, 300));
  assert.deepEqual(statuses((await viaProxy('127.0.0.2', login(email))).text), [401]);
  const limited = await viaProxy('127.0.0.2', login(email));
  assert.deepEqual(statuses(limited.text), [429], 'the third login from one client is limited');
  assert.match(limited.text, /"error":"rate_limited"/);
  // Another client behind the same proxy has its own bucket.
  assert.deepEqual(statuses((await viaProxy('127.0.0.3', login(email))).text), [401]);
  await new Promise((r) => setTimeout(r, 200));
  const audit = records().filter((r) => r.msg === 'audit' && r.event === 'login_failed');
  assert.deepEqual([...new Set(audit.map((r) => r.ip))].sort(), ['127.0.0.2', '127.0.0.3']);
  const requests = records().filter((r) => r.msg === 'request' && r.path === '/auth/login');
  assert.ok(requests.length >= 4 && requests.every((r) => r.ip === '127.0.0.2' || r.ip === '127.0.0.3'),
    JSON.stringify(requests.map((r) => r.ip)));
});

// The ambiguous requests of tests/server/hostile.test.mjs, each followed on
// the same connection by a second request. Proxy and server agree when every
// request the server answered is one the proxy forwarded, in the same order:
// nothing the proxy took for body reaches the server as a request.
const body = '{"email":"a@example.com","password":"not the password"}';
const hex = body.length.toString(16);
const ambiguous = {
  'two Content-Length': `Content-Length: ${body.length}\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  'two different Content-Length': `Content-Length: ${body.length}\r\nContent-Length: 5\r\n\r\n${body}`,
  'Content-Length and Transfer-Encoding': `Content-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n${hex}\r\n${body}\r\n0\r\n\r\n`,
  'Transfer-Encoding "chunked "': `Transfer-Encoding: chunked \r\n\r\n${hex}\r\n${body}\r\n0\r\n\r\n`,
  'Transfer-Encoding "\\tchunked"': `Transfer-Encoding:\tchunked\r\n\r\n${hex}\r\n${body}\r\n0\r\n\r\n`,
  'Transfer-Encoding xchunked': `Transfer-Encoding: xchunked\r\nContent-Length: ${body.length}\r\n\r\n${body}`,
  'Transfer-Encoding gzip, chunked': `Transfer-Encoding: gzip, chunked\r\n\r\n${hex}\r\n${body}\r\n0\r\n\r\n`,
  'two Transfer-Encoding': `Transfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n${hex}\r\n${body}\r\n0\r\n\r\n`,
  'a space before the colon': `Content-Length : ${body.length}\r\n\r\n${body}`,
  'an obs-fold line': `Content-Length: ${body.length}\r\nX-Folded: a\r\n b\r\n\r\n${body}`,
  'a chunked body over the limit': `Transfer-Encoding: chunked\r\n\r\n20000\r\n${'a'.repeat(1000)}`,
};

test('proxy and server agree on every ambiguous request: refused, or passed on as one unambiguous request', async () => {
  const outcomes = {};
  let index = 0;
  for (const [name, rest] of Object.entries(ambiguous)) {
    const marker = `/after-${index++}`;
    const logBefore = records().filter((r) => r.msg === 'request').length;
    const request = `POST /auth/login HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${rest}` +
      `GET ${marker} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`;
    // A client address of its own, so the login rate limit stays out of the way.
    const { text } = await viaProxy(`127.0.0.${10 + index}`, request);
    await new Promise((r) => setTimeout(r, 100));
    const seen = records().filter((r) => r.msg === 'request').slice(logBefore).map((r) => `${r.method} ${r.path} ${r.status}`);
    const answered = statuses(text);
    outcomes[name] = { client: answered, server: seen };
    // The first answer refuses the request, unless the proxy rewrote it into
    // one clean request (then the server answers the login: 401).
    assert.ok(answered.length >= 1 && [400, 401, 413, 501].includes(answered[0]), `${name}: ${JSON.stringify(outcomes[name])}`);
    // The server saw only what the proxy forwarded, request for request.
    const forwarded = readFileSync(path.join(dir, 'access.log'), 'utf8').trim().split('\n')
      .filter((l) => !l.includes('upstream=-'));
    const sequence = seen.map((s) => s.split(' ').slice(0, 2).join(' '));
    for (const entry of sequence) {
      assert.ok(forwarded.some((l) => l.includes(`"${entry}"`)), `${name}: the server answered ${entry}, which nginx never forwarded`);
    }
    // nginx 1.22 refuses each itself (400, 413, or 501 for an unknown
    // Transfer-Encoding), except "chunked " whose trailing space it trims: it
    // reads that body whole and forwards one request with a Content-Length.
    const expected = name === 'Transfer-Encoding "chunked "'
      ? ['POST /auth/login 401', `GET ${marker} 404`] : [];
    assert.deepEqual(seen, expected, `${name}: ${JSON.stringify(outcomes[name])}`);
    assert.equal(answered.length, expected.length || 1, `${name}: ${JSON.stringify(outcomes[name])}`);
  }
});
