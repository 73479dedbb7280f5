import { defineQuery, defineUpdate } from '@temporalio/workflow';
import type { EvaluatedLine, PostResult } from '../db/queries/counting.js';
import type { AbcClass } from '../inventory/abc.js';
import { parseCountedQuantity, type CountAction } from '../inventory/cycle-count.js';

/**
 * The cycle-count workflow's public surface, shared by the workflow, the bot, the CLI and tests.
 * Quantities and money are decimal strings. The expected quantity is deliberately absent from every
 * view a counter can reach (blind count); only managers' views after submission carry variances.
 */

export type CountDocumentStatus =
  | 'planned'
  | 'assigned'
  | 'counting'
  | 'submitted'
  | 'posted'
  | 'recount_requested'
  | 'awaiting_approval'
  | 'approved'
  | 'rejected'
  | 'cancelled';

export interface CycleCountWorkflowInput {
  number: string;
}

/** What the counter needs to count a line: never the expected quantity. */
export interface BlindCountLine {
  lineId: string;
  sku: string;
  name: string;
  barcode: string | null;
  uom: string;
  uomDecimals: number;
  location: string;
}

export interface CountLineResult {
  lineId: string;
  sku: string;
  location: string;
  abcClass: AbcClass;
  counted: string;
  expected: string;
  variance: string;
  valueImpact: string;
  withinTolerance: boolean;
  action: CountAction;
  /** What happened to the line: matched, adjusted (move id), recount, awaiting approval, rejected, failed. */
  outcome: 'matched' | 'adjusted' | 'recount' | 'awaiting_approval' | 'rejected' | 'failed';
  moveId?: string;
  failure?: string;
}

export interface CountView {
  number: string;
  status: CountDocumentStatus;
  counter: string | null;
  dueOn: string;
  locationGroup: string;
  recountOf: string | null;
  lines: BlindCountLine[];
  remindersSent: number;
  /** After submission. */
  results?: CountLineResult[];
  recountNumber?: string;
  approver?: string;
}

export interface StartCountInput {
  by: string;
}
export interface SubmitCountInput {
  by: string;
  /** lineId → what the counter typed. */
  quantities: Record<string, string>;
}
export interface ReassignCountInput {
  by: string;
  counter: string;
}
export interface DecideCountInput {
  by: string;
  decision: 'approve' | 'reject';
  note?: string;
}

/** The counter opened the modal: take the snapshot. */
export const startCount = defineUpdate<CountView, [StartCountInput]>('startCount');
/** The counts, one per line; validated (nothing recorded when any line is refused). */
export const submitCount = defineUpdate<CountView, [SubmitCountInput]>('submitCount');
/** Give the count to someone else (before it is submitted). */
export const reassignCount = defineUpdate<CountView, [ReassignCountInput]>('reassignCount');
/** An inventory manager approves or rejects a recount's adjustments above tolerance. */
export const decideCount = defineUpdate<CountView, [DecideCountInput]>('decideCount');
export const getCountView = defineQuery<CountView>('getCountView');

/**
 * Field errors for a submission, by line id (empty when every line is acceptable). The Slack modal
 * shows them on the fields; the workflow's validator refuses the same input, so nothing is recorded.
 */
export function countInputErrors(
  lines: readonly Pick<BlindCountLine, 'lineId' | 'uom' | 'uomDecimals'>[],
  quantities: Record<string, string | undefined>,
): Record<string, string> {
  const errors: Record<string, string> = {};
  for (const line of lines) {
    const parsed = parseCountedQuantity(quantities[line.lineId] ?? '', line.uomDecimals, line.uom);
    if (!parsed.ok) errors[line.lineId] = parsed.error;
  }
  return errors;
}

/** The quantities in canonical form (call after countInputErrors found nothing). */
export function canonicalQuantities(
  lines: readonly Pick<BlindCountLine, 'lineId' | 'uom' | 'uomDecimals'>[],
  quantities: Record<string, string | undefined>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of lines) {
    const parsed = parseCountedQuantity(quantities[line.lineId] ?? '', line.uomDecimals, line.uom);
    if (parsed.ok) out[line.lineId] = parsed.quantity;
  }
  return out;
}

export const OPEN_COUNT_STATUSES: readonly CountDocumentStatus[] = ['planned', 'assigned', 'counting'];

/** A line's evaluation and what became of it, as workflow and messages show it. */
export function lineResult(line: EvaluatedLine, outcome: CountLineResult['outcome'], post?: PostResult): CountLineResult {
  return {
    lineId: line.lineId,
    sku: line.sku,
    location: line.location,
    abcClass: line.abcClass,
    counted: line.counted,
    expected: line.expected,
    variance: line.variance,
    valueImpact: post?.ok ? post.value : line.valueImpact,
    withinTolerance: line.withinTolerance,
    action: line.action,
    outcome,
    ...(post?.ok ? { moveId: post.moveId } : {}),
    ...(post && !post.ok ? { failure: post.message } : {}),
  };
}
