import { and, asc, desc, eq, gt, inArray, sql } from 'drizzle-orm';
import { dec, MAX_QTY, parseDecimal, sum, toPlain } from '../../inventory/decimal.js';
import type { Executor } from '../client.js';
import { costCenters, itemValuations, items, requisitionApprovals, requisitionLines, requisitions } from '../schema/index.js';

/** Lines per requisition: a modal holds about this many rows, and messages summarise beyond ~20. */
export const MAX_REQUISITION_LINES = 50;
export const MAX_REASON_LENGTH = 500;

export type RequisitionField = 'costCenter' | 'reason' | 'lines' | 'sku' | 'quantity' | 'neededBy';

export interface FieldError {
  field: RequisitionField;
  /** 0-based index of the line the error is about, for line fields. */
  line?: number;
  message: string;
}

/** Everything wrong with a submission at once, so the modal can show every field error together. */
export class RequisitionValidationError extends Error {
  constructor(readonly errors: FieldError[]) {
    super(errors.map((e) => (e.line === undefined ? e.message : `Line ${e.line + 1}: ${e.message}`)).join(' '));
    this.name = 'RequisitionValidationError';
  }
}

export interface NewRequisition {
  /** Idempotency key of the submission (e.g. the Slack view id): the same key returns the same requisition. */
  submissionKey: string;
  requester: string;
  costCenter: string;
  reason: string;
  lines: { sku: string; quantity: string; neededBy?: string }[];
  /** Today in YYYY-MM-DD, for the "needed by is in the past" check (the caller's clock, so tests control it). */
  today: string;
}

export interface CreatedRequisition {
  number: string;
  totalValue: string;
  /** False when the submission key had already created it (a Slack retry or double click). */
  created: boolean;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Validates and records a requisition as 'submitted', pricing each line at the item's standard cost
 * (else its current average cost, else 0). Its number then names the workflow that carries it.
 */
export async function createRequisition(db: Executor, input: NewRequisition): Promise<CreatedRequisition> {
  const existing = await findBySubmissionKey(db, input.submissionKey);
  if (existing) return { ...existing, created: false };

  const errors: FieldError[] = [];
  const [center] = await db
    .select()
    .from(costCenters)
    .where(sql`lower(${costCenters.code}) = lower(${input.costCenter.trim()})`);
  if (!center || !center.active) errors.push({ field: 'costCenter', message: `Unknown cost center "${input.costCenter}".` });
  const reason = input.reason.trim();
  if (!reason) errors.push({ field: 'reason', message: 'Say what the supplies are for.' });
  else if (reason.length > MAX_REASON_LENGTH) errors.push({ field: 'reason', message: `Keep the reason under ${MAX_REASON_LENGTH} characters.` });
  if (input.lines.length === 0) errors.push({ field: 'lines', message: 'Add at least one item.' });
  if (input.lines.length > MAX_REQUISITION_LINES) {
    errors.push({ field: 'lines', message: `At most ${MAX_REQUISITION_LINES} items per requisition; split it in two.` });
  }

  const skus = [...new Set(input.lines.map((l) => l.sku.trim().toLowerCase()))];
  const found = skus.length
    ? await db
        .select({ item: items, onHand: itemValuations.onHand, value: itemValuations.value })
        .from(items)
        .leftJoin(itemValuations, eq(itemValuations.itemId, items.id))
        .where(inArray(sql`lower(${items.sku})`, skus))
    : [];
  const bySku = new Map(found.map((f) => [f.item.sku.toLowerCase(), f]));
  const seen = new Set<string>();
  const priced: { itemId: string; sku: string; quantity: string; neededBy?: string; unitCost: string }[] = [];
  input.lines.forEach((line, i) => {
    const key = line.sku.trim().toLowerCase();
    const hit = bySku.get(key);
    if (!hit || !hit.item.active) {
      errors.push({ field: 'sku', line: i, message: `No active item "${line.sku}".` });
      return;
    }
    if (seen.has(key)) {
      errors.push({ field: 'sku', line: i, message: `${hit.item.sku} is already on line ${[...seen].indexOf(key) + 1}; put the whole quantity on one line.` });
      return;
    }
    seen.add(key);
    const quantity = parseDecimal(line.quantity);
    if (!quantity || !quantity.gt(0)) errors.push({ field: 'quantity', line: i, message: `"${line.quantity}" is not a quantity above zero.` });
    else if (quantity.decimalPlaces() > hit.item.uomDecimals) {
      errors.push({
        field: 'quantity',
        line: i,
        message: hit.item.uomDecimals === 0 ? `${hit.item.sku} is counted in whole ${hit.item.uom}.` : `${hit.item.sku} allows ${hit.item.uomDecimals} decimals.`,
      });
    } else if (quantity.gt(MAX_QTY)) errors.push({ field: 'quantity', line: i, message: `${line.quantity} is more than anyone stocks.` });
    if (line.neededBy !== undefined && (!ISO_DATE.test(line.neededBy) || line.neededBy < input.today)) {
      errors.push({ field: 'neededBy', line: i, message: 'Needed-by must be today or later.' });
    }
    const average = hit.onHand && dec(hit.onHand).gt(0) ? dec(hit.value ?? '0').div(hit.onHand).toDecimalPlaces(4) : undefined;
    const unitCost = hit.item.standardCost ?? (average ? toPlain(average) : '0');
    if (quantity) priced.push({ itemId: hit.item.id, sku: hit.item.sku, quantity: toPlain(quantity), neededBy: line.neededBy, unitCost: toPlain(dec(unitCost)) });
  });
  if (errors.length) throw new RequisitionValidationError(errors);

  const totalValue = toPlain(sum(priced.map((p) => dec(p.quantity).times(p.unitCost))).toDecimalPlaces(4));
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(requisitions)
      .values({ submissionKey: input.submissionKey, requesterSlackUserId: input.requester, costCenterCode: center!.code, reason, totalValue })
      .onConflictDoNothing({ target: requisitions.submissionKey })
      .returning();
    if (!row) {
      // A concurrent submit with the same key won the race: answer with its requisition.
      const other = await findBySubmissionKey(tx, input.submissionKey);
      return { ...other!, created: false };
    }
    await tx.insert(requisitionLines).values(
      priced.map((p, i) => ({
        requisitionId: row.id,
        lineNo: i + 1,
        itemId: p.itemId,
        sku: p.sku,
        quantityRequested: p.quantity,
        neededBy: p.neededBy,
        unitCostEstimate: p.unitCost,
      })),
    );
    return { number: row.number, totalValue: toPlain(dec(row.totalValue)), created: true };
  });
}

