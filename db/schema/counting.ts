import { sql } from 'drizzle-orm';
import {
  type AnyPgColumn,
  bigint,
  boolean,
  check,
  date,
  index,
  integer,
  numeric,
  pgEnum,
  pgTable,
  primaryKey,
  smallint,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { items } from './items.js';
import { stockMoves } from './ledger.js';
import { locations } from './locations.js';

const qty = () => numeric({ precision: 18, scale: 4 });
const money = () => numeric({ precision: 18, scale: 4 });
/** Annual consumption values add up many moves: wider than a single move's money. */
const bigMoney = () => numeric({ precision: 24, scale: 4 });
const share = () => numeric({ precision: 9, scale: 6 });

export const abcClass = pgEnum('abc_class', ['A', 'B', 'C']);
export const abcRunTrigger = pgEnum('abc_run_trigger', ['schedule', 'manual']);

/**
 * One ABC classification: the window it covered and the cut-offs it used. Runs are kept, so the class
 * history of every item stays answerable; the latest finished run is the items' current class.
 */
export const abcRuns = pgTable(
  'abc_runs',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** 'schedule-2026-11' for the monthly run, a caller's key on demand: a retried run is the same run. */
    idempotencyKey: text().notNull(),
    trigger: abcRunTrigger().notNull(),
    requestedBy: text(),
    /** Issues in [periodStart, periodEnd) count. */
    periodStart: timestamp({ withTimezone: true }).notNull(),
    periodEnd: timestamp({ withTimezone: true }).notNull(),
    cutoffA: share().notNull(),
    cutoffB: share().notNull(),
    previousRunId: bigint({ mode: 'number' }).references((): AnyPgColumn => abcRuns.id),
    itemCount: integer().notNull().default(0),
    totalValue: bigMoney().notNull().default('0'),
    changedCount: integer().notNull().default(0),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    finishedAt: timestamp({ withTimezone: true }),
  },
  (t) => [
    uniqueIndex('abc_runs_idempotency_key_unique').on(t.idempotencyKey),
    check('abc_runs_cutoffs', sql`${t.cutoffA} > 0 and ${t.cutoffA} < ${t.cutoffB} and ${t.cutoffB} <= 1`),
    check('abc_runs_period', sql`${t.periodStart} < ${t.periodEnd}`),
  ],
);

/**
 * Each active item's class in a run, with the class it had in the previous run. No foreign keys on
 * purpose: the rows are derived, written once in the run's own statement from items and abc_runs, and
 * an FK check locks each referenced item row (FOR KEY SHARE), which made writing 100,000 results take
 * four times as long as classifying them (bench:abc).
 */
export const abcResults = pgTable(
  'abc_results',
  {
    runId: bigint({ mode: 'number' }).notNull(),
    itemId: uuid().notNull(),
    /** 1-based; tied values share the rank of their group's first position (inventory/abc.ts). */
    rank: integer().notNull(),
    issuedQuantity: qty().notNull(),
    annualValue: bigMoney().notNull(),
    shareBefore: share().notNull(),
    cumulativeShare: share().notNull(),
    abcClass: abcClass().notNull(),
    previousClass: abcClass(),
    /** Had a class in the previous run and it differs (a first classification is not a change). */
    changed: boolean().notNull(),
  },
  // The primary key (run, item) serves every read (a run's rows, an item's class in the latest run);
  // no secondary index, so writing a run's 100,000 rows stays cheap.
  (t) => [primaryKey({ columns: [t.runId, t.itemId] })],
);

/**
 * The counting programme's settings (one row, id = true): how often each class is counted, the
 * tolerance within which a count posts by itself, the ABC cut-offs, and the calendar the schedules use.
 * Tolerances: a variance is within when |variance| ≤ quantity AND |value impact| ≤ value (null = not checked).
 */
