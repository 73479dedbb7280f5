import type { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';

/** Activities whose heartbeat timeout is at most this are heartbeated by the worker; longer ones heartbeat their own progress. */
const LIVENESS_CEILING_MS = 15_000;

/**
 * Heartbeats each running activity with a short heartbeat timeout (workflows/activity-options.ts LIVENESS)
 * while this process lives, so Temporal sees a killed worker's attempt go quiet within that timeout and
 * retries it elsewhere, instead of waiting out the start-to-close timeout. Activities with a longer heartbeat
 * timeout (the purchase-order resume, the reorder check) send their own heartbeats with progress details,
 * which an empty heartbeat here would overwrite, so they are left alone. The SDK throttles what reaches the
 * server to a fraction of the timeout.
 */
export const livenessHeartbeats: ActivityInterceptorsFactory = (ctx: Context) => ({
  inbound: {
    async execute(input, next) {
      const timeout = ctx.info.heartbeatTimeoutMs;
      if (!timeout || timeout > LIVENESS_CEILING_MS) return next(input);
      const every = Math.max(200, Math.floor(timeout / 5));
      ctx.heartbeat();
      const timer = setInterval(() => ctx.heartbeat(), every);
      try {
        return await next(input);
      } finally {
        clearInterval(timer);
      }
    },
  },
});
