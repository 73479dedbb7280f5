import { ActivityFailure, allHandlersFinished, condition, continueAsNew, log, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { Activities } from '../activities/index.js';
import {
  getRestockStatus,
  stockChanged,
  type ReorderCheckOutcome,
  type RestockFigures,
  type RestockInput,
  type RestockOutcome,
  type RestockView,
} from './restock-messages.js';
import { SLACK_ACTIVITY, STORE_ACTIVITY } from './activity-options.js';

/**
 * One item's restock episode. Started (or signalled) through signalWithStart by the activity that
 * posted a move taking available stock to or below the reorder point, and by the daily check, so
 * there is never more than one per SKU. It evaluates the item, raises the alert once per episode
 * (the same Slack message is then updated: worse, better, recovered), waits for the next stock
 * change, and ends when the item is back above its reorder point.
 *
 * Versioning: version 1; change behaviour only behind patched().
 */

const store = proxyActivities<Activities>(STORE_ACTIVITY);
const slack = proxyActivities<Activities>(SLACK_ACTIVITY);

/** With no signal for this long the item is looked at again anyway (the daily check also signals). */
const RECHECK_AFTER = '1 day';
/** Keeps the history short for an item that stays low for months. */
const MAX_CHECKS_PER_RUN = 200;

export async function restockWorkflow(input: RestockInput): Promise<RestockOutcome> {
  const sku = input.sku;
  let pending = true; // evaluate at once: whoever started the workflow saw a reason
  let signals = 0;
  let checks = 0;
  let alertOpen = false;
  let figures: RestockFigures | undefined;

  setHandler(stockChanged, () => {
    pending = true;
    signals++;
  });
  setHandler(getRestockStatus, (): RestockView => ({
    sku,
    status: figures?.status ?? 'checking',
    checks,
    signals,
    alertOpen,
    ...(figures ? { figures } : {}),
  }));

  for (;;) {
    await condition(() => pending, RECHECK_AFTER);
    pending = false;
    checks++;
    figures = await store.evaluateRestock({ sku });
    if (figures.status === 'stockout' || figures.status === 'low') {
      alertOpen = true;
      try {
        await slack.raiseStockAlert({ figures });
      } catch (err) {
        // Slack is best effort; the episode row is written before the post, so the next check retries the message.
        if (!(err instanceof ActivityFailure)) throw err;
        log.warn('could not post the stock alert', { sku, error: err.cause?.message ?? err.message });
      }
    } else {
      const resolved = await store.resolveStockAlert({ figures });
      // A change signalled while we looked: look again before ending, so no crossing is missed.
      if (pending) continue;
      await condition(allHandlersFinished);
      return { sku, status: figures.status, checks, recovered: resolved || alertOpen };
    }
    if (checks >= MAX_CHECKS_PER_RUN || workflowInfo().continueAsNewSuggested) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof restockWorkflow>({ sku });
    }
  }
}

/** The daily re-check of every item, run by the Temporal Schedule (runtime/schedules.ts). */
export async function reorderCheckWorkflow(): Promise<ReorderCheckOutcome> {
  const check = proxyActivities<Activities>({
    startToCloseTimeout: '30 minutes',
    heartbeatTimeout: '2 minutes',
    retry: { initialInterval: '10 seconds', maximumInterval: '5 minutes', backoffCoefficient: 2, maximumAttempts: 5 },
  });
  return check.runDailyReorderCheck({});
}
