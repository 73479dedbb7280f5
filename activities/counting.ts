import { log } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import type { WebClient } from '@slack/web-api';
import {
  adjustmentFailedMessage,
  countApprovalMessage,
  countAssignmentMessage,
  countDecidedMessage,
  countEscalationMessage,
  countUnassignedMessage,
  countPassedOnMessage,
  countResultForCounter,
  type CountNotice,
} from '../bot/blocks/cycle-count.js';
import type { Database } from '../db/client.js';
import { runAbcClassification, type AbcRunSummary } from '../db/queries/abc.js';
import {
  assignCounter,
  countableItems,
  CountError,
  countEvaluation,
  createRecount,
  getCountDocument,
  getCountingSettings,
  type PlannedDocument,
  postLineAdjustment,
  type PostResult,
  recordDecision,
  saveCountPlan,
  setCountStatus,
  startCount,
  submitCount,
  type CountStatus,
  type EvaluatedLine,
} from '../db/queries/counting.js';
import { usersWithRole } from '../db/queries/people.js';
import { dateInTimeZone, nextWorkingDay, planCountsForDay, startOfDayIn, addDays } from '../inventory/cycle-count.js';
import { lineResult, type CountLineResult, type CountView } from '../workflows/cycle-count-messages.js';
import { createDmSender } from './counting-slack.js';

/**
 * Side effects of the cycle-count programme and the ABC run. Each is idempotent: database writes by plan
 * date, count number and line, ledger adjustments by `cycle-count:<number>:<line>`, DMs by their key.
 */

/** Who counts: people with the warehouse role. Who approves adjustments: inventory managers. */
export const COUNTER_ROLE = 'warehouse' as const;
export const MANAGER_ROLE = 'inventory_manager' as const;

export interface CountingActivityDeps {
  db: Database;
  slack?: WebClient;
  currency?: string;
}

/** CountError is the caller's mistake (unknown count or line): retrying cannot help. */
async function nonRetryable<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CountError) throw ApplicationFailure.nonRetryable(error.message, error.code);
    throw error;
  }
}