async function findBySubmissionKey(db: Executor, key: string) {
  const [row] = await db
    .select({ number: requisitions.number, totalValue: requisitions.totalValue })
    .from(requisitions)
    .where(eq(requisitions.submissionKey, key));
  return row && { number: row.number, totalValue: toPlain(dec(row.totalValue)) };
}

export interface RequisitionRecord {
  id: string;
  number: string;
  requester: string;
  costCenter: string;
  reason: string;
  status: (typeof requisitions.status.enumValues)[number];
  totalValue: string;
  issuedValue: string;
  createdAt: Date;
  approvedAt: Date | null;
  awaiting: string[];
  lines: {
    lineNo: number;
    sku: string;
    name: string;
    uom: string;
    requested: string;
    reserved: string;
    picked: string;
    issued: string;
    backordered: string;
    cancelled: string;
    unitCost: string;
    issuedValue: string;
    neededBy?: string;
    purchaseOrder?: string;
  }[];
}

const plain = (v: string) => toPlain(dec(v));

export async function getRequisition(db: Executor, number: string): Promise<RequisitionRecord | undefined> {
  const [row] = await db.select().from(requisitions).where(eq(requisitions.number, number));
  if (!row) return undefined;
  const lines = await db
    .select({ line: requisitionLines, name: items.name, uom: items.uom })
    .from(requisitionLines)
    .innerJoin(items, eq(items.id, requisitionLines.itemId))
    .where(eq(requisitionLines.requisitionId, row.id))
    .orderBy(asc(requisitionLines.lineNo));
  return {
    id: row.id,
    number: row.number,
    requester: row.requesterSlackUserId,
    costCenter: row.costCenterCode,
    reason: row.reason,
    status: row.status,
    totalValue: plain(row.totalValue),
    issuedValue: plain(row.issuedValue),
    createdAt: row.createdAt,
    approvedAt: row.approvedAt,
    awaiting: row.awaiting,
    lines: lines.map(({ line, name, uom }) => ({
      lineNo: line.lineNo,
      sku: line.sku,
      name,
      uom,
      requested: plain(line.quantityRequested),
      reserved: plain(line.quantityReserved),
      picked: plain(line.quantityPicked),
      issued: plain(line.quantityIssued),
      backordered: plain(line.quantityBackordered),
      cancelled: plain(line.quantityCancelled),
      unitCost: plain(line.unitCostEstimate),
      issuedValue: plain(line.issuedValue),
      ...(line.neededBy ? { neededBy: line.neededBy } : {}),
      ...(line.purchaseOrderNumber ? { purchaseOrder: line.purchaseOrderNumber } : {}),
    })),
  };
}

export interface RequisitionState {
  number: string;
  status: (typeof requisitions.status.enumValues)[number];
  currentLevel: number | null;
  awaiting: string[];
  issuedValue: string;
  /** ISO timestamps from the workflow's clock, so a retried write writes the same values. */
  approvedAt?: string;
  closedAt?: string;
  lines: { lineNo: number; reserved: string; picked: string; issued: string; backordered: string; cancelled: string; issuedValue: string }[];
}

