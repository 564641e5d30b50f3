import { defineConfig } from 'drizzle-kit';

// One schema and one migration set serve both PGlite and PostgreSQL.
export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
});