export function createCountingActivities(deps: CountingActivityDeps) {
  const { db } = deps;
  const dm = createDmSender(db, deps.slack, (m) => log.info(m));

  return {
    /** The daily plan for the stockroom's "today" at `at` (or the given date); stored once per date. */
    async planCycleCounts(input: { at: string; date?: string }): Promise<{ date: string; documents: PlannedDocument[]; itemsDue: number; unlocated: number }> {
      const settings = await getCountingSettings(db);
      const today = input.date ?? dateInTimeZone(new Date(input.at), settings.timeZone);
      const items = await countableItems(db, settings.timeZone);
      const counters = await usersWithRole(db, COUNTER_ROLE);
      const plan = planCountsForDay(items, today, {
        frequency: settings.frequency,
        calendar: settings.calendar,
        counters,
        maxLinesPerCount: settings.maxLinesPerCount,
      });
      const saved = await saveCountPlan(db, plan);
      return { date: today, documents: saved.documents, itemsDue: plan.due.length, unlocated: plan.unlocated.length };
    },

    /** The document as the workflow starts it, with the instant it becomes overdue (end of its due day). */
    async loadCountDocument(input: { number: string }): Promise<{ view: CountView; overdueAt: string; timeZone: string; managers: string[] }> {
      return nonRetryable(async () => {
        const doc = await getCountDocument(db, input.number);
        if (!doc) throw new CountError('unknown_count', `No count ${input.number}`);
        const { timeZone } = await getCountingSettings(db);
        return {
          view: {
            number: doc.number,
            status: doc.status,
            counter: doc.counter,
            dueOn: doc.dueOn,
            locationGroup: doc.locationGroup,
            recountOf: doc.recountOf,
            remindersSent: 0,
            lines: doc.lines.map((l) => ({
              lineId: l.lineId,
              sku: l.sku,
              name: l.name,
              barcode: l.barcode,
              uom: l.uom,
              uomDecimals: l.uomDecimals,
              location: l.location,
            })),
          },
          overdueAt: startOfDayIn(addDays(doc.dueOn, 1), timeZone).toISOString(),
          timeZone,
          managers: await usersWithRole(db, MANAGER_ROLE),
        };
      });
    },

    async assignCountCounter(input: { number: string; counter: string }): Promise<void> {
      await assignCounter(db, input.number, input.counter);
    },

    /** The counter's DM (assignment, reassignment, reminder n, recount). */
    async notifyCounter(input: {
      number: string;
      counter: string;
      notice: CountNotice;
      dueOn: string;
      locationGroup: string;
      lineCount: number;
      sequence?: number;
    }): Promise<void> {
      await dm.send(
        {
          key: `cycle-count:${input.number}:${input.notice}:${input.counter}:${input.sequence ?? 0}`,
          user: input.counter,
          documentId: input.number,
          purpose: `count_${input.notice}`,
        },
        countAssignmentMessage(
          { number: input.number, dueOn: input.dueOn, locationGroup: input.locationGroup, lineCount: input.lineCount },
          input.notice,
        ),
      );
    },

    /** The previous counter's DMs lose their button once the count is passed on. */
    async notifyCounterPassedOn(input: { number: string; previous: string; to: string }): Promise<void> {
      const message = countPassedOnMessage(input.number, input.to);
      for (const purpose of ['count_assigned', 'count_reassigned', 'count_reminder', 'count_recount']) {
        for (const key of await dm.keysFor(input.number, purpose)) {
          if (key.includes(`:${input.previous}:`)) await dm.update(key, message);
        }
      }
    },

    async startCountSnapshot(input: { number: string }): Promise<{ snapshotAt: string }> {
      return startCount(db, input.number);
    },

    /** Records the counts and evaluates each line against the book at submission (see db/schema/counting.ts). */
    async recordCountSubmission(input: { number: string; by: string; quantities: Record<string, string> }): Promise<EvaluatedLine[]> {
      return nonRetryable(() => submitCount(db, { number: input.number, submittedBy: input.by, quantities: input.quantities }));
    },

    async postCountAdjustment(input: { number: string; lineId: string; actor: string }): Promise<PostResult> {
      return nonRetryable(() => postLineAdjustment(db, input));
    },

    /** The recount document, due the next working day, for another counter when there is one. */
    async createRecountDocument(input: { number: string; at: string }): Promise<{ number: string; counter: string | null; lines: number }> {
      return nonRetryable(async () => {
        const settings = await getCountingSettings(db);
        const today = dateInTimeZone(new Date(input.at), settings.timeZone);
        const counters = await usersWithRole(db, COUNTER_ROLE);
        return createRecount(db, { number: input.number, counters, dueOn: nextWorkingDay(today, settings.calendar) });
      });
    },

    /** Asks every inventory manager; returns who may decide (the counter of the count excluded). */
    async requestCountApproval(input: { number: string; counter: string | null; recountOf: string | null; results: CountLineResult[] }): Promise<{ managers: string[] }> {
      const managers = (await usersWithRole(db, MANAGER_ROLE)).filter((m) => m !== input.counter);
      const message = countApprovalMessage({
        number: input.number,
        counter: input.counter,
        recountOf: input.recountOf,
        currency: deps.currency,
        lines: input.results,
      });
      for (const manager of managers) {
        await dm.send({ key: `cycle-count:${input.number}:approval:${manager}`, user: manager, documentId: input.number, purpose: 'count_approval' }, message);
      }
      return { managers };
    },

    async recordCountDecision(input: { number: string; decision: 'approved' | 'rejected'; approver: string; note?: string }): Promise<void> {
      await recordDecision(db, input);
      const message = countDecidedMessage(input.number, input.decision, input.approver);
      for (const key of await dm.keysFor(input.number, 'count_approval')) await dm.update(key, message);
    },

    async setCountDocumentStatus(input: { number: string; status: CountStatus }): Promise<void> {
      await setCountStatus(db, input.number, input.status);
    },

    async sendCountResult(input: { number: string; counter: string; results: CountLineResult[]; recountNumber?: string }): Promise<void> {
      await dm.send(
        { key: `cycle-count:${input.number}:result:${input.counter}`, user: input.counter, documentId: input.number, purpose: 'count_result' },
        countResultForCounter(input.number, input.results, input.recountNumber),
      );
    },

    /** Tells the inventory managers about a count that needs them (overdue after reminders, refused adjustment). */
    async notifyCountManagers(input: {
      number: string;
      kind: 'escalation' | 'adjustment_failed' | 'unassigned';
      counter: string | null;
      dueOn: string;
      reminders: number;
      failures?: CountLineResult[];
    }): Promise<void> {
      const message =
        input.kind === 'escalation'
          ? countEscalationMessage(input.number, input.counter, input.dueOn, input.reminders)
          : input.kind === 'unassigned'
            ? countUnassignedMessage(input.number, input.dueOn)
            : adjustmentFailedMessage(input.number, input.failures ?? []);
      for (const manager of await usersWithRole(db, MANAGER_ROLE)) {
        await dm.send({ key: `cycle-count:${input.number}:${input.kind}:${manager}`, user: manager, documentId: input.number, purpose: `count_${input.kind}` }, message);
      }
    },

    /** The stored evaluation of a submitted count, as results (for a workflow that resumes after a crash). */
    async countResults(input: { number: string }): Promise<CountLineResult[]> {
      const lines = await countEvaluation(db, input.number);
      return lines.map((l) => lineResult(l, l.action === 'none' ? 'matched' : 'recount'));
    },

    /** The ABC run; the monthly schedule's key is its month in the stockroom time zone. */
    async runAbcClassification(input: { at: string; key?: string; trigger: 'schedule' | 'manual'; requestedBy?: string }): Promise<AbcRunSummary> {
      const settings = await getCountingSettings(db);
      const at = new Date(input.at);
      const key = input.key ?? `${input.trigger}-${dateInTimeZone(at, settings.timeZone).slice(0, 7)}`;
      return runAbcClassification(db, { key, trigger: input.trigger, requestedBy: input.requestedBy, asOf: at });
    },
  };
}

export type CountingActivities = ReturnType<typeof createCountingActivities>;
