import type { TestApp } from './app.ts';

const tokens = new WeakMap<TestApp, string>();

/** GET /metrics on the app's public port as a scraper does: with a bearer API token (created on first use). */
export async function scrape(t: TestApp): Promise<string> {
  let token = tokens.get(t);
  if (!token) {
    const res = await t.app.inject({
      method: 'POST',
      url: '/api/tokens',
      headers: await t.as('admin'),
      payload: { name: 'prometheus', role: 'viewer' },
    });
    if (res.statusCode !== 201) throw new Error(`token: ${res.statusCode} ${res.body}`);
    token = res.json().token as string;
    tokens.set(t, token);
  }
  const res = await t.app.inject({ url: '/metrics', headers: { authorization: `Bearer ${token}` } });
  if (res.statusCode !== 200) throw new Error(`/metrics: ${res.statusCode} ${res.body}`);
  return res.body;
}
