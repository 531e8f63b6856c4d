// docs/openapi.json against the source it describes: the routes registered in
// native/http/routes_*.cc and the error table core/include/latchkey/error_codes.def.
// Reads files only; no server needed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const httpDir = path.join(repoRoot, 'native/http');
const docText = readFileSync(path.join(repoRoot, 'docs/openapi.json'), 'utf8');

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch', 'trace'];
// Documents that describe the server rather than its API: no error object expected.
const NO_ERROR_OBJECT = (p) =>
  p === '/healthz' || p === '/metrics' || p === '/openapi.json' || p.startsWith('/.well-known/');

function parseDoc() {
  return JSON.parse(docText);
}

// ---------------------------------------------------------------------------
// Routes registered in C++.

// The string literal at `text[i]` ("..." or R"delim(...)delim"); returns {value, end} or null.
function readStringLiteral(text, i) {
  if (text.startsWith('R"', i)) {
    const open = text.indexOf('(', i + 2);
    if (open < 0) return null;
    const delimiter = text.slice(i + 2, open);
    if (!/^[^\s()\\]{0,16}$/.test(delimiter)) return null;
    const close = text.indexOf(`)${delimiter}"`, open + 1);
    if (close < 0) return null;
    return { value: text.slice(open + 1, close), end: close + delimiter.length + 2 };
  }
  if (text[i] === '"') {
    let value = '';
    for (let j = i + 1; j < text.length; j++) {
      const c = text[j];
      if (c === '"') return { value, end: j + 1 };
      if (c === '\n') return null;
      if (c === '\\') {
        const next = text[++j];
        if (next === undefined) return null;
        value += next === 'n' ? '\n' : next === 't' ? '\t' : next;
      } else {
        value += c;
      }
    }
  }
  return null;
}

// A named constant's string value in the same file (constexpr const char* kName = ...;).
function readConstant(text, name, file) {
  const declaration = new RegExp(`\\b(?:constexpr|const)\\b[^;=]*\\b${name}\\s*=\\s*`, 'g');
  const match = declaration.exec(text);
  if (!match) throw new Error(`${file}: route path constant ${name} is not declared in this file`);
  const literal = readStringLiteral(text, match.index + match[0].length);
  if (!literal) throw new Error(`${file}: route path constant ${name} is not a plain string literal`);
  return literal.value;
}

// cpp-httplib paths are regular expressions: capture groups become OpenAPI
// parameters. The first is {id}; a later one is named after the collection
// before it (/admin/users/{id}/passkeys/{passkey_id}).
function toOpenApiPath(pattern, file) {
  let index = 0;
  const mapped = pattern.replace(/\((?!\?)(?:[^()\\]|\\.)*\)/g, (group, offset) => {
    if (index++ === 0) return '{id}';
    const collection = /\/([a-z_]+)s\/$/.exec(pattern.slice(0, offset))?.[1];
    if (!collection) throw new Error(`${file}: ${pattern}: cannot name capture group ${index}; teach this test its name`);
    return `{${collection}_id}`;
  });
  if (/[()[\]*+?\\^$|]/.test(mapped)) {
    throw new Error(`${file}: cannot map the route pattern ${pattern} (got ${mapped}) to an OpenAPI path`);
  }
  if (!mapped.startsWith('/')) throw new Error(`${file}: route path ${pattern} does not start with /`);
  return mapped;
}

