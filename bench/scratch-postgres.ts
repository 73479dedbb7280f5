import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runMigrations } from '../db/migrate.js';
import { freePort, startEmbeddedPostgres } from '../runtime/embedded-postgres.js';
import type { Logger } from '../runtime/logger.js';

/**
 * A throw-away embedded Postgres for one benchmark: a fresh data folder under the system temp
 * directory, migrated, handed to `run`, then stopped and deleted whatever happened.
 */
export async function withScratchPostgres<T>(
  name: string,
  logger: Logger,
  run: (pg: { url: string; ownerUrl: string; dir: string }) => Promise<T>,
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `stockroom-bench-${name}-`));
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), logger, scratch: true });
  try {
    await runMigrations(pg.ownerUrl);
    return await run({ url: pg.url, ownerUrl: pg.ownerUrl, dir });
  } finally {
    await pg.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
