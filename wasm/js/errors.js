// AuthError: every failure the package reports, with a stable `code` from the
// shared error table (core/include/latchkey/error_codes.def). The codes are
// listed in index.d.ts as the AuthErrorCode union; a test checks the two agree.

export class AuthError extends Error {
  /**
   * @param {string} code   wire code from the error table
   * @param {string | {message?: string, status?: number, details?: unknown}} [info] a message or details
   */
  constructor(code, info = {}) {
    const { message, status = 0, details = null } = typeof info === 'string' ? { message: info } : info;
    super(message ?? code);
    this.name = 'AuthError';
    this.code = code;
    this.status = status;
    this.details = details;
  }
}

// The server's JSON error body -> AuthError. Never includes request data.
export async function errorFromResponse(response) {
  let body = null;
  try {
    body = await response.json();
  } catch {
    // not JSON (a proxy's page): fall through with the status only
  }
  const code = typeof body?.error === 'string' ? body.error : response.status >= 500 ? 'server_busy' : 'internal_error';
  const { error, message, ...details } = body && typeof body === 'object' ? body : {};
  return new AuthError(code, {
    message: typeof message === 'string' ? message : `HTTP ${response.status}`,
    status: response.status,
    details,
  });
}

export function networkError(cause) {
  const error = new AuthError('network_error', { message: 'The server could not be reached.' });
  error.cause = cause;
  return error;
}
