import crypto from 'node:crypto';
import { App, type CustomRoute } from '@slack/bolt';
import type { Client } from '@temporalio/client';
import type { Database } from '../db/client.js';
import type { Logger } from '../runtime/logger.js';
import type { StockroomSettings } from '../runtime/settings.js';
import type { SlackIdentity } from './authorization.js';
import { boltLogger } from './logger.js';
import { registerListeners } from './listeners/index.js';

export interface BotDeps {
  temporal: Client;
  db: Database;
  logger: Logger;
  settings: StockroomSettings;
}

export interface SlackAppOptions {
  mode: 'http' | 'socket';
  signingSecret?: string;
  appToken?: string;
  /** Base URL of the Web API, e.g. a local Slack in tests; Slack's own when unset. */
  apiUrl?: string;
  port: number;
  /** Extra HTTP routes on the same port (/healthz, the sandbox). */
  routes: CustomRoute[];
  /** Who the bot is, looked up once (auth.test) instead of on every request. */
  identity: SlackIdentity;
}

/**
 * The Bolt app. HTTP mode listens on `port` at Slack's standard path /slack/events; Socket Mode
 * serves only the extra routes on that port. Listeners are the same in both.
 */
export function createSlackApp(opts: SlackAppOptions, deps: BotDeps): App {
  const app = new App({
    authorize: () => opts.identity.authorize(),
    logger: boltLogger(deps.logger),
    clientOptions: opts.apiUrl ? { slackApiUrl: opts.apiUrl } : undefined,
    ...(opts.mode === 'socket'
      ? { socketMode: true, appToken: opts.appToken, customRoutes: opts.routes, installerOptions: { port: opts.port } }
      : {
          signingSecret: opts.signingSecret ?? crypto.randomBytes(16).toString('hex'),
          customRoutes: opts.routes,
          endpoints: '/slack/events',
        }),
  });
  registerListeners(app, deps);
  app.error(async (error) => {
    deps.logger.error({ part: 'slack', err: error }, 'unhandled Slack listener error');
  });
  return app;
}
