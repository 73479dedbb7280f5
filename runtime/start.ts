import fs from 'node:fs';
import path from 'node:path';
import type { App } from '@slack/bolt';
import { WebClient } from '@slack/web-api';
import type { Worker } from '@temporalio/worker';
import { createActivities } from '../activities/index.js';
import { createSlackApp } from '../bot/app.js';
import { slackIdentity } from '../bot/authorization.js';
import { connectDatabase, type DatabaseHandle } from '../db/client.js';
import { runMigrations } from '../db/migrate.js';
import { ensureConfiguredAdmins } from '../db/queries/people.js';
import { SLACK_MISSING_LINE, slackMode, type Config } from './config.js';
import { startEmbeddedPostgres } from './embedded-postgres.js';
import { healthRoute, type PartReport, type Probe } from './health.js';
import type { Logger } from './logger.js';
import { installTemporalLogging } from './temporal-logging.js';
import { connectTemporal, type TemporalHandles } from './temporal.js';
import { startTemporalDevServer } from './temporal-dev-server.js';
import { ensureAllSchedules } from './schedules.js';
import { createWorker, workflowBundlePath } from './worker.js';
import { sandboxFor } from '../sandbox/runtime.js';
import { seedSandbox } from '../sandbox/seed.js';
import type { LocalSlack } from '../sandbox/local-slack.js';
import { loadSettings, type StockroomSettings } from './settings.js';

export interface Stockroom {
  port: number;
  databaseUrl: string;
  temporalAddress: string;
  temporal: TemporalHandles;
  database: DatabaseHandle;
  worker: Worker;
  app: App;
  /** The local Slack at /sandbox when no workspace is configured (or STOCKROOM_SANDBOX=1). */
  sandbox?: LocalSlack;
  settings: StockroomSettings;
  /** Stops everything this process started, in reverse order. Safe to call twice. */
  stop(): Promise<void>;
}

