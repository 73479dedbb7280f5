import { sql, type SQL } from 'drizzle-orm';
import { PgTransaction } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import {
  adjustPayload,
  type AdjustInput,
  checkSku,
  issuePayload,
  type IssueInput,
  isLedgerErrorCode,
  type LedgerPayload,
  LedgerError,
  type Money,
  type Qty,
  receivePayload,
  type ReceiveInput,
  releasePayload,
  type ReleaseInput,
  reservePayload,
  type ReserveInput,
  transferPayload,
  type TransferInput,
} from '../../inventory/ledger-input.js';
import { sum, toPlain } from '../../inventory/decimal.js';
import type { Executor } from '../client.js';
import { issueGrouped } from './ledger-groups.js';

/**
 * The only way stock changes. Each operation validates its input here (pure, inventory/ledger-input.ts),
 * then runs one database function (migration ledger_functions) as a single statement: atomic on its
 * own, one round trip, row-locked so concurrent callers never oversell, idempotent by key. Given a
 * transaction it joins it inside a savepoint, so a refused operation leaves the caller's transaction usable.
 */
export {
  type AdjustInput,
  type DocumentRef,
  type DocumentType,
  DOCUMENT_TYPES,
  type IssueInput,
  LEDGER_ERROR_CODES,
  LedgerError,
  type LedgerErrorCode,
  type Money,
  type Qty,
  type ReceiveInput,
  type ReleaseInput,
  type ReserveInput,
  type TransferInput,
} from '../../inventory/ledger-input.js';
import { escapeLike } from './like.js';

export interface ReceiveResult {
  moveId: string;
  sku: string;
  location: string;
  quantity: Qty;
  unitCost: Money;
  value: Money;
  /** On hand at that location after the receipt; itemOnHand across all locations. */
  onHand: Qty;
  itemOnHand: Qty;
}
export interface ReserveResult {
  sku: string;
  requested: Qty;
  reserved: Qty;
  short: Qty;
  allocations: { location: string; quantity: Qty }[];
}
export interface ReleaseResult {
  released: { sku: string; location: string; quantity: Qty }[];
}
export interface IssueResult {
  moveId: string;
  sku: string;
  location: string;
  quantity: Qty;
  /** Cost of goods issued under the item's valuation method. */
  cost: Money;
  unitCost: Money;
  method: 'fifo' | 'lifo' | 'wavg';
  /** On hand left at that location. */
  onHand: Qty;
}
export interface TransferResult {
  moveIds: [string, string];
  sku: string;
  from: string;
  to: string;
  quantity: Qty;
}
export interface AdjustResult {
  moveId: string;
  sku: string;
  location: string;
  quantity: Qty;
  unitCost: Money;
  value: Money;
  onHand: Qty;
}

type LedgerFunction =
  | 'ledger_receive'
  | 'ledger_reserve'
  | 'ledger_release'
  | 'ledger_issue'
  | 'ledger_transfer'
  | 'ledger_adjust';

const calls: Record<LedgerFunction, SQL> = {
  ledger_receive: sql.raw('ledger_receive'),
  ledger_reserve: sql.raw('ledger_reserve'),
  ledger_release: sql.raw('ledger_release'),
  ledger_issue: sql.raw('ledger_issue'),
  ledger_transfer: sql.raw('ledger_transfer'),
  ledger_adjust: sql.raw('ledger_adjust'),
};

const preparedCalls = Object.fromEntries(
  Object.keys(calls).map((fn) => [fn, `select ${fn}($1::jsonb) as r`]),
) as Record<LedgerFunction, string>;

/** SR001 is raised by ledger_fail() with the code as message and a readable sentence as detail. */
function toLedgerError(error: unknown): unknown {
  const e = error as { code?: string; message?: string; detail?: string; cause?: unknown };
  const pg = (e?.code === 'SR001' ? e : (e?.cause as typeof e | undefined)) ?? e;
  if (pg?.code === 'SR001' && isLedgerErrorCode(pg.message)) return new LedgerError(pg.message, pg.detail ?? pg.message);
  return error;
}

/**
 * The payload as an escaped E'' literal. A query without parameters goes out in the simple protocol:
 * one round trip. With a parameter, postgres.js (unprepared, as drizzle's execute is) first asks the
 * server to describe the statement, a second round trip that cost a third of an issue's time.
 */
const jsonLiteral = (payload: LedgerPayload): SQL =>
  sql.raw(`E'${JSON.stringify(payload).replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'::jsonb`);

async function call<T>(db: Executor, fn: LedgerFunction, payload: LedgerPayload): Promise<T> {
  const query = sql`select ${calls[fn]}(${jsonLiteral(payload)}) as r`;
  try {
    if (db instanceof PgTransaction) {
      const rows = await db.transaction((savepoint) => savepoint.execute(query));
      return (rows as unknown as { r: T }[])[0]!.r;
    }
    // On its own: a named prepared statement on the pool's connection (parsed and planned once per connection).
    const client = (db as unknown as { $client: postgres.Sql }).$client;
    // Issues are the hot path: concurrent ones share a commit (ledger-groups.ts).
    if (fn === 'ledger_issue') return (await issueGrouped(client, payload)) as T;
    const rows = await client.unsafe<{ r: T }[]>(preparedCalls[fn], [JSON.stringify(payload)], { prepare: true });
    return rows[0]!.r;
  } catch (error) {
    // A concurrent call with the same key may have won the race: this one then failed on the unique
    // key or on the stock the winner took. Answer as the winner did (or say the key was reused).
    let stored: T | undefined;
    try {
      stored = await storedAnswer<T>(db, payload);
    } catch (lookupError) {
      if (lookupError instanceof LedgerError) throw lookupError;
    }
    if (stored) return stored;
    throw toLedgerError(error);
  }
}