/** Writes the workflow's current state (absolute values, so a retry writes the same thing). */
export async function saveRequisitionState(db: Executor, state: RequisitionState): Promise<void> {
  await db.transaction(async (tx) => {
    const [row] = await tx
      .update(requisitions)
      .set({
        status: state.status,
        currentLevel: state.currentLevel,
        awaiting: state.awaiting,
        issuedValue: state.issuedValue,
        ...(state.approvedAt ? { approvedAt: new Date(state.approvedAt) } : {}),
        ...(state.closedAt ? { closedAt: new Date(state.closedAt) } : {}),
        updatedAt: sql`now()`,
      })
      .where(eq(requisitions.number, state.number))
      .returning({ id: requisitions.id });
    if (!row) throw new Error(`No requisition ${state.number}`);
    for (const line of state.lines) {
      await tx
        .update(requisitionLines)
        .set({
          quantityReserved: line.reserved,
          quantityPicked: line.picked,
          quantityIssued: line.issued,
          quantityBackordered: line.backordered,
          quantityCancelled: line.cancelled,
          issuedValue: line.issuedValue,
        })
        .where(and(eq(requisitionLines.requisitionId, row.id), eq(requisitionLines.lineNo, line.lineNo)));
    }
  });
}

export async function recordApprovalDecision(
  db: Executor,
  input: { number: string; level: number; approver: string; decision: 'approved' | 'rejected' | 'auto_approved'; reason?: string; decidedAt: string },
): Promise<void> {
  const [row] = await db.select({ id: requisitions.id }).from(requisitions).where(eq(requisitions.number, input.number));
  if (!row) throw new Error(`No requisition ${input.number}`);
  await db
    .insert(requisitionApprovals)
    .values({
      requisitionId: row.id,
      level: input.level,
      approverSlackUserId: input.approver,
      decision: input.decision,
      reason: input.reason,
      decidedAt: new Date(input.decidedAt),
    })
    .onConflictDoNothing({ target: [requisitionApprovals.requisitionId, requisitionApprovals.level] });
}

export async function listApprovalDecisions(db: Executor, number: string) {
  return db
    .select({
      level: requisitionApprovals.level,
      approver: requisitionApprovals.approverSlackUserId,
      decision: requisitionApprovals.decision,
      reason: requisitionApprovals.reason,
      decidedAt: requisitionApprovals.decidedAt,
    })
    .from(requisitionApprovals)
    .innerJoin(requisitions, eq(requisitions.id, requisitionApprovals.requisitionId))
    .where(eq(requisitions.number, number))
    .orderBy(asc(requisitionApprovals.level));
}

/**
 * Open requisitions with a backordered line of this SKU: the ones restocking should send the
 * `stockAvailable` signal to when it arrives (workflows/requisition-messages.ts).
 */
export async function backorderedRequisitionNumbers(db: Executor, sku: string): Promise<string[]> {
  const rows = await db
    .selectDistinct({ number: requisitions.number })
    .from(requisitionLines)
    .innerJoin(requisitions, eq(requisitions.id, requisitionLines.requisitionId))
    .where(
      and(
        sql`lower(${requisitionLines.sku}) = lower(${sku})`,
        gt(requisitionLines.quantityBackordered, '0'),
        inArray(requisitions.status, ['approved', 'backordered', 'picking']),
      ),
    )
    .orderBy(asc(requisitions.number));
  return rows.map((r) => r.number);
}

/**
 * Requisitions recorded but never routed: still 'submitted' (the workflow's first step changes that)
 * some minutes after submission, so their workflow start most likely failed. Oldest first.
 */
export async function unroutedRequisitions(db: Executor, opts: { olderThanMinutes: number; limit?: number }) {
  return db
    .select({ number: requisitions.number, requester: requisitions.requesterSlackUserId })
    .from(requisitions)
    .where(
      and(
        eq(requisitions.status, 'submitted'),
        sql`${requisitions.createdAt} < now() - make_interval(mins => ${opts.olderThanMinutes})`,
      ),
    )
    .orderBy(asc(requisitions.createdAt))
    .limit(opts.limit ?? 200);
}

/** App Home: "My requisitions", newest first. */
export async function listRequisitionsByRequester(db: Executor, requester: string, limit = 20) {
  return db
    .select({ number: requisitions.number, status: requisitions.status, totalValue: requisitions.totalValue, createdAt: requisitions.createdAt })
    .from(requisitions)
    .where(eq(requisitions.requesterSlackUserId, requester))
    .orderBy(desc(requisitions.createdAt))
    .limit(limit);
}

/** App Home: "Waiting for my approval". */
export async function listAwaitingApprovalBy(db: Executor, approver: string, limit = 20) {
  return db
    .select({
      number: requisitions.number,
      requester: requisitions.requesterSlackUserId,
      totalValue: requisitions.totalValue,
      currentLevel: requisitions.currentLevel,
      createdAt: requisitions.createdAt,
    })
    .from(requisitions)
    .where(and(eq(requisitions.status, 'awaiting_approval'), sql`${approver} = any(${requisitions.awaiting})`))
    .orderBy(asc(requisitions.createdAt))
    .limit(limit);
}
