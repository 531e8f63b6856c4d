// A real SMTP server for the tests: tests/support/smtp_sink.py (aiosmtpd) on
// a free port of 127.0.0.1. Collects the messages it receives; `next(to)`
// waits for the next one addressed to `to`.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { repoRoot, onLines } from './server.mjs';

// Debian's python3 has python3-aiosmtpd and python3-bcrypt; a pyenv shim on PATH may not.
export const python = existsSync('/usr/bin/python3') ? '/usr/bin/python3' : 'python3';

export async function startSink({ reject = false } = {}) {
  const script = path.join(repoRoot, 'tests/support/smtp_sink.py');
  const child = spawn(python, [script, ...(reject ? ['--reject'] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
  const messages = [];
  const waiters = [];
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const port = await new Promise((resolve, reject_) => {
    const timer = setTimeout(() => reject_(new Error(`SMTP sink did not start: ${stderr}`)), 10000);
    child.on('exit', (code) => reject_(new Error(`SMTP sink exited with ${code}: ${stderr}`)));
    onLines(child.stdout, (line) => {
      const ready = /^READY (\d+)$/.exec(line);
      if (ready) {
        clearTimeout(timer);
        resolve(Number(ready[1]));
        return;
      }
      messages.push(JSON.parse(line));
      for (const w of [...waiters]) w();
    });
  });
  let taken = 0;
  return {
    port,
    url: `smtp://127.0.0.1:${port}`,
    messages,
    /** The next message not yet taken for `to` (waits up to `timeout` ms). */
    async next(to, { timeout = 5000 } = {}) {
      const deadline = Date.now() + timeout;
      for (;;) {
        const index = messages.findIndex((m, i) => i >= 0 && !m.taken && m.rcpt_tos.includes(to));
        if (index >= 0) {
          messages[index].taken = true;
          taken++;
          return messages[index];
        }
        if (Date.now() > deadline) throw new Error(`no mail for ${to} within ${timeout} ms`);
        await new Promise((r) => {
          const t = setTimeout(r, 50);
          waiters.push(() => {
            clearTimeout(t);
            r();
          });
        });
        waiters.length = 0;
      }
    },
    count: (to) => messages.filter((m) => m.rcpt_tos.includes(to)).length,
    taken: () => taken,
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.end();
      setTimeout(() => child.kill('SIGTERM'), 3000).unref();
      await exited;
    },
  };
}

/** The one-time token in a mail's link (…#reset-password?token=… or #verify-email?token=…). */
export function tokenFrom(message, route) {
  const match = new RegExp(`/#${route}\\?token=([A-Za-z0-9_-]{43})`).exec(message.text);
  if (!match) throw new Error(`no ${route} link in: ${message.text}`);
  return match[1];
}

/** The claims of a JWT (unverified; the server's own tests verify signatures). */
export function claimsOf(jwt) {
  return JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
}

/** Polls `predicate` until true (or throws after `timeout` ms). */
export async function eventually(predicate, { timeout = 5000, what = 'condition' } = {}) {
  const deadline = Date.now() + timeout;
  for (;;) {
    if (await predicate()) return;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
