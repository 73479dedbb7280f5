import { ScheduleAlreadyRunning, type Client, type ScheduleOptions } from '@temporalio/client';
import type { Executor } from '../db/client.js';
import { getCountingSettings } from '../db/queries/counting.js';
import {
  forecastRefitWorkflowId,
  reorderCheckWorkflowId,
  REQUISITION_SCHEDULE_IDS,
  requisitionSweepWorkflowId,
  RESTOCK_SCHEDULE_IDS,
  TASK_QUEUE,
} from '../workflows/ids.js';
import { countingSchedules } from './counting-schedules.js';

/**
 * Every Temporal Schedule Stockroom runs, created at start-up (runtime/start.ts, after the worker
 * starts) in the stockroom's time zone. They are real Schedules: visible and pausable in the Temporal
 * UI and with `temporal schedule list|toggle`. Idempotent: an existing schedule is updated to the
 * current spec and action (so a changed time zone applies) and keeps its paused state and history;
 * two processes starting at once both succeed.
 */

export type ScheduleDefinition = Pick<ScheduleOptions, 'scheduleId' | 'spec' | 'action' | 'policies'> & { note: string };

export interface EnsuredSchedules {
  created: string[];
  updated: string[];
}

export async function ensureSchedules(client: Client, definitions: ScheduleDefinition[]): Promise<EnsuredSchedules> {
  const result: EnsuredSchedules = { created: [], updated: [] };
  for (const { note, ...definition } of definitions) {
    try {
      await client.schedule.create({ ...definition, state: { note } } as ScheduleOptions);
      result.created.push(definition.scheduleId);
    } catch (err) {
      if (!(err instanceof ScheduleAlreadyRunning)) throw err;
      await client.schedule.getHandle(definition.scheduleId).update((previous) => ({
        ...previous,
        spec: definition.spec,
        action: definition.action,
        policies: { ...previous.policies, ...definition.policies },
      }));
      result.updated.push(definition.scheduleId);
    }
  }
  return result;
}

/** The daily reorder check at 06:00, before people start work, so no low stock is missed. */
export function restockSchedules(timeZone: string): ScheduleDefinition[] {
  return [
    {
      scheduleId: RESTOCK_SCHEDULE_IDS.reorderCheckDaily,
      note: 'Re-checks every item against its reorder point so no low stock is missed',
      spec: { calendars: [{ hour: 6, minute: 0, dayOfWeek: '*' }], timezone: timeZone },
      action: { type: 'startWorkflow', workflowType: 'reorderCheckWorkflow', taskQueue: TASK_QUEUE, workflowId: reorderCheckWorkflowId('daily'), args: [] },
      // A check still running when the next is due (a slow day): skip, the next day's catches up.
      policies: { overlap: 'SKIP', catchupWindow: '1 day' },
    },
  ];
}

/**
 * The weekly refit of demand forecasts, Sunday 05:00, an hour before the daily reorder check that
 * reads them. Kept apart from restockSchedules() so ensureRestockSchedules keeps creating the check alone.
 */
export function forecastSchedules(timeZone: string): ScheduleDefinition[] {
  return [
    {
      scheduleId: RESTOCK_SCHEDULE_IDS.forecastRefitWeekly,
      note: 'Refits every item’s demand forecast (model chosen by backtest) for the reorder check',
      spec: { calendars: [{ dayOfWeek: 'SUNDAY', hour: 5, minute: 0 }], timezone: timeZone },
      action: { type: 'startWorkflow', workflowType: 'forecastRefitWorkflow', taskQueue: TASK_QUEUE, workflowId: forecastRefitWorkflowId('weekly'), args: [{}] },
      policies: { overlap: 'SKIP', catchupWindow: '1 day' },
    },
  ];
}

export function ensureRestockSchedules(client: Client, opts: { timeZone?: string } = {}): Promise<EnsuredSchedules> {
  return ensureSchedules(client, restockSchedules(opts.timeZone ?? 'UTC'));
}

/** Every 5 minutes: requisitions whose workflow start failed at submission are started (nothing is lost). */
export function requisitionSchedules(): ScheduleDefinition[] {
  return [
    {
      scheduleId: REQUISITION_SCHEDULE_IDS.sweepUnrouted,
      note: 'Starts the workflow of any requisition recorded but not routed 5 minutes after submission',
      spec: { intervals: [{ every: '5 minutes' }] },
      action: { type: 'startWorkflow', workflowType: 'requisitionSweepWorkflow', taskQueue: TASK_QUEUE, workflowId: requisitionSweepWorkflowId('scheduled'), args: [{}] },
      policies: { overlap: 'SKIP' },
    },
  ];
}

/** What start-up calls: requisitions', restocking's and counting's schedules in the stockroom's time zone. */
export async function ensureAllSchedules(client: Client, db: Executor): Promise<EnsuredSchedules> {
  const { timeZone } = await getCountingSettings(db);
  return ensureSchedules(client, [
    ...requisitionSchedules(),
    ...restockSchedules(timeZone),
    ...forecastSchedules(timeZone),
    ...countingSchedules(timeZone),
  ]);
}
