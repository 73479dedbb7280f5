import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { updateItem } from '../../db/queries/items.js';
import * as ledger from '../../db/queries/ledger.js';
import { LedgerError, type LedgerErrorCode } from '../../db/queries/ledger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { key, ledgerFingerprint, manual, requisition, seedCatalogue } from './fixtures.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedCatalogue(t.db, [
    { sku: 'TB-FIFO', name: 'Textbook FIFO', valuationMethod: 'fifo' },
    { sku: 'TB-LIFO', name: 'Textbook LIFO', valuationMethod: 'lifo' },
    { sku: 'TB-WAVG', name: 'Textbook WAVG', valuationMethod: 'wavg' },
    { sku: 'TB-DEFAULT', name: 'Follows the company default (FIFO)' },
  ]);
});
afterAll(() => t?.drop());

const bin1 = 'Main/Aisle 1/Bin 1';
const bin2 = 'Main/Aisle 1/Bin 2';
const bin3 = 'Main/Aisle 2/Bin 3';

async function book(sku: string) {
  const [row] = (await t.db.execute(sql`
    select v.on_hand::text as on_hand, v.value::text as value,
           (select sum(remaining_value)::text from cost_layers c where c.item_id = i.id) as layers_value
      from items i join item_valuations v on v.item_id = i.id where i.sku = ${sku}`)) as unknown as [
    { on_hand: string; value: string; layers_value: string },
  ];
  return row;
}

/**
 * The worked example of inventory/valuation.test.ts posted through the real ledger, one item per
 * method (receive 100 @ 10, 100 @ 12, issue 150, receive 100 @ 14, issue 100):
 * FIFO issues cost 1,600 and 1,300 (ending 700); LIFO 1,700 and 1,400 (ending 500);
 * weighted average 1,650 and 1,300 (ending 650).
 */
describe('textbook example posted through the ledger', () => {
  const expected: Record<string, { costs: [string, string]; ending: string }> = {
    'TB-FIFO': { costs: ['1600', '1300'], ending: '700' },
    'TB-LIFO': { costs: ['1700', '1400'], ending: '500' },
    'TB-WAVG': { costs: ['1650', '1300'], ending: '650' },
    'TB-DEFAULT': { costs: ['1600', '1300'], ending: '700' },
  };
  for (const [sku, { costs, ending }] of Object.entries(expected)) {
    test(`${sku}: issue costs ${costs.join(' and ')}, ending value ${ending}`, async () => {
      const doc = manual(`textbook-${sku}`);
      const receive = (quantity: string, unitCost: string, location: string) =>
        ledger.receive(t.db, { key: key(), sku, location, quantity, unitCost, document: doc, actor: 'buyer' });
      await receive('100', '10', bin1);
      await receive('100', '12.00', bin2);
      // The first issue goes through a reservation spread over both bins (100 + 50).
      const reserved = await ledger.reserve(t.db, { key: key(), sku, quantity: '150', document: requisition(`R-${sku}`), actor: 'clerk' });
      expect(reserved).toMatchObject({ requested: '150', reserved: '150', short: '0' });
      let first = '0';
      for (const allocation of reserved.allocations) {
        const r = await ledger.issue(t.db, {
          key: key(),
          sku,
          location: allocation.location,
          quantity: allocation.quantity,
          document: requisition(`R-${sku}`),
          actor: 'clerk',
        });
        first = String(Number(first) + Number(r.cost)); // integers in this example; exact
      }
      expect(first).toBe(costs[0]);
      await receive('100', '14', bin3);
      const second = await ledger.issue(t.db, {
        key: key(),
        sku,
        location: bin3,
        quantity: '50',
        document: doc,
        actor: 'clerk',
        unreserved: true,
      });
      const third = await ledger.issue(t.db, {
        key: key(),
        sku,
        location: bin3,
        quantity: '50',
        document: doc,
        actor: 'clerk',
        unreserved: true,
      });
      expect(String(Number(second.cost) + Number(third.cost))).toBe(costs[1]);
      const b = await book(sku);
      expect(b).toMatchObject({ on_hand: '50.0000', value: `${ending}.0000` });
      if (sku !== 'TB-WAVG') expect(b!.layers_value).toBe(`${ending}.0000`);
    });
  }
});

