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
import { timeAcks } from '../bot/ack-timing.js';
import { ConfigError } from './config.js';
import { serveRoutes } from './http-routes.js';
import { createMetrics, type AppMetrics } from './metrics.js';
import { freePort } from './ports.js';
import { sandboxFor, sandboxSettings } from '../sandbox/runtime.js';
import { seedSandbox } from '../sandbox/seed.js';
import type { LocalSlack } from '../sandbox/local-slack.js';
import { loadSettings, type StockroomSettings } from './settings.js';

export interface Stockroom {
  port: number;
  databaseUrl: string;
  temporalAddress: string;
  temporal: TemporalHandles;
  database: DatabaseHandle;
  /** What this process runs: both (`start`), the Slack side (`web`) or the Temporal worker (`worker`). */
  role: Role;
  /** Absent in a `web` process. */
  worker?: Worker;
  /** Absent in a `worker` process (it serves /healthz and /metrics on its own HTTP server). */
  app?: App;
  metrics: AppMetrics;
  /** The local Slack at /sandbox when no workspace is configured (or STOCKROOM_SANDBOX=1). */
  sandbox?: LocalSlack;
  settings: StockroomSettings;
  /** Stops everything this process started, in reverse order. Safe to call twice. */
  stop(): Promise<void>;
}

export type Role = 'all' | 'web' | 'worker';

/**
 * Boot order: data folder → Postgres → migrations → Temporal → worker → Slack bot + HTTP routes. `web` and
 * `worker` start only their half, against the DATABASE_URL and TEMPORAL_ADDRESS every replica shares; any
 * number of each may run at once (migrations take an advisory lock, schedules are created or updated).
 */
