// Loads the wasm core once. The loader reads the .wasm bytes itself (fs in
// Node, fetch in browsers) and hands them to the Emscripten glue as
// wasmBinary: Emscripten 3.1.6's own Node path fails (docs/toolchain notes).
import createLatchkeyCore from '../dist/latchkey_core.mjs';
import { AuthError } from './errors.js';

const wasmUrl = new URL('../dist/latchkey_core.wasm', import.meta.url);
let loading = null;
let core = null;

export const isNode = typeof process === 'object' && typeof process.versions?.node === 'string';

async function readWasm() {
  if (isNode && wasmUrl.protocol === 'file:') {
    const { readFile } = await import(/* @vite-ignore */ 'node:fs/promises');
    return readFile(wasmUrl);
  }
  const response = await fetch(wasmUrl);
  if (!response.ok) throw new AuthError('internal_error', { message: `cannot load ${wasmUrl}: HTTP ${response.status}` });
  return new Uint8Array(await response.arrayBuffer());
}

async function randomSource() {
  if (globalThis.crypto?.getRandomValues) return globalThis.crypto;
  if (isNode) return (await import(/* @vite-ignore */ 'node:crypto')).webcrypto; // Node 18 without the global
  throw new AuthError('internal_error', { message: 'no crypto.getRandomValues in this environment' });
}

async function load(options) {
  const [wasmBinary, random] = await Promise.all([options.wasmBinary ?? readWasm(), randomSource()]);
  const word = new Uint32Array(1);
  core = await createLatchkeyCore({
    wasmBinary,
    // libsodium's randombytes asks the module for entropy, one word at a time.
    getRandomValue() {
      random.getRandomValues(word);
      return word[0];
    },
  });
}

/** Loads the wasm module. Idempotent: every call returns the same promise. */
export function init(options = {}) {
  loading ??= load(options).catch((error) => {
    loading = null;
    throw error;
  });
  return loading;
}

/** The loaded module; throws AuthError('not_initialized') before init(). */
export function ready() {
  if (!core) throw new AuthError('not_initialized', { message: 'call and await init() first' });
  return core;
}

/** Parses a core JSON result; throws AuthError for {"ok": false, code}. */
export function unwrap(json) {
  const result = JSON.parse(json);
  if (!result.ok) throw new AuthError(result.code);
  return result;
}
