/**
 * The server under test: what server/main.ts runs (config from the environment,
 * the real database, buildApp) plus one bare route behind the same auth hook,
 * the same-process baseline the look-ups are compared with. It makes an
 * operator token, listens on loopback, waits for the look-up cache's warm-up and
 * prints `{"port", "token", "warmed", "warmMs", "rssMb"}` on stdout.
 */
import { Type } from '@sinclair/typebox';
import { openDatabase } from '../../db/client.ts';
import { newOpaqueToken, sha256 } from '../../server/auth/opaque-token.ts';
import { buildApp } from '../../server/app.ts';
import { loadConfig } from '../../server/config.ts';

const config = { ...loadConfig(), logLevel: 'warn' as const };
const database = await openDatabase({ databaseUrl: config.databaseUrl, poolSize: 10 });
const app = await buildApp(config, { database });
const Bare = Type.Object({ code: Type.String(), msg: Type.Null(), data: Type.Null() });
app.get('/api/bench/bare', { config: { role: 'viewer' }, schema: { response: { 200: Bare } } }, async () => ({
  code: '1000',
  msg: null,
  data: null,
}));
await app.ready();
const token = newOpaqueToken('co_');
await app.repos.tokens.create({
  name: 'bench',
  role: 'operator',
  tokenHash: sha256(token),
  prefix: token.slice(0, 7),
  createdBy: null,
  createdAt: new Date(),
});
await app.listen({ host: '127.0.0.1', port: 0 });
// Report ready once the look-up cache's start-up warm-up is over, as a restarted server would be in service.
const warmStart = performance.now();
const warmed = await app.batteryCacheWarm;
const warmMs = Math.round(performance.now() - warmStart);
const address = app.server.address();
const rssMb = Math.round(process.memoryUsage().rss / 1048576);
process.stdout.write(
  `${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, token, engine: database.engine, warmed, warmMs, rssMb })}\n`,
);
const stop = async () => {
  await app.close();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
