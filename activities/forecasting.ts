import { Context } from '@temporalio/activity';
import type { Database } from '../db/client.js';
import { refitForecasts, type RefitSummary } from '../db/queries/forecasting.js';

/** The weekly refit of demand forecasts (workflows/forecast-refit.ts). */
export function createForecastingActivities(deps: { db: Database }) {
  return {
    /**
     * Refits every active policy's forecast, streamed in batches (db/queries/forecasting.ts). Each run
     * overwrites the previous forecasts, so a retry after a failure simply does the work again.
     */
    async refitDemandForecasts(input: { asOf?: string }): Promise<RefitSummary> {
      // Taken here: the batches are reported from the database driver's callbacks, outside the activity's async context.
      const context = Context.current();
      return refitForecasts(deps.db, { asOf: input.asOf ? new Date(input.asOf) : new Date(), onBatch: (done) => context.heartbeat(done) });
    },
  };
}
