// A typed use of the package, checked by `tsc --noEmit` (strict) in
// types.test.mjs. The @ts-expect-error lines must stay errors: they prove the
// declarations are narrow where they should be.
import {
  init,
  loadTools,
  AuthClient,
  AuthError,
  createVerifier,
  decodeToken,
  passwordStrength,
  checkPassword,
  memoryStorage,
  requireAuth,
  type AuthErrorCode,
  type Session,
  type VerifyResult,
} from 'latchkey';

export async function example(baseUrl: string, jwksJson: string): Promise<void> {
  await init({ tools: true });

  const verifier = createVerifier({ jwks: JSON.parse(jwksJson), issuer: baseUrl, audience: 'latchkey', leewaySeconds: 60 });
  const now: VerifyResult = verifier.verify('a.b.c');
  if (now.valid) {
    const sub: string | undefined = now.claims.sub;
    void sub;
  } else {
    const code: AuthErrorCode = now.code;
    void code;
  }
  // @ts-expect-error a static verifier answers synchronously, not with a promise
  await verifier.verify('a.b.c').then(() => 0);

  const remote = createVerifier({ jwksUrl: `${baseUrl}/.well-known/jwks.json`, audience: 'latchkey' });
  const later: VerifyResult = await remote.verify('a.b.c');
  void later;
  // @ts-expect-error a remote verifier answers with a promise
  const notYet: VerifyResult = remote.verify('a.b.c');
  void notYet;
  // @ts-expect-error jwks and jwksUrl exclude each other
  createVerifier({ jwks: { keys: [] }, jwksUrl: 'x' });
  const stepUp = createVerifier({ jwks: JSON.parse(jwksJson), requiredAal: 'aal2' });
  const second = stepUp.verify('a.b.c');
  if (second.valid) console.log(second.claims.aal, second.claims.amr?.join(','));
  // @ts-expect-error not an assurance level
  createVerifier({ jwks: JSON.parse(jwksJson), requiredAal: 'aal5' });
  const loaded: Promise<void> = loadTools();
  await loaded;
  // @ts-expect-error tools is a boolean
  await init({ tools: 'yes' });

  const strength = passwordStrength('Tr0ub4dor&3', { userInputs: ['alice@example.com'] });
  const score: 0 | 1 | 2 | 3 | 4 = strength.score;
  void score;
  const verdict = checkPassword('correct horse battery staple', { min_length: 8 });
  if (!verdict.acceptable) console.log(verdict.reasons.join(', '));

  const client = new AuthClient({ baseUrl, storage: memoryStorage(), autoRefresh: false });
  const unsubscribe = client.onAuthStateChange((event, session) => {
    if (event === 'TOKEN_REFRESHED' && session) console.log(session.expires_at);
    // @ts-expect-error not an event the client emits
    if (event === 'TOKEN_EXPIRED') return;
  });
  try {
    const result = await client.login({ email: 'a@example.com', password: 'correct horse battery staple' });
    // A user with a second factor: the session comes from the challenge.
    const session: Session = 'mfaRequired' in result ? await client.mfa.challenge({ code: '123456' }) : result;
    console.log(decodeToken(session.access_token).claims.exp, decodeToken(session.access_token).claims.aal);
    const level = await client.mfa.getAuthenticatorAssuranceLevel();
    if (level.nextLevel === 'aal2' && level.currentLevel !== 'aal2') await client.mfa.challenge({ recoveryCode: 'abcd-efgh-jkmn' });
    const response: Response = await client.fetch('/auth/me');
    console.log(response.status);
    const me = await client.request<{ id: string }>('/auth/me');
    console.log(me.id);
    await client.logout({ scope: 'global' });
    // @ts-expect-error not a logout scope
    await client.logout({ scope: 'everything' });
  } catch (error) {
    if (error instanceof AuthError) {
      if (error.code === 'refresh_token_reused' || error.code === 'network_error') console.log(error.status);
      // @ts-expect-error not a code of the error table
      if (error.code === 'token_exploded') console.log('never');
    }
  } finally {
    unsubscribe();
    client.close();
  }
}

// requireAuth: framework-neutral check and the Express adapter, typed.
export async function protectedHandler(authorization: string | undefined): Promise<number> {
  const guard = requireAuth({ jwksUrl: 'https://auth.example/.well-known/jwks.json', audience: 'latchkey', roles: ['admin'] });
  const verdict = await guard.check(authorization);
  if (verdict.ok) {
    const role: string | undefined = verdict.claims.role;
    return role === 'admin' ? 200 : 500;
  }
  const challenge: string = verdict.headers['WWW-Authenticate'];
  return challenge ? verdict.status : 500;
}

// @ts-expect-error roles is a list of role names
requireAuth({ jwksUrl: 'https://auth.example/.well-known/jwks.json', roles: 'admin' });
