import { sql } from 'drizzle-orm';
import fc from 'fast-check';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createItem } from '../../db/queries/items.js';
import * as ledger from '../../db/queries/ledger.js';
import { LedgerError, type LedgerErrorCode } from '../../db/queries/ledger.js';
import { Decimal, toPlain } from '../../inventory/decimal.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { invariantViolations, manual, requisition, seedCatalogue } from './fixtures.js';
import { refusal } from '../helpers/refusal.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedCatalogue(t.db);
});
afterAll(() => t?.drop());

const BINS = ['Main/Aisle 1/Bin 1', 'Main/Aisle 1/Bin 2', 'Annex/Shelf A'];
const METHODS = ['fifo', 'lifo', 'wavg'] as const;

type Op =
  | { kind: 'receive'; item: number; loc: number; qty: number; cost: number }
  | { kind: 'issue'; item: number; loc: number; qty: number; doc: number | null }
  | { kind: 'reserve'; item: number; loc: number | null; qty: number; doc: number }
  | { kind: 'release'; item: number | null; doc: number }
  | { kind: 'transfer'; item: number; from: number; to: number; qty: number }
  | { kind: 'adjust'; item: number; loc: number; qty: number; cost: number | null }
  | { kind: 'repeat'; index: number };

const item = fc.integer({ min: 0, max: 2 });
const loc = fc.integer({ min: 0, max: BINS.length - 1 });
const qty = fc.integer({ min: 1, max: 12 });
const doc = fc.integer({ min: 0, max: 3 });
const cost = fc.integer({ min: 0, max: 99_9999 });
const op: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ kind: fc.constant('receive' as const), item, loc, qty, cost }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('issue' as const), item, loc, qty, doc: fc.option(doc, { nil: null }) }), weight: 4 },
  { arbitrary: fc.record({ kind: fc.constant('reserve' as const), item, loc: fc.option(loc, { nil: null }), qty, doc }), weight: 3 },
  { arbitrary: fc.record({ kind: fc.constant('release' as const), item: fc.option(item, { nil: null }), doc }), weight: 1 },
  { arbitrary: fc.record({ kind: fc.constant('transfer' as const), item, from: loc, to: loc, qty }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('adjust' as const), item, loc, qty: fc.integer({ min: -6, max: 6 }).filter((n) => n !== 0), cost: fc.option(cost, { nil: null }) }), weight: 2 },
  { arbitrary: fc.record({ kind: fc.constant('repeat' as const), index: fc.nat() }), weight: 1 },
);

/** The expected stock, kept in plain numbers of thousandths so the model itself is exact. */
class Model {
  onHand = new Map<string, number>();
  reserved = new Map<string, number>();
  open = new Map<string, number>(); // doc|item|loc
  get = (m: Map<string, number>, k: string) => m.get(k) ?? 0;
  add = (m: Map<string, number>, k: string, d: number) => m.set(k, this.get(m, k) + d);
  available = (i: number, l: number) => this.get(this.onHand, `${i}|${l}`) - this.get(this.reserved, `${i}|${l}`);
}

let run = 0;

