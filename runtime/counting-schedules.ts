import { type Client, ScheduleAlreadyRunning, type ScheduleOptions } from '@temporalio/client';
import type { Executor } from '../db/client.js';
import { getCountingSettings } from '../db/queries/counting.js';
import { COUNTING_SCHEDULE_IDS, TASK_QUEUE } from '../workflows/ids.js';

/**
 * The counting programme's Temporal Schedules, visible and pausable in the Temporal UI and CLI
 * (`temporal schedule list`), created at start-up in the stockroom's time zone (counting_settings).
 * Idempotent: an existing schedule is updated to the current spec and action (so a changed time zone
 * applies) and keeps its paused state and history. runtime/start.ts calls ensureCountingSchedules().
 */

export type ScheduleDefinition = Pick<ScheduleOptions, 'scheduleId' | 'spec' | 'action' | 'policies'> & { note: string };

/** Monthly ABC on the 1st at 03:00, daily count planning at 06:00, the managers' digest Mondays at 08:00. */
export function countingSchedules(timeZone: string): ScheduleDefinition[] {
  const startWorkflow = (workflowType: string, workflowId: string, args: unknown[]) => ({
    type: 'startWorkflow' as const,
    workflowType,
    taskQueue: TASK_QUEUE,
    workflowId,
    args,
  });
  return [
    {
      scheduleId: COUNTING_SCHEDULE_IDS.abcMonthly,
      note: 'ABC classification over the last 12 months of issues',
      spec: { calendars: [{ dayOfMonth: 1, hour: 3, minute: 0 }], timezone: timeZone },
      action: startWorkflow('abcClassificationWorkflow', 'abc-classification', [{ trigger: 'schedule' }]),
      policies: { overlap: 'SKIP', catchupWindow: '1 day' },
    },
    {
      scheduleId: COUNTING_SCHEDULE_IDS.countPlanningDaily,
      note: 'Plans the day’s cycle counts and DMs the counters',
      spec: { calendars: [{ hour: 6, minute: 0, dayOfWeek: '*' }], timezone: timeZone },
      action: startWorkflow('countPlanningWorkflow', 'count-planning', [{}]),
      policies: { overlap: 'SKIP', catchupWindow: '6 hours' },
    },
    {
      scheduleId: COUNTING_SCHEDULE_IDS.managerDigestWeekly,
      note: 'Weekly digest DM to inventory managers',
      spec: { calendars: [{ dayOfWeek: 'MONDAY', hour: 8, minute: 0 }], timezone: timeZone },
      action: startWorkflow('managerDigestWorkflow', 'manager-digest', [{}]),
      policies: { overlap: 'SKIP', catchupWindow: '1 day' },
    },
  ];
}

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

/** What runtime/start.ts calls once the worker runs: the counting schedules in the stockroom's time zone. */
export async function ensureCountingSchedules(client: Client, db: Executor): Promise<EnsuredSchedules> {
  const { timeZone } = await getCountingSettings(db);
  return ensureSchedules(client, countingSchedules(timeZone));
}
