// The page's one connection to the latchkey package (served at /latchkey/ by
// `latchkey serve`) and the AuthClient every view shares. The demo has no
// auth logic of its own: everything below is the package's contract 4.
import * as latchkey from '/latchkey/js/index.js';

export const { decodeToken, createVerifier, passwordStrength } = latchkey;

let client = null;

/** Loads the wasm core and creates the client. Throws with a readable message. */
export async function startLatchkey() {
  await latchkey.init({ tools: true }); // the strength meter is in the tools module
  if (typeof latchkey.AuthClient !== 'function') {
    throw new Error('This build of the latchkey package has no AuthClient.');
  }
  client = new latchkey.AuthClient({ baseUrl: window.location.origin });
  return client;
}

/** The shared AuthClient (after startLatchkey). */
export const auth = () => client;

/** An unauthenticated JSON call through the client (public endpoints). */
export const publicRequest = (path, options = {}) => client.request(path, { ...options, auth: false });
