import assert from 'node:assert/strict';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { RouteEntry } from '../../../server/app.ts';
import { createTestApp, type TestApp } from '../../helpers/app.ts';
import { engineName } from '../../helpers/db.ts';

/**
 * A NUL character (U+0000) in any path parameter, query parameter or body
 * field of any route is a 400 naming the field, never a 500 (PostgreSQL text
 * cannot hold it, so it used to fail the database call). Routes come from
 * `app.routeTable`, so a new route is covered without touching this file.
 */

type Schema = {
  type?: string | string[];
  properties?: Record<string, Schema>;
  required?: string[];
  items?: Schema;
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  oneOf?: Schema[];
  allOf?: Schema[];
  minimum?: number;
  minLength?: number;
  minItems?: number;
  format?: string;
};

const NUL_MESSAGE = 'must not contain a NUL character';
const BAD = 'a\u0000b';

/** A plausible value for a JSON schema, so the NUL is the only thing wrong with the request. */
function sample(s: Schema | undefined): unknown {
  if (!s) return 'x';
  if (s.const !== undefined) return s.const;
  if (s.enum) return s.enum[0];
  const alt = s.anyOf ?? s.oneOf;
  if (alt) return sample(alt.find((a) => a.type !== 'null') ?? alt[0]);
  if (s.allOf) return Object.assign({}, ...s.allOf.map((a) => sample(a) as object));
  const type = Array.isArray(s.type) ? s.type.find((x) => x !== 'null') : s.type;
  switch (type) {
    case 'object': {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(s.properties ?? {})) if (s.required?.includes(k)) out[k] = sample(v);
      return out;
    }
    case 'array':
      return Array.from({ length: Math.max(1, s.minItems ?? 0) }, () => sample(s.items));
    case 'integer':
    case 'number':
      return Math.max(1, s.minimum ?? 1);
    case 'boolean':
      return false;
    case 'null':
      return null;
    default:
      if (s.format === 'date-time') return '2026-03-15T08:00:00Z';
      return 'x'.repeat(Math.max(1, s.minLength ?? 1));
  }
}

/** Every path to a string-accepting field of a body schema (array items as `.0`). */
function stringPaths(s: Schema | undefined, prefix = ''): string[] {
  if (!s) return [];
  const alt = s.anyOf ?? s.oneOf ?? s.allOf;
  if (alt) return [...new Set(alt.flatMap((a) => stringPaths(a, prefix)))];
  const types = Array.isArray(s.type) ? s.type : [s.type];
  if (types.includes('object'))
    return Object.entries(s.properties ?? {}).flatMap(([k, v]) => stringPaths(v, prefix ? `${prefix}.${k}` : k));
  if (types.includes('array')) return stringPaths(s.items, `${prefix}.0`);
  if (types.includes('string') && !s.enum && s.const === undefined && prefix) return [prefix];
  return [];
}

function setAt(root: unknown, path: string, value: unknown): unknown {
  const parts = path.split('.');
  let node = root as Record<string, unknown>;
  for (const [i, p] of parts.entries()) {
    if (i === parts.length - 1) node[p] = value;
    else node = (node[p] ??= /^\d+$/.test(parts[i + 1]!) ? [] : {}) as Record<string, unknown>;
  }
  return root;
}

const paramValue = (name: string) => (/id$/i.test(name) ? '1' : 'x');
function urlOf(route: RouteEntry, bad?: string): string {
  return route.url
    .replace(/:(\w+)/g, (_m, name: string) => (name === bad ? 'a%00b' : paramValue(name)))
    .replace(/\*$/, bad === '*' ? 'a%00b' : 'x');
}

interface Probe {
  route: RouteEntry;
  what: string;
  field: string;
  url: string;
  payload?: unknown;
  form?: boolean;
}

function probes(routes: RouteEntry[]): Probe[] {
  const out: Probe[] = [];
  for (const route of routes) {
    const schema = (route.schema ?? {}) as { body?: Schema; querystring?: Schema };
    const hasBody = !['GET', 'DELETE'].includes(route.method);
    const body = hasBody ? (sample(schema.body ?? { type: 'object' }) as object) : undefined;
    const params = [...route.url.matchAll(/:(\w+)/g)].map((m) => m[1]!);
    if (route.url.endsWith('*')) params.push('*');
    for (const p of params)
      out.push({ route, what: `path parameter ${p}`, field: p, url: urlOf(route, p), payload: body });
    for (const q of Object.keys(schema.querystring?.properties ?? {})) {
      out.push({ route, what: `query parameter ${q}`, field: q, url: `${urlOf(route)}?${q}=a%00b`, payload: body });
    }
    if (!hasBody) continue;
    for (const f of stringPaths(schema.body)) {
      out.push({
        route,
        what: `body field ${f}`,
        field: f,
        url: urlOf(route),
        payload: setAt(structuredClone(sample(schema.body)), f, BAD),
      });
      // Form bodies are parsed only on the seed's settings form; every other route answers them 415 (plugins/csrf.ts).
      if (!f.includes('.') && route.url.startsWith('/api/basic/settings')) {
        out.push({
          route,
          what: `form field ${f}`,
          field: f,
          url: urlOf(route),
          form: true,
          payload: { ...(sample(schema.body) as object), [f]: BAD },
        });
      }
    }
  }
  return out;
}