describe('operations', () => {
  test('receive answers with the move, its value and the new on hand; SKU and path ignore case and spacing', async () => {
    const r = await ledger.receive(t.db, {
      key: key(),
      sku: 'pen-blue',
      location: ' main / aisle 1 /BIN 1 ',
      quantity: '40.000',
      unitCost: '0.35',
      document: { type: 'purchase_order', id: 'PO-1' },
      actor: 'U123',
    });
    expect(r).toMatchObject({ sku: 'PEN-BLUE', location: bin1, quantity: '40', unitCost: '0.35', value: '14', onHand: '40' });
    expect(r.moveId).toMatch(/^\d+$/);
  });

  test('reserve is partial when stock is short and says so; release gives it back', async () => {
    await ledger.receive(t.db, { key: key(), sku: 'TONER-7', location: bin1, quantity: '3', unitCost: '50', document: manual(), actor: 'u' });
    await ledger.receive(t.db, { key: key(), sku: 'TONER-7', location: bin2, quantity: '5', unitCost: '55', document: manual(), actor: 'u' });
    const doc = requisition('REQ-partial');
    const r = await ledger.reserve(t.db, { key: key(), sku: 'toner-7', quantity: '10', document: doc, actor: 'u' });
    expect(r).toEqual({
      sku: 'TONER-7',
      requested: '10',
      reserved: '8',
      short: '2',
      allocations: [
        { location: bin2, quantity: '5' },
        { location: bin1, quantity: '3' },
      ],
    });
    const none = await ledger.reserve(t.db, { key: key(), sku: 'TONER-7', quantity: '1', document: requisition('REQ-other'), actor: 'u' });
    expect(none).toMatchObject({ reserved: '0', short: '1', allocations: [] });
    expect((await ledger.availability(t.db, { sku: 'TONER-7' })).available).toBe('0');
    const released = await ledger.release(t.db, { key: key(), document: doc, actor: 'u' });
    expect(released.released).toEqual([
      { sku: 'TONER-7', location: bin1, quantity: '3' },
      { sku: 'TONER-7', location: bin2, quantity: '5' },
    ]);
    expect(await ledger.availability(t.db, { sku: 'TONER-7' })).toMatchObject({ onHand: '8', reserved: '0', available: '8' });
    // Releasing again finds nothing open.
    expect((await ledger.release(t.db, { key: key(), document: doc, actor: 'u' })).released).toEqual([]);
  });

  test('reserve at a named location only takes from there', async () => {
    const doc = requisition('REQ-at');
    const r = await ledger.reserve(t.db, { key: key(), sku: 'TONER-7', quantity: '4', location: bin1, document: doc, actor: 'u' });
    expect(r).toMatchObject({ reserved: '3', short: '1', allocations: [{ location: bin1, quantity: '3' }] });
    const issued = await ledger.issue(t.db, { key: key(), sku: 'TONER-7', location: bin1, quantity: '2', document: doc, actor: 'u' });
    expect(issued).toMatchObject({ quantity: '2', cost: '110', unitCost: '55', method: 'lifo', onHand: '1' });
    expect(await ledger.release(t.db, { key: key(), document: doc, sku: 'TONER-7', actor: 'u' })).toEqual({
      released: [{ sku: 'TONER-7', location: bin1, quantity: '1' }],
    });
  });

  test('transfer moves stock between bins and leaves the value with the item', async () => {
    const before = await book('TONER-7');
    const r = await ledger.transfer(t.db, { key: key(), sku: 'TONER-7', from: bin2, to: 'Annex/Shelf A', quantity: '2', actor: 'u' });
    expect(r).toMatchObject({ sku: 'TONER-7', from: bin2, to: 'Annex/Shelf A', quantity: '2' });
    expect(r.moveIds).toHaveLength(2);
    expect(await book('TONER-7')).toEqual(before);
    const a = await ledger.availability(t.db, { sku: 'TONER-7' });
    expect(a.locations.find((l) => l.location === 'Annex/Shelf A')).toMatchObject({ onHand: '2' });
  });

  test('adjust: a count gain adds a layer at the given cost, a loss is costed like an issue', async () => {
    const gain = await ledger.adjust(t.db, {
      key: key(),
      sku: 'GREASE-1',
      location: bin3,
      quantity: '2.5',
      unitCost: '8',
      actor: 'counter',
      document: { type: 'cycle_count', id: 'CC-1' },
    });
    expect(gain).toMatchObject({ quantity: '2.5', unitCost: '8', value: '20', onHand: '2.5' });
    const loss = await ledger.adjust(t.db, {
      key: key(),
      sku: 'GREASE-1',
      location: bin3,
      quantity: '-0.5',
      actor: 'counter',
      document: { type: 'cycle_count', id: 'CC-1' },
    });
    expect(loss).toMatchObject({ quantity: '-0.5', unitCost: '8', value: '-4', onHand: '2' });
    // A gain without a cost uses the running average (16 / 2 = 8).
    const found = await ledger.adjust(t.db, { key: key(), sku: 'GREASE-1', location: bin3, quantity: '1', actor: 'c', document: manual() });
    expect(found).toMatchObject({ unitCost: '8', value: '8' });
  });

  test('a deactivated item can still be issued against an existing reservation, adjusted and released', async () => {
    await ledger.receive(t.db, { key: key(), sku: 'PEN-BLUE', location: bin2, quantity: '10', unitCost: '0.4', document: manual(), actor: 'u' });
    const doc = requisition('REQ-deactivated');
    await ledger.reserve(t.db, { key: key(), sku: 'PEN-BLUE', location: bin2, quantity: '6', document: doc, actor: 'u' });
    await updateItem(t.db, { sku: 'PEN-BLUE', active: false });
    try {
      await expect(ledger.issue(t.db, { key: key(), sku: 'PEN-BLUE', location: bin2, quantity: '2', document: doc, actor: 'u' })).resolves.toMatchObject({ quantity: '2' });
      await expect(ledger.adjust(t.db, { key: key(), sku: 'PEN-BLUE', location: bin2, quantity: '-1', document: manual(), actor: 'u' })).resolves.toMatchObject({ quantity: '-1' });
      await expect(ledger.release(t.db, { key: key(), document: doc, actor: 'u' })).resolves.toMatchObject({ released: [{ quantity: '4' }] });
    } finally {
      await updateItem(t.db, { sku: 'PEN-BLUE', active: true });
    }
  });

  test('inside a caller transaction a refused operation leaves the transaction usable', async () => {
    const before = await ledgerFingerprint(t.db);
    await t.db.transaction(async (tx) => {
      await expect(ledger.issue(tx, { key: key(), sku: 'NOPE', location: bin1, quantity: '1', document: manual(), actor: 'u', unreserved: true })).rejects.toMatchObject({ code: 'unknown_sku' });
      await ledger.receive(tx, { key: key(), sku: 'PEN-BLUE', location: bin1, quantity: '1', unitCost: '1', document: manual(), actor: 'u' });
      tx.rollback();
    }).catch((e: unknown) => {
      if (!(e instanceof Error && /rollback/i.test(e.message))) throw e;
    });
    expect(await ledgerFingerprint(t.db)).toEqual(before);
  });

  test('quotes, backslashes and non-ASCII text reach the ledger unchanged', async () => {
    const note = `O'Brien's \\ "box" \\' -- ; drop table items; ✓ ü`;
    const r = await ledger.receive(t.db, { key: key("it's"), sku: 'PEN-BLUE', location: bin1, quantity: '1', unitCost: '1', document: { type: 'manual', id: "d'1\\" }, actor: 'Zoë', note });
    const [row] = (await t.db.execute(sql`select note, actor, document_id from stock_moves where id = ${r.moveId}`)) as unknown as [
      { note: string; actor: string; document_id: string },
    ];
    expect(row).toEqual({ note, actor: 'Zoë', document_id: "d'1\\" });
    await expect(ledger.issue(t.db, { key: key(), sku: "x'; select 1; --\\", location: bin1, quantity: '1', document: manual(), actor: 'u' })).rejects.toMatchObject({
      code: 'unknown_sku',
    });
  });

  test('availability, search and getItem', async () => {
    const a = await ledger.availability(t.db, { sku: 'pen-blue' });
    expect(a.sku).toBe('PEN-BLUE');
    expect(Number(a.onHand)).toBeGreaterThan(0);
    const found = await ledger.searchItems(t.db, { query: '4006381333931', limit: 5 });
    expect(found[0]).toMatchObject({ sku: 'TONER-7', barcode: '4006381333931' });
    const byName = await ledger.searchItems(t.db, { query: 'grease' });
    expect(byName.map((i) => i.sku)).toEqual(['GREASE-1']);
    expect(await ledger.searchItems(t.db, { query: '100%' })).toEqual([]);
    expect((await ledger.getItem(t.db, { sku: 'grease-1' }))?.uomDecimals).toBe(3);
    expect(await ledger.getItem(t.db, { sku: 'nope' })).toBeUndefined();
    await expect(ledger.availability(t.db, { sku: 'nope' })).rejects.toMatchObject({ code: 'unknown_sku' });
  });
});

