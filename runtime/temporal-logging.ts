import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from './logger.js';

let installed = false;

/** Sends the Temporal SDK's own logs (worker state, workflow and activity logs) through our logger. */
export function installTemporalLogging(logger: Logger): void {
  if (installed) return;
  installed = true;
  const child = logger.child({ part: 'temporal-sdk' });
  const level: LogLevel = logger.isLevelEnabled('debug') ? 'DEBUG' : logger.isLevelEnabled('info') ? 'INFO' : 'WARN';
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const method = entry.level === 'TRACE' ? 'trace' : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
      child[method](entry.meta ?? {}, entry.message);
    }),
  });
}
