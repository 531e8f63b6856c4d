// An Express app whose /api routes accept Latchkey access tokens, checked
// offline by the latchkey package's requireAuth (the same wasm core that signs
// them): signature against the JWKS, typ at+jwt, iss, aud, exp; then a role.
//
//   LATCHKEY_URL=http://127.0.0.1:8080 PORT=3000 node examples/express/server.mjs
import express from 'express';
import { requireAuth } from 'latchkey';

const latchkeyUrl = (process.env.LATCHKEY_URL ?? 'http://127.0.0.1:8080').replace(/\/+$/, '');
const options = {
  jwksUrl: `${latchkeyUrl}/.well-known/jwks.json`,
  issuer: process.env.LATCHKEY_ISSUER ?? latchkeyUrl, // `latchkey serve --issuer`, default its URL
  audience: process.env.LATCHKEY_AUDIENCE ?? 'latchkey', // `latchkey serve --audience`
};
const signedIn = requireAuth(options);
const admins = requireAuth({ ...options, roles: ['admin'] });

const app = express();

app.get('/api/hello', signedIn.express, (req, res) => {
  res.json({ hello: req.auth.claims.sub, email: req.auth.claims.email, role: req.auth.claims.role });
});

app.get('/api/admin/report', admins.express, (req, res) => {
  res.json({ report: 'for admins only', by: req.auth.claims.sub });
});

app.get('/healthz', (req, res) => res.json({ status: 'ok' }));

const port = Number(process.env.PORT ?? 3000);
const listener = app.listen(port, '127.0.0.1', () => console.log(`listening on http://127.0.0.1:${listener.address().port}`));