async function storedAnswer<T>(db: Executor, payload: LedgerPayload): Promise<T | undefined> {
  const [row] = (await db.execute(sql`
    with request as (select ${JSON.stringify(payload)}::jsonb - 'key' - 'actor' - 'note' as r)
    select result, stored = (select r from request) as same from (
      select request as stored, result from stock_moves where idempotency_key = ${payload.key}
      union all
      select request, result from reservation_requests where idempotency_key = ${payload.key}) answers
    limit 1`)) as unknown as { result: T; same: boolean }[];
  if (!row) return undefined;
  if (!row.same) throw new LedgerError('key_reused', `The key ${payload.key} was already used for a different request`);
  return row.result;
}

/** Posts a receipt move and a cost layer at the unit cost. */
export const receive = async (db: Executor, input: ReceiveInput): Promise<ReceiveResult> =>
  call(db, 'ledger_receive', receivePayload(input));

/** Reserves what it can (full, partial or none; `short` says how much is missing). */
export const reserve = async (db: Executor, input: ReserveInput): Promise<ReserveResult> =>
  call(db, 'ledger_reserve', reservePayload(input));

/** Releases the document's open reservations (of one SKU when given). */
export const release = async (db: Executor, input: ReleaseInput): Promise<ReleaseResult> =>
  call(db, 'ledger_release', releasePayload(input));

/** Consumes the document's reservation at that location (or unreserved stock) and the cost layers. */
export const issue = async (db: Executor, input: IssueInput): Promise<IssueResult> =>
  call(db, 'ledger_issue', issuePayload(input));

/** Moves stock between locations; value stays with the item. */
export const transfer = async (db: Executor, input: TransferInput): Promise<TransferResult> =>
  call(db, 'ledger_transfer', transferPayload(input));

/** Count variance: positive adds a cost layer, negative is taken like an issue from unreserved stock. */
export const adjust = async (db: Executor, input: AdjustInput): Promise<AdjustResult> =>
  call(db, 'ledger_adjust', adjustPayload(input));

export interface Availability {
  sku: string;
  onHand: Qty;
  reserved: Qty;
  available: Qty;
  locations: { location: string; onHand: Qty; reserved: Qty; available: Qty }[];
}

/** Stock of one item per location (locations with nothing on hand left out), largest available first. */
export async function availability(db: Executor, input: { sku: string }): Promise<Availability> {
  const sku = checkSku(input.sku);
  const rows = (await db.execute(sql`
    select i.sku, l.path as location,
           ledger_num(s.on_hand) as on_hand, ledger_num(s.reserved) as reserved,
           ledger_num(s.on_hand - s.reserved) as available
      from items i
      left join stock_levels s on s.item_id = i.id and s.on_hand > 0
      left join locations l on l.id = s.location_id
     where lower(i.sku) = lower(${sku})
     order by s.on_hand - s.reserved desc, l.path`)) as unknown as {
    sku: string;
    location: string | null;
    on_hand: string;
    reserved: string;
    available: string;
  }[];
  if (rows.length === 0) throw new LedgerError('unknown_sku', `No item has the SKU ${sku}`);
  const locations = rows
    .filter((r) => r.location !== null)
    .map((r) => ({ location: r.location!, onHand: r.on_hand, reserved: r.reserved, available: r.available }));
  const onHand = sum(locations.map((l) => l.onHand));
  const reserved = sum(locations.map((l) => l.reserved));
  return {
    sku: rows[0]!.sku,
    onHand: toPlain(onHand),
    reserved: toPlain(reserved),
    available: toPlain(onHand.minus(reserved)),
    locations,
  };
}

export interface ItemMatch {
  sku: string;
  name: string;
  uom: string;
  barcode: string | null;
  standardCost: Money | null;
  available: Qty;
  active: boolean;
}

/** Finds items by SKU, name or barcode: exact SKU or barcode first, then SKU prefix, then name. */
export async function searchItems(db: Executor, input: { query: string; limit?: number }): Promise<ItemMatch[]> {
  const query = input.query.trim();
  if (query === '') return [];
  const limit = Math.max(1, Math.min(input.limit ?? 20, 100));
  const pattern = `%${escapeLike(query)}%`;
  const rows = (await db.execute(sql`
    select i.sku, i.name, i.uom, i.barcode, ledger_num(i.standard_cost) as standard_cost, i.active,
           ledger_num(coalesce((select sum(s.on_hand - s.reserved) from stock_levels s where s.item_id = i.id), 0))
             as available
      from items i
     where i.sku ilike ${pattern} or i.name ilike ${pattern} or i.barcode = ${query}
     order by (lower(i.sku) = lower(${query}) or i.barcode = ${query}) desc,
              (lower(i.sku) like lower(${`${escapeLike(query)}%`})) desc,
              i.active desc, i.sku
     limit ${limit}`)) as unknown as {
    sku: string;
    name: string;
    uom: string;
    barcode: string | null;
    standard_cost: string | null;
    active: boolean;
    available: string;
  }[];
  return rows.map((r) => ({
    sku: r.sku,
    name: r.name,
    uom: r.uom,
    barcode: r.barcode,
    standardCost: r.standard_cost,
    available: r.available,
    active: r.active,
  }));
}

export { getItem, type Item } from './items.js';