function stripComments(text) {
  // Good enough for this code base: no "//" or "/*" inside the route strings.
  return text.replace(/\/\*[\s\S]*?\*\//g, (m) => m.replace(/[^\n]/g, ' ')).replace(/(^|[^:"])\/\/[^\n]*/g, '$1');
}

function registeredRoutes() {
  const files = readdirSync(httpDir).filter((f) => /^routes_.*\.cc$/.test(f)).sort();
  if (files.length === 0) throw new Error(`no native/http/routes_*.cc files found in ${httpDir}`);
  const routes = [];
  for (const file of files) {
    const text = stripComments(readFileSync(path.join(httpDir, file), 'utf8'));
    const call = /\bserver\s*(?:\.|->)\s*(Get|Post|Put|Patch|Delete|Options)\s*\(/g;
    let found = 0;
    for (let m; (m = call.exec(text)); ) {
      let i = m.index + m[0].length;
      while (/\s/.test(text[i])) i++;
      let pattern;
      const literal = readStringLiteral(text, i);
      if (literal) {
        pattern = literal.value;
      } else {
        const identifier = /^[A-Za-z_]\w*/.exec(text.slice(i));
        const line = text.slice(0, m.index).split('\n').length;
        if (!identifier) throw new Error(`${file}:${line}: cannot read the path of server.${m[1]}(...)`);
        pattern = readConstant(text, identifier[0], file);
      }
      routes.push({ method: m[1].toLowerCase(), path: toOpenApiPath(pattern, file), file });
      found++;
    }
    if (found === 0) throw new Error(`${file}: no server.Get/Post/Patch/Delete(...) registrations found`);
  }
  return routes;
}

const key = (method, p) => `${method.toUpperCase()} ${p}`;

// ---------------------------------------------------------------------------
// The error table.

function errorTable() {
  const text = readFileSync(path.join(repoRoot, 'core/include/latchkey/error_codes.def'), 'utf8');
  const rows = new Map();
  let lines = 0;
  for (const line of text.split('\n')) {
    if (!line.startsWith('LATCHKEY_ERROR(')) continue;
    lines++;
    const m = /^LATCHKEY_ERROR\(\s*(k\w+)\s*,\s*"([a-z0-9_]+)"\s*,\s*(\d{3})\s*,/.exec(line);
    if (!m) throw new Error(`error_codes.def: cannot read ${line}`);
    rows.set(m[2], Number(m[3]));
  }
  if (lines === 0 || rows.size !== lines) throw new Error(`error_codes.def: read ${rows.size} of ${lines} rows`);
  return rows;
}

// ---------------------------------------------------------------------------
// Walking the document.

function resolvePointer(doc, ref) {
  assert.ok(ref.startsWith('#/'), `only local $refs are used: ${ref}`);
  let node = doc;
  for (const raw of ref.slice(2).split('/')) {
    const part = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    assert.ok(node && Object.hasOwn(node, part), `dangling $ref ${ref}`);
    node = node[part];
  }
  return node;
}

function* operations(doc) {
  for (const [p, item] of Object.entries(doc.paths)) {
    for (const method of METHODS) {
      if (item[method]) yield { path: p, method, op: item[method], item };
    }
  }
}

// A response object with components.responses references followed.
function response(doc, value) {
  let r = value;
  while (r && r.$ref) r = resolvePointer(doc, r.$ref);
  return r;
}

// Does this schema (directly or through allOf/anyOf/oneOf) reference the Error schema?
function referencesError(schema) {
  if (!schema || typeof schema !== 'object') return false;
  if (schema.$ref === '#/components/schemas/Error') return true;
  return ['allOf', 'anyOf', 'oneOf'].some((k) => Array.isArray(schema[k]) && schema[k].some(referencesError));
}

// The codes a response narrows `error` to, when it does (allOf: [Error, {properties: {error: {enum}}}]).
function narrowedCodes(schema) {
  for (const part of schema?.allOf ?? []) {
    const codes = part?.properties?.error?.enum;
    if (codes) return codes;
  }
  return null;
}

// ---------------------------------------------------------------------------

test('parses as OpenAPI 3.1.0, 2-space indented, and fits in the raw string literal it is compiled into', () => {
  const doc = parseDoc();
  assert.equal(doc.openapi, '3.1.0');
  assert.equal(typeof doc.info?.title, 'string');
  assert.equal(typeof doc.info?.version, 'string');
  assert.equal(typeof doc.paths, 'object');
  // native/http/openapi.cc.in: R"latchkey_openapi(...)latchkey_openapi", filled by configure_file(@ONLY).
  assert.ok(!docText.includes(')latchkey_openapi"'), 'contains the raw string terminator');
  assert.doesNotMatch(docText, /@[A-Za-z0-9_]+@/, 'configure_file would substitute an @VAR@ sequence');
  assert.ok(!docText.includes('\t'), 'tabs');
  for (const [n, line] of docText.split('\n').entries()) {
    const indent = /^ */.exec(line)[0].length;
    assert.equal(indent % 2, 0, `line ${n + 1} is not indented by a multiple of 2 spaces`);
  }
});

test('every $ref resolves', () => {
  const doc = parseDoc();
  let refs = 0;
  const walk = (node) => {
    if (Array.isArray(node)) return node.forEach(walk);
    if (!node || typeof node !== 'object') return;
    if (typeof node.$ref === 'string') {
      resolvePointer(doc, node.$ref);
      refs++;
    }
    Object.values(node).forEach(walk);
  };
  walk(doc);
  assert.ok(refs > 0);
});

test('route extraction reads every registration in the route files', () => {
  const routes = registeredRoutes();
  for (const file of new Set(routes.map((r) => r.file))) {
    const text = stripComments(readFileSync(path.join(httpDir, file), 'utf8'));
    const calls = text.match(/\bserver\s*(?:\.|->)\s*(?:Get|Post|Put|Patch|Delete|Options)\s*\(/g) ?? [];
    assert.equal(routes.filter((r) => r.file === file).length, calls.length, file);
  }
  // Spot checks that would catch a broken extractor quietly returning something else.
  const keys = new Set(routes.map((r) => key(r.method, r.path)));
  const spot = ['POST /auth/login', 'DELETE /auth/sessions/{id}', 'PATCH /admin/users/{id}', 'GET /healthz'];
  for (const expected of spot) {
    assert.ok(keys.has(expected), `extractor did not find ${expected}; found: ${[...keys].join(', ')}`);
  }
  assert.equal(keys.size, routes.length, 'a route is registered twice');
});

test('the documented (method, path) pairs are exactly the registered routes', () => {
  const doc = parseDoc();
  const registered = new Set(registeredRoutes().map((r) => key(r.method, r.path)));
  const documented = new Set([...operations(doc)].map((o) => key(o.method, o.path)));
  const undocumented = [...registered].filter((k) => !documented.has(k)).sort();
  const unregistered = [...documented].filter((k) => !registered.has(k)).sort();
  assert.deepEqual(undocumented, [], 'registered but not documented');
  assert.deepEqual(unregistered, [], 'documented but not registered');
});

test('path parameters are declared for every templated path', () => {
  const doc = parseDoc();
  for (const { path: p, method, op, item } of operations(doc)) {
    const params = [...(item.parameters ?? []), ...(op.parameters ?? [])].map((x) =>
      x.$ref ? resolvePointer(doc, x.$ref) : x,
    );
    for (const [, name] of p.matchAll(/\{([^}]+)\}/g)) {
      const declared = params.find((x) => x.in === 'path' && x.name === name);
      assert.ok(declared, `${key(method, p)}: path parameter ${name} not declared`);
      assert.equal(declared.required, true, `${key(method, p)}: path parameter ${name} must be required`);
    }
  }
});

test('the error enum is exactly the error table (every wire code but "ok")', () => {
  const doc = parseDoc();
  const table = errorTable();
  const enumCodes = doc.components?.schemas?.ErrorCode?.enum;
  assert.ok(Array.isArray(enumCodes) && enumCodes.length > 0, 'components.schemas.ErrorCode.enum is missing');
  assert.equal(new Set(enumCodes).size, enumCodes.length, 'duplicate codes in the enum');
  assert.equal(doc.components.schemas.Error?.properties?.error?.$ref, '#/components/schemas/ErrorCode');
  const expected = [...table.keys()].filter((c) => c !== 'ok');
  assert.deepEqual(enumCodes.filter((c) => !table.has(c)).sort(), [], 'in the enum but not in error_codes.def');
  assert.deepEqual(expected.filter((c) => !enumCodes.includes(c)).sort(), [], 'in error_codes.def but not in the enum');
  assert.ok(!enumCodes.includes('ok'), '"ok" is not an error');
});

test('codes listed on a response exist and have that response\'s status in the error table', () => {
  const doc = parseDoc();
  const table = errorTable();
  let checked = 0;
  const inspect = (where, status, value) => {
    const r = response(doc, value);
    for (const media of Object.values(r.content ?? {})) {
      const codes = narrowedCodes(media.schema);
      if (!codes) continue;
      for (const code of codes) {
        assert.ok(table.has(code), `${where}: unknown code ${code}`);
        assert.equal(table.get(code), Number(status), `${where}: ${code} is ${table.get(code)} in the error table`);
        checked++;
      }
    }
  };
  for (const { path: p, method, op } of operations(doc)) {
    for (const [status, value] of Object.entries(op.responses)) inspect(key(method, p), status, value);
  }
  assert.ok(checked > 0);
  for (const code of doc.components.schemas.OAuthError.properties.error_code.enum) {
    assert.ok(table.has(code), `OAuthError.error_code: unknown code ${code}`);
  }
});

test('every operation documents an error answer in the error shape (except server documents)', () => {
  const doc = parseDoc();
  const missing = [];
  let checked = 0;
  for (const { path: p, method, op } of operations(doc)) {
    assert.ok(op.responses && Object.keys(op.responses).length > 0, `${key(method, p)} has no responses`);
    if (NO_ERROR_OBJECT(p)) continue;
    checked++;
    const hasError = Object.entries(op.responses).some(([status, value]) => {
      if (!/^[45]\d\d$/.test(status)) return false;
      const r = response(doc, value);
      return Object.values(r.content ?? {}).some((media) => referencesError(media.schema));
    });
    if (!hasError) missing.push(key(method, p));
  }
  assert.ok(checked > 0);
  assert.deepEqual(missing, []);
});

test('authenticated operations use the bearer scheme and document 401', () => {
  const doc = parseDoc();
  assert.equal(doc.components?.securitySchemes?.bearer?.type, 'http');
  assert.equal(doc.components.securitySchemes.bearer.scheme, 'bearer');
  assert.equal(doc.components.securitySchemes.bearer.bearerFormat, 'JWT');
  let secured = 0;
  for (const { path: p, method, op } of operations(doc)) {
    if (!op.security?.some((s) => 'bearer' in s)) continue;
    secured++;
    const unauthorized = response(doc, op.responses['401']);
    assert.ok(unauthorized, `${key(method, p)}: no 401`);
    assert.ok(unauthorized.headers?.['WWW-Authenticate'], `${key(method, p)}: 401 without WWW-Authenticate`);
  }
  assert.ok(secured > 0);
});

test('/auth/token takes a form and answers errors in the RFC 6749 shape', () => {
  const doc = parseDoc();
  const op = doc.paths['/auth/token'].post;
  assert.ok(op.requestBody.content['application/x-www-form-urlencoded']);
  const badRequest = response(doc, op.responses['400']);
  assert.equal(badRequest.content['application/json'].schema.$ref, '#/components/schemas/OAuthError');
  const oauth = doc.components.schemas.OAuthError;
  assert.deepEqual([...oauth.required].sort(), ['error', 'error_code', 'error_description', 'request_id']);
});
