import path from 'node:path';
import postgres from 'postgres';
import { connectDatabase, type Database } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { loadConfig } from '../runtime/config.js';
import { createLogger } from '../runtime/logger.js';
import { embeddedAppUrl, embeddedDatabaseUrl as runningEmbeddedUrl, portTaken } from '../runtime/ports.js';

/** A migrated database for one CLI command; `close` also stops the embedded Postgres when one was started. */
export interface CommandDatabase {
  db: Database;
  /** The same pool, for streaming queries (cursors). */
  sql: postgres.Sql;
  url: string;
  close(): Promise<void>;
}

/** Whether a Postgres answers at `url` within a few seconds (a stranger on the port may never reply). */
async function answers(url: string): Promise<boolean> {
  const sql = postgres(url, { max: 1, connect_timeout: 3, onnotice: () => {} });
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(false), 4000);
  });
  try {
    return await Promise.race([sql`select 1`.then(() => true, () => false), timeout]);
  } finally {
    clearTimeout(timer);
    void sql.end({ timeout: 0 });
  }
}

/**
 * DATABASE_URL when given; otherwise the embedded Postgres of the data folder: the one a running
 * Stockroom serves on PG_PORT (so reports and imports work while it runs), else one started for this
 * command only (like `stockroom migrate`). Migrations run first so a fresh data folder works straight away.
 */
export async function openCommandDatabase(opts: { url?: string; env?: NodeJS.ProcessEnv } = {}): Promise<CommandDatabase> {
  let url = opts.url;
  // Migrations run as the owner; the command itself works as the application (an explicit address is both).
  let ownerUrl = url;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const config = loadConfig(opts.env);
    url = config.DATABASE_URL;
    ownerUrl = config.DATABASE_OWNER_URL ?? url;
    if (!url && (await portTaken(config.PG_PORT))) {
      if (!(await answers(runningEmbeddedUrl(config.PG_PORT)))) {
        throw new CommandError(
          `Port ${config.PG_PORT} (PG_PORT) is taken by something that is not Stockroom's embedded Postgres: stop it, set PG_PORT to another port, or set DATABASE_URL.`,
        );
      }
      url = embeddedAppUrl(config.PG_PORT);
      ownerUrl = runningEmbeddedUrl(config.PG_PORT);
    }
    if (!url) {
      // Loaded lazily: only commands without a running Stockroom or DATABASE_URL need the binaries.
      const { startEmbeddedPostgres } = await import('../runtime/embedded-postgres.js');
      const pg = await startEmbeddedPostgres({
        dataDir: path.resolve(config.STOCKROOM_DATA_DIR),
        port: config.PG_PORT,
        logger: createLogger(config.LOG_LEVEL),
      });
      url = pg.url;
      ownerUrl = pg.ownerUrl;
      stopEmbedded = () => pg.stop();
    }
  }
  try {
    await runMigrations(ownerUrl!);
  } catch (err) {
    await stopEmbedded?.();
    throw err;
  }
  const handle = connectDatabase(url, { max: 4 });
  return {
    db: handle.db,
    sql: handle.sql,
    url,
    async close() {
      await handle.close();
      await stopEmbedded?.();
    },
  };
}

/** Runs `fn` with a command database and always closes it. */
export async function withCommandDatabase<T>(url: string | undefined, fn: (db: Database) => Promise<T>): Promise<T> {
  const handle = await openCommandDatabase({ url });
  try {
    return await fn(handle.db);
  } finally {
    await handle.close();
  }
}

/** A problem in what the operator typed or supplied: cli/index.ts prints the message alone and exits 1. */
export class CommandError extends Error {
  override readonly name = 'CommandError';
}
