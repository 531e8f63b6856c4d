// Three `latchkey serve` instances on one PostgreSQL and one Redis (both
// started by this test on 127.0.0.1 and random ports): rate limits count
// across instances (native/redis/redis_buckets.cc), a rotated signing key
// reaches every instance within a second (PostgreSQL LISTEN/NOTIFY,
// native/storage/postgres/pg_key_watch.cc; the periodic reload is set to an
// hour here so it cannot be what passes), instances starting together create
// one key, and while Redis is down each instance counts alone, says so once
// in its log and in /metrics, and shares again once Redis is back
// (docs/operations.md, "Several instances"); and a mail left waiting by an instance that
// stopped is sent by another (native/mail/mail_queue.h).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createLocalJWKSet, jwtVerify, decodeProtectedHeader } from 'jose';

import { startServer, call, signup, uniqueEmail, goodPassword, runCli, metricsText } from './server.mjs';
import { startPostgres } from '../support/postgres.mjs';

const redisScript = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../support/redis.sh');

function startRedis() {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-redis-'));
  const out = execFileSync('bash', [redisScript, 'start', dir, String(process.pid)], { encoding: 'utf8' });
  const port = Number(out.trim().split(/\s+/)[0]);
  const cli = (...args) => execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(port), ...args], { encoding: 'utf8' }).trim();
  return {
    port,
    /** The running server's pid (a new one after resume). */
    pid: () => Number(readFileSync(path.join(dir, 'redis.pid'), 'utf8')),
    url: `redis://127.0.0.1:${port}`,
    cli,
    pause: () => execFileSync('bash', [redisScript, 'pause', dir]),
    resume: () => execFileSync('bash', [redisScript, 'resume', dir]),
    stop: () => execFileSync('bash', [redisScript, 'stop', dir]),
  };
}

const issuer = 'http://auth.cluster.test';
const loginLimit = 5; // per account, per hour: the 6th attempt is refused
const serveArgs = (database, redisUrl) => ['--database', database, '--redis-url', redisUrl, '--issuer', issuer,
  '--rate-login-account', `${loginLimit}/3600`, '--rate-login-ip', 'off', '--rate-signup', 'off', '--rate-signup-email', 'off',
  '--key-reload-interval', '3600'];

let pg;
let redis;
let servers = [];
before(async () => {
  pg = startPostgres();
  redis = startRedis();
  pg.psql('CREATE DATABASE cluster');
  // Together, on an empty database.
  servers = await Promise.all([0, 1, 2].map(() => startServer(serveArgs(pg.url('cluster'), redis.url))));
});
after(async () => {
  for (const server of servers) await server?.stop();
  redis?.stop();
  pg?.stop();
});

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
const login = (server, email) => call(server.base, 'POST', '/auth/login', { json: { email, password: goodPassword } });

/** Statuses of `attempts` logins for one new account, the i-th sent to pick(i). */
async function loginStatuses(pick, attempts = loginLimit + 1) {
  const { email } = await signup(servers[0].base);
  const statuses = [];
  for (let i = 0; i < attempts; i++) statuses.push((await login(pick(i), email)).status);
  return statuses;
}
const refusedAtSixth = [...Array(loginLimit).fill(200), 429];

const countLogs = (server, message) => server.logs.filter((l) => l.includes(message)).length;
/** Waits until `server` has logged `message` `count` times. */
async function waitForLog(server, message, timeoutMs, count = 1) {
  const deadline = Date.now() + timeoutMs;
  while (countLogs(server, message) < count) {
    if (Date.now() > deadline) throw new Error(`no log line "${message}" (${count}) within ${timeoutMs} ms`);
    await sleep(25);
  }
}
function metricValue(text, name, labels) {
  const line = text.split('\n').find((l) => l.startsWith(`${name}{${labels}}`));
  return line ? Number(line.split(' ').pop()) : 0;
}

test('instances started together on an empty database create one signing key and all publish it', async () => {
  assert.equal(pg.psql('SELECT COUNT(*) FROM signing_keys', 'cluster'), '1');
  const kids = await Promise.all(servers.map(async (s) => (await call(s.base, 'GET', '/.well-known/jwks.json')).body.keys.map((k) => k.kid)));
  for (const set of kids) assert.deepEqual(set, kids[0]);
  for (const server of servers) assert.ok(server.logs.some((l) => l.includes('redis connected')));
});

test('the per-account login limit is hit at the same attempt on one instance or spread over three', async () => {
  const one = await loginStatuses(() => servers[0]);
  const spread = await loginStatuses((i) => servers[i % 3]);
  assert.deepEqual(one, refusedAtSixth);
  assert.deepEqual(spread, refusedAtSixth);
  // The refusal says when to come back, on every instance.
  const { email } = await signup(servers[1].base);
  for (let i = 0; i < loginLimit; i++) assert.equal((await login(servers[i % 3], email)).status, 200);
  for (const server of servers) {
    const refused = await login(server, email);
    assert.equal(refused.status, 429);
    assert.equal(refused.body.error, 'rate_limited');
    assert.ok(Number(refused.headers.get('retry-after')) > 0);
  }
  // Namespaced keys that expire, and no email address in Redis.
  const keys = redis.cli('--scan', '--pattern', 'latchkey:rl:login:*').split('\n').filter(Boolean);
  assert.ok(keys.length >= 3, keys.join(','));
  assert.ok(!keys.some((k) => k.includes('@')));
  for (const key of keys) assert.ok(Number(redis.cli('PTTL', key)) > 0, key);
});

