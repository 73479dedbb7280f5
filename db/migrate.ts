import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

/** The advisory lock key migrations hold (a bigint, as text for the driver). */
const MIGRATION_LOCK = '7301455218913041';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Applies the checked-in drizzle-kit migrations on a dedicated single connection; throws on failure. */
export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // Replicas starting together (several web and worker processes) migrate one at a time: the others wait
    // here, then find nothing pending. Held by this session, so it is released however the process ends.
    await sql`select pg_advisory_lock(${MIGRATION_LOCK}::bigint)`;
    await migrate(drizzle(sql), { migrationsFolder, migrationsTable: '__drizzle_migrations', migrationsSchema: 'public' });
  } finally {
    await sql.end();
  }
}
