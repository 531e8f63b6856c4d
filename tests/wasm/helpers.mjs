// Shared by the wasm tests: where the repo, the vectors and the native build are.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const vectorsDir = path.join(repoRoot, 'tests/vectors');
const nativeDir = path.resolve(repoRoot, process.env.LATCHKEY_NATIVE_BUILD ?? 'build/native');

export function loadVectors(name) {
  return JSON.parse(readFileSync(path.join(vectorsDir, name), 'utf8'));
}

function nativeBinary(relative) {
  const file = path.join(nativeDir, relative);
  if (!existsSync(file)) throw new Error(`native build missing: ${file} (run the README test command)`);
  return file;
}

/** The native build's verdicts for a vector file, keyed by case id. */
export function nativeVerdicts(kind, name) {
  const out = execFileSync(nativeBinary('tests/latchkey_vector_verdicts'), [kind, path.join(vectorsDir, name)], {
    encoding: 'utf8',
    maxBuffer: 64 << 20,
  });
  return new Map(JSON.parse(out).map((v) => [v.id, v.actual]));
}

/** Runs the native CLI; returns {status, stdout, stderr}. */
export function latchkeyCli(args, input = '') {
  try {
    const stdout = execFileSync(nativeBinary('native/latchkey'), args, { input, encoding: 'utf8', stdio: 'pipe' });
    return { status: 0, stdout, stderr: '' };
  } catch (error) {
    return { status: error.status, stdout: error.stdout, stderr: error.stderr };
  }
}

/** The native build's strength estimates for a corpus file, keyed by case id. */
export function nativeStrength(name) {
  const out = execFileSync(nativeBinary('tests/latchkey_strength_batch'), [path.join(vectorsDir, name)], {
    encoding: 'utf8',
    maxBuffer: 256 << 20,
  });
  return new Map(JSON.parse(out).map((r) => [r.id, r]));
}
