import path from 'node:path';
import { z } from 'zod';

/** Every environment variable Stockroom reads, validated once at start. */
const optionalString = z.string().trim().min(1).optional();
const port = z.coerce.number().int().min(1).max(65535);

export const configSchema = z.object({
  STOCKROOM_DATA_DIR: z.string().default(path.resolve('.data')),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
    .optional(),
  /** The owner's address for migrations; without it migrations run on DATABASE_URL (README, "Database roles"). */
  DATABASE_OWNER_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'a postgres:// or postgresql:// URL')
    .optional(),
  PG_PORT: port.default(5433),
  TEMPORAL_ADDRESS: z
    .string()
    .regex(/^[\w.-]+:\d+$/, 'host:port, for example localhost:7233')
    .optional(),
  TEMPORAL_NAMESPACE: z.string().regex(/^[\w.-]+$/, 'a namespace name such as stockroom').default('stockroom'),
  TEMPORAL_PORT: port.default(7233),
  TEMPORAL_UI_PORT: port.default(8233),
  TEMPORAL_CLI_PATH: optionalString,
  PORT: port.default(3000),
  SLACK_BOT_TOKEN: z.string().regex(/^xoxb-/, 'a bot token starting with xoxb-').optional(),
  SLACK_SIGNING_SECRET: optionalString,
  SLACK_APP_TOKEN: z.string().regex(/^xapp-/, 'an app-level token starting with xapp-').optional(),
  SLACK_API_URL: z.url('an http(s) URL ending in /api/, for example http://localhost:3000/sandbox/api/').optional(),
  STOCKROOM_SANDBOX: z.enum(['0', '1']).optional(),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
    this.name = 'ConfigError';
  }
}

/** Parses the environment; on failure every bad variable is named with what it expects. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // Empty strings count as unset, as in most .env files.
  const cleaned = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ''));
  const result = configSchema.safeParse(cleaned);
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? '(environment)');
        const got = cleaned[name];
        return `${name}=${JSON.stringify(got)}: expected ${issue.message}`;
      }),
    );
  }
  const config = result.data;
  if (config.DATABASE_OWNER_URL && !config.DATABASE_URL) {
    throw new ConfigError(['DATABASE_OWNER_URL is set but DATABASE_URL is not: the owner runs migrations on the database the application uses']);
  }
  if (config.SLACK_APP_TOKEN && !config.SLACK_BOT_TOKEN) {
    throw new ConfigError(['SLACK_APP_TOKEN is set but SLACK_BOT_TOKEN is not: Socket Mode needs both']);
  }
  if (config.SLACK_BOT_TOKEN && !config.SLACK_APP_TOKEN && !config.SLACK_SIGNING_SECRET) {
    throw new ConfigError(['SLACK_BOT_TOKEN is set but SLACK_SIGNING_SECRET is not: the HTTP receiver needs it to verify requests']);
  }
  return config;
}

export type SlackMode = 'socket' | 'http' | 'none';

export function slackMode(config: Config): SlackMode {
  if (config.SLACK_BOT_TOKEN && config.SLACK_APP_TOKEN) return 'socket';
  if (config.SLACK_BOT_TOKEN && config.SLACK_SIGNING_SECRET) return 'http';
  return 'none';
}

/** The one log line shown when Slack credentials are absent. */
export const SLACK_MISSING_LINE =
  'Slack is not configured: set SLACK_BOT_TOKEN with SLACK_SIGNING_SECRET (HTTP) or SLACK_APP_TOKEN (Socket Mode); ' +
  'create the app by pasting manifest.json at https://api.slack.com/apps?new_app=1 (README, "Connect Slack").';
