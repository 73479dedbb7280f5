import { DefaultLogger, Runtime, type LogLevel } from '@temporalio/worker';
import type { Logger } from './logger.js';

let installed = false;

/**
 * Sends the Temporal SDK's own logs (worker state, workflow and activity logs) through our logger and, given
 * an address, serves the SDK's metrics for Prometheus there (runtime/metrics.ts appends them to /metrics).
 * The SDK's runtime is installed once per process: a later call changes nothing and returns false.
 */
export function installTemporalLogging(logger: Logger, opts: { metricsBindAddress?: string } = {}): boolean {
  if (installed) return false;
  installed = true;
  const child = logger.child({ part: 'temporal-sdk' });
  const level: LogLevel = logger.isLevelEnabled('debug') ? 'DEBUG' : logger.isLevelEnabled('info') ? 'INFO' : 'WARN';
  Runtime.install({
    logger: new DefaultLogger(level, (entry) => {
      const method = entry.level === 'TRACE' ? 'trace' : (entry.level.toLowerCase() as 'debug' | 'info' | 'warn' | 'error');
      child[method](entry.meta ?? {}, entry.message);
    }),
    ...(opts.metricsBindAddress ? { telemetryOptions: { metrics: { prometheus: { bindAddress: opts.metricsBindAddress } } } } : {}),
  });
  return true;
}
