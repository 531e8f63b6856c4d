// Refresh throughput for bench/cluster/run.sh: CHAINS sessions, each
// refreshed in a closed loop with its newest token for SECONDS (a rotation
// cannot be replayed by wrk: every answer names the next request).
// Usage: node refresh.mjs BASE_URL EMAIL PASSWORD CHAINS SECONDS
// Prints {"requests": N, "failed": N, "seconds": S}.
const [base, email, password, chains = '16', seconds = '10'] = process.argv.slice(2);
const post = async (path, body) => {
  const response = await fetch(base + path, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
  return { status: response.status, body: await response.json() };
};

const tokens = [];
for (let i = 0; i < Number(chains); i++) {
  const login = await post('/auth/login', { email, password });
  if (login.status !== 200) throw new Error(`login: ${login.status} ${JSON.stringify(login.body)}`);
  tokens.push(login.body.refresh_token);
}
let requests = 0;
let failed = 0;
const started = performance.now();
const deadline = started + Number(seconds) * 1000;
await Promise.all(tokens.map(async (first) => {
  let token = first;
  while (performance.now() < deadline) {
    const next = await post('/auth/refresh', { refresh_token: token });
    if (next.status === 200) {
      token = next.body.refresh_token;
      requests++;
    } else {
      failed++;
    }
  }
}));
console.log(JSON.stringify({ requests, failed, seconds: (performance.now() - started) / 1000 }));