function formEncode(body: Record<string, unknown>): string {
  return Object.entries(body)
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`)
    .join('&');
}

describe(`NUL characters in REST input on ${engineName}`, () => {
  let t: TestApp;
  let auth: Record<string, string>;
  before(async () => {
    t = await createTestApp();
    // A bearer token, not the session cookie: the probes log out, and a token needs no CSRF proof.
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: await t.as('admin'),
      payload: { name: 'nul-probe', role: 'admin' },
    });
    assert.equal(res.statusCode, 201, res.body);
    auth = { authorization: `Bearer ${res.json().token}` };
  });
  after(() => t.close());

  it('every route answers a NUL in each path parameter, query parameter and body field with a 400 naming it', async () => {
    const routes = t.app.routeTable.filter((r) => r.method !== 'HEAD' && r.method !== 'OPTIONS');
    const all = probes(routes);
    assert.ok(all.length > 60, `probes were built: ${all.length}`);
    const wrong: string[] = [];
    for (const p of all) {
      const res = await t.app.inject({
        method: p.route.method as 'GET',
        url: p.url,
        headers: { ...auth, ...(p.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}) },
        ...(p.payload === undefined
          ? {}
          : { payload: p.form ? formEncode(p.payload as Record<string, unknown>) : (p.payload as object) }),
      });
      const label = `${p.route.method} ${p.route.url} ${p.what}: ${res.statusCode} ${res.body.slice(0, 160)}`;
      if (res.statusCode >= 500) {
        wrong.push(label);
        continue;
      }
      if (p.route.url.startsWith('/batteryInfo/')) {
        const body = res.json() as { code: string; msg: string };
        if (res.statusCode !== 400 || body.code !== '1001' || !body.msg.includes(`${p.field} ${NUL_MESSAGE}`))
          wrong.push(label);
      } else if (p.route.url.startsWith('/api/') || p.route.url.startsWith('/bmw/')) {
        if (res.statusCode !== 400 || res.json().fields?.[p.field] !== NUL_MESSAGE) wrong.push(label);
      } else if (res.statusCode !== 400 && res.statusCode !== 404) {
        wrong.push(label); // pages, assets, docs: a NUL is refused or not found, never served
      }
    }
    assert.deepEqual(wrong, []);
  });

  it('a NUL in a JSON key or a deeply nested value is named too', async () => {
    let deep: unknown = BAD;
    for (let i = 0; i < 200; i++) deep = [deep];
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/users',
      headers: auth,
      payload: { username: 'u', password: 'long-enough-1', role: 'viewer', ['x\u0000']: 1, d: deep },
    });
    assert.equal(res.statusCode, 400, res.body);
    const fields = res.json().fields as Record<string, string>;
    assert.equal(fields['x\\u0000'], `has a name that ${NUL_MESSAGE}`);
    assert.equal(fields[`d${'.0'.repeat(200)}`], NUL_MESSAGE);
  });

  it('an unpaired surrogate in a JSON body is refused before it reaches a jsonb column', async () => {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/chargers',
      headers: { ...auth, 'content-type': 'application/json' },
      payload: '{"id":"CP-S","secret":"charger-secret-1","description":"half \\ud800 a pair"}',
    });
    assert.equal(res.statusCode, 400, res.body);
    assert.match(res.json().fields.description, /unpaired surrogate/);
    assert.equal((await t.app.inject({ url: '/api/chargers/CP-S', headers: auth })).statusCode, 404, 'nothing stored');
  });

  it('a NUL in a header never arrives: Node refuses the request line and the app keeps serving', async () => {
    await t.app.listen({ port: 0, host: '127.0.0.1' });
    const { port } = t.app.server.address() as AddressInfo;
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = connect(port, '127.0.0.1', () =>
        socket.write(`GET /healthz HTTP/1.1\r\nHost: x\r\nX-Bad: a\u0000b\r\n\r\n`),
      );
      let data = '';
      socket.on('data', (d) => (data += d.toString()));
      socket.on('end', () => resolve(data));
      socket.on('error', reject);
    });
    assert.match(answer, /^HTTP\/1\.1 400 Bad Request/);
    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
  });
});
