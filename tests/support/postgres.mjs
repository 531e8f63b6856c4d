// A throwaway PostgreSQL for node tests: tests/support/postgres.sh on
// 127.0.0.1 and a free port in a temporary folder, stopped by its pid.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const script = path.resolve(path.dirname(fileURLToPath(import.meta.url)), 'postgres.sh');

export function startPostgres() {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-pg-'));
  // process.pid: a watcher stops the server if this test process dies first.
  const out = execFileSync('bash', [script, 'start', dir, String(process.pid)], { encoding: 'utf8' });
  const [port, pid, password] = out.trim().split(/\s+/);
  const psqlBin = '/usr/lib/postgresql/15/bin/psql';
  return {
    port: Number(port),
    pid: Number(pid),
    password,
    url: (database = 'postgres') => `postgresql://latchkey:${password}@127.0.0.1:${port}/${database}`,
    /** Runs SQL as the superuser; returns psql's unaligned output. */
    psql: (sql, database = 'postgres') =>
      execFileSync(psqlBin, ['-h', '127.0.0.1', '-p', port, '-U', 'latchkey', '-d', database, '-At', '-c', sql], {
        encoding: 'utf8',
        env: { ...process.env, PGPASSWORD: password },
      }).trim(),
    /** Stops the server keeping its data (an outage), and starts it again on its port. */
    pause: () => execFileSync('bash', [script, 'pause', dir]),
    resume: () => execFileSync('bash', [script, 'resume', dir]),
    stop: () => execFileSync('bash', [script, 'stop', dir]),
  };
}
