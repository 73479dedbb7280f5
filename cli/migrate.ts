import path from 'node:path';
import { runMigrations } from '../db/migrate.js';
import { loadConfig } from '../runtime/config.js';
import { startEmbeddedPostgres } from '../runtime/embedded-postgres.js';
import { createLogger } from '../runtime/logger.js';

export async function migrateCommand(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  if (config.DATABASE_URL) {
    await runMigrations(config.DATABASE_URL);
    console.log('Migrations applied to DATABASE_URL.');
    return;
  }
  const pg = await startEmbeddedPostgres({ dataDir: path.resolve(config.STOCKROOM_DATA_DIR), port: config.PG_PORT, logger });
  try {
    await runMigrations(pg.url);
    console.log(`Migrations applied to the embedded database in ${config.STOCKROOM_DATA_DIR}.`);
  } finally {
    await pg.stop();
  }
}
