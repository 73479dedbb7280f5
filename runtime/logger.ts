import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs; tests set LOG_LEVEL=silent so they stay quiet. */
export function createLogger(level: string = process.env.LOG_LEVEL ?? 'info'): Logger {
  return pino({ level, base: { app: 'stockroom' } });
}
