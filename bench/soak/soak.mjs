// The soak benchmark (bench/soak/run.sh): a steady mixed workload against
// `latchkey serve` (SQLite in a temporary folder), with kill -9 and a restart
// every --kill-every seconds. After each restart, every acknowledged write is
// checked: each user whose signup was answered 201 must still log in, and each
// session must still refresh with the last refresh token it was given.
// Requests in flight at a kill leave their user or session ambiguous (the
// write may or may not have committed, and no one was told): those are not
// counted as acknowledged and are left out of the checks.
//
// Usage: node bench/soak/soak.mjs --binary PATH [--duration S] [--kill-every S]
//          [--rate N] [--sample-every S] [--out FILE.json]
// Durations are seconds of load: the checks pause it and do not count.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const binary = args.binary ?? 'build/native/native/latchkey';
const durationS = Number(args.duration ?? 600);
const killEveryS = Number(args['kill-every'] ?? 120);
const rate = Number(args.rate ?? 20); // operations per second
const sampleEveryS = Number(args['sample-every'] ?? 2);
const maxInFlight = 64;

// Operation mix, by weight.
const mix = [
  ['signup', 10],
  ['login', 10],
  ['refresh', 30],
  ['me', 30],
  ['logout', 5],
  ['forgot_password', 15],
];
const totalWeight = mix.reduce((sum, [, w]) => sum + w, 0);
const pickOp = () => {
  let r = Math.random() * totalWeight;
  for (const [op, w] of mix) if ((r -= w) < 0) return op;
  return mix[0][0];
};
const pick = (array) => array[Math.floor(Math.random() * array.length)];
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

// ---- the server -----------------------------------------------------------
const work = mkdtempSync(join(tmpdir(), 'latchkey-soak-'));
let server = null; // { child, pid, base }
let lives = 0;
let killing = false;

