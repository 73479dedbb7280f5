import { Decimal, MAX_QTY, parseDecimal, QTY_SCALE, MONEY_SCALE, toPlain } from './decimal.js';

/**
 * The ledger's vocabulary and its input checks, pure so workflows, the bot and activities share
 * them: the typed error, document references, and validation that turns caller input into the
 * canonical request the database functions receive. Nothing here does I/O.
 */
export type Qty = string;
export type Money = string;

export const DOCUMENT_TYPES = ['requisition', 'purchase_order', 'cycle_count', 'manual', 'import', 'demo'] as const;
export type DocumentType = (typeof DOCUMENT_TYPES)[number];
export interface DocumentRef {
  type: DocumentType;
  id: string;
}

export const LEDGER_ERROR_CODES = [
  'unknown_sku',
  'unknown_location',
  'invalid_quantity',
  'too_many_decimals',
  'quantity_too_large',
  'insufficient_stock',
  'insufficient_reservation',
  'same_location',
  'inactive_item',
  'key_reused',
  // Added to the agreed list: a bad unit cost, and malformed keys, documents, actors or dates.
  'invalid_unit_cost',
  'invalid_input',
] as const;
export type LedgerErrorCode = (typeof LEDGER_ERROR_CODES)[number];

/** A refused stock operation. Nothing was written. `message` is a sentence a person can act on. */
export class LedgerError extends Error {
  override readonly name = 'LedgerError';
  constructor(
    readonly code: LedgerErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export const isLedgerErrorCode = (value: unknown): value is LedgerErrorCode =>
  typeof value === 'string' && (LEDGER_ERROR_CODES as readonly string[]).includes(value);

/** One move's value may not exceed this (the money columns hold 14 integer digits; leave headroom for sums). */
export const MAX_MOVE_VALUE = new Decimal('10000000000000');
const MAX_KEY_LENGTH = 200;

const fail = (code: LedgerErrorCode, message: string): never => {
  throw new LedgerError(code, message);
};

function text(value: unknown, what: string, code: LedgerErrorCode = 'invalid_input'): string {
  if (typeof value !== 'string' || value.trim() === '') return fail(code, `${what} is required`);
  return value.trim();
}

export const checkKey = (key: unknown): string => {
  const k = text(key, 'An idempotency key');
  if (k.length > MAX_KEY_LENGTH) fail('invalid_input', `The idempotency key is longer than ${MAX_KEY_LENGTH} characters`);
  return k;
};

export const checkSku = (sku: unknown): string => text(sku, 'A SKU', 'unknown_sku');

/** 'Main / Aisle 3 / bin 12' → 'Main/Aisle 3/bin 12' (matching ignores case, so casing is kept). */
export function normaliseLocationPath(path: unknown): string {
  const raw = text(path, 'A location', 'unknown_location');
  const parts = raw.split('/').map((p) => p.trim());
  if (parts.some((p) => p === '')) fail('unknown_location', `"${raw}" is not a location path (empty part)`);
  return parts.join('/');
}

export function checkDocument(document: unknown): DocumentRef {
  const d = document as Partial<DocumentRef> | undefined;
  if (!d || !(DOCUMENT_TYPES as readonly string[]).includes(d.type as string)) {
    return fail('invalid_input', `A document type (${DOCUMENT_TYPES.join(', ')}) is required`);
  }
  return { type: d.type as DocumentType, id: text(d.id, 'A document id') };
}

export const checkActor = (actor: unknown): string => text(actor, 'An actor');

export function checkOccurredAt(at: unknown): string | undefined {
  if (at === undefined || at === null) return undefined;
  const date = at instanceof Date ? at : typeof at === 'string' ? new Date(at) : undefined;
  if (!date || Number.isNaN(date.getTime())) return fail('invalid_input', `"${String(at)}" is not a date and time`);
  return date.toISOString();
}

/**
 * A quantity: a decimal string (no floats), non-zero, positive unless `signed`, at most 4 decimals
 * (the unit's own limit is checked against the item in the database), at most MAX_QTY.
 */
export function checkQuantity(input: unknown, opts: { signed?: boolean } = {}): Decimal {
  if (typeof input !== 'string') return fail('invalid_quantity', 'A quantity must be a decimal string such as "12.5"');
  const value = parseDecimal(input);
  if (!value) return fail('invalid_quantity', `"${input}" is not a number`);
  if (value.isZero()) return fail('invalid_quantity', 'A quantity of zero moves nothing');
  if (value.isNegative() && !opts.signed) return fail('invalid_quantity', `A quantity must be positive; got ${input}`);
  if (value.abs().greaterThan(MAX_QTY)) {
    return fail('quantity_too_large', `${input} is more than ${toPlain(MAX_QTY)} units in one move`);
  }
  if (value.decimalPlaces() > QTY_SCALE) {
    return fail('too_many_decimals', `${input} has more than ${QTY_SCALE} decimals`);
  }
  return value;
}

export function checkUnitCost(input: unknown, quantity: Decimal): Decimal {
  if (typeof input !== 'string') return fail('invalid_unit_cost', 'A unit cost must be a decimal string such as "3.25"');
  const value = parseDecimal(input);
  if (!value) return fail('invalid_unit_cost', `"${input}" is not an amount`);
  if (value.isNegative()) return fail('invalid_unit_cost', `A unit cost cannot be negative; got ${input}`);
  if (value.decimalPlaces() > MONEY_SCALE) {
    return fail('invalid_unit_cost', `${input} has more than ${MONEY_SCALE} decimals`);
  }
  if (value.times(quantity.abs()).greaterThanOrEqualTo(MAX_MOVE_VALUE)) {
    return fail('quantity_too_large', `${toPlain(quantity)} × ${input} is worth more than one move may carry`);
  }
  return value;
}

/** The canonical request the database functions receive (and compare on a repeated key). */
export interface LedgerPayload {
  key: string;
  actor: string;
  note?: string;
  documentType?: DocumentType;
  documentId?: string;
  sku?: string;
  location?: string;
  from?: string;
  to?: string;
  quantity?: string;
  unitCost?: string;
  occurredAt?: string;
  unreserved?: boolean;
}

const optionalNote = (note: unknown): string | undefined =>
  note === undefined || note === null ? undefined : text(note, 'A note');

/** Drops undefined fields so the stored request compares equal on a retry. */
const compact = (payload: LedgerPayload): LedgerPayload =>
  Object.fromEntries(Object.entries(payload).filter(([, v]) => v !== undefined)) as LedgerPayload;

export interface ReceiveInput {
  key: string;
  sku: string;
  location: string;
  quantity: Qty;
  unitCost: Money;
  document: DocumentRef;
  actor: string;
  note?: string;
  /** Back-dates the move (imports, demo history); defaults to now. */
  occurredAt?: string | Date;
}

export function receivePayload(input: ReceiveInput): LedgerPayload {
  const key = checkKey(input.key);
  const quantity = checkQuantity(input.quantity);
  const unitCost = checkUnitCost(input.unitCost, quantity);
  const document = checkDocument(input.document);
  return compact({
    key,
    sku: checkSku(input.sku),
    location: normaliseLocationPath(input.location),
    quantity: toPlain(quantity),
    unitCost: toPlain(unitCost),
    documentType: document.type,
    documentId: document.id,
    actor: checkActor(input.actor),
    note: optionalNote(input.note),
    occurredAt: checkOccurredAt(input.occurredAt),
  });
}

export interface ReserveInput {
  key: string;
  sku: string;
  quantity: Qty;
  document: DocumentRef;
  actor: string;
  /** Omitted: allocate across the item's locations, largest available first. */
  location?: string;
}

export function reservePayload(input: ReserveInput): LedgerPayload {
  const key = checkKey(input.key);
  const quantity = checkQuantity(input.quantity);
  const document = checkDocument(input.document);
  return compact({
    key,
    sku: checkSku(input.sku),
    location: input.location === undefined ? undefined : normaliseLocationPath(input.location),
    quantity: toPlain(quantity),
    documentType: document.type,
    documentId: document.id,
    actor: checkActor(input.actor),
  });
}

export interface ReleaseInput {
  key: string;
  document: DocumentRef;
  /** Omitted: every open reservation of the document. */
  sku?: string;
  actor: string;
}

export function releasePayload(input: ReleaseInput): LedgerPayload {
  const key = checkKey(input.key);
  const document = checkDocument(input.document);
  return compact({
    key,
    sku: input.sku === undefined ? undefined : checkSku(input.sku),
    documentType: document.type,
    documentId: document.id,
    actor: checkActor(input.actor),
  });
}

export interface IssueInput {
  key: string;
  document: DocumentRef;
  sku: string;
  location: string;
  quantity: Qty;
  actor: string;
  /** Issue from unreserved stock (walk-up issue) instead of consuming the document's reservation. */
  unreserved?: boolean;
  note?: string;
  occurredAt?: string | Date;
}

export function issuePayload(input: IssueInput): LedgerPayload {
  const key = checkKey(input.key);
  const quantity = checkQuantity(input.quantity);
  const document = checkDocument(input.document);
  return compact({
    key,
    sku: checkSku(input.sku),
    location: normaliseLocationPath(input.location),
    quantity: toPlain(quantity),
    documentType: document.type,
    documentId: document.id,
    actor: checkActor(input.actor),
    unreserved: input.unreserved ? true : undefined,
    note: optionalNote(input.note),
    occurredAt: checkOccurredAt(input.occurredAt),
  });
}

export interface TransferInput {
  key: string;
  sku: string;
  from: string;
  to: string;
  quantity: Qty;
  actor: string;
  /** Defaults to a manual document named after the key. */
  document?: DocumentRef;
  note?: string;
  occurredAt?: string | Date;
}

export function transferPayload(input: TransferInput): LedgerPayload {
  const key = checkKey(input.key);
  const quantity = checkQuantity(input.quantity);
  const document = input.document === undefined ? { type: 'manual' as const, id: key } : checkDocument(input.document);
  const from = normaliseLocationPath(input.from);
  const to = normaliseLocationPath(input.to);
  if (from.toLowerCase() === to.toLowerCase()) fail('same_location', `${from} is both source and destination`);
  return compact({
    key,
    sku: checkSku(input.sku),
    from,
    to,
    quantity: toPlain(quantity),
    documentType: document.type,
    documentId: document.id,
    actor: checkActor(input.actor),
    note: optionalNote(input.note),
    occurredAt: checkOccurredAt(input.occurredAt),
  });
}

export interface AdjustInput {
  key: string;
  sku: string;
  location: string;
  /** Signed: +3 found three more than the book, -2 two missing. */
  quantity: Qty;
  actor: string;
  document: DocumentRef;
  /** For gains; defaults to the running average, else the item's standard cost. */
  unitCost?: Money;
  note?: string;
  occurredAt?: string | Date;
}

export function adjustPayload(input: AdjustInput): LedgerPayload {
  const key = checkKey(input.key);
  const quantity = checkQuantity(input.quantity, { signed: true });
  const unitCost =
    input.unitCost === undefined || quantity.isNegative() ? undefined : checkUnitCost(input.unitCost, quantity);
  const document = checkDocument(input.document);
  return compact({
    key,
    sku: checkSku(input.sku),
    location: normaliseLocationPath(input.location),
    quantity: toPlain(quantity),
    unitCost: unitCost && toPlain(unitCost),
    documentType: document.type,
    documentId: document.id,
    actor: checkActor(input.actor),
    note: optionalNote(input.note),
    occurredAt: checkOccurredAt(input.occurredAt),
  });
}
