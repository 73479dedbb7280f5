import path from 'node:path';
import { slackMode, type Config } from '../runtime/config.js';
import type { StockroomSettings } from '../runtime/settings.js';
import { LocalSlack } from './local-slack.js';
import { STOCKROOM_CHANNELS } from './people.js';

export interface SandboxRuntime {
  slack: LocalSlack;
  /** The configuration with the sandbox's token, signing secret and Web API URL in place of a workspace's. */
  config: Config;
  /** Where people open it. */
  url: string;
  /** True when it stands in for missing credentials (rather than replacing a configured workspace). */
  slackMissing: boolean;
  /**
   * Whether start-up may load the demo into an empty catalogue (sandbox/seed.ts): only on the try-it path, the
   * sandbox standing in for missing credentials on the embedded database. A DATABASE_URL or a configured
   * workspace may become production data, whose append-only ledger would keep six months of demo history.
   */
  loadDemoWhenEmpty: boolean;
}

/**
 * `npm start`'s local Slack, mounted on the app's own port under /sandbox: on when no Slack credentials are
 * configured (STOCKROOM_SANDBOX=0 turns that off) or when STOCKROOM_SANDBOX=1 (it then replaces the workspace).
 * The app is wired to it like to Slack (bot token, signing secret, SLACK_API_URL); nothing in bot/ knows.
 */
export function sandboxFor(config: Config): SandboxRuntime | undefined {
  const wanted = config.STOCKROOM_SANDBOX === '1' || (config.STOCKROOM_SANDBOX !== '0' && slackMode(config) === 'none');
  if (!wanted) return undefined;
  const local = `http://127.0.0.1:${config.PORT}`;
  const slack = LocalSlack.create({
    baseUrl: `${local}/sandbox`,
    appUrl: `${local}/slack/events`,
    dataFile: path.join(path.resolve(config.STOCKROOM_DATA_DIR), 'sandbox.json'),
    keepCalls: 1_000,
    channels: STOCKROOM_CHANNELS,
  });
  return {
    slack,
    url: `http://localhost:${config.PORT}/sandbox`,
    slackMissing: slackMode(config) === 'none',
    loadDemoWhenEmpty: slackMode(config) === 'none' && !config.DATABASE_URL,
    config: {
      ...config,
      SLACK_BOT_TOKEN: slack.botToken,
      SLACK_SIGNING_SECRET: slack.signingSecret,
      SLACK_API_URL: slack.apiUrl,
      SLACK_APP_TOKEN: undefined,
    },
  };
}

/**
 * The try-it path's business settings: the demo's prices are dollars, so money shows as $320.00 rather than
 * a bare 320.00 when no settings file names a currency. A configured currency is kept.
 */
export function sandboxSettings(settings: StockroomSettings, sandbox: SandboxRuntime | undefined): StockroomSettings {
  return sandbox?.slackMissing && !settings.currency ? { ...settings, currency: '$' } : settings;
}
