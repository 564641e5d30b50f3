/**
 * The server under test: what server/main.ts runs (config from the environment,
 * the real database, buildApp) plus one bare route behind the same auth hook,
 * the same-process baseline the look-ups are compared with. It makes an
 * operator token, listens on loopback and prints `{"port", "token"}` on stdout.
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
app.get('/api/bench/bare', { config: { role: 'viewer' }, schema: { response: { 200: Bare } } }, async () => ({ code: '1000', msg: null, data: null }));
await app.ready();
const token = newOpaqueToken('co_');
await app.repos.tokens.create({ name: 'bench', role: 'operator', tokenHash: sha256(token), prefix: token.slice(0, 7), createdBy: null, createdAt: new Date() });
await app.listen({ host: '127.0.0.1', port: 0 });
const address = app.server.address();
process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0, token, engine: database.engine })}\n`);
const stop = async () => {
  await app.close();
  await database.close();
  process.exit(0);
};
process.on('SIGTERM', () => void stop());
process.on('SIGINT', () => void stop());