describe('idempotency', () => {
  test('the same key twice returns the first answer and moves stock once', async () => {
    const input = { key: key('twice'), sku: 'PEN-BLUE', location: bin1, quantity: '5', unitCost: '0.3', document: manual(), actor: 'u' };
    const first = await ledger.receive(t.db, input);
    const before = await ledgerFingerprint(t.db);
    const second = await ledger.receive(t.db, { ...input, note: 'retried', actor: 'someone else' });
    expect(second).toEqual(first);
    expect(await ledgerFingerprint(t.db)).toEqual(before);
  });

  test('the same key with a different request is refused as key_reused', async () => {
    const k = key('reuse');
    await ledger.issue(t.db, { key: k, sku: 'PEN-BLUE', location: bin1, quantity: '1', document: manual(), actor: 'u', unreserved: true });
    await expect(
      ledger.issue(t.db, { key: k, sku: 'PEN-BLUE', location: bin1, quantity: '2', document: manual(), actor: 'u', unreserved: true }),
    ).rejects.toMatchObject({ code: 'key_reused' });
    await expect(ledger.reserve(t.db, { key: k, sku: 'PEN-BLUE', quantity: '1', document: manual(), actor: 'u' })).rejects.toMatchObject({
      code: 'key_reused',
    });
  });

  test('25 concurrent calls with one key: one move, every caller gets the same answer', async () => {
    await ledger.receive(t.db, { key: key(), sku: 'PEN-BLUE', location: bin3, quantity: '100', unitCost: '0.5', document: manual(), actor: 'u' });
    const before = (await ledger.availability(t.db, { sku: 'PEN-BLUE' })).onHand;
    const input = { key: key('together'), sku: 'PEN-BLUE', location: bin3, quantity: '7', document: manual(), actor: 'u', unreserved: true };
    const results = await Promise.all(Array.from({ length: 25 }, () => ledger.issue(t.db, input)));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    const after = (await ledger.availability(t.db, { sku: 'PEN-BLUE' })).onHand;
    expect(Number(before) - Number(after)).toBe(7);
    const [{ n }] = (await t.db.execute(sql`select count(*)::int as n from stock_moves where idempotency_key = ${input.key}`)) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });

  test('one key, concurrent callers, stock for just one of them: all get the one success', async () => {
    await ledger.receive(t.db, { key: key(), sku: 'TONER-7', location: 'Annex/Shelf A', quantity: '1', unitCost: '60', document: manual(), actor: 'u' });
    const onHand = Number((await ledger.availability(t.db, { sku: 'TONER-7' })).locations.find((l) => l.location === 'Annex/Shelf A')!.available);
    const input = { key: key('last-one'), sku: 'TONER-7', location: 'Annex/Shelf A', quantity: String(onHand), document: manual(), actor: 'u', unreserved: true };
    const results = await Promise.all(Array.from({ length: 12 }, () => ledger.issue(t.db, input)));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(results[0]).toMatchObject({ quantity: String(onHand), onHand: '0' });
  });

  test('one key, concurrent receipts: one move, one layer', async () => {
    const input = { key: key('receipts'), sku: 'GREASE-1', location: bin2, quantity: '1.25', unitCost: '9', document: manual(), actor: 'u' };
    const results = await Promise.all(Array.from({ length: 12 }, () => ledger.receive(t.db, input)));
    expect(new Set(results.map((r) => JSON.stringify(r))).size).toBe(1);
    const [{ n }] = (await t.db.execute(sql`select count(*)::int as n from cost_layers c join stock_moves m on m.id = c.move_id
      where m.idempotency_key = ${input.key}`)) as unknown as [{ n: number }];
    expect(n).toBe(1);
  });

  test('concurrent reserve and release with one key each apply once', async () => {
    const doc = requisition('REQ-same-key');
    const input = { key: key('res'), sku: 'PEN-BLUE', quantity: '3', document: doc, actor: 'u' };
    const reserved = await Promise.all(Array.from({ length: 10 }, () => ledger.reserve(t.db, input)));
    expect(new Set(reserved.map((r) => JSON.stringify(r))).size).toBe(1);
    const releaseInput = { key: key('rel'), document: doc, actor: 'u' };
    const released = await Promise.all(Array.from({ length: 10 }, () => ledger.release(t.db, releaseInput)));
    expect(new Set(released.map((r) => JSON.stringify(r))).size).toBe(1);
    expect(released[0]!.released.reduce((n, r) => n + Number(r.quantity), 0)).toBe(3);
  });
});

