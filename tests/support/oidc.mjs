// Test helpers for social sign-in: start the real OpenID provider
// (tests/support/oidc_provider.mjs) as a child process, pick a port for the
// server before it starts (the provider must know the callback URL), write a
// providers file, and act as the browser at the provider: follow its
// redirects, fill in its development login and consent pages.
import { spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** A free port on 127.0.0.1 (closed again, for a server started next). */
export async function freePort() {
  const server = net.createServer();
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts oidc-provider; resolves to {issuer, stop()}. */
export async function startProvider({ clientId, clientSecret, redirectUris, alg = 'RS256', userinfoOnly = false, port = 0, kid }) {
  const args = [path.join(here, 'oidc_provider.mjs'), '--client-id', clientId, '--client-secret', clientSecret, '--alg', alg,
    '--port', String(port)];
  if (kid) args.push('--kid', kid);
  for (const uri of redirectUris) args.push('--redirect-uri', uri);
  if (userinfoOnly) args.push('--userinfo-only');
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (d) => (stderr += d));
  const issuer = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`oidc-provider did not start: ${stderr}`)), 15000);
    let out = '';
    child.stdout.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{'));
      if (line) {
        clearTimeout(timer);
        resolve(JSON.parse(line).issuer);
      }
    });
    child.on('exit', (code) => reject(new Error(`oidc-provider exited with ${code}: ${stderr}`)));
  });
  return {
    issuer,
    stop: () => new Promise((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once('exit', resolve);
      child.kill('SIGTERM');
    }),
  };
}

export function writeProviders(dir, providers) {
  const file = path.join(dir, 'providers.json');
  writeFileSync(file, JSON.stringify({ providers }));
  return file;
}

/** A PKCE pair as a browser makes it. */
export function pkce() {
  const verifier = randomBytes(32).toString('base64url');
  return { verifier, challenge: createHash('sha256').update(verifier).digest('base64url') };
}

/**
 * Acts as the browser from `url` (a provider URL) until a redirect leaves the
 * provider: logs in as `login` and consents (or, with consent: false, cancels).
 * Returns that last Location (the server's callback URL with code and state).
 */
export async function throughProvider(url, { login, consent = true }) {
  const origin = new URL(url).origin;
  const cookies = new Map();
  const send = async (target, init = {}) => {
    const headers = { ...(init.headers ?? {}), cookie: [...cookies].map(([k, v]) => `${k}=${v}`).join('; ') };
    const response = await fetch(target, { ...init, headers, redirect: 'manual' });
    for (const line of response.headers.getSetCookie()) {
      const [pair] = line.split(';');
      const eq = pair.indexOf('=');
      cookies.set(pair.slice(0, eq).trim(), pair.slice(eq + 1));
    }
    return response;
  };
  let next = url;
  for (let step = 0; step < 20; step++) {
    if (new URL(next, origin).origin !== origin) return next;
    const response = await send(new URL(next, origin).href);
    if (response.status >= 300 && response.status < 400) {
      next = new URL(response.headers.get('location'), origin).href;
      continue;
    }
    const html = await response.text();
    const action = /<form[^>]*action="([^"]+)"/.exec(html)?.[1];
    if (response.status !== 200 || !action) throw new Error(`provider page ${response.status}: ${html.slice(0, 300)}`);
    const form = { 'content-type': 'application/x-www-form-urlencoded' };
    if (/name="login"/.test(html)) {
      const posted = await send(new URL(action, origin).href, {
        method: 'POST', headers: form, body: new URLSearchParams({ prompt: 'login', login, password: 'any' }).toString(),
      });
      next = new URL(posted.headers.get('location'), origin).href;
    } else if (consent) {
      const posted = await send(new URL(action, origin).href, {
        method: 'POST', headers: form, body: new URLSearchParams({ prompt: 'consent' }).toString(),
      });
      next = new URL(posted.headers.get('location'), origin).href;
    } else {
      // The development pages' "Cancel" link.
      const abort = /href="([^"]*\/abort)"/.exec(html)?.[1];
      if (!abort) throw new Error('no cancel link on the consent page');
      next = new URL(abort, origin).href;
    }
  }
  throw new Error('too many steps at the provider');
}

/** The fragment of a Location as an object: {code} or {error, error_description} or {linked}. */
export function fragmentOf(location) {
  return Object.fromEntries(new URLSearchParams(new URL(location).hash.slice(1)));
}
