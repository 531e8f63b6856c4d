// Shared by the package tests: a live server, its /metrics counters, and a
// client clock the test can move.
import { startServer, call, uniqueEmail, goodPassword, signup, repoRoot, metricsText } from '../server/server.mjs';

export { startServer, call, uniqueEmail, goodPassword, signup, repoRoot, metricsText };

/** Sum of latchkey_http_requests_total for one route (all statuses). */
export async function requestCount(base, route) {
  const text = await metricsText(base);
  let total = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('latchkey_http_requests_total{')) continue;
    if (!line.includes(`route="${route}"`)) continue;
    total += Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return total;
}

/** A clock = real time + skew + whatever the test advances. */
export function movableClock(skewMs = 0) {
  let advanced = 0;
  return {
    now: () => Date.now() + skewMs + advanced,
    advance(ms) {
      advanced += ms;
    },
  };
}

/** Records every auth event of a client. */
export function recordEvents(client) {
  const events = [];
  client.onAuthStateChange((event, session) => events.push({ event, session }));
  return events;
}

export const tick = () => new Promise((resolve) => setImmediate(resolve));
