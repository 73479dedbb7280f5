import { sql } from 'drizzle-orm';
import { Decimal, toPlain } from '../../inventory/decimal.js';
import type { LedgerPayload } from '../../inventory/ledger-input.js';
import { extendedValue } from '../../inventory/valuation.js';
import type { Tx } from '../client.js';
import type { ReceiveResult } from './ledger.js';

/** A receipt already checked by receivePayload(), with its item and location resolved. */
export interface BulkReceipt {
  payload: LedgerPayload;
  itemId: string;
  /** Stored spellings, as ledger_receive reports them. */
  sku: string;
  locationId: string;
  path: string;
}

const BATCH = 5000;

/**
 * Posts many receipts with a few set-based statements instead of one ledger_receive call each (about ten
 * times faster: opening stock of 100,000 rows in seconds). It writes exactly what ledger_receive writes
 * (test/cli/bulk-receive.test.ts compares the two row by row): a receipt move with the same request and
 * result, one cost layer per receipt, the bin's stock level and the item's book, and takes its locks in
 * the ledger's order (stock_levels by item and location, then item_valuations), so it can run next to the
 * ledger's own operations.
 *
 * The caller must hold the keys exclusively and know they are new (stockroom import takes an advisory
 * lock and filters keys already posted); a key posted meanwhile fails the unique index, so the whole
 * transaction rolls back rather than posting twice.
 */
