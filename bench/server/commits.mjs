// Durable commits per request: counts the fsync/fdatasync calls a running
// `latchkey serve` makes (strace -c on its pid) for N signups, logins and
// refreshes. Unlike latencies, this figure does not move with the machine's
// load, so it shows what batching writes into units of work buys.
// Usage: node bench/server/commits.mjs BASE_URL SERVER_PID [N]
import { spawn } from 'node:child_process';

const [base, pid, n = '20'] = process.argv.slice(2);
const count = Number(n);
const password = 'correct horse battery staple';
const post = (path, body) =>
  fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    .then((r) => r.json());

async function syncCallsDuring(work) {
  const tracer = spawn('strace', ['-f', '-c', '-e', 'trace=fsync,fdatasync', '-p', pid], { stdio: ['ignore', 'ignore', 'pipe'] });
  let report = '';
  tracer.stderr.on('data', (d) => (report += d));
  await new Promise((r) => setTimeout(r, 500));  // strace attaches to every thread
  await work();
  tracer.kill('SIGINT');
  await new Promise((r) => tracer.on('exit', r));
  return report.split('\n').filter((l) => /fsync|fdatasync/.test(l) && !/total/.test(l))
    .map((l) => Number(l.trim().split(/\s+/)[3]))
    .reduce((a, b) => a + b, 0);
}

const stamp = Date.now();
await post('/auth/signup', { email: `commits-${stamp}@example.com`, password });
const signups = await syncCallsDuring(async () => {
  for (let i = 0; i < count; i++) await post('/auth/signup', { email: `commits-${stamp}-${i}@example.com`, password });
});
const logins = await syncCallsDuring(async () => {
  for (let i = 0; i < count; i++) await post('/auth/login', { email: `commits-${stamp}@example.com`, password });
});
let session = await post('/auth/login', { email: `commits-${stamp}@example.com`, password });
const refreshes = await syncCallsDuring(async () => {
  for (let i = 0; i < count; i++) session = await post('/auth/refresh', { refresh_token: session.refresh_token });
});
for (const [name, calls] of [['signup', signups], ['login', logins], ['refresh', refreshes]]) {
  console.log(`${name}: ${(calls / count).toFixed(2)} fsync calls per request (${count} requests)`);
}
