// Measures forgot-password answer times for a known and an unknown address
// (interleaved, 200 each). Not part of the test run:
//   LATCHKEY_NATIVE_BUILD=build/native node tests/server/recovery-timing.mjs
import { startServer, call, signup, uniqueEmail } from './server.mjs';
const s = await startServer(['--rate-recovery-ip', 'off', '--rate-recovery-email', 'off', '--access-log', 'off']);
const u = await signup(s.base);
const unknown = uniqueEmail('nobody');
const k = [], m = [];
for (let i = 0; i < 200; i++) {
  let t = performance.now(); await call(s.base, 'POST', '/auth/forgot-password', { json: { email: u.email } }); k.push(performance.now() - t);
  t = performance.now(); await call(s.base, 'POST', '/auth/forgot-password', { json: { email: unknown } }); m.push(performance.now() - t);
}
const q = (xs, p) => xs.sort((a, b) => a - b)[Math.floor(xs.length * p)];
console.log(`known   p50 ${q(k, .5).toFixed(2)} p90 ${q(k, .9).toFixed(2)} ms`);
console.log(`unknown p50 ${q(m, .5).toFixed(2)} p90 ${q(m, .9).toFixed(2)} ms`);
await s.stop();
