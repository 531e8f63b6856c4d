// Two `latchkey serve` instances on one PostgreSQL (started by this test):
// they start together and migrate once; an account made on one signs in on
// the other; and the same refresh token sent to both at the same moment
// gives exactly one successor (the session row lock of
// native/storage/postgres/pg_session_store.cc), a later reuse revokes the
// session for both, and nothing answers 500.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';

import { startServer, call, signup, uniqueEmail, goodPassword, runCli } from './server.mjs';
import { startPostgres } from '../support/postgres.mjs';

// One issuer for the cluster, as behind a load balancer: a token from one
// instance is valid on the other.
const serveArgs = (url) => ['--database', url, '--issuer', 'http://auth.cluster.test', '--rate-signup', 'off', '--rate-refresh', 'off',
  '--rate-refresh-account', 'off', '--rate-login-ip', 'off', '--rate-login-account', 'off', '--reuse-interval', '30'];

let pg;
let a;
let b;
before(async () => {
  pg = startPostgres();
  pg.psql('CREATE DATABASE cluster');
  // One after the other: the first creates the signing key the second loads.
  a = await startServer(serveArgs(pg.url('cluster')));
  b = await startServer(serveArgs(pg.url('cluster')));
});
after(async () => {
  await a?.stop();
  await b?.stop();
  pg?.stop();
});

const refresh = (server, token) => call(server.base, 'POST', '/auth/refresh', { json: { refresh_token: token } });

test('instances started at the same moment on an empty database migrate it once', async () => {
  pg.psql('CREATE DATABASE together');
  const started = await Promise.all([0, 1, 2].map(() => startServer(serveArgs(pg.url('together')))));
  try {
    for (const server of started) assert.equal((await call(server.base, 'GET', '/healthz')).status, 200);
    const versions = pg.psql('SELECT COUNT(*), COUNT(DISTINCT version), MAX(version) FROM schema_migrations', 'together');
    const [count, distinct, max] = versions.split('|').map(Number);
    assert.equal(count, distinct);
    assert.equal(count, max);
    assert.ok(max >= 4);
    // `latchkey migrate` on the migrated database: the same version, nothing applied twice.
    const migrate = runCli(['migrate', '--database', pg.url('together')]);
    assert.equal(migrate.status, 0, migrate.stderr);
    assert.equal(JSON.parse(migrate.stdout).schema_version, max);
    assert.equal(pg.psql('SELECT COUNT(*) FROM schema_migrations', 'together'), String(max));
  } finally {
    for (const server of started) await server.stop();
  }
});

test('an account made on one instance signs in on the other, and tokens work on both', async () => {
  const email = uniqueEmail('pg');
  await signup(a.base, email);
  const login = await call(b.base, 'POST', '/auth/login', { json: { email, password: goodPassword } });
  assert.equal(login.status, 200);
  const me = await call(a.base, 'GET', '/auth/me', { token: login.body.access_token });
  assert.equal(me.status, 200);
  assert.equal(me.body.email ?? me.body.user?.email, email);
  const refreshed = await refresh(a, login.body.refresh_token);
  assert.equal(refreshed.status, 200);
});

test('the same refresh token sent to both instances at once gives one successor, every time', async () => {
  for (let round = 0; round < 10; round++) {
    const session = await signup(a.base);
    const token = session.refresh_token;
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => refresh(i % 2 ? a : b, token)));
    for (const r of results) assert.equal(r.status, 200, JSON.stringify(r.body));
    const successors = new Set(results.map((r) => r.body.refresh_token));
    assert.equal(successors.size, 1, `round ${round}: ${successors.size} successors`);
    const [successor] = successors;
    assert.notEqual(successor, token);
    // In the database: the first token and its one successor, nothing else.
    const { sid } = JSON.parse(Buffer.from(session.access_token.split('.')[1], 'base64url'));
    assert.match(sid, /^[0-9a-f-]{36}$/);
    assert.equal(pg.psql(`SELECT COUNT(*) FROM refresh_tokens WHERE session_id = '${sid}'`, 'cluster'), '2');

    // The chain goes on from the one successor, on either instance.
    const next = await refresh(round % 2 ? a : b, successor);
    assert.equal(next.status, 200);
    // The first token is now two generations old: a reuse, seen by either
    // instance, revokes the session on both.
    const reuse = await refresh(round % 2 ? b : a, token);
    assert.equal(reuse.status, 401);
    assert.equal(reuse.body.error, 'refresh_token_reused');
    for (const server of [a, b]) {
      const after = await refresh(server, next.body.refresh_token);
      assert.equal(after.status, 401);
      assert.equal(after.body.error, 'session_revoked');
    }
  }
});

test('PostgreSQL down: requests answer 503, then succeed once it is back, and nothing acknowledged is lost', async () => {
  const email = uniqueEmail('outage');
  await signup(a.base, email);
  pg.pause();
  try {
    for (const server of [a, b, a, b]) {
      const login = await call(server.base, 'POST', '/auth/login', { json: { email, password: goodPassword } });
      assert.equal(login.status, 503, JSON.stringify(login.body));
      assert.equal(login.body.error, 'server_busy');
    }
  } finally {
    pg.resume();
  }
  // Each pooled connection reconnects on its next use.
  for (const server of [a, b]) {
    let login;
    for (let attempt = 0; attempt < 20; attempt++) {
      login = await call(server.base, 'POST', '/auth/login', { json: { email, password: goodPassword } });
      if (login.status === 200) break;
      assert.equal(login.status, 503, JSON.stringify(login.body));
    }
    assert.equal(login.status, 200);
    assert.equal((await refresh(server, login.body.refresh_token)).status, 200);
  }
});

test('a wrong password or an unreachable database stops the start with a clear message and no password', async () => {
  const wrong = `postgresql://latchkey:Wrong-Secret-123@127.0.0.1:${pg.port}/cluster`;
  await assert.rejects(startServer(['--database', wrong]), (error) => {
    assert.match(error.message, /password authentication failed/);
    assert.match(error.message, /cannot open postgresql:\/\/latchkey:\*\*\*@127\.0\.0\.1/);
    assert.doesNotMatch(error.message, /Wrong-Secret-123/);
    return true;
  });
  const a2 = await startServer(serveArgs(pg.url('cluster')));
  try {
    // The listening line names the database without its password.
    const listening = a2.logs.map((l) => JSON.parse(l)).find((l) => l.msg === 'listening');
    assert.match(listening.database, /^postgresql:\/\/latchkey:\*\*\*@127\.0\.0\.1:\d+\/cluster$/);
    assert.ok(!a2.logs.join('\n').includes(pg.password));
  } finally {
    await a2.stop();
  }
});
