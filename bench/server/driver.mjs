// The HTTP benchmark driver for bench/server/run.sh: login latency
// (sequential) and throughput (concurrency 8), refresh latency, and the peak
// RSS of the server during a burst of 500 concurrent logins.
// Usage: node driver.mjs BASE_URL SERVER_PID EMAIL PASSWORD
import { readFileSync } from 'node:fs';

const [base, pid, email, password] = process.argv.slice(2);
const percentile = (values, p) => [...values].sort((a, b) => a - b)[Math.min(values.length - 1, Math.floor((p / 100) * values.length))];
const report = (name, value, unit) => console.log(JSON.stringify({ build: 'native', name, value: Math.round(value * 100) / 100, unit }));

async function post(path, body) {
  const res = await fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  const json = await res.json();
  return { status: res.status, json };
}

async function timed(fn) {
  const start = performance.now();
  const result = await fn();
  return { ms: performance.now() - start, result };
}

// Warm up connections and caches.
for (let i = 0; i < 5; i++) await post('/auth/login', { email, password });

const logins = [];
for (let i = 0; i < 100; i++) {
  const { ms, result } = await timed(() => post('/auth/login', { email, password }));
  if (result.status !== 200) throw new Error(`login failed: ${result.status}`);
  logins.push(ms);
}
report('login_sequential_p50', percentile(logins, 50), 'ms');
report('login_sequential_p99', percentile(logins, 99), 'ms');

{
  const total = 200;
  let next = 0;
  const start = performance.now();
  await Promise.all(Array.from({ length: 8 }, async () => {
    while (next++ < total) {
      const res = await post('/auth/login', { email, password });
      if (res.status !== 200) throw new Error(`login failed: ${res.status}`);
    }
  }));
  report('login_concurrency8_throughput', (total * 1000) / (performance.now() - start), 'logins/s');
}

{
  let token = (await post('/auth/login', { email, password })).json.refresh_token;
  const refreshes = [];
  for (let i = 0; i < 200; i++) {
    const { ms, result } = await timed(() => post('/auth/refresh', { refresh_token: token }));
    if (result.status !== 200) throw new Error(`refresh failed: ${result.status}`);
    token = result.json.refresh_token;
    refreshes.push(ms);
  }
  report('refresh_sequential_p50', percentile(refreshes, 50), 'ms');
  report('refresh_sequential_p99', percentile(refreshes, 99), 'ms');
}

{
  const status = () => readFileSync(`/proc/${pid}/status`, 'utf8');
  const kib = (field) => Number(status().match(new RegExp(`${field}:\\s+(\\d+) kB`))[1]);
  const before = kib('VmRSS');
  const results = await Promise.all(Array.from({ length: 500 }, () => post('/auth/login', { email, password }).catch(() => ({ status: 0 }))));
  const counts = {};
  for (const r of results) counts[r.status] = (counts[r.status] ?? 0) + 1;
  report('burst500_rss_before', before / 1024, 'MiB');
  report('burst500_peak_rss', kib('VmHWM') / 1024, 'MiB');
  console.log(JSON.stringify({ build: 'native', name: 'burst500_statuses', value: counts, unit: 'responses' }));
}
