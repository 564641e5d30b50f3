import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import Fastify, { type FastifyInstance } from 'fastify';
import webPlugin, { PAGE_PATHS } from '../../../server/web/plugin.ts';

/** server/web/plugin.ts over a throwaway build folder, so the test owns what is "built". */
describe('dashboard serving', () => {
  let dist: string;
  let app: FastifyInstance;
  before(async () => {
    dist = mkdtempSync(join(tmpdir(), 'chargeops-web-'));
    app = Fastify({ routerOptions: { ignoreTrailingSlash: true } });
    await app.register(webPlugin, { distDir: dist });
    await app.ready();
  });
  after(async () => {
    await app.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('without a build, still answers every page with how to build it', async () => {
    for (const path of PAGE_PATHS) {
      const res = await app.inject({ url: path });
      assert.equal(res.statusCode, 503, path);
      assert.match(res.body, /npm run build:web/);
    }
  });

  it('with a build, answers index.html at every page path (with or without the slash) and hashed assets cached for a year', async () => {
    mkdirSync(join(dist, 'assets'));
    writeFileSync(
      join(dist, 'index.html'),
      '<!doctype html><script type="module" src="/assets/index-abc.js"></script>',
    );
    writeFileSync(join(dist, 'assets/index-abc.js'), 'console.log(1)');
    for (const path of [...PAGE_PATHS, '/overview', '/devices']) {
      const res = await app.inject({ url: path });
      assert.equal(res.statusCode, 200, path);
      assert.match(res.headers['content-type'] as string, /^text\/html/);
      assert.equal(res.headers['cache-control'], 'no-cache');
      assert.match(res.body, /\/assets\/index-abc\.js/);
    }
    const asset = await app.inject({ url: '/assets/index-abc.js' });
    assert.equal(asset.statusCode, 200);
    assert.equal(asset.body, 'console.log(1)');
    assert.equal(asset.headers['cache-control'], 'public, max-age=31536000, immutable');
    assert.equal((await app.inject({ url: '/assets/../index.html' })).statusCode, 404);
  });

  it('sends "/" to the overview', async () => {
    const res = await app.inject({ url: '/' });
    assert.equal(res.statusCode, 302);
    assert.equal(res.headers.location, '/overview/');
  });
});
