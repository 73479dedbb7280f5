import { createRequire } from 'node:module';
import { pino, type DestinationStream, type Logger } from 'pino';

export type { Logger };

/**
 * `json`: one JSON object a line, for log collectors. `pretty`: a line a message a person can read
 * ("03:12:44 INFO  Stockroom is running", fields indented below it).
 */
export type LogFormat = 'json' | 'pretty';

/** LOG_FORMAT when set; else readable on a terminal and JSON everywhere else (a pipe, a file, Docker, CI). */
export function logFormat(env: { LOG_FORMAT?: string } = process.env, isTty = Boolean(process.stdout.isTTY)): LogFormat {
  const asked = env.LOG_FORMAT?.trim().toLowerCase();
  if (asked === 'json' || asked === 'pretty') return asked;
  return isTty ? 'pretty' : 'json';
}

const require = createRequire(import.meta.url);

/** pino-pretty's stream (synchronous, so nothing is lost on exit), or none where it is not installed. */
function prettyStream(destination: NodeJS.WritableStream | undefined, colorize: boolean): DestinationStream | undefined {
  try {
    const pretty = require('pino-pretty') as typeof import('pino-pretty');
    return pretty({
      colorize,
      sync: true,
      translateTime: 'SYS:HH:MM:ss',
      ignore: 'pid,hostname,app',
      ...(destination ? { destination } : {}),
    });
  } catch {
    return undefined;
  }
}

/** Structured logs, JSON or readable (see logFormat); tests set LOG_LEVEL=silent so they stay quiet. */
export function createLogger(
  level: string = process.env.LOG_LEVEL ?? 'info',
  opts: { format?: LogFormat; destination?: NodeJS.WritableStream } = {},
): Logger {
  const format = opts.format ?? logFormat();
  const options = { level, base: { app: 'stockroom' } };
  const stream = format === 'pretty' ? prettyStream(opts.destination, !opts.destination && Boolean(process.stdout.isTTY)) : undefined;
  if (stream) return pino(options, stream);
  return opts.destination ? pino(options, opts.destination as DestinationStream) : pino(options);
}
