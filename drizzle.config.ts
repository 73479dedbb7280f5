import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'postgresql',
  schema: './db/schema/index.ts',
  out: './db/migrations',
  casing: 'snake_case',
  dbCredentials: { url: process.env.DATABASE_URL ?? 'postgres://stockroom:stockroom@127.0.0.1:5433/stockroom' },
  migrations: { table: '__drizzle_migrations', schema: 'public' },
});