test('random operation sequences keep the ledger invariants and match a simple model', async () => {
  await fc.assert(
    fc.asyncProperty(fc.array(op, { minLength: 15, maxLength: 60, size: 'max' }), async (ops) => {
      run++;
      // Fresh items per run; the kg item takes quantities with 3 decimals.
      const skus = METHODS.map((m) => `P${run}-${m}`);
      for (const [n, method] of METHODS.entries()) {
        await createItem(t.db, { sku: skus[n]!, name: `Property ${method}`, valuationMethod: method, uom: n === 2 ? 'kg' : 'ea' });
      }
      const scale = (i: number, q: number) => (i === 2 ? q / 4 : q); // kg item: quarter kilos (exact)
      const qtyText = (i: number, q: number) => toPlain(new Decimal(q).dividedBy(i === 2 ? 4 : 1));
      const costText = (c: number) => toPlain(new Decimal(c).dividedBy(10_000));
      const docRef = (d: number) => requisition(`PR${run}-${d}`);
      const model = new Model();
      const done: { call: () => Promise<unknown>; result: unknown }[] = [];
      let seq = 0;

      const expectRefusal = async (call: () => Promise<unknown>, code: LedgerErrorCode) => {
        const error = await call().then(
          () => undefined,
          (e: unknown) => e,
        );
        expect(error).toBeInstanceOf(LedgerError);
        expect((error as LedgerError).code).toBe(code);
      };
      const succeed = async (call: () => Promise<unknown>) => {
        const result = await call();
        done.push({ call, result });
        return result;
      };

      for (const o of ops) {
        const k = `prop-${run}-${seq++}`;
        switch (o.kind) {
          case 'receive': {
            const call = () =>
              ledger.receive(t.db, { key: k, sku: skus[o.item]!, location: BINS[o.loc]!, quantity: qtyText(o.item, o.qty), unitCost: costText(o.cost), document: manual(), actor: 'p' });
            await succeed(call);
            model.add(model.onHand, `${o.item}|${o.loc}`, scale(o.item, o.qty));
            break;
          }
          case 'issue': {
            const q = scale(o.item, o.qty);
            const call = () =>
              ledger.issue(t.db, {
                key: k,
                sku: skus[o.item]!,
                location: BINS[o.loc]!,
                quantity: qtyText(o.item, o.qty),
                document: o.doc === null ? manual() : docRef(o.doc),
                actor: 'p',
                unreserved: o.doc === null,
              });
            const cell = `${o.item}|${o.loc}`;
            if (o.doc === null) {
              if (model.available(o.item, o.loc) < q) await expectRefusal(call, 'insufficient_stock');
              else {
                await succeed(call);
                model.add(model.onHand, cell, -q);
              }
            } else {
              const openKey = `${o.doc}|${cell}`;
              if (model.get(model.open, openKey) < q) await expectRefusal(call, 'insufficient_reservation');
              else {
                await succeed(call);
                model.add(model.onHand, cell, -q);
                model.add(model.reserved, cell, -q);
                model.add(model.open, openKey, -q);
              }
            }
            break;
          }
          case 'reserve': {
            const q = scale(o.item, o.qty);
            const candidates = o.loc === null ? BINS.map((_, l) => l) : [o.loc];
            const total = candidates.reduce((s, l) => s + Math.max(0, model.available(o.item, l)), 0);
            const r = (await succeed(() =>
              ledger.reserve(t.db, {
                key: k,
                sku: skus[o.item]!,
                quantity: qtyText(o.item, o.qty),
                document: docRef(o.doc),
                actor: 'p',
                ...(o.loc === null ? {} : { location: BINS[o.loc]! }),
              }),
            )) as ledger.ReserveResult;
            expect(Number(r.reserved)).toBe(Math.min(q, total));
            expect(Number(r.short)).toBe(q - Math.min(q, total));
            for (const a of r.allocations) {
              const l = BINS.indexOf(a.location);
              expect(Number(a.quantity)).toBeLessThanOrEqual(model.available(o.item, l));
              model.add(model.reserved, `${o.item}|${l}`, Number(a.quantity));
              model.add(model.open, `${o.doc}|${o.item}|${l}`, Number(a.quantity));
            }
            break;
          }
          case 'release': {
            const r = (await succeed(() =>
              ledger.release(t.db, { key: k, document: docRef(o.doc), actor: 'p', ...(o.item === null ? {} : { sku: skus[o.item]! }) }),
            )) as ledger.ReleaseResult;
            let expected = 0;
            for (const [openKey, open] of model.open) {
              const [d, i, l] = openKey.split('|').map(Number) as [number, number, number];
              if (d !== o.doc || (o.item !== null && i !== o.item) || open === 0) continue;
              expected += open;
              model.add(model.reserved, `${i}|${l}`, -open);
              model.open.set(openKey, 0);
            }
            expect(r.released.reduce((s, x) => s + Number(x.quantity), 0)).toBeCloseTo(expected, 9);
            break;
          }
          case 'transfer': {
            const q = scale(o.item, o.qty);
            const call = () =>
              ledger.transfer(t.db, { key: k, sku: skus[o.item]!, from: BINS[o.from]!, to: BINS[o.to]!, quantity: qtyText(o.item, o.qty), actor: 'p' });
            if (o.from === o.to) await expectRefusal(call, 'same_location');
            else if (model.available(o.item, o.from) < q) await expectRefusal(call, 'insufficient_stock');
            else {
              await succeed(call);
              model.add(model.onHand, `${o.item}|${o.from}`, -q);
              model.add(model.onHand, `${o.item}|${o.to}`, q);
            }
            break;
          }
          case 'adjust': {
            const q = scale(o.item, o.qty);
            const call = () =>
              ledger.adjust(t.db, {
                key: k,
                sku: skus[o.item]!,
                location: BINS[o.loc]!,
                quantity: (o.qty < 0 ? '-' : '') + qtyText(o.item, Math.abs(o.qty)),
                document: manual(),
                actor: 'p',
                ...(o.cost === null ? {} : { unitCost: costText(o.cost) }),
              });
            if (q < 0 && model.available(o.item, o.loc) < -q) await expectRefusal(call, 'insufficient_stock');
            else {
              await succeed(call);
              model.add(model.onHand, `${o.item}|${o.loc}`, q);
            }
            break;
          }
          case 'repeat': {
            if (done.length === 0) break;
            const earlier = done[o.index % done.length]!;
            expect(await earlier.call()).toEqual(earlier.result);
            break;
          }
        }
      }

      const levels = (await t.db.execute(sql`
        select i.sku, l.path, s.on_hand::float8 as on_hand, s.reserved::float8 as reserved
          from stock_levels s join items i on i.id = s.item_id join locations l on l.id = s.location_id
         where i.sku like ${`P${run}-%`}`)) as unknown as { sku: string; path: string; on_hand: number; reserved: number }[];
      for (const [i] of skus.entries()) {
        for (const [l, path] of BINS.entries()) {
          const row = levels.find((r) => r.sku === skus[i] && r.path === path);
          expect(row?.on_hand ?? 0).toBe(model.get(model.onHand, `${i}|${l}`));
          expect(row?.reserved ?? 0).toBe(model.get(model.reserved, `${i}|${l}`));
        }
      }
      expect(await invariantViolations(t.db)).toEqual([]);
    }),
    { numRuns: 30 },
  );
});

