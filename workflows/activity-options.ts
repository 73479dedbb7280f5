import type { ActivityOptions } from '@temporalio/workflow';

/**
 * How the workflows call their activities, in one place so they agree. Values only: changing them does
 * not change a workflow's history (recorded histories still replay).
 *
 * A killed worker is noticed by its heartbeats stopping, not by the start-to-close timeout running out:
 * the worker heartbeats every running activity that has a short heartbeat timeout (runtime/heartbeat.ts),
 * so an attempt lost with its process is retried about LIVENESS + the first retry interval later (a few
 * seconds) while a slow but live attempt still has the whole start-to-close timeout.
 */
export const LIVENESS = '5 seconds';

/** Database and ledger steps retry until they succeed: the workflow waits out an outage. */
export const STORE_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: LIVENESS,
  retry: { initialInterval: '1 second', maximumInterval: '1 minute', backoffCoefficient: 2 },
};

/** Slack is best effort: after a few minutes of failures the document carries on without the message. */
export const SLACK_ACTIVITY: ActivityOptions = {
  startToCloseTimeout: '1 minute',
  heartbeatTimeout: LIVENESS,
  retry: { initialInterval: '2 seconds', maximumInterval: '1 minute', backoffCoefficient: 2, maximumAttempts: 6 },
};
