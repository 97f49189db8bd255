import { defineConfig } from 'drizzle-kit';

// One migrations folder serves both runtimes: drizzle's migrator on Node and
// `wrangler d1 migrations apply` on Workers (it reads the top-level *.sql files).
export default defineConfig({
  dialect: 'sqlite',
  schema: './src/db/schema.ts',
  out: './migrations',
});
