// Loads the wasm modules. The loader reads the .wasm bytes itself (fs in
// Node, fetch in browsers) and hands them to the Emscripten glue as
// wasmBinary: Emscripten 3.1.6's own Node path fails (docs/toolchain notes).
//
// Three modules (issues 15 and 16, sizes in bench/README.md): the core, which
// every page needs (token verification, the refresh state machine), the tools
// (the strength estimator's word lists, signing, hashing), loaded only by
// init({ tools: true }) or loadTools(), and pk (the verifier with RS256,
// PS256 and ES256, for OpenID providers' ID tokens), loaded by a verifier
// that allows those algorithms, init({ pk: true }) or loadPk(). The tools' and
// pk's glue is imported dynamically so that bundlers put each in a chunk of
// its own, fetched on use.
import createLatchkeyCore from '../dist/latchkey_core.mjs';
import { AuthError } from './errors.js';

const coreUrl = new URL('../dist/latchkey_core.wasm', import.meta.url);
const toolsUrl = new URL('../dist/latchkey_tools.wasm', import.meta.url);
const pkUrl = new URL('../dist/latchkey_pk.wasm', import.meta.url);
let loading = null;
let toolsLoading = null;
let pkLoading = null;
let core = null;
let tools = null;
let pk = null;

export const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

async function readWasm(url) {
  if (isNode && url.protocol === 'file:') {
    const { readFile } = await import(/* @vite-ignore */ 'node:fs/promises');
    return readFile(url);
  }
  const response = await fetch(url);
  if (!response.ok) throw new AuthError('internal_error', { message: `cannot load ${url}: HTTP ${response.status}` });
  return new Uint8Array(await response.arrayBuffer());
}

async function randomSource() {
  if (globalThis.crypto?.getRandomValues) return globalThis.crypto;
  if (isNode) return (await import(/* @vite-ignore */ 'node:crypto')).webcrypto; // Node 18 without the global
  throw new AuthError('internal_error', { message: 'no crypto.getRandomValues in this environment' });
}

async function instantiate(factory, wasmBinary) {
  const random = await randomSource();
  const word = new Uint32Array(1);
  return factory({
    wasmBinary,
    // libsodium's randombytes asks the module for entropy, one word at a time.
    getRandomValue() {
      random.getRandomValues(word);
      return word[0];
    },
  });
}

async function loadCore(options) {
  core = await instantiate(createLatchkeyCore, await (options.wasmBinary ?? readWasm(coreUrl)));
}

async function loadToolsModule(options) {
  const [{ default: createLatchkeyTools }, wasmBinary] = await Promise.all([
    import('../dist/latchkey_tools.mjs'),
    options.toolsWasmBinary ?? readWasm(toolsUrl),
  ]);
  tools = await instantiate(createLatchkeyTools, wasmBinary);
}

async function loadPkModule(options) {
  const [{ default: createLatchkeyPk }, wasmBinary] = await Promise.all([
    import('../dist/latchkey_pk.mjs'),
    options.pkWasmBinary ?? readWasm(pkUrl),
  ]);
  pk = await instantiate(createLatchkeyPk, wasmBinary);
}

const once = (promise, reset) => promise.catch((error) => {
  reset();
  throw error;
});

/**
 * Loads the tools module (strength estimator, signing, hashing). Idempotent.
 * `toolsWasmBinary` hands over the .wasm bytes instead of fetching them.
 */
export function loadTools(options = {}) {
  toolsLoading ??= once(loadToolsModule(options), () => (toolsLoading = null));
  return toolsLoading;
}

/**
 * Loads the pk module (RS256, PS256, ES256 verification). Idempotent.
 * `pkWasmBinary` hands over the .wasm bytes instead of fetching them.
 */
export function loadPk(options = {}) {
  pkLoading ??= once(loadPkModule(options), () => (pkLoading = null));
  return pkLoading;
}

/**
 * Loads the core module; with { tools: true } the tools module too, with
 * { pk: true } the pk module. Idempotent: every call returns the same
 * promise for the core when it loads nothing else.
 */
export function init(options = {}) {
  loading ??= once(loadCore(options), () => (loading = null));
  const more = [options.tools && loadTools(options), options.pk && loadPk(options)].filter(Boolean);
  return more.length ? Promise.all([loading, ...more]).then(() => undefined) : loading;
}

/** The loaded core module; throws AuthError('not_initialized') before init(). */
export function ready() {
  if (!core) throw new AuthError('not_initialized', { message: 'call and await init() first' });
  return core;
}

/** The loaded tools module; throws AuthError('not_initialized') naming the fix. */
export function readyTools(what) {
  if (!tools) {
    throw new AuthError('not_initialized', {
      message: `${what} is in the tools module, loaded on demand: call and await init({ tools: true }) (or loadTools()) first`,
    });
  }
  return tools;
}

/** The loaded pk module, or null before loadPk() has finished. */
export function loadedPk() {
  return pk;
}

/** Parses a core JSON result; throws AuthError for {"ok": false, code}. */
export function unwrap(json) {
  const result = JSON.parse(json);
  if (!result.ok) throw new AuthError(result.code);
  return result;
}
