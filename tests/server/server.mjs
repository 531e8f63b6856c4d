// Starts a real `latchkey serve` on 127.0.0.1 with a random port and a fresh
// database, waits until it answers, and stops it. Also a small JSON client.
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const binary = path.resolve(repoRoot, process.env.LATCHKEY_NATIVE_BUILD ?? 'build/native', 'native/latchkey');

// Cheap hashing keeps the suite fast; the cost itself is tested in the core.
// JSON logs even with --dev (which defaults to text): the tests read the log lines.
const fastArgs = ['--argon2-iterations', '1', '--argon2-memory-kib', '8192', '--log-format', 'json'];

// /metrics needs a bearer token (--metrics-token); test servers get this one.
export const metricsToken = 'test-metrics-token-0123456789';
export const metricsAuth = { Authorization: `Bearer ${metricsToken}` };
/** The /metrics text of a test server. */
export async function metricsText(base) {
  const response = await fetch(`${base}/metrics`, { headers: metricsAuth });
  if (response.status !== 200) throw new Error(`/metrics answered ${response.status}`);
  return response.text();
}

/** Calls `fn` with each complete line a child process writes to `stream`. */
export function onLines(stream, fn) {
  let buffer = '';
  stream.on('data', (chunk) => {
    buffer += chunk;
    let newline;
    while ((newline = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
      fn(line);
    }
  });
}

export async function startServer(extraArgs = [], { dir, metricsToken: withMetrics = true } = {}) {
  if (!existsSync(binary)) throw new Error(`missing ${binary}: run the README test command`);
  const workDir = dir ?? mkdtempSync(path.join(tmpdir(), 'latchkey-server-'));
  const database = path.join(workDir, 'latchkey.db');
  // Mail goes to an outbox folder inside the temporary directory unless a test sets --smtp-url.
  const outbox = path.join(workDir, 'outbox');
  const child = spawn(binary, ['serve', '--port', '0', '--database', database, '--web-root', path.join(repoRoot, 'web-demo'), '--outbox-dir', outbox, ...fastArgs,
    ...(withMetrics && !extraArgs.some((a) => a.startsWith('--metrics-token')) ? ['--metrics-token', metricsToken] : []),
    ...extraArgs], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines = [];
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const port = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${stderr}`)), 10000);
    onLines(child.stdout, (line) => {
      lines.push(line);
      // JSON log lines, or --log-format text ("... info listening ... port=N ...").
      const text = /^\S+ info listening .*\bport=(\d+)/.exec(line);
      if (text) {
        clearTimeout(timer);
        resolve(Number(text[1]));
        return;
      }
      try {
        const record = JSON.parse(line);
        if (record.msg === 'listening') {
          clearTimeout(timer);
          resolve(record.port);
        }
      } catch {
        // not JSON: ignore
      }
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${stderr}`)));
  });
  const base = `http://127.0.0.1:${port}`;
  // Wait until it answers, not only until it says it listens (plain HTTP only).
  for (let i = 0; i < 50 && !extraArgs.includes('--tls-cert'); i++) {
    try {
      if ((await fetch(`${base}/healthz`)).ok) break;
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    base,
    port,
    database,
    outbox,
    dir: workDir,
    child,
    logs: lines,
    cli: (args, input = '') => runCli([...args, '--database', database, ...fastArgs], input),
    // Stops with SIGTERM and insists on a clean exit (under ASan, also no leaks).
    async stop({ keepDir = false } = {}) {
      let code = child.exitCode;
      if (code === null && child.signalCode === null) {
        const exited = new Promise((r) => child.once('exit', (c) => r(c)));
        child.kill('SIGTERM');
        code = await exited;
      }
      if (!keepDir && !dir) rmSync(workDir, { recursive: true, force: true });
      if (code !== 0) throw new Error(`server exited with ${code}: ${stderr.slice(-4000)}`);
    },
  };
}

export function runCli(args, input = '') {
  try {
    return { status: 0, stdout: execFileSync(binary, args, { input, encoding: 'utf8', stdio: 'pipe' }) };
  } catch (error) {
    return { status: error.status, stdout: error.stdout, stderr: error.stderr };
  }
}

/** fetch + JSON: returns {status, headers, body} with body parsed when JSON. */
export async function call(base, method, path, { json, token, headers = {}, body } = {}) {
  const init = { method, headers: { ...headers } };
  if (token) init.headers.Authorization = `Bearer ${token}`;
  if (json !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(json);
  } else if (body !== undefined) {
    init.body = body;
  }
  const response = await fetch(base + path, init);
  const text = await response.text();
  let parsed = text;
  if ((response.headers.get('content-type') ?? '').startsWith('application/json')) parsed = JSON.parse(text);
  return { status: response.status, headers: response.headers, body: parsed };
}

let counter = 0;
export const uniqueEmail = (prefix = 'user') => `${prefix}-${process.pid}-${Date.now()}-${counter++}@example.com`;
export const goodPassword = 'correct horse battery staple';

export async function signup(base, email = uniqueEmail(), password = goodPassword, name = 'Test User') {
  const response = await call(base, 'POST', '/auth/signup', { json: { email, password, name } });
  if (response.status !== 201) throw new Error(`signup failed: ${response.status} ${JSON.stringify(response.body)}`);
  return { email, password, ...response.body };
}
