import { afterAll, beforeAll, expect, test } from 'vitest';
import * as ledger from '../../db/queries/ledger.js';
import { LedgerError } from '../../db/queries/ledger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { invariantViolations, key, manual, requisition, seedCatalogue } from './fixtures.js';

let t: TestDatabase;
beforeAll(async () => {
  // Enough connections that the callers really overlap inside Postgres, not in the client's queue.
  t = await createTestDatabase({ max: 40 });
  await seedCatalogue(t.db, [
    { sku: 'HOT-RES', name: 'Contended, reserved then issued', valuationMethod: 'fifo' },
    { sku: 'HOT-DIRECT', name: 'Contended, issued directly', valuationMethod: 'wavg' },
    { sku: 'HOT-BINS', name: 'Contended across bins', valuationMethod: 'lifo' },
  ]);
});
afterAll(() => t?.drop());

const bin = 'Main/Aisle 1/Bin 1';

test('60 requisitions reserve-then-issue one SKU holding 40: exactly 40 issued, 20 refused, invariants hold', async () => {
  await ledger.receive(t.db, { key: key(), sku: 'HOT-RES', location: bin, quantity: '25', unitCost: '2', document: manual(), actor: 'u' });
  await ledger.receive(t.db, { key: key(), sku: 'HOT-RES', location: bin, quantity: '15', unitCost: '3', document: manual(), actor: 'u' });
  const outcomes = await Promise.all(
    Array.from({ length: 60 }, async (_, n) => {
      const document = requisition(`REQ-${n}`);
      const r = await ledger.reserve(t.db, { key: key('r'), sku: 'HOT-RES', location: bin, quantity: '1', document, actor: `u${n}` });
      if (r.reserved !== '1') return { issued: false, cost: '0' };
      const i = await ledger.issue(t.db, { key: key('i'), sku: 'HOT-RES', location: bin, quantity: '1', document, actor: `u${n}` });
      return { issued: true, cost: i.cost };
    }),
  );
  const issued = outcomes.filter((o) => o.issued);
  expect(issued).toHaveLength(40);
  // FIFO: 25 at 2 and 15 at 3, whatever order the callers won in.
  expect(issued.reduce((sum, o) => sum + Number(o.cost), 0)).toBe(95);
  expect(await ledger.availability(t.db, { sku: 'HOT-RES' })).toMatchObject({ onHand: '0', reserved: '0' });
  expect(await invariantViolations(t.db)).toEqual([]);
});

test('64 direct issues of 3 units on 100: exactly 33 succeed (99 units), the rest are refused as insufficient_stock', async () => {
  await ledger.receive(t.db, { key: key(), sku: 'HOT-DIRECT', location: bin, quantity: '100', unitCost: '1.5', document: manual(), actor: 'u' });
  const results = await Promise.allSettled(
    Array.from({ length: 64 }, (_, n) =>
      ledger.issue(t.db, { key: key('d'), sku: 'HOT-DIRECT', location: bin, quantity: '3', document: manual(`walk-up-${n}`), actor: 'u', unreserved: true }),
    ),
  );
  const ok = results.filter((r) => r.status === 'fulfilled');
  const refused = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
  expect(ok).toHaveLength(33);
  expect(refused).toHaveLength(31);
  for (const r of refused) {
    expect(r.reason).toBeInstanceOf(LedgerError);
    expect((r.reason as LedgerError).code).toBe('insufficient_stock');
  }
  expect((await ledger.availability(t.db, { sku: 'HOT-DIRECT' })).onHand).toBe('1');
  expect(await invariantViolations(t.db)).toEqual([]);
});

test('concurrent reserves across bins, issues, transfers and write-offs of one SKU never oversell', async () => {
  const bins = ['Main/Aisle 1/Bin 1', 'Main/Aisle 1/Bin 2', 'Main/Aisle 2/Bin 3', 'Annex/Shelf A'];
  for (const [n, location] of bins.entries()) {
    await ledger.receive(t.db, { key: key(), sku: 'HOT-BINS', location, quantity: '10', unitCost: String(n + 1), document: manual(), actor: 'u' });
  }
  const tolerated = new Set(['insufficient_stock', 'insufficient_reservation']);
  const work = Array.from({ length: 60 }, async (_, n) => {
    try {
      if (n % 6 === 0) {
        await ledger.transfer(t.db, { key: key('t'), sku: 'HOT-BINS', from: bins[n % 4]!, to: bins[(n + 1) % 4]!, quantity: '2', actor: 'u' });
      } else if (n % 6 === 1) {
        await ledger.adjust(t.db, { key: key('a'), sku: 'HOT-BINS', location: bins[n % 4]!, quantity: '-1', document: manual(), actor: 'u' });
      } else {
        const document = requisition(`REQ-BINS-${n}`);
        const r = await ledger.reserve(t.db, { key: key('r'), sku: 'HOT-BINS', quantity: '2', document, actor: 'u' });
        for (const a of r.allocations) {
          await ledger.issue(t.db, { key: key('i'), sku: 'HOT-BINS', location: a.location, quantity: a.quantity, document, actor: 'u' });
        }
      }
    } catch (error) {
      if (!(error instanceof LedgerError && tolerated.has(error.code))) throw error;
    }
  });
  await Promise.all(work);
  const a = await ledger.availability(t.db, { sku: 'HOT-BINS' });
  expect(Number(a.onHand)).toBeGreaterThanOrEqual(0);
  expect(a.reserved).toBe('0');
  expect(await invariantViolations(t.db)).toEqual([]);
});
