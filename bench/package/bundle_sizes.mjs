// What a page downloads for one import, as a bundler ships it: a Vite build
// (minified) of a one-line use of each package, every emitted file gzip -9.
// "initial" is what the page loads before it can verify a token (the entry
// chunk, its static imports, the wasm it instantiates at init); "lazy" is
// split off and fetched only on use (latchkey's tools and pk modules).
// Usage: node bench/package/bundle_sizes.mjs
//   SUPABASE_DIR=/path/containing/node_modules adds @supabase/supabase-js
//   (not a dependency of this repository: `npm install --prefix DIR
//   @supabase/supabase-js` in a scratch folder to measure it).
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync, symlinkSync, writeFileSync, mkdtempSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const CASES = [
  {
    name: 'latchkey: createVerifier + AuthClient',
    deps: ['latchkey'],
    code: `import { init, createVerifier, AuthClient } from 'latchkey';
await init();
window.out = [createVerifier({ jwksUrl: '/.well-known/jwks.json' }), new AuthClient({ baseUrl: location.origin })];`,
  },
  {
    name: 'latchkey: + passwordStrength (init({ tools: true }))',
    deps: ['latchkey'],
    loadsTools: true,
    code: `import { init, createVerifier, AuthClient, passwordStrength } from 'latchkey';
await init({ tools: true });
window.out = [createVerifier({ jwksUrl: '/.well-known/jwks.json' }), new AuthClient({ baseUrl: location.origin }), passwordStrength('x')];`,
  },
  {
    name: 'latchkey: createVerifier RS256/ES256 (an OpenID provider\'s ID tokens)',
    deps: ['latchkey'],
    loadsPk: true,
    code: `import { init, createVerifier } from 'latchkey';
await init();
const verifier = createVerifier({ jwksUrl: '/jwks', algorithms: ['RS256', 'ES256'] });
window.out = (token) => verifier.verify(token);`,
  },
  {
    name: 'jose: createRemoteJWKSet + jwtVerify',
    deps: ['jose'],
    code: `import { createRemoteJWKSet, jwtVerify } from 'jose';
const jwks = createRemoteJWKSet(new URL('/.well-known/jwks.json', location.href));
window.out = (token) => jwtVerify(token, jwks);`,
  },
  {
    name: '@supabase/supabase-js: createClient',
    deps: ['@supabase/supabase-js'],
    code: `import { createClient } from '@supabase/supabase-js';
window.out = createClient('https://example.supabase.co', 'anon-key');`,
  },
];

const gz = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

function link(app, name, from) {
  const at = path.join(app, 'node_modules', name);
  mkdirSync(path.dirname(at), { recursive: true });
  symlinkSync(from, at, 'dir');
}

/**
 * Builds each case in `dir`; `locations` maps a package name to its folder.
 * Returns [{name, initialGzip, lazyGzip, initialFiles, lazyFiles}] (cases
 * whose package is not found are left out).
 */
export async function bundleSizes(dir, locations) {
  const { build } = await import('vite');
  const out = [];
  for (const [index, c] of CASES.entries()) {
    if (!c.deps.every((d) => locations[d] && existsSync(locations[d]))) continue;
    const app = path.join(dir, `case-${index}`);
    mkdirSync(app, { recursive: true });
    for (const d of c.deps) link(app, d, locations[d]);
    // Packages that bring their own dependencies (supabase-js) find them next to them.
    const parent = path.dirname(locations[c.deps[0]].replace(/\/@[^/]+\/[^/]+$|\/[^/]+$/, ''));
    writeFileSync(path.join(app, 'index.html'), '<!doctype html><meta charset="utf-8"><script type="module" src="/main.js"></script>');
    writeFileSync(path.join(app, 'main.js'), c.code);
    const outDir = path.join(app, 'dist');
    await build({
      root: app,
      logLevel: 'silent',
      resolve: { preserveSymlinks: false },
      server: { fs: { allow: [app, parent, root] } },
      build: { outDir, emptyOutDir: true, manifest: true, modulePreload: false, target: 'es2022' },
    });
    const manifest = JSON.parse(readFileSync(path.join(outDir, '.vite/manifest.json'), 'utf8'));
    const entry = Object.values(manifest).find((m) => m.isEntry);
    const initial = new Set();
    const visit = (key) => {
      const chunk = manifest[key] ?? Object.values(manifest).find((m) => m.file === key);
      if (!chunk || initial.has(chunk.file)) return;
      initial.add(chunk.file);
      for (const css of chunk.css ?? []) initial.add(css);
      for (const imported of chunk.imports ?? []) visit(imported);
    };
    visit(Object.keys(manifest).find((k) => manifest[k] === entry));
    const all = readdirSync(path.join(outDir, 'assets')).map((f) => `assets/${f}`);
    // The wasm a page instantiates at init: latchkey's core module (its tools
    // wasm is fetched by loadTools only, its pk wasm by an RS256/PS256/ES256
    // verifier only).
    const onDemand = (f) => /latchkey_(tools|pk)/.test(f);
    for (const f of all) if (f.endsWith('.wasm') && !onDemand(f)) initial.add(f);
    if (c.loadsTools) for (const f of all) if (!/latchkey_pk/.test(f)) initial.add(f);
    const lazy = all.filter((f) => !initial.has(f));
    const sum = (files) => files.reduce((n, f) => n + gz(path.join(outDir, f)), 0);
    const sizes = Object.fromEntries(all.map((f) => [f.replace(/-[\w-]{8}\./, '.'), gz(path.join(outDir, f))]));
    out.push({ name: c.name, initialGzip: sum([...initial]), lazyGzip: sum(lazy), initialFiles: [...initial], lazyFiles: lazy, sizes });
  }
  return out;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const dir = mkdtempSync(path.join(tmpdir(), 'latchkey-bundles-'));
  const version = (folder) => JSON.parse(readFileSync(path.join(folder, 'package.json'), 'utf8')).version;
  const supabase = process.env.SUPABASE_DIR ? path.join(process.env.SUPABASE_DIR, 'node_modules/@supabase/supabase-js') : null;
  const locations = { latchkey: root, jose: path.join(root, 'node_modules/jose'), '@supabase/supabase-js': supabase };
  try {
    for (const s of await bundleSizes(dir, locations)) {
      const pkg = s.name.split(':')[0];
      console.log(JSON.stringify({ name: s.name, version: version(locations[pkg]), initial_gzip: s.initialGzip, lazy_gzip: s.lazyGzip, initial: s.initialFiles, lazy: s.lazyFiles, sizes: s.sizes }));
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