export const countingSettings = pgTable(
  'counting_settings',
  {
    id: boolean().primaryKey().default(true),
    frequencyMonthsA: smallint().notNull().default(1),
    frequencyMonthsB: smallint().notNull().default(3),
    frequencyMonthsC: smallint().notNull().default(12),
    toleranceQuantityA: qty().default('0'),
    toleranceValueA: money().default('0'),
    toleranceQuantityB: qty().default('2'),
    toleranceValueB: money().default('50'),
    toleranceQuantityC: qty().default('5'),
    toleranceValueC: money().default('100'),
    abcCutoffA: share().notNull().default('0.8'),
    abcCutoffB: share().notNull().default('0.95'),
    maxLinesPerCount: smallint().notNull().default(40),
    /** Dead stock: on hand but no issue for this many days. */
    deadStockDays: smallint().notNull().default(180),
    /** ISO weekdays counted on, e.g. '12345' = Monday to Friday. */
    workingWeekdays: text().notNull().default('12345'),
    /**
     * IANA time zone of the stockroom: what "today" is for planning, and when the schedules fire (the
     * Temporal Schedules are created in it at start-up).
     */
    timeZone: text().notNull().default('UTC'),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    check('counting_settings_single_row', sql`${t.id}`),
    check(
      'counting_settings_frequency_range',
      sql`${t.frequencyMonthsA} between 1 and 12 and ${t.frequencyMonthsB} between 1 and 12 and ${t.frequencyMonthsC} between 1 and 12`,
    ),
    check('counting_settings_abc_cutoffs', sql`${t.abcCutoffA} > 0 and ${t.abcCutoffA} < ${t.abcCutoffB} and ${t.abcCutoffB} <= 1`),
    check('counting_settings_max_lines', sql`${t.maxLinesPerCount} between 1 and 90`),
    check('counting_settings_working_weekdays', sql`${t.workingWeekdays} ~ '^[1-7]{1,7}$'`),
    check(
      'counting_settings_tolerances_not_negative',
      sql`coalesce(${t.toleranceQuantityA}, 0) >= 0 and coalesce(${t.toleranceValueA}, 0) >= 0
        and coalesce(${t.toleranceQuantityB}, 0) >= 0 and coalesce(${t.toleranceValueB}, 0) >= 0
        and coalesce(${t.toleranceQuantityC}, 0) >= 0 and coalesce(${t.toleranceValueC}, 0) >= 0`,
    ),
  ],
);

/** The daily planning run: one per calendar day (a retried or doubled schedule run plans nothing twice). */
export const countPlans = pgTable('count_plans', {
  id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
  planDate: date({ mode: 'string' }).notNull().unique(),
  itemsDue: integer().notNull(),
  counts: integer().notNull(),
  lines: integer().notNull(),
  unlocated: integer().notNull(),
  createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
});

export const countStatus = pgEnum('count_status', [
  /** Created by the plan; the counter has not been told yet. */
  'planned',
  /** The counter has the DM. */
  'assigned',
  /** The counter opened the count modal: the snapshot is taken. */
  'counting',
  /** Counted; variances being settled. */
  'submitted',
  /** Closed: every line matched or was adjusted within tolerance. */
  'posted',
  /** Closed: lines above tolerance went to a recount document (recount_of points here). */
  'recount_requested',
  /** A recount still above tolerance: an inventory manager decides. */
  'awaiting_approval',
  'approved',
  'rejected',
  'cancelled',
]);

/**
 * A count document: one walk for one counter, lines item × location in one aisle.
 *
 * Moves during a count: SNAPSHOT, not FREEZE. Freezing a bin would block picks and receipts for as long
 * as a counter takes (and forever when a counter walks away), which a live stockroom cannot afford.
 * Instead each line records the on hand and the ledger position (max stock move id) when the counter
 * opens the modal, and at submission the expected quantity is the snapshot plus the net moves posted at
 * that item × location since, up to the submission. By the ledger's invariant (on hand = sum of moves)
 * that equals the on hand read at submission, which is how it is computed: under the stock_levels row
 * lock that every ledger write to that bin also takes, so a move is either wholly before the submission
 * or wholly after it (ids from an identity can commit out of order, so "id > snapshot" alone could miss
 * one). The difference is kept as movesDuringCount. The variance is then posted as a signed delta
 * through the ledger's adjust(), which stays right however many moves happen before it is approved.
 */
