import { fileURLToPath } from 'node:url';
import { drizzle } from 'drizzle-orm/postgres-js';
import { readMigrationFiles } from 'drizzle-orm/migrator';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import postgres from 'postgres';

/** The advisory lock key migrations hold (a bigint, as text for the driver). */
const MIGRATION_LOCK = '7301455218913041';

export const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));
const MIGRATIONS_TABLE = '__drizzle_migrations';

/** How many checked-in migrations the database at `url` has not applied yet (drizzle's own rule: newer than the last applied). */
export async function pendingMigrations(sql: postgres.Sql): Promise<number> {
  const files = readMigrationFiles({ migrationsFolder });
  const [table] = await sql`select to_regclass(${`public.${MIGRATIONS_TABLE}`}) is not null as present`;
  if (!table?.present) return files.length;
  const [last] = await sql.unsafe(`select max(created_at)::text as created_at from public.${MIGRATIONS_TABLE}`);
  const lastApplied = last?.created_at === null || last?.created_at === undefined ? -1 : Number(last.created_at);
  return files.filter((m) => m.folderMillis > lastApplied).length;
}

/**
 * Applies the checked-in drizzle-kit migrations on a dedicated single connection; throws on failure.
 * A database already up to date is left alone, so the application's own role (which may create
 * nothing) can start against a database its owner migrated.
 */
export async function runMigrations(url: string): Promise<void> {
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    // Replicas starting together (several web and worker processes) migrate one at a time: the others wait
    // here, then find nothing pending. Held by this session, so it is released however the process ends.
    await sql`select pg_advisory_lock(${MIGRATION_LOCK}::bigint)`;
    if ((await pendingMigrations(sql)) === 0) return;
    try {
      await migrate(drizzle(sql), { migrationsFolder, migrationsTable: MIGRATIONS_TABLE, migrationsSchema: 'public' });
    } catch (err) {
      if ((err as { code?: string }).code === '42501') {
        throw new Error(
          `Migrations are pending, and the role in this database address may not create or change tables (${(err as Error).message}): ` +
            'run them as the database owner: set DATABASE_OWNER_URL, or run `npx stockroom migrate` with it (README, "Database roles").',
        );
      }
      throw err;
    }
  } finally {
    await sql.end();
  }
}
