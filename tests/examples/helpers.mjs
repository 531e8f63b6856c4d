// Shared by the example tests: a live Latchkey server with a user and an
// admin, tokens signed by a key of the test's own (to reach the refusals a
// server never issues: another typ, issuer or audience, an expired token),
// a JWKS server for that key, free ports, and child processes stopped by pid.
import { spawn, execFileSync } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

import { startServer, call, uniqueEmail, goodPassword, repoRoot, onLines } from '../server/server.mjs';

export { call, repoRoot };

const binary = path.resolve(repoRoot, process.env.LATCHKEY_NATIVE_BUILD ?? 'build/native', 'native/latchkey');

export async function freePort() {
  const probe = createServer();
  await new Promise((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address();
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

/** A Latchkey server with one user and one admin, each with an access token. */
export async function latchkeyWithUsers(extraArgs = []) {
  const server = await startServer(['--rate-signup', 'off', '--rate-login-ip', 'off', '--rate-login-account', 'off', ...extraArgs]);
  const login = async (email) => (await call(server.base, 'POST', '/auth/login', { json: { email, password: goodPassword } })).body;
  const userEmail = uniqueEmail('example-user');
  const adminEmail = uniqueEmail('example-admin');
  const signedUp = await call(server.base, 'POST', '/auth/signup', { json: { email: userEmail, password: goodPassword } });
  if (signedUp.status !== 201) throw new Error(`signup: ${JSON.stringify(signedUp.body)}`);
  const added = server.cli(['user', 'add', adminEmail, '--admin'], goodPassword + '\n');
  if (added.status !== 0) throw new Error(`user add: ${added.stderr}`);
  return { server, user: await login(userEmail), admin: await login(adminEmail) };
}

/** A signing key of the test's own, its JWKS served over HTTP, and a signer. */
export async function foreignIssuer() {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-example-key-'));
  const keyFile = path.join(dir, 'key.json');
  execFileSync(binary, ['keys', 'generate', '--out', keyFile]);
  const jwks = execFileSync(binary, ['keys', 'public', '--key', keyFile], { encoding: 'utf8' });
  const http = createServer((req, res) => {
    if (req.url !== '/.well-known/jwks.json') {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end(jwks);
  });
  await new Promise((resolve) => http.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${http.address().port}`;
  return {
    base,
    /** A token from this key: {sub, iss, aud, typ, ttl, claims}. */
    sign({ sub = 'user-1', iss = base, aud = 'latchkey', typ = 'at+jwt', ttl = 300, claims = {} } = {}) {
      const args = ['token', 'sign', '--key', keyFile, '--sub', sub, '--iss', iss, '--aud', aud, '--typ', typ, '--ttl', String(ttl)];
      for (const [name, value] of Object.entries(claims)) args.push('--claim', `${name}=${JSON.stringify(value)}`);
      return execFileSync(binary, args, { encoding: 'utf8' }).trim();
    },
    async close() {
      await new Promise((resolve) => http.close(resolve));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Starts `command args` and waits until GET url answers; stop() ends it by its pid. */
export async function startApp(command, args, { cwd, env = {}, url }) {
  const child = spawn(command, args, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  onLines(child.stdout, (l) => (output += l + '\n'));
  onLines(child.stderr, (l) => (output += l + '\n'));
  const exited = new Promise((resolve) => child.once('exit', resolve));
  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`${command} exited with ${child.exitCode}:\n${output}`);
    try {
      await fetch(url);
      break;
    } catch {
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`${command} did not answer at ${url}:\n${output}`);
      }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}

/** fetch with a bearer token: {status, body}. */
export async function get(url, token) {
  const response = await fetch(url, { headers: token ? { Authorization: `Bearer ${token}` } : {} });
  const text = await response.text();
  let body = text;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON
  }
  return { status: response.status, body, headers: response.headers };
}

export const readJson = (file) => JSON.parse(readFileSync(file, 'utf8'));