test('a key rotated on one instance is served by the others within a second, and their tokens verify', async () => {
  const [a, b, c] = servers;
  const email = uniqueEmail('admin');
  const added = runCli(['user', 'add', email, '--admin', '--name', 'Ada', '--database', pg.url('cluster')], `${goodPassword}\n`);
  assert.equal(added.status, 0, added.stderr);
  const admin = (await login(a, email)).body;
  const before = (await login(b, (await signup(c.base)).email)).body;
  const oldKid = decodeProtectedHeader(before.access_token).kid;

  const rotated = await call(a.base, 'POST', '/admin/keys/rotate', { token: admin.access_token });
  assert.equal(rotated.status, 200);
  const started = Date.now();
  for (const server of [b, c]) {
    for (;;) {
      const jwks = (await call(server.base, 'GET', '/.well-known/jwks.json')).body;
      if (jwks.keys[0].kid === rotated.body.kid) {
        assert.deepEqual(jwks.keys.map((k) => k.kid), [rotated.body.kid, oldKid]);
        break;
      }
      assert.ok(Date.now() - started < 1000, 'the rotated key did not reach every instance within a second');
      await sleep(20);
    }
  }
  // B signs with the new key; A and C accept it, and so does a verifier holding B's JWKS.
  const fresh = (await login(b, (await signup(a.base)).email)).body;
  assert.equal(decodeProtectedHeader(fresh.access_token).kid, rotated.body.kid);
  const jwks = createLocalJWKSet((await call(b.base, 'GET', '/.well-known/jwks.json')).body);
  const options = { issuer, audience: 'latchkey', typ: 'at+jwt', algorithms: ['EdDSA'] };
  await jwtVerify(fresh.access_token, jwks, options);
  await jwtVerify(before.access_token, jwks, options); // signed before: the retired key is still published
  for (const server of servers) {
    assert.equal((await call(server.base, 'GET', '/auth/me', { token: fresh.access_token })).status, 200);
    assert.equal((await call(server.base, 'GET', '/auth/me', { token: before.access_token })).status, 200);
  }
  assert.equal(pg.psql('SELECT COUNT(*) FROM signing_keys WHERE retired_at IS NULL', 'cluster'), '1');
});

test('Redis stopped under load: each instance counts alone, says so once, and shares again once Redis is back', async () => {
  // Load: unknown accounts signing in on every instance (each checks and charges limits).
  let loading = true;
  let paused = false;
  const statuses = [];
  const duringOutage = new Set();
  const workers = [0, 1, 2, 3].map(async (w) => {
    for (let i = 0; loading; i++) {
      const server = (w + i) % 3;
      const r = await login(servers[server], uniqueEmail('load'));
      statuses.push(r.status);
      if (paused) duringOutage.add(server);
    }
  });
  await sleep(300);
  redis.pause();
  paused = true;
  const down = 'redis unreachable';
  await Promise.all(servers.map((s) => waitForLog(s, down, 5000)));
  await sleep(200);
  loading = false;
  await Promise.all(workers);
  // Nothing failed: every unknown account got its 401, before, during and after.
  assert.equal(duringOutage.size, 3, 'every instance answered during the outage');
  assert.deepEqual([...new Set(statuses)], [401]);
  for (const server of servers) {
    assert.equal(countLogs(server, down), 1);
    const line = JSON.parse(server.logs.find((l) => l.includes(down)));
    assert.equal(line.level, 'warn');
    assert.equal(line.redis, `redis://127.0.0.1:${redis.port}/0`);
    const metrics = await metricsText(server.base);
    assert.equal(metricValue(metrics, 'latchkey_redis_state_changes_total', 'state="down"'), 1);
    assert.ok(metricValue(metrics, 'latchkey_rate_limit_fallbacks_total', 'bucket="login"') > 0);
  }

  // Per instance: A refuses the 6th attempt on its own; B has not seen any.
  const { email } = await signup(servers[0].base);
  const onA = [];
  for (let i = 0; i <= loginLimit; i++) onA.push((await login(servers[0], email)).status);
  assert.deepEqual(onA, refusedAtSixth);
  assert.equal((await login(servers[1], email)).status, 200);

  // Back (empty, as a restarted Redis without persistence): shared again.
  redis.resume();
  const up = 'redis answers again';
  await Promise.all(servers.map((s) => waitForLog(s, up, 5000)));
  for (const server of servers) {
    assert.equal(countLogs(server, up), 1);
    const metrics = await metricsText(server.base);
    assert.equal(metricValue(metrics, 'latchkey_redis_state_changes_total', 'state="up"'), 1);
  }
  assert.deepEqual(await loginStatuses((i) => servers[i % 3]), refusedAtSixth);
});