describe('bad input is refused with a typed error and writes nothing', () => {
  const doc = manual('bad');
  const receive = (over: Partial<ledger.ReceiveInput>) => () =>
    ledger.receive(t.db, { key: key(), sku: 'PEN-BLUE', location: bin1, quantity: '1', unitCost: '1', document: doc, actor: 'u', ...over });
  const issue = (over: Partial<ledger.IssueInput>) => () =>
    ledger.issue(t.db, { key: key(), sku: 'PEN-BLUE', location: bin1, quantity: '1', document: doc, actor: 'u', ...over });
  const cases: [string, LedgerErrorCode, () => Promise<unknown>][] = [
    ['unknown SKU', 'unknown_sku', receive({ sku: 'NO-SUCH' })],
    ['blank SKU', 'unknown_sku', receive({ sku: '  ' })],
    ['unknown location', 'unknown_location', receive({ location: 'Main/Aisle 9' })],
    ['empty path part', 'unknown_location', receive({ location: 'Main//Bin 1' })],
    ['zero', 'invalid_quantity', receive({ quantity: '0' })],
    ['negative', 'invalid_quantity', receive({ quantity: '-3' })],
    ['not a number', 'invalid_quantity', receive({ quantity: 'twelve' })],
    ['exponent', 'invalid_quantity', receive({ quantity: '1e3' })],
    ['a JS number', 'invalid_quantity', receive({ quantity: 3 as unknown as string })],
    ['absurdly large', 'quantity_too_large', receive({ quantity: '1000000001' })],
    ['value too large', 'quantity_too_large', receive({ quantity: '1000000', unitCost: '99999999' })],
    ['fraction of an each', 'too_many_decimals', receive({ quantity: '1.5' })],
    ['kg beyond 3 decimals', 'too_many_decimals', receive({ sku: 'GREASE-1', quantity: '0.1234' })],
    ['beyond 4 decimals', 'too_many_decimals', receive({ quantity: '0.00001' })],
    ['negative cost', 'invalid_unit_cost', receive({ unitCost: '-1' })],
    ['cost with 5 decimals', 'invalid_unit_cost', receive({ unitCost: '0.00001' })],
    ['inactive item', 'inactive_item', receive({ sku: 'OLD-1' })],
    ['unknown document type', 'invalid_input', receive({ document: { type: 'invoice' as 'manual', id: 'x' } })],
    ['missing key', 'invalid_input', receive({ key: '' })],
    ['missing actor', 'invalid_input', receive({ actor: '' })],
    ['issue beyond stock', 'insufficient_stock', issue({ quantity: '999999', unreserved: true })],
    ['issue without reservation', 'insufficient_reservation', issue({ document: requisition('REQ-none') })],
    ['issue an inactive item unreserved', 'inactive_item', issue({ sku: 'OLD-1', unreserved: true })],
    [
      'transfer to the same bin',
      'same_location',
      () => ledger.transfer(t.db, { key: key(), sku: 'PEN-BLUE', from: bin1, to: ' MAIN/aisle 1/bin 1', quantity: '1', actor: 'u' }),
    ],
    [
      'transfer beyond stock',
      'insufficient_stock',
      () => ledger.transfer(t.db, { key: key(), sku: 'PEN-BLUE', from: bin1, to: bin2, quantity: '999999', actor: 'u' }),
    ],
    [
      'write off more than is unreserved',
      'insufficient_stock',
      () => ledger.adjust(t.db, { key: key(), sku: 'PEN-BLUE', location: bin1, quantity: '-999999', document: doc, actor: 'u' }),
    ],
    ['adjust by zero', 'invalid_quantity', () => ledger.adjust(t.db, { key: key(), sku: 'PEN-BLUE', location: bin1, quantity: '0', document: doc, actor: 'u' })],
    ['reserve an inactive item', 'inactive_item', () => ledger.reserve(t.db, { key: key(), sku: 'OLD-1', quantity: '1', document: doc, actor: 'u' })],
    ['release for an unknown SKU', 'unknown_sku', () => ledger.release(t.db, { key: key(), sku: 'NOPE', document: doc, actor: 'u' })],
  ];

  beforeAll(async () => {
    // Some stock and a reservation, so that refusals have something they could have damaged.
    await ledger.receive(t.db, { key: key(), sku: 'PEN-BLUE', location: bin1, quantity: '20', unitCost: '1', document: doc, actor: 'u' });
    await ledger.reserve(t.db, { key: key(), sku: 'PEN-BLUE', location: bin1, quantity: '2', document: requisition('REQ-bad'), actor: 'u' });
  });

  for (const [label, code, run] of cases) {
    test(`${label} → ${code}`, async () => {
      const before = await ledgerFingerprint(t.db);
      const error = await run().then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(LedgerError);
      expect((error as LedgerError).code).toBe(code);
      expect((error as LedgerError).message.length).toBeGreaterThan(10);
      expect(await ledgerFingerprint(t.db)).toEqual(before);
    });
  }

  test('issue beyond the reservation → insufficient_reservation, reservation intact', async () => {
    const before = await ledgerFingerprint(t.db);
    await expect(
      ledger.issue(t.db, { key: key(), sku: 'PEN-BLUE', location: bin1, quantity: '3', document: requisition('REQ-bad'), actor: 'u' }),
    ).rejects.toMatchObject({ code: 'insufficient_reservation', message: expect.stringContaining('holds 2') });
    expect(await ledgerFingerprint(t.db)).toEqual(before);
  });
});