/** Boot order: data folder → Postgres → migrations → Temporal → worker → Slack bot + HTTP routes. */
export async function startStockroom(config: Config, logger: Logger): Promise<Stockroom> {
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    while (cleanups.length) {
      const cleanup = cleanups.pop()!;
      await cleanup().catch((err) => logger.warn({ err }, 'error during shutdown'));
    }
  };
  try {
    // No Slack credentials (or STOCKROOM_SANDBOX=1): a local Slack on this port, wired in like a workspace.
    const sandbox = sandboxFor(config);
    if (sandbox) config = sandbox.config;
    // Business settings are validated before anything starts, like the environment.
    const settings = loadSettings();
    const dataDir = path.resolve(config.STOCKROOM_DATA_DIR);
    fs.mkdirSync(dataDir, { recursive: true });

    let databaseUrl = config.DATABASE_URL;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ dataDir, port: config.PG_PORT, logger });
      cleanups.push(() => pg.stop());
      databaseUrl = pg.url;
    }
    await runMigrations(databaseUrl);
    const database = connectDatabase(databaseUrl);
    cleanups.push(() => database.close());
    await ensureConfiguredAdmins(database.db, settings.admins);
    // The sandbox's people get their roles (and an empty catalogue the demo) while Temporal starts; awaited before the bot.
    const seeding = sandbox ? seedSandbox(database.db, { loadDemo: sandbox.loadDemoWhenEmpty, logger }) : undefined;
    seeding?.catch(() => {}); // a failure surfaces at the await below, not as an unhandled rejection meanwhile

    let temporalAddress = config.TEMPORAL_ADDRESS;
    let temporalUi: string | undefined;
    if (!temporalAddress) {
      const server = await startTemporalDevServer({
        namespace: config.TEMPORAL_NAMESPACE,
        port: config.TEMPORAL_PORT,
        uiPort: config.TEMPORAL_UI_PORT,
        dbFilename: path.join(dataDir, 'temporal.sqlite'),
        logFile: path.join(dataDir, 'temporal.log'),
        cliPath: config.TEMPORAL_CLI_PATH,
        logger,
      });
      cleanups.push(() => server.stop());
      temporalAddress = server.address;
      temporalUi = server.uiUrl;
    }
    installTemporalLogging(logger);
    const temporal = await connectTemporal(temporalAddress, config.TEMPORAL_NAMESPACE);
    cleanups.push(() => temporal.close());

    const mode = slackMode(config);
    // Activities post through their own Web API client (same token and base URL as the bot's).
    const slack =
      mode === 'none' ? undefined : new WebClient(config.SLACK_BOT_TOKEN, { slackApiUrl: config.SLACK_API_URL, retryConfig: { retries: 2 } });
    const activities = createActivities({ db: database.db, slack, settings });
    const worker = await createWorker({
      connection: temporal.workerConnection,
      namespace: config.TEMPORAL_NAMESPACE,
      activities,
      bundlePath: await workflowBundlePath(path.join(dataDir, 'cache')),
    });
    const workerRun = worker.run();
    workerRun.catch((err) => logger.error({ err }, 'worker stopped with an error'));
    cleanups.push(async () => {
      if (worker.getState() === 'RUNNING') worker.shutdown();
      await workerRun.catch(() => {});
    });
    const schedules = await ensureAllSchedules(temporal.client, database.db);
    logger.info({ part: 'temporal', ...schedules }, 'schedules in place (temporal schedule list)');

    const probes: Record<string, Probe> = {
      database: async () => {
        await database.sql`select 1`;
        return { state: config.DATABASE_URL ? 'external' : 'up', detail: config.DATABASE_URL ? 'DATABASE_URL' : dataDir };
      },
      temporal: async () => {
        await temporal.client.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE });
        return { state: 'up', detail: temporalAddress };
      },
      worker: async (): Promise<PartReport> => {
        const state = worker.getState();
        return { state: state === 'RUNNING' ? 'up' : 'down', detail: state.toLowerCase() };
      },
      slack: async () => {
        if (sandbox) return { state: 'up', detail: `sandbox, ${sandbox.url}` };
        return mode === 'none' ? { state: 'not configured', detail: SLACK_MISSING_LINE } : { state: 'up', detail: mode };
      },
    };

    const identity = slackIdentity(config.SLACK_BOT_TOKEN ?? 'xoxb-not-configured', config.SLACK_API_URL);
    const app = createSlackApp(
      {
        mode: mode === 'socket' ? 'socket' : 'http',
        identity,
        signingSecret: config.SLACK_SIGNING_SECRET,
        appToken: config.SLACK_APP_TOKEN,
        apiUrl: config.SLACK_API_URL,
        port: config.PORT,
        routes: [healthRoute(probes), ...(sandbox?.slack.routes() ?? [])],
      },
      { temporal: temporal.client, db: database.db, logger, settings },
    );
    await seeding;
    await app.start(config.PORT);
    cleanups.push(() => app.stop().then(() => undefined));
    // Once, now that a sandbox on this port can answer: a wrong token stops start-up here, not at the first click.
    if (mode !== 'none') await identity.verify();
    if (sandbox) cleanups.push(() => sandbox.slack.stop()); // ends the page's live streams first

    if (mode === 'none' || sandbox?.slackMissing) logger.warn(SLACK_MISSING_LINE);
    logger.info(
      {
        data: dataDir,
        database: config.DATABASE_URL ? 'external (DATABASE_URL)' : `embedded, ${path.join(dataDir, 'postgres')}`,
        temporal: temporalAddress,
        temporalUi: temporalUi ?? 'external cluster',
        slack: sandbox
          ? `sandbox, ${sandbox.url}`
          : mode === 'none' ? 'not configured' : mode === 'socket' ? 'Socket Mode' : `HTTP, /slack/events on port ${config.PORT}`,
        health: `http://localhost:${config.PORT}/healthz`,
      },
      `Stockroom is running. Data: ${dataDir}. Temporal UI: ${temporalUi ?? 'external'}. Slack: ${sandbox ? `sandbox, ${sandbox.url}` : mode}. Health: http://localhost:${config.PORT}/healthz`,
    );

    let stopped: Promise<void> | undefined;
    return {
      port: config.PORT,
      databaseUrl,
      temporalAddress,
      temporal,
      database,
      worker,
      app,
      ...(sandbox ? { sandbox: sandbox.slack } : {}),
      settings,
      stop: () => (stopped ??= stopAll()),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}
