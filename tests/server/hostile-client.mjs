// A raw TCP client for the hostile-input tests: bytes exactly as written, the
// answer exactly as sent, every wait and every transfer bounded.
import net from 'node:net';
import { readFileSync } from 'node:fs';

/** Opens a connection (optionally from another loopback address, 127.0.0.x). */
export function connect(port, localAddress) {
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: '127.0.0.1', port, ...(localAddress ? { localAddress } : {}) });
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/**
 * Collects what the server sends on `socket` until it closes the connection,
 * `timeoutMs` passes or `maxBytes` arrived. Returns {text, bytes, closed}.
 */
export function collect(socket, { timeoutMs = 5000, maxBytes = 8 << 20 } = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    let bytes = 0;
    let done = false;
    const finish = (closed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve({ text: Buffer.concat(chunks).toString('latin1'), bytes, closed });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    socket.on('data', (d) => {
      bytes += d.length;
      if (chunks.reduce((n, c) => n + c.length, 0) < 1 << 20) chunks.push(d);
      if (bytes >= maxBytes) {
        socket.destroy();
        finish(false);
      }
    });
    socket.on('error', () => {});
    socket.on('close', () => finish(true));
  });
}

/** Sends `bytes` on a new connection and collects the answer. */
export async function exchange(port, bytes, options = {}) {
  const socket = await connect(port, options.localAddress);
  const answer = collect(socket, options);
  socket.write(bytes);
  const result = await answer;
  socket.destroy();
  return result;
}

/** The status codes of the responses in `text`, in order. */
export const statuses = (text) => [...text.matchAll(/HTTP\/1\.[01] (\d{3}) [A-Z]/g)].map((m) => Number(m[1]));

/**
 * Writes `head`, then `piece` again and again (waiting for each to drain)
 * until the server answers, closes, or `maxBytes` were written. Returns the
 * answer and how many bytes were written.
 */
export async function streamUntilAnswered(port, head, piece, { maxBytes = 16 << 20, timeoutMs = 8000 } = {}) {
  const socket = await connect(port);
  let answered = false;
  socket.on('data', () => (answered = true));
  socket.on('close', () => (answered = true));
  const answer = collect(socket, { timeoutMs, maxBytes: 1 << 20 });
  socket.write(head);
  let written = 0;
  while (!answered && written < maxBytes && !socket.destroyed) {
    const drained = socket.write(piece);
    written += piece.length;
    if (!drained) {
      await new Promise((resolve) => {
        const check = setInterval(() => {
          if (answered || socket.destroyed || socket.writableLength === 0) {
            clearInterval(check);
            resolve();
          }
        }, 5);
      });
    }
  }
  const result = await answer;
  socket.destroy();
  return { ...result, written };
}

/** Resident memory of a process in MiB (VmRSS). */
export function rssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  return Number(/VmRSS:\s+(\d+) kB/.exec(status)[1]) / 1024;
}

/** GET /healthz on a fresh connection; resolves with the time it took, or rejects after timeoutMs. */
export async function healthz(port, timeoutMs = 2000) {
  const start = Date.now();
  const { text } = await exchange(port, 'GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n', { timeoutMs });
  if (!/^HTTP\/1\.1 200 /.test(text)) throw new Error(`no answer to /healthz in ${timeoutMs} ms: ${JSON.stringify(text.slice(0, 80))}`);
  return Date.now() - start;
}