export const cycleCounts = pgTable(
  'cycle_counts',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    /** 'CC-20261125-003'; a recount adds '-R'. Also the workflow's business key (cycleCountWorkflowId). */
    number: text().notNull(),
    planId: bigint({ mode: 'number' }).references(() => countPlans.id),
    recountOfId: bigint({ mode: 'number' }).references((): AnyPgColumn => cycleCounts.id),
    /** The aisle the lines are in. */
    locationGroup: text().notNull(),
    /** Slack user ID; null while nobody can be assigned. */
    counter: text(),
    assignedAt: timestamp({ withTimezone: true }),
    dueOn: date({ mode: 'string' }).notNull(),
    status: countStatus().notNull().default('planned'),
    startedAt: timestamp({ withTimezone: true }),
    submittedAt: timestamp({ withTimezone: true }),
    submittedBy: text(),
    /** The inventory manager who approved or rejected a recount's adjustments. */
    approver: text(),
    decidedAt: timestamp({ withTimezone: true }),
    decisionNote: text(),
    closedAt: timestamp({ withTimezone: true }),
    createdAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cycle_counts_number_unique').on(t.number),
    index('cycle_counts_status_idx').on(t.status, t.dueOn),
    index('cycle_counts_counter_idx').on(t.counter, t.status),
    index('cycle_counts_recount_of_idx').on(t.recountOfId),
  ],
);

export const countLineAction = pgEnum('count_line_action', ['none', 'post', 'recount', 'approval']);
export const countLineOutcome = pgEnum('count_line_outcome', [
  'pending',
  /** Counted = expected. */
  'matched',
  /** Adjusted through the ledger (within tolerance, or approved). */
  'adjusted',
  /** Above tolerance: handed to the recount document. */
  'recounted',
  /** A manager rejected the adjustment: the book stays as it was. */
  'rejected',
  /** The ledger refused the adjustment (e.g. the stock is reserved); a manager must look. */
  'failed',
]);

/** One item at one location on a count document: the snapshot, the count and how it was settled. */
export const cycleCountLines = pgTable(
  'cycle_count_lines',
  {
    id: bigint({ mode: 'number' }).primaryKey().generatedAlwaysAsIdentity(),
    countId: bigint({ mode: 'number' })
      .notNull()
      .references(() => cycleCounts.id),
    sequence: smallint().notNull(),
    itemId: uuid()
      .notNull()
      .references(() => items.id),
    locationId: uuid()
      .notNull()
      .references(() => locations.id),
    /** The item's class when the line was planned (decides the tolerance). */
    abcClass: abcClass().notNull(),
    /** Expected at count start: on hand and ledger position when the counter opened the modal. */
    snapshotOnHand: qty(),
    snapshotMoveId: bigint({ mode: 'number' }),
    snapshotAt: timestamp({ withTimezone: true }),
    countedQuantity: qty(),
    /** Snapshot + net moves at this item × location up to the submission. */
    expectedQuantity: qty(),
    movesDuringCount: qty(),
    variance: qty(),
    unitCost: money(),
    valueImpact: money(),
    withinTolerance: boolean(),
    action: countLineAction(),
    outcome: countLineOutcome().notNull().default('pending'),
    adjustmentMoveId: bigint({ mode: 'number' }).references(() => stockMoves.id),
    updatedAt: timestamp({ withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('cycle_count_lines_count_item_location_unique').on(t.countId, t.itemId, t.locationId),
    index('cycle_count_lines_item_location_idx').on(t.itemId, t.locationId),
    check('cycle_count_lines_counted_not_negative', sql`${t.countedQuantity} >= 0`),
  ],
);