export async function startStockroom(config: Config, logger: Logger, role: Role = 'all'): Promise<Stockroom> {
  const cleanups: Array<() => Promise<void>> = [];
  const stopAll = async () => {
    while (cleanups.length) {
      const cleanup = cleanups.pop()!;
      await cleanup().catch((err) => logger.warn({ err }, 'error during shutdown'));
    }
  };
  try {
    // No Slack credentials (or STOCKROOM_SANDBOX=1): a local Slack on this port, wired in like a workspace.
    if (role !== 'all') requireSharedServers(config, role);
    const sandbox = role === 'worker' ? undefined : sandboxFor(config);
    if (sandbox) config = sandbox.config;
    // Business settings are validated before anything starts, like the environment.
    const settings = sandboxSettings(loadSettings(), sandbox);
    const dataDir = path.resolve(config.STOCKROOM_DATA_DIR);
    fs.mkdirSync(dataDir, { recursive: true });

    let databaseUrl = config.DATABASE_URL;
    let ownerUrl = config.DATABASE_OWNER_URL ?? databaseUrl;
    if (!databaseUrl) {
      const pg = await startEmbeddedPostgres({ dataDir, port: config.PG_PORT, logger });
      cleanups.push(() => pg.stop());
      databaseUrl = pg.url;
      ownerUrl = pg.ownerUrl;
    }
    await runMigrations(ownerUrl!);
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
    // The SDK's own metrics on a loopback port, appended to this process's /metrics.
    const sdkMetricsPort = await freePort();
    const sdkMetrics = installTemporalLogging(logger, { metricsBindAddress: `127.0.0.1:${sdkMetricsPort}` });
    const temporal = await connectTemporal(temporalAddress, config.TEMPORAL_NAMESPACE);
    cleanups.push(() => temporal.close());
    const metrics = createMetrics({ role, db: database.db, temporalMetricsUrl: sdkMetrics ? `http://127.0.0.1:${sdkMetricsPort}/metrics` : undefined });

    const mode = slackMode(config);
    // Activities post through their own Web API client (same token and base URL as the bot's).
    const slack =
      mode === 'none' ? undefined : new WebClient(config.SLACK_BOT_TOKEN, { slackApiUrl: config.SLACK_API_URL, retryConfig: { retries: 2 } });
    let worker: Worker | undefined;
    if (role !== 'web') {
      const running = await createWorker({
        connection: temporal.workerConnection,
        namespace: config.TEMPORAL_NAMESPACE,
        activities: createActivities({ db: database.db, slack, settings }),
        activityInterceptors: [metrics.activityInterceptor],
        bundlePath: await workflowBundlePath(path.join(dataDir, 'cache')),
      });
      worker = running;
      const workerRun = running.run();
      workerRun.catch((err) => logger.error({ err }, 'worker stopped with an error'));
      cleanups.push(async () => {
        if (running.getState() === 'RUNNING') running.shutdown();
        await workerRun.catch(() => {});
      });
      const schedules = await ensureAllSchedules(temporal.client, database.db);
      logger.info({ part: 'temporal', ...schedules }, 'schedules in place (temporal schedule list)');
    }

    const probes: Record<string, Probe> = {
      database: async () => {
        await database.sql`select 1`;
        return { state: config.DATABASE_URL ? 'external' : 'up', detail: config.DATABASE_URL ? 'DATABASE_URL' : dataDir };
      },
      temporal: async () => {
        await temporal.client.workflowService.describeNamespace({ namespace: config.TEMPORAL_NAMESPACE });
        return { state: 'up', detail: temporalAddress };
      },
      ...(worker && {
        worker: async (): Promise<PartReport> => {
          const state = worker.getState();
          return { state: state === 'RUNNING' ? 'up' : 'down', detail: state.toLowerCase() };
        },
      }),
    };
    if (role !== 'worker') {
      probes.slack = async () => {
        if (sandbox) return { state: 'up', detail: `sandbox, ${sandbox.url}` };
        return mode === 'none' ? { state: 'not configured', detail: SLACK_MISSING_LINE } : { state: 'up', detail: mode };
      };
    }

    let app: App | undefined;
    if (role === 'worker') {
      // No Slack receiver here: /healthz and /metrics on a server of its own.
      const server = await serveRoutes(config.PORT, [healthRoute(probes), metrics.route()]);
      cleanups.push(() => server.close());
    } else {
      const identity = slackIdentity(config.SLACK_BOT_TOKEN ?? 'xoxb-not-configured', config.SLACK_API_URL);
      const bolt = createSlackApp(
        {
          mode: mode === 'socket' ? 'socket' : 'http',
          identity,
          signingSecret: config.SLACK_SIGNING_SECRET,
          appToken: config.SLACK_APP_TOKEN,
          apiUrl: config.SLACK_API_URL,
          port: config.PORT,
          routes: [healthRoute(probes), metrics.route(), ...(sandbox?.slack.routes() ?? [])],
        },
        { temporal: temporal.client, db: database.db, logger, settings },
      );
      app = bolt;
      timeAcks(bolt, (surface, seconds) => metrics.acks.observe({ surface }, seconds));
      await seeding;
      await bolt.start(config.PORT);
      cleanups.push(() => bolt.stop().then(() => undefined));
      // Once, now that a sandbox on this port can answer: a wrong token stops start-up here, not at the first click.
      if (mode !== 'none') await identity.verify();
      if (sandbox) cleanups.push(() => sandbox.slack.stop()); // ends the page's live streams first
    }

    // The sandbox standing in for a workspace is the try-it path a newcomer chose, not a problem to warn about.
    if (mode === 'none') logger.warn(SLACK_MISSING_LINE);
    logger.info(
      {
        role,
        data: dataDir,
        database: config.DATABASE_URL ? 'external (DATABASE_URL)' : `embedded, ${path.join(dataDir, 'postgres')}`,
        temporal: temporalAddress,
        temporalUi: temporalUi ?? 'external cluster',
        slack: sandbox
          ? `sandbox, ${sandbox.url}`
          : mode === 'none' ? 'not configured' : mode === 'socket' ? 'Socket Mode' : `HTTP, /slack/events on port ${config.PORT}`,
        health: `http://localhost:${config.PORT}/healthz`,
      },
      sandbox
        ? `Stockroom is running: try it at ${sandbox.url}${sandbox.slackMissing ? ' (no Slack workspace configured; README: Connect Slack)' : ''}`
        : `Stockroom is running. Slack: ${mode === 'none' ? 'not configured' : mode}`,
    );

    let stopped: Promise<void> | undefined;
    return {
      port: config.PORT,
      databaseUrl,
      temporalAddress,
      temporal,
      database,
      role,
      ...(worker && { worker }),
      ...(app && { app }),
      metrics,
      ...(sandbox ? { sandbox: sandbox.slack } : {}),
      settings,
      stop: () => (stopped ??= stopAll()),
    };
  } catch (err) {
    await stopAll();
    throw err;
  }
}

/** A web or worker replica joins servers others share; it never starts its own Postgres or Temporal. */
function requireSharedServers(config: Config, role: Role): void {
  const missing = (['DATABASE_URL', 'TEMPORAL_ADDRESS'] as const).filter((name) => !config[name]);
  if (missing.length) {
    throw new ConfigError(
      missing.map((name) => `${name} is not set: \`stockroom ${role}\` joins a shared ${name === 'DATABASE_URL' ? 'Postgres' : 'Temporal'}; \`stockroom start\` runs everything in one process`),
    );
  }
}