test('a Redis that stops answering costs a request its timeout, not a stalled server', async () => {
  const { email } = await signup(servers[0].base);
  process.kill(redis.pid(), 'SIGSTOP');
  try {
    const started = Date.now();
    const results = await Promise.all(servers.map((s) => login(s, email)));
    for (const r of results) assert.equal(r.status, 200);
    // --redis-timeout is 250 ms: one check waits that long, then the instance counts alone.
    assert.ok(Date.now() - started < 2000, `took ${Date.now() - started} ms`);
    await Promise.all(servers.map((s) => waitForLog(s, 'redis unreachable', 2000, 2)));
  } finally {
    process.kill(redis.pid(), 'SIGCONT');
  }
  await Promise.all(servers.map((s) => waitForLog(s, 'redis answers again', 5000, 2)));
});

test('a server whose Redis is unreachable at start starts anyway and counts alone; a bad URL stops the start', async () => {
  // Port 1: nothing listens there, so the connection is refused at once.
  const alone = await startServer(['--redis-url', 'redis://127.0.0.1:1', '--rate-login-account', `${loginLimit}/3600`, '--rate-login-ip', 'off']);
  try {
    const line = JSON.parse(alone.logs.find((l) => l.includes('redis unreachable')));
    assert.equal(line.redis, 'redis://127.0.0.1:1/0');
    const { email } = await signup(alone.base);
    const statuses = [];
    for (let i = 0; i <= loginLimit; i++) statuses.push((await login(alone, email)).status);
    assert.deepEqual(statuses, refusedAtSixth);
  } finally {
    await alone.stop();
  }
  await assert.rejects(startServer(['--redis-url', 'rediss://:Bad-Secret-9@127.0.0.1:6379']), (error) => {
    assert.match(error.message, /invalid value for --redis-url/);
    assert.doesNotMatch(error.message, /Bad-Secret-9/);
    return true;
  });
});

test('a Redis with a password: AUTH on every connection, and the password in no log line', async () => {
  const secret = 'Redis-Secret-0123';
  redis.cli('CONFIG', 'SET', 'requirepass', secret);
  try {
    const url = `redis://:${secret}@127.0.0.1:${redis.port}/2`;
    const pair = await Promise.all([0, 1].map(() => startServer(serveArgs(pg.url('cluster'), url))));
    try {
      const statuses = [];
      const { email } = await signup(pair[0].base);
      for (let i = 0; i <= loginLimit; i++) statuses.push((await login(pair[i % 2], email)).status);
      assert.deepEqual(statuses, refusedAtSixth);
      for (const server of pair) {
        assert.ok(server.logs.some((l) => l.includes('redis connected') && l.includes(`127.0.0.1:${redis.port}/2`)));
        assert.ok(!server.logs.join('\n').includes(secret));
      }
      // Database 2 of the URL, not 0.
      assert.ok(execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(redis.port), '-a', secret, '--no-auth-warning', '-n', '2', '--scan', '--pattern', 'latchkey:rl:login:*'], { encoding: 'utf8' }).trim().length > 0);
    } finally {
      for (const server of pair) await server.stop();
    }
  } finally {
    execFileSync('redis-cli', ['-h', '127.0.0.1', '-p', String(redis.port), '-a', secret, '--no-auth-warning', 'CONFIG', 'SET', 'requirepass', '']);
  }
});

test('a mail left by an instance that stopped is sent once by another instance', async () => {
  // D cannot reach its SMTP server: its reset mail waits in the database when D stops.
  const probe = net.createServer();
  await new Promise((r) => probe.listen(0, '127.0.0.1', r));
  const closedPort = probe.address().port;
  await new Promise((r) => probe.close(r));
  const d = await startServer([...serveArgs(pg.url('cluster'), redis.url), '--smtp-url', `smtp://127.0.0.1:${closedPort}`,
    '--smtp-starttls', 'none', '--smtp-retries', '0', '--mail-retry-seconds', '2', '--rate-recovery-ip', 'off', '--rate-recovery-email', 'off']);
  const { email } = await signup(servers[0].base);
  try {
    assert.equal((await call(d.base, 'POST', '/auth/forgot-password', { json: { email } })).status, 202);
    await waitForLog(d, 'mail delivery failed', 5000);
  } finally {
    await d.stop();
  }
  // The others' workers look for due mails every second: one of them sends it, once.
  const resets = () => servers.flatMap((s) => (existsSync(s.outbox) ? readdirSync(s.outbox) : [])
    .filter((f) => f.endsWith('.json'))
    .map((f) => JSON.parse(readFileSync(path.join(s.outbox, f), 'utf8')))
    .filter((m) => m.to === email && /reset-password\?token=/.test(m.text)));
  const deadline = Date.now() + 8000;
  while (resets().length === 0) {
    assert.ok(Date.now() < deadline, 'the waiting mail was not sent by another instance');
    await sleep(50);
  }
  await sleep(1500);
  assert.equal(resets().length, 1);
  assert.equal(pg.psql(`SELECT COUNT(*) FROM mail_queue WHERE kind = 'password_reset'`, 'cluster'), '0');
});
