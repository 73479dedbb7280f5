import type { ActivityOptions } from '@temporalio/workflow';

/**
 * How the document workflows (requisition, purchase order, restock) call their activities, in one
 * place so they agree. Values only: changing them does not change a workflow's history.
 */

/** Database and ledger steps retry until they succeed: the workflow waits out an outage. */
export const STORE_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
};

/** Slack is best effort: after a few minutes of failures the document carries on without the message. */
export const SLACK_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 6 },
};
