// The local deployment of deploy/cluster.sh, started by that script on
// 127.0.0.1 and free ports (PostgreSQL, Redis, three instances, nginx), and
// failures under load: continuous signups, refreshes, logins and /auth/me
// spread over the three instances. `kill -9` of one instance loses no
// acknowledged write and the others keep serving; PostgreSQL stopped (fast
// shutdown) and started again: meanwhile every answer is a success or 503
// `server_busy`, never a 500 or a hang, and afterwards everything
// acknowledged is there. `cluster.sh up` run again restarts what is missing,
// and `down` stops everything.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { binary, repoRoot, call, uniqueEmail, goodPassword } from './server.mjs';

const script = path.join(repoRoot, 'deploy/cluster.sh');
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function canBind(port) {
  return new Promise((resolve) => {
    const probe = net.createServer().once('error', () => resolve(false)).listen(port, '127.0.0.1', () => probe.close(() => resolve(true)));
  });
}
/** `count` consecutive free ports. */
async function freePorts(count) {
  for (;;) {
    const first = 20000 + Math.floor(Math.random() * 30000);
    let free = true;
    for (let i = 0; i < count && free; i++) free = await canBind(first + i);
    if (free) return first;
  }
}

let dir;
let ports;
let env;
const cluster = (command) => execFileSync('bash', [script, command], { env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
const instancePid = (i) => Number(readFileSync(path.join(dir, `run/instance-${i}.pid`), 'utf8'));
const instanceBase = (i) => `http://127.0.0.1:${ports.instance + i - 1}`;
const lbBase = () => `http://127.0.0.1:${ports.lb}`;

before(async () => {
  dir = mkdtempSync(path.join(tmpdir(), 'latchkey-cluster-'));
  const first = await freePorts(6);
  ports = { lb: first, instance: first + 1, pg: first + 4, redis: first + 5 };
  env = {
    ...process.env,
    LATCHKEY_CLUSTER_DIR: dir,
    LATCHKEY_CLUSTER_BINARY: binary,
    LATCHKEY_CLUSTER_BUILD: '0',
    LATCHKEY_CLUSTER_OWNER_PID: String(process.pid),
    LATCHKEY_CLUSTER_PORT: String(ports.lb),
    LATCHKEY_CLUSTER_INSTANCE_PORT: String(ports.instance),
    LATCHKEY_CLUSTER_PG_PORT: String(ports.pg),
    LATCHKEY_CLUSTER_REDIS_PORT: String(ports.redis),
    // Durability of PostgreSQL itself is not under test (no machine crash here).
    LATCHKEY_CLUSTER_PG_OPTIONS: '-c fsync=off -c synchronous_commit=off -c full_page_writes=off',
    // Cheap hashing, no limits (all load comes from one address), and a reuse
    // interval longer than the test: a refresh whose answer was lost in a
    // crash is retried with the same token and gets the same successor.
    LATCHKEY_CLUSTER_SERVE_ARGS: ['--argon2-iterations 1 --argon2-memory-kib 8192 --access-log off --reuse-interval 120',
      '--rate-signup off --rate-signup-email off --rate-login-ip off --rate-login-account off --rate-failed-logins off',
      '--rate-refresh off --rate-refresh-account off'].join(' '),
  };
  const out = cluster('up');
  assert.match(out, new RegExp(`open http://127\\.0\\.0\\.1:${ports.lb}/`));
});

after(() => {
  if (!dir) return;
  cluster('down');
  rmSync(dir, { recursive: true, force: true });
});

/** One request that never hangs the test: {status: 0} when the connection fails or 5 s pass. */
async function attempt(base, method, route, options = {}) {
  const started = Date.now();
  try {
    const init = { method, headers: {}, signal: AbortSignal.timeout(5000) };
    if (options.token) init.headers.Authorization = `Bearer ${options.token}`;
    if (options.json) {
      init.headers['Content-Type'] = 'application/json';
      init.body = JSON.stringify(options.json);
    }
    const response = await fetch(base + route, init);
    const text = await response.text();
    let body = null;
    try { body = JSON.parse(text); } catch { body = text; }
    return { base, route, status: response.status, body, started, ended: Date.now() };
  } catch (error) {
    return { base, route, status: 0, body: String(error.cause?.code ?? error.name), started, ended: Date.now() };
  }
}

/**
 * Workers that sign up, refresh three times, log in and read /auth/me, each
 * request to the next of `bases` in turn, until stop(). Records every answer
 * and every acknowledged write: accounts (a 201) and each refresh chain's
 * newest acknowledged token.
 */
function startLoad(bases, workers = 6) {
  const load = { results: [], accounts: [], stopped: false };
  let turn = 0;
  const send = async (...args) => {
    const result = await attempt(bases[turn++ % bases.length], ...args);
    load.results.push(result);
    return result;
  };
  const worker = async () => {
    while (!load.stopped) {
      const email = uniqueEmail('load');
      const made = await send('POST', '/auth/signup', { json: { email, password: goodPassword } });
      if (made.status !== 201) { await sleep(20); continue; }
      const account = { email, refresh: made.body.refresh_token, access: made.body.access_token };
      load.accounts.push(account);
      for (let i = 0; i < 3 && !load.stopped; i++) {
        // A refresh whose answer was lost is sent again with the same token.
        const next = await send('POST', '/auth/refresh', { json: { refresh_token: account.refresh } });
        if (next.status === 200) Object.assign(account, { refresh: next.body.refresh_token, access: next.body.access_token });
      }
      await send('POST', '/auth/login', { json: { email, password: goodPassword } });
      await send('GET', '/auth/me', { token: account.access });
    }
  };
  const running = Promise.all(Array.from({ length: workers }, worker));
  load.stop = async () => {
    load.stopped = true;
    await running;
    return load;
  };
  return load;
}

/** Every acknowledged account logs in on `base`, and every chain's newest token refreshes there. */
async function assertNothingLost(load, base) {
  assert.ok(load.accounts.length >= 10, `only ${load.accounts.length} signups under load`);
  for (let i = 0; i < load.accounts.length; i += 8) {
    await Promise.all(load.accounts.slice(i, i + 8).map(async (account) => {
      const login = await attempt(base, 'POST', '/auth/login', { json: { email: account.email, password: goodPassword } });
      assert.equal(login.status, 200, `${account.email}: ${JSON.stringify(login.body)}`);
      const next = await attempt(base, 'POST', '/auth/refresh', { json: { refresh_token: account.refresh } });
      assert.equal(next.status, 200, `${account.email}'s newest refresh token: ${JSON.stringify(next.body)}`);
    }));
  }
}

const summary = (results) => {
  const counts = {};
  for (const r of results) counts[`${r.route} ${r.status}${r.status >= 400 ? ` ${r.body?.error ?? r.body}` : ''}`] = (counts[`${r.route} ${r.status}${r.status >= 400 ? ` ${r.body?.error ?? r.body}` : ''}`] ?? 0) + 1;
  return JSON.stringify(counts);
};
const ok = (r) => r.status === 200 || r.status === 201;

test('cluster.sh up: the demo page and the API through nginx, one database behind all three instances', async () => {
  const page = await attempt(lbBase(), 'GET', '/');
  assert.equal(page.status, 200);
  assert.match(page.body, /<!doctype html>/i);
  assert.equal((await attempt(lbBase(), 'GET', '/latchkey/js/index.js')).status, 200, 'the package the page imports');
  const email = uniqueEmail('front');
  const made = await attempt(lbBase(), 'POST', '/auth/signup', { json: { email, password: goodPassword } });
  assert.equal(made.status, 201, JSON.stringify(made.body));
  for (let i = 1; i <= 3; i++) {
    const login = await attempt(instanceBase(i), 'POST', '/auth/login', { json: { email, password: goodPassword } });
    assert.equal(login.status, 200);
    // One issuer: the public address, whichever instance signed.
    const claims = JSON.parse(Buffer.from(login.body.access_token.split('.')[1], 'base64url'));
    assert.equal(claims.iss, lbBase());
  }
  // Run again: nothing restarted, the same pids.
  const pids = [1, 2, 3].map(instancePid);
  cluster('up');
  assert.deepEqual([1, 2, 3].map(instancePid), pids);
  assert.match(cluster('status'), /nginx\s+running/);
});

test('kill -9 of one instance under load: no acknowledged write is lost and the others keep serving', async () => {
  const load = startLoad([1, 2, 3].map(instanceBase));
  await sleep(2500);
  const victim = instancePid(2);
  const killedAt = Date.now();
  process.kill(victim, 'SIGKILL');
  await sleep(2500);
  // Through nginx meanwhile: the dead instance is skipped.
  for (let i = 0; i < 10; i++) {
    const login = await attempt(lbBase(), 'POST', '/auth/login', { json: { email: load.accounts[0].email, password: goodPassword } });
    assert.equal(login.status, 200, JSON.stringify(login.body));
  }
  await load.stop();

  const survivors = load.results.filter((r) => r.base !== instanceBase(2));
  assert.deepEqual(survivors.filter((r) => !ok(r)), [], summary(survivors));
  assert.ok(survivors.filter((r) => r.started > killedAt).length >= 20, `survivors after the kill: ${summary(survivors)}`);
  const victimAnswers = load.results.filter((r) => r.base === instanceBase(2));
  // Before the kill it answered; after it, it cannot (connection refused or reset).
  assert.ok(victimAnswers.some((r) => ok(r) && r.ended < killedAt));
  assert.deepEqual(victimAnswers.filter((r) => !ok(r) && r.status !== 0), [], summary(victimAnswers));
  await assertNothingLost(load, instanceBase(3));

  // `up` again starts the missing instance, and only it.
  cluster('up');
  assert.notEqual(instancePid(2), victim);
  const back = await attempt(instanceBase(2), 'POST', '/auth/login', { json: { email: load.accounts.at(-1).email, password: goodPassword } });
  assert.equal(back.status, 200);
});

test('PostgreSQL stopped and started under load: 503 server_busy meanwhile, then success, nothing acknowledged lost', async () => {
  const load = startLoad([1, 2, 3].map(instanceBase));
  await sleep(1500);
  const pgCtl = ['/usr/lib/postgresql/15/bin/pg_ctl', '-D', path.join(dir, 'postgres/data'), '-w'];
  const asPostgres = (args) => (process.getuid() === 0 ? execFileSync('runuser', ['-u', 'postgres', '--', ...args]) : execFileSync(args[0], args.slice(1)));
  const stoppedAt = Date.now();
  asPostgres([...pgCtl, 'stop', '-m', 'fast']);
  // A valid access token during the outage: the session cannot be checked,
  // which is not the session having ended (a 401 would sign the user out).
  const { access } = load.accounts[0];
  for (let i = 1; i <= 3; i++) {
    const me = await attempt(instanceBase(i), 'GET', '/auth/me', { token: access });
    assert.equal(me.status, 503, JSON.stringify(me.body));
    assert.equal(me.body.error, 'server_busy');
  }
  await sleep(1500);
  const restartedAt = Date.now();
  cluster('up'); // starts PostgreSQL again, on its port, with its data
  // Every instance answers again within a few seconds.
  for (let i = 1; i <= 3; i++) {
    let login;
    for (let tries = 0; tries < 50; tries++) {
      login = await attempt(instanceBase(i), 'POST', '/auth/login', { json: { email: load.accounts[0].email, password: goodPassword } });
      if (login.status === 200) break;
      await sleep(100);
    }
    assert.equal(login.status, 200, JSON.stringify(login.body));
  }
  await sleep(1000);
  const recoveredAt = Date.now();
  await sleep(1000);
  await load.stop();

  const failures = load.results.filter((r) => !ok(r));
  const outage = load.results.filter((r) => r.started >= stoppedAt && r.ended <= restartedAt);
  assert.ok(outage.length >= 10, `requests during the outage: ${summary(outage)}`);
  assert.ok(outage.some((r) => r.status === 503), `no 503 during the outage: ${summary(outage)}`);
  // The one answer for a database that is not there: 503 and a stable code, quickly.
  for (const r of failures) {
    assert.equal(r.status, 503, summary(failures));
    assert.equal(r.body.error, 'server_busy', summary(failures));
    assert.ok(r.ended - r.started < 4000, `a request waited ${r.ended - r.started} ms`);
  }
  const after = load.results.filter((r) => r.started >= recoveredAt);
  assert.ok(after.length >= 10 && after.every(ok), `after recovery: ${summary(after)}`);
  await assertNothingLost(load, instanceBase(1));
});

test('cluster.sh down stops every process it started', () => {
  cluster('up'); // whatever an earlier test left stopped
  const pids = [1, 2, 3].map(instancePid);
  const pgPid = Number(readFileSync(path.join(dir, 'postgres/data/postmaster.pid'), 'utf8').split('\n')[0]);
  const others = ['redis/redis.pid', 'nginx/nginx.pid'].map((f) => Number(readFileSync(path.join(dir, f), 'utf8')));
  cluster('down');
  for (const pid of [...pids, pgPid, ...others]) {
    assert.throws(() => process.kill(pid, 0), { code: 'ESRCH' }, `pid ${pid} still runs`);
  }
  assert.throws(() => cluster('status'), (error) => error.status === 3 && /instance-1\s+stopped/.test(error.stdout));
});
