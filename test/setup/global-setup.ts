import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { TestProject } from 'vitest/node';
import { runMigrations } from '../../db/migrate.js';
import { ensureDatabase, freePort, startEmbeddedPostgres } from '../../runtime/embedded-postgres.js';
import { createLogger } from '../../runtime/logger.js';
import { locateTestServer } from '../../runtime/temporal-cli.js';
import { startTemporalDevServer } from '../../runtime/temporal-dev-server.js';
import { workflowBundlePath } from '../../runtime/worker.js';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    templateDatabase: string;
    temporalAddress: string;
    workflowBundle: string;
    testServerPath: string;
  }
}

/**
 * One real Postgres and one real Temporal dev server for the whole run (not per test). Each test
 * file clones a migrated template database and uses its own Temporal namespace, so files run in
 * parallel without seeing each other's stock or workflows.
 */
export default async function setup(project: TestProject) {
  const logger = createLogger(process.env.TEST_LOG_LEVEL ?? 'warn');
  const runDir = fs.mkdtempSync(path.join(os.tmpdir(), 'stockroom-test-'));
  const pg = await startEmbeddedPostgres({ dataDir: runDir, port: await freePort(), logger, scratch: true });
  const adminUrl = pg.ownerUrl.replace(/\/stockroom$/, '/postgres');
  const templateDatabase = 'stockroom_template';
  await ensureDatabase(adminUrl, templateDatabase);
  await runMigrations(adminUrl.replace(/\/postgres$/, `/${templateDatabase}`));

  const temporal = await startTemporalDevServer({
    namespace: 'stockroom-test',
    port: await freePort(),
    logFile: path.join(runDir, 'temporal.log'),
    logger,
  });
  const workflowBundle = await workflowBundlePath(path.resolve('node_modules/.cache/stockroom'));
  const testServerPath = locateTestServer((line) => logger.info(line)) ?? '';

  project.provide('pgAdminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);
  project.provide('temporalAddress', temporal.address);
  project.provide('workflowBundle', workflowBundle);
  project.provide('testServerPath', testServerPath);

  return async () => {
    await temporal.stop();
    await pg.stop();
    fs.rmSync(runDir, { recursive: true, force: true });
  };
}