test('a sliver worth less than the smallest money unit is valued 0.0000, and the invariants accept it', async () => {
  const r = await ledger.receive(t.db, { key: 'sliver-1', sku: 'GREASE-1', location: BINS[0]!, quantity: '0.25', unitCost: '0.0001', document: manual(), actor: 'p' });
  expect(r.value).toBe('0');
  expect(await invariantViolations(t.db)).toEqual([]);
});

test('the invariant check notices a corrupted ledger (so the property above can fail), and the database refuses to commit it', async () => {
  await ledger.receive(t.db, { key: 'corrupt-1', sku: 'PEN-BLUE', location: BINS[0]!, quantity: '5', unitCost: '1', document: manual(), actor: 'p' });
  expect(await invariantViolations(t.db)).toEqual([]);
  // The books-balance check is deferred to commit, so inside the transaction the corruption is visible.
  let seen: string[] = [];
  const committed = t.db.transaction(async (tx) => {
    await tx.execute(sql`update cost_layers set remaining_value = remaining_value + 1 where move_id = (
      select id from stock_moves where idempotency_key = 'corrupt-1')`);
    await tx.execute(sql`update stock_levels set on_hand = on_hand + 1 where item_id = (select id from items where sku = 'PEN-BLUE')`);
    seen = await invariantViolations(tx);
  });
  expect(await refusal(() => committed)).toMatchObject({ constraint: 'ledger_books_balance' });
  expect(seen.some((v) => v.startsWith('bin stock differs from its moves'))).toBe(true);
  expect(seen.some((v) => v.startsWith('FIFO/LIFO book value differs from its layers'))).toBe(true);
  expect(await invariantViolations(t.db)).toEqual([]);
});