export async function receiveInBulk(tx: Tx, receipts: readonly BulkReceipt[], onProgress?: (done: number) => void): Promise<ReceiveResult[]> {
  if (receipts.length === 0) return [];
  // 1. Stock levels, summed per bin, locked in (item, location) order; the returned totals give the running on hand.
  const perBin = new Map<string, { itemId: string; locationId: string; quantity: Decimal }>();
  const perItem = new Map<string, { quantity: Decimal; value: Decimal }>();
  const values = receipts.map((r) => extendedValue(r.payload.quantity!, r.payload.unitCost!));
  receipts.forEach((r, i) => {
    const bin = `${r.itemId}|${r.locationId}`;
    const b = perBin.get(bin) ?? { itemId: r.itemId, locationId: r.locationId, quantity: new Decimal(0) };
    b.quantity = b.quantity.plus(r.payload.quantity!);
    perBin.set(bin, b);
    const it = perItem.get(r.itemId) ?? { quantity: new Decimal(0), value: new Decimal(0) };
    it.quantity = it.quantity.plus(r.payload.quantity!);
    it.value = it.value.plus(values[i]!);
    perItem.set(r.itemId, it);
  });
  const binOnHand = new Map<string, Decimal>();
  const bins = [...perBin.values()].sort((a, b) => compare(a.itemId, b.itemId) || compare(a.locationId, b.locationId));
  const levelBatches = pipelined(bins, (batch) =>
    tx.execute<{ item_id: string; location_id: string; on_hand: string }>(sql`
      insert into stock_levels as s (item_id, location_id, on_hand)
      select item_id, location_id, quantity
        from jsonb_to_recordset(${JSON.stringify(batch.map((b) => ({ item_id: b.itemId, location_id: b.locationId, quantity: toPlain(b.quantity) })))}::jsonb)
          as x(item_id uuid, location_id uuid, quantity numeric)
      on conflict (item_id, location_id) do update set on_hand = s.on_hand + excluded.on_hand
      returning item_id, location_id, on_hand`),
  );
  for (const row of (await levelBatches).flat()) {
    const bin = `${row.item_id}|${row.location_id}`;
    binOnHand.set(bin, new Decimal(row.on_hand).minus(perBin.get(bin)!.quantity)); // before this import
  }

  // 2. The items' books, in item order (after the stock levels, as in the ledger's lock order).
  const itemOnHand = new Map<string, Decimal>();
  const itemIds = [...perItem.keys()].sort(compare);
  const bookBatches = pipelined(itemIds, (batch) =>
    tx.execute<{ item_id: string; on_hand: string }>(sql`
      insert into item_valuations as v (item_id, on_hand, value)
      select item_id, quantity, value
        from jsonb_to_recordset(${JSON.stringify(batch.map((id) => ({ item_id: id, quantity: toPlain(perItem.get(id)!.quantity), value: toPlain(perItem.get(id)!.value) })))}::jsonb)
          as x(item_id uuid, quantity numeric, value numeric)
      on conflict (item_id) do update set on_hand = v.on_hand + excluded.on_hand, value = v.value + excluded.value, updated_at = now()
      returning item_id, on_hand`),
  );
  for (const row of (await bookBatches).flat()) itemOnHand.set(row.item_id, new Decimal(row.on_hand).minus(perItem.get(row.item_id)!.quantity));

  // 3. Moves and their layers, in the given order, with ids drawn from the moves' own sequence.
  const results: ReceiveResult[] = [];
  const ids = await tx.execute<{ id: string }>(sql`select nextval('stock_moves_id_seq')::text as id from generate_series(1, ${receipts.length})`);
  const posted: Promise<unknown>[] = [];
  let done = 0;
  for (let i = 0; i < receipts.length; i += BATCH) {
    const slice = receipts.slice(i, i + BATCH);
    const moves = slice.map((r, j) => {
      const bin = `${r.itemId}|${r.locationId}`;
      const onHand = binOnHand.get(bin)!.plus(r.payload.quantity!);
      binOnHand.set(bin, onHand);
      const itemTotal = itemOnHand.get(r.itemId)!.plus(r.payload.quantity!);
      itemOnHand.set(r.itemId, itemTotal);
      const { key, actor, note, ...request } = r.payload;
      const result: ReceiveResult = {
        moveId: ids[i + j]!.id,
        sku: r.sku,
        location: r.path,
        quantity: r.payload.quantity!,
        unitCost: r.payload.unitCost!,
        value: toPlain(values[i + j]!),
        onHand: toPlain(onHand),
        itemOnHand: toPlain(itemTotal),
      };
      results.push(result);
      // Flat rows (cheap to parse); request and result are rebuilt in SQL exactly as ledger_receive stores them.
      return {
        id: result.moveId,
        item_id: r.itemId,
        location_id: r.locationId,
        quantity: result.quantity,
        unit_cost: result.unitCost,
        value: result.value,
        on_hand: result.onHand,
        item_on_hand: result.itemOnHand,
        document_type: request.documentType,
        document_id: request.documentId,
        actor,
        note: note ?? null,
        key,
        sku: request.sku,
        location: request.location,
        stored_sku: r.sku,
        stored_path: r.path,
        at: request.occurredAt ?? null,
      };
    });
    // The request is the payload less key, actor and note (ledger_receive's `p - 'key' - 'actor' - 'note'`).
    // Not awaited here: the statements queue on the transaction's connection and run in order while
    // the next batch is being built (pipelining), so Node and Postgres work at the same time.
    const statement = tx.execute(sql`
      with x as (
        select * from jsonb_to_recordset(${JSON.stringify(moves)}::jsonb) as x(id bigint, item_id uuid, location_id uuid,
          quantity text, unit_cost text, value text, on_hand text, item_on_hand text, document_type text, document_id text,
          actor text, note text, key text, sku text, location text, stored_sku text, stored_path text, at text)
      ),
      moved as (
        insert into stock_moves (id, item_id, location_id, type, quantity, unit_cost, total_value, document_type,
            document_id, actor, note, idempotency_key, request, result, created_at)
          overriding system value
        select id, item_id, location_id, 'receipt', quantity::numeric, unit_cost::numeric, value::numeric,
               document_type::document_type, document_id, actor, note, key,
               jsonb_strip_nulls(jsonb_build_object('sku', sku, 'location', location, 'quantity', quantity,
                 'unitCost', unit_cost, 'documentType', document_type, 'documentId', document_id, 'occurredAt', at)),
               jsonb_build_object('moveId', id::text, 'sku', stored_sku, 'location', stored_path, 'quantity', quantity,
                 'unitCost', unit_cost, 'value', value, 'onHand', on_hand, 'itemOnHand', item_on_hand),
               coalesce(at::timestamptz, now())
          from x
         order by id
        returning id, item_id, location_id, quantity, unit_cost, total_value, created_at
      )
      insert into cost_layers (item_id, location_id, move_id, received_quantity, remaining_quantity, unit_cost,
          remaining_value, received_at)
      select item_id, location_id, id, quantity, quantity, unit_cost, total_value, created_at from moved order by id`);
    posted.push(statement.then(() => onProgress?.((done += slice.length))));
  }
  await Promise.all(posted);
  return results;
}

const compare = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Sends one statement per batch without waiting in between; answers come back in order. */
function pipelined<T, R>(list: readonly T[], statement: (batch: T[]) => Promise<R[]>): Promise<R[][]> {
  const pending: Promise<R[]>[] = [];
  for (let i = 0; i < list.length; i += BATCH) pending.push(statement(list.slice(i, i + BATCH)));
  return Promise.all(pending);
}