function startServer() {
  const child = spawn(
    binary,
    [
      'serve', '--port', '0', '--database', join(work, 'soak.db'), '--access-log', 'off',
      '--web-root', '', '--package-root', '', '--outbox-dir', join(work, 'outbox'),
      // One client address sends everything: the per-IP and per-account
      // limits would measure themselves, not the server.
      '--rate-signup', 'off', '--rate-signup-email', 'off', '--rate-login-ip', 'off',
      '--rate-login-account', 'off', '--rate-failed-logins', 'off', '--rate-refresh', 'off',
      '--rate-refresh-account', 'off', '--rate-recovery-ip', 'off', '--rate-recovery-email', 'off',
      '--hash-queue', '1000',
      // Requests that wait on a busy machine hold their connections: the
      // front's cap per client address (64) would refuse the rest with 429.
      '--max-connections-per-ip', '1000',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  lives += 1;
  return new Promise((resolve, reject) => {
    let seen = '';
    const onData = (chunk) => {
      seen += chunk;
      const match = seen.match(/"listening"[^\n]*"port":(\d+)|"port":(\d+)[^\n]*"listening"/);
      if (match) {
        child.stdout.off('data', onData);
        child.stderr.off('data', onData);
        child.stdout.resume();
        child.stderr.resume();
        resolve({ child, pid: child.pid, base: `http://127.0.0.1:${match[1] ?? match[2]}` });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('exit', (code, signal) => {
      if (!server || server.child !== child) reject(new Error(`server exited early: ${code ?? signal}\n${seen}`));
    });
  });
}

async function waitHealthy(base) {
  for (let i = 0; i < 200; i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) return;
    } catch {
      // not listening yet
    }
    await sleep(50);
  }
  throw new Error('server did not become healthy');
}

function killServer() {
  return new Promise((resolve) => {
    const { child } = server;
    child.once('exit', () => resolve());
    child.kill('SIGKILL');
  });
}

// ---- HTTP with outcome classification --------------------------------------
const stats = {}; // op -> { ok, errors: {kind: n}, latencies: [] }
const record = (op, ok, kind, ms) => {
  const s = (stats[op] ??= { ok: 0, errors: {}, latencies: [] });
  if (ok) s.ok += 1;
  else s.errors[kind] = (s.errors[kind] ?? 0) + 1;
  if (ms !== undefined) s.latencies.push(ms);
};

async function call(method, path, { body, token } = {}) {
  const life = lives;
  const headers = {};
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (token) headers.Authorization = `Bearer ${token}`;
  const start = performance.now();
  try {
    const res = await fetch(server.base + path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let json = null;
    try {
      json = text ? JSON.parse(text) : null;
    } catch {
      json = null;
    }
    return { status: res.status, json, ms: performance.now() - start };
  } catch (error) {
    const code = error.cause?.code ?? error.name ?? 'error';
    // The expected casualties of kill -9 are told apart from other failures.
    const cut = life !== lives || killing;
    return { status: 0, network: `${cut ? 'cut off by kill -9: ' : ''}${code}`, ms: performance.now() - start };
  }
}
const kindOf = (r) => (r.status === 0 ? `network:${r.network}` : `${r.status} ${r.json?.error ?? ''}`.trim());

// ---- client-side model of what the server acknowledged --------------------
const runId = randomBytes(4).toString('hex');
let userCount = 0;
const users = []; // { email, password, state: 'acked' | 'pending' | 'ambiguous' }
const sessions = []; // { user, access, refresh, state: 'idle' | 'busy' | 'ended' | 'ambiguous', rotations }
const acked = { users: 0, sessions: 0, rotations: 0 };
const ackedUsers = () => users.filter((u) => u.state === 'acked');
const idleSessions = () => sessions.filter((s) => s.state === 'idle');

function newSession(user, json) {
  sessions.push({ user, access: json.access_token, refresh: json.refresh_token, state: 'idle', rotations: 0 });
  acked.sessions += 1;
}

const ops = {
  async signup() {
    const user = {
      email: `soak-${runId}-${++userCount}@example.com`,
      password: randomBytes(15).toString('base64url'),
      state: 'pending',
    };
    users.push(user);
    const r = await call('POST', '/auth/signup', { body: { email: user.email, password: user.password } });
    if (r.status === 201) {
      user.state = 'acked';
      acked.users += 1;
      newSession(user, r.json);
    } else {
      user.state = r.status === 0 ? 'ambiguous' : 'refused';
    }
    return [r.status === 201, r];
  },
  async login() {
    const user = pick(ackedUsers());
    if (!user) return null;
    const r = await call('POST', '/auth/login', { body: { email: user.email, password: user.password } });
    if (r.status === 200) newSession(user, r.json);
    return [r.status === 200, r];
  },
  async refresh() {
    const session = pick(idleSessions());
    if (!session) return null;
    session.state = 'busy';
    const r = await call('POST', '/auth/refresh', { body: { refresh_token: session.refresh } });
    if (r.status === 200) {
      session.refresh = r.json.refresh_token;
      session.access = r.json.access_token;
      session.rotations += 1;
      acked.rotations += 1;
      session.state = 'idle';
    } else {
      // A network error leaves the rotation unknown; a refusal ends it here.
      session.state = r.status === 0 ? 'ambiguous' : 'ended';
    }
    return [r.status === 200, r];
  },
  async me() {
    const session = pick(sessions.filter((s) => s.state === 'idle' || s.state === 'busy'));
    if (!session) return null;
    const r = await call('GET', '/auth/me', { token: session.access });
    return [r.status === 200 && r.json?.email === session.user.email, r];
  },
  async logout() {
    const session = pick(idleSessions());
    if (!session) return null;
    session.state = 'busy';
    const r = await call('POST', '/auth/logout', { body: { scope: 'local' }, token: session.access });
    session.state = r.status === 204 ? 'ended' : r.status === 0 ? 'ambiguous' : 'idle';
    return [r.status === 204, r];
  },
  async forgot_password() {
    const user = Math.random() < 0.8 ? pick(ackedUsers()) : null;
    const email = user?.email ?? `nobody-${randomBytes(4).toString('hex')}@example.com`;
    const r = await call('POST', '/auth/forgot-password', { body: { email } });
    return [r.status === 202, r];
  },
};

// ---- the steady workload ----------------------------------------------------
let inFlight = 0;
let paused = false;
const skipped = { paused: 0, backpressure: 0 };
const inFlightPromises = new Set();

function tick() {
  if (paused) return void (skipped.paused += 1);
  if (inFlight >= maxInFlight) return void (skipped.backpressure += 1);
  const op = pickOp();
  inFlight += 1;
  const p = ops[op]()
    .then((outcome) => {
      if (outcome) record(op, outcome[0], outcome[0] ? null : kindOf(outcome[1]), outcome[1].ms);
    })
    .catch((error) => record(op, false, `exception:${error.message}`))
    .finally(() => {
      inFlight -= 1;
      inFlightPromises.delete(p);
    });
  inFlightPromises.add(p);
}

// ---- checks after each restart ---------------------------------------------
const checks = []; // per restart
const lost = { users: [], rotations: [] };

async function inBatches(items, concurrency, fn) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

// Retries network errors only (the server just came back); a status is final.
async function callSettled(method, path, options) {
  for (let attempt = 0; ; attempt++) {
    const r = await call(method, path, options);
    if (r.status !== 0 || attempt === 5) return r;
    await sleep(200);
  }
}

// Logging in costs an Argon2id hash, so users are checked in full once (all
// those acknowledged since the previous check) and then by a random sample;
// sessions are cheap to refresh and are all checked every time.
const kOldUsersSample = 25;
let usersCheckedUpTo = 0; // index into `users`

async function verifyAcknowledged(label) {
  const start = performance.now();
  const older = users.slice(0, usersCheckedUpTo).filter((u) => u.state === 'acked');
  const newer = users.slice(usersCheckedUpTo).filter((u) => u.state === 'acked');
  usersCheckedUpTo = users.length;
  const sample = older.sort(() => Math.random() - 0.5).slice(0, kOldUsersSample);
  const usersToCheck = [...newer, ...sample];
  const sessionsToCheck = sessions.filter((s) => s.state === 'idle');
  let usersOk = 0;
  let sessionsOk = 0;
  await inBatches(usersToCheck, 4, async (user) => {
    const r = await callSettled('POST', '/auth/login', { body: { email: user.email, password: user.password } });
    if (r.status === 200) {
      usersOk += 1; // the check's own session is not tracked: checks would grow each time
    } else {
      lost.users.push({ email: user.email, after: label, got: kindOf(r) });
    }
  });
  await inBatches(sessionsToCheck, 8, async (session) => {
    const r = await callSettled('POST', '/auth/refresh', { body: { refresh_token: session.refresh } });
    if (r.status === 200) {
      sessionsOk += 1;
      session.refresh = r.json.refresh_token;
      session.access = r.json.access_token;
      session.rotations += 1;
      acked.rotations += 1;
    } else {
      session.state = 'ended';
      lost.rotations.push({ email: session.user.email, rotations: session.rotations, after: label, got: kindOf(r) });
    }
  });
  const entry = {
    after: label,
    users_checked: usersToCheck.length,
    users_new_since_last_check: newer.length,
    users_ok: usersOk,
    sessions_checked: sessionsToCheck.length,
    sessions_ok: sessionsOk,
    ambiguous_users: users.filter((u) => u.state === 'ambiguous').length,
    ambiguous_sessions: sessions.filter((s) => s.state === 'ambiguous').length,
    seconds: Math.round((performance.now() - start) / 100) / 10,
  };
  checks.push(entry);
  console.log(`soak: check after ${label}: ${JSON.stringify(entry)}`);
}

// ---- resource samples -------------------------------------------------------
const samples = []; // { t, life, rss_mb, fds }
const t0 = performance.now();
function sample() {
  if (!server || paused) return;
  try {
    const status = readFileSync(`/proc/${server.pid}/status`, 'utf8');
    const rssKb = Number(status.match(/VmRSS:\s+(\d+) kB/)[1]);
    const fds = readdirSync(`/proc/${server.pid}/fd`).length;
    samples.push({ t: Math.round((performance.now() - t0) / 100) / 10, life: lives, rss_mb: rssKb / 1024, fds });
  } catch {
    // the process is between lives
  }
}

// RSS swings by tens of MB as Argon2id buffers (19 MiB each) come and go, so
// the trend is taken on the floor: the lowest sample of each 20 s window.
function floors(points) {
  const windows = new Map();
  for (const s of points) {
    const w = Math.floor((s.t - points[0].t) / 20);
    const low = windows.get(w);
    if (!low || s.rss_mb < low.rss_mb) windows.set(w, s);
  }
  return [...windows.values()];
}

// Least-squares slope of RSS against time, MB per minute.
function slopeMbPerMin(p) {
  if (p.length < 2) return null;
  const mt = p.reduce((a, s) => a + s.t, 0) / p.length;
  const mr = p.reduce((a, s) => a + s.rss_mb, 0) / p.length;
  const num = p.reduce((a, s) => a + (s.t - mt) * (s.rss_mb - mr), 0);
  const den = p.reduce((a, s) => a + (s.t - mt) ** 2, 0);
  return den === 0 ? null : (num / den) * 60;
}

// ---- main ---------------------------------------------------------------------
const percentile = (values, q) =>
  values.length ? [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor(q * values.length))] : null;

async function main() {
  server = await startServer();
  await waitHealthy(server.base);
  console.log(`soak: ${durationS} s at ${rate} ops/s, kill -9 every ${killEveryS} s; server pid ${server.pid} (${work})`);

  const tickTimer = setInterval(tick, 1000 / rate);
  const sampleTimer = setInterval(sample, sampleEveryS * 1000);
  // The duration and the kill period count seconds of load: the checks after
  // each restart pause the workload and move the end back by as much.
  let end = Date.now() + durationS * 1000;
  let kills = 0;
  while (Date.now() < end) {
    const nextKill = Date.now() + killEveryS * 1000;
    if (nextKill >= end) {
      await sleep(Math.max(0, end - Date.now()));
      break;
    }
    await sleep(Math.max(0, nextKill - Date.now()));
    const pauseStart = Date.now();
    // kill -9 under load: whatever is in flight is cut off.
    kills += 1;
    const inFlightAtKill = inFlight;
    killing = true;
    paused = true;
    await killServer();
    await Promise.allSettled([...inFlightPromises]);
    killing = false;
    const downStart = performance.now();
    server = await startServer();
    await waitHealthy(server.base);
    const restartMs = Math.round(performance.now() - downStart);
    console.log(`soak: kill ${kills}: ${inFlightAtKill} requests in flight; back up in ${restartMs} ms`);
    await verifyAcknowledged(`kill ${kills}`);
    checks[checks.length - 1].restart_ms = restartMs;
    checks[checks.length - 1].in_flight_at_kill = inFlightAtKill;
    paused = false;
    end += Date.now() - pauseStart;
  }
  clearInterval(tickTimer);
  await Promise.allSettled([...inFlightPromises]);
  sample();
  clearInterval(sampleTimer);
  await verifyAcknowledged('end of run');

  // Graceful stop last: SIGTERM answers what is in progress, then exits.
  await new Promise((resolve) => {
    server.child.once('exit', resolve);
    server.child.kill('SIGTERM');
  });

  const byLife = {};
  for (const s of samples) (byLife[s.life] ??= []).push(s);
  const lifeSummary = Object.entries(byLife).map(([life, points]) => ({
    life: Number(life),
    seconds: Math.round(points[points.length - 1].t - points[0].t),
    rss_mb_first: Math.round(points[0].rss_mb * 10) / 10,
    rss_mb_max: Math.round(Math.max(...points.map((s) => s.rss_mb)) * 10) / 10,
    rss_mb_last: Math.round(points[points.length - 1].rss_mb * 10) / 10,
    rss_floor_mb_first: Math.round(floors(points)[0].rss_mb * 10) / 10,
    rss_floor_mb_last: Math.round(floors(points).at(-1).rss_mb * 10) / 10,
    rss_floor_slope_mb_per_min: (() => {
      const v = slopeMbPerMin(floors(points));
      return v === null ? null : Math.round(v * 100) / 100;
    })(),
    fds_min: Math.min(...points.map((s) => s.fds)),
    fds_max: Math.max(...points.map((s) => s.fds)),
  }));

  const requests = {};
  let served = 0;
  let errors = 0;
  for (const [op, s] of Object.entries(stats)) {
    const errorCount = Object.values(s.errors).reduce((a, b) => a + b, 0);
    served += s.ok;
    errors += errorCount;
    requests[op] = {
      ok: s.ok,
      errors: s.errors,
      p50_ms: Math.round(percentile(s.latencies, 0.5) * 10) / 10,
      p99_ms: Math.round(percentile(s.latencies, 0.99) * 10) / 10,
    };
  }
  const result = {
    date: new Date().toISOString(),
    duration_s: durationS,
    wall_s: Math.round((performance.now() - t0) / 1000),
    kill_every_s: killEveryS,
    rate_ops_per_s: rate,
    kills,
    requests_ok: served,
    requests_failed: errors,
    requests,
    skipped_ticks: skipped,
    acknowledged: acked,
    lost_users: lost.users.length,
    lost_rotations: lost.rotations.length,
    lost_examples: [...lost.users, ...lost.rotations].slice(0, 10),
    checks,
    lives: lifeSummary,
    samples,
  };
  if (args.out) writeFileSync(args.out, JSON.stringify(result, null, 1));
  const { samples: _omit, ...summary } = result;
  console.log(JSON.stringify(summary, null, 1));
  rmSync(work, { recursive: true, force: true });
  if (lost.users.length || lost.rotations.length) {
    console.error(`soak: LOST ACKNOWLEDGED WRITES: ${lost.users.length} users, ${lost.rotations.length} rotations`);
    process.exit(1);
  }
}

main().catch((error) => {
  console.error(error);
  if (server) server.child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
  process.exit(2);
});
