// bench/tls: a flood of TLS handshakes from one address, and what it does to
// another client's requests, on `latchkey serve --tls-cert` and, in the same
// run, on nginx terminating TLS with the same certificate (one worker: like
// the server's loop, nginx runs its handshakes on its event loop).
// Figures: bench/README.md ("bench/tls").
//   node bench/tls/flood.mjs --binary PATH [--seconds S] [--concurrency N]
// For each server: a probe on 127.0.0.2 asks GET /healthz every 20 ms on one
// kept-alive TLS connection (its handshake done before), first alone, then
// while the flood runs from 127.0.0.1: N loops that each open a connection,
// finish a full handshake (no session resumption), and close it.
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir, cpus } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import https from 'node:https';

const args = Object.fromEntries(
  process.argv.slice(2).reduce((pairs, arg, i, all) => {
    if (arg.startsWith('--')) pairs.push([arg.slice(2), all[i + 1]]);
    return pairs;
  }, []),
);
const binary = args.binary;
const seconds = Number(args.seconds ?? 10);
const concurrency = Number(args.concurrency ?? 32);
if (!binary) {
  console.error('usage: node bench/tls/flood.mjs --binary PATH [--seconds S] [--concurrency N]');
  process.exit(2);
}
const nginxBinary = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => existsSync(p));

const work = mkdtempSync(join(tmpdir(), 'latchkey-tls-bench-'));
const cert = join(work, 'cert.pem');
const key = join(work, 'key.pem');
execFileSync('openssl', ['req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes', '-days', '1',
  '-subj', '/CN=127.0.0.1', '-addext', 'subjectAltName=IP:127.0.0.1,IP:127.0.0.2', '-keyout', key, '-out', cert], { stdio: 'pipe' });
const ca = readFileSync(cert);
const children = [];
process.on('exit', () => {
  for (const child of children) child.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

function waitForLine(child, pattern) {
  return new Promise((resolve, reject) => {
    let seen = '';
    const timer = setTimeout(() => reject(new Error(`no ${pattern} in: ${seen}`)), 10000);
    const onData = (chunk) => {
      seen += chunk;
      const match = seen.match(pattern);
      if (match) {
        clearTimeout(timer);
        resolve(match);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
  });
}

async function startLatchkey() {
  const child = spawn(binary, ['serve', '--port', '0', '--database', join(work, 'bench.db'), '--access-log', 'off',
    '--web-root', '', '--package-root', '', '--tls-cert', cert, '--tls-key', key], { stdio: ['ignore', 'pipe', 'pipe'] });
  children.push(child);
  const match = await waitForLine(child, /"port":(\d+)/);
  return { name: 'latchkey serve (TLS on its loop)', pid: child.pid, port: Number(match[1]) };
}

async function startNginx() {
  const dir = join(work, 'nginx');
  mkdirSync(dir);
  const port = 20000 + Math.floor(Math.random() * 20000);
  writeFileSync(join(dir, 'nginx.conf'), `
daemon off;
master_process off;
worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 1024; }
http {
  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  ssl_session_cache off;
  ssl_session_tickets off;
  server {
    listen 127.0.0.1:${port} ssl;
    listen 127.0.0.2:${port} ssl;
    ssl_certificate ${cert};
    ssl_certificate_key ${key};
    ssl_protocols TLSv1.2 TLSv1.3;
    location = /healthz { default_type application/json; return 200 '{"status":"ok"}'; }
  }
}
`);
  const child = spawn(nginxBinary, ['-p', dir, '-c', join(dir, 'nginx.conf'), '-e', join(dir, 'error.log')], { stdio: 'ignore' });
  children.push(child);
  for (let i = 0; i < 100; i += 1) {
    try {
      await new Promise((resolve, reject) => {
        const s = tls.connect({ host: '127.0.0.1', port, ca }, () => {
          s.destroy();
          resolve();
        });
        s.on('error', reject);
      });
      return { name: 'nginx 1 worker (TLS on its loop)', pid: child.pid, port };
    } catch {
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error('nginx did not start');
}

function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime + stime, in ticks of 10 ms
}

/** GET /healthz every 20 ms on one kept-alive connection from 127.0.0.2; latencies in ms. */
async function probe(port, ms) {
  const agent = new https.Agent({ keepAlive: true, maxSockets: 1, ca, localAddress: '127.0.0.2' });
  const get = () => new Promise((resolve) => {
    const start = performance.now();
    const req = https.get({ host: '127.0.0.1', port, path: '/healthz', agent, timeout: 10000 }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode === 200 ? performance.now() - start : Infinity));
    });
    req.on('error', () => resolve(Infinity));
    req.on('timeout', () => req.destroy());
  });
  await get(); // the probe's own handshake, outside the figures
  const latencies = [];
  const until = performance.now() + ms;
  while (performance.now() < until) {
    latencies.push(await get());
    await new Promise((r) => setTimeout(r, 20));
  }
  agent.destroy();
  return latencies;
}

/** `concurrency` loops of connect + full handshake + close until `stop.done`. */
function flood(port, stop) {
  let handshakes = 0;
  let failures = 0;
  const loop = async () => {
    while (!stop.done) {
      await new Promise((resolve) => {
        const s = tls.connect({ host: '127.0.0.1', port, ca }, () => {
          handshakes += 1;
          s.destroy();
          resolve();
        });
        s.on('error', () => {
          failures += 1;
          resolve();
        });
      });
    }
  };
  const loops = Array.from({ length: concurrency }, loop);
  return { done: Promise.all(loops), counts: () => ({ handshakes, failures }) };
}

function summary(latencies) {
  const sorted = [...latencies].sort((a, b) => a - b);
  const at = (q) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
  const failed = sorted.filter((x) => x === Infinity).length;
  const fmt = (x) => (x === Infinity ? 'failed' : x.toFixed(2));
  return { probes: sorted.length, failed, p50: fmt(at(0.5)), p99: fmt(at(0.99)), max: fmt(sorted[sorted.length - 1]) };
}

const servers = [await startLatchkey()];
if (nginxBinary) servers.push(await startNginx());
console.log(`# ${new Date().toISOString().slice(0, 16)}Z ${cpus().length} cores; TLS handshake flood, ${concurrency} loops from 127.0.0.1, ` +
  `${seconds} s; probe GET /healthz every 20 ms from 127.0.0.2 on a kept-alive connection (ms); certificate: P-256`);
console.log('| server | flood | handshakes/s | server CPU/handshake | probes | probe p50 | probe p99 | probe max | failed probes |');
console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
for (const server of servers) {
  const quiet = summary(await probe(server.port, seconds * 1000));
  console.log(`| ${server.name} | none | – | – | ${quiet.probes} | ${quiet.p50} | ${quiet.p99} | ${quiet.max} | ${quiet.failed} |`);
  const stop = { done: false };
  const cpuBefore = cpuSeconds(server.pid);
  const started = performance.now();
  const running = flood(server.port, stop);
  const loaded = summary(await probe(server.port, seconds * 1000));
  stop.done = true;
  await running.done;
  const elapsed = (performance.now() - started) / 1000;
  const cpu = cpuSeconds(server.pid) - cpuBefore;
  const { handshakes, failures } = running.counts();
  console.log(`| ${server.name} | ${concurrency} loops | ${Math.round(handshakes / elapsed)} | ` +
    `${handshakes ? ((cpu / handshakes) * 1e6).toFixed(0) : '–'} µs | ${loaded.probes} | ${loaded.p50} | ${loaded.p99} | ${loaded.max} | ${loaded.failed} |` +
    (failures ? ` (${failures} flood connections failed)` : ''));
}
process.exit(0);
