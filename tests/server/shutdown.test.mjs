// SIGTERM: requests in progress are answered, idle keep-alive connections do
// not hold the exit back, and the process exits cleanly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';

import { startServer, call, signup, goodPassword } from './server.mjs';

test('a request in progress at SIGTERM is answered, then the server exits 0', async () => {
  // A real Argon2 cost, so the login is still hashing when the signal comes.
  const server = await startServer(['--argon2-iterations', '3', '--argon2-memory-kib', '65536', '--rate-signup', 'off']);
  const user = await signup(server.base);
  const started = Date.now();
  const login = call(server.base, 'POST', '/auth/login', { json: { email: user.email, password: goodPassword } });
  await new Promise((r) => setTimeout(r, 30));
  const exited = new Promise((r) => server.child.once('exit', (code) => r(code)));
  server.child.kill('SIGTERM');
  const answer = await login;
  assert.equal(answer.status, 200);
  assert.ok(answer.body.access_token);
  assert.equal(await exited, 0);
  assert.ok(Date.now() - started < 4000, 'no wait for keep-alive timeouts');
  await server.stop();
});

test('an idle keep-alive connection does not delay the exit', async () => {
  const server = await startServer();
  const agent = new http.Agent({ keepAlive: true, keepAliveMsecs: 60000 });
  await new Promise((resolve, reject) => {
    http.get(`${server.base}/healthz`, { agent }, (res) => { res.resume(); res.on('end', resolve); }).on('error', reject);
  });
  assert.equal(Object.values(agent.freeSockets).flat().length, 1, 'the connection stays open and idle');
  const started = Date.now();
  await server.stop();
  assert.ok(Date.now() - started < 1500, `stopped in ${Date.now() - started} ms`);
  agent.destroy();
});
