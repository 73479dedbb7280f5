import { eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { itemDemand, learnedLeadTime } from '../../db/queries/demand.js';
import { createItem } from '../../db/queries/items.js';
import { issue, receive, reserve } from '../../db/queries/ledger.js';
import { ensureLocation } from '../../db/queries/locations.js';
import {
  createPurchaseOrder,
  ensureVendor,
  onOrder,
  postReceipt,
  PurchasingError,
  refreshLearnedLeadTime,
  savePurchaseOrderStatus,
  upsertReorderPolicy,
} from '../../db/queries/purchasing.js';
import { evaluateItem, runReorderCheck } from '../../db/queries/reorder-check.js';
import { purchaseOrders, reorderPolicies, stockMoves } from '../../db/schema/index.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

let database: TestDatabase;
const asOf = new Date('2026-03-10T12:00:00Z');
const day = (d: number, hour = 10) => new Date(Date.UTC(2026, 2, d, hour));
const doc = { type: 'manual' as const, id: 'seed' };

beforeAll(async () => {
  database = await createTestDatabase();
  const db = database.db;
  await ensureLocation(db, { path: 'Main/A/1' });
  await ensureLocation(db, { path: 'North/B/1' });
  await createItem(db, { sku: 'PEN-01', name: 'Blue pen', uom: 'ea', standardCost: '0.50' });
  await createItem(db, { sku: 'GREASE', name: 'Grease', uom: 'kg', standardCost: '4' });
  await ensureVendor(db, { code: 'ACME', name: 'Acme Supplies' });
  // 200 pens on 1 March, then the hand-worked week: 4, 6, 5, 0, 10 issued on 5–9 March (two moves on the 9th).
  await receive(db, { key: 'r1', sku: 'PEN-01', location: 'Main/A/1', quantity: '200', unitCost: '0.5', document: doc, actor: 'U1', occurredAt: day(1) });
  const issues: [number, string][] = [[5, '4'], [6, '6'], [7, '5'], [9, '7'], [9, '3']];
  for (const [i, [d, q]] of issues.entries()) {
    await issue(db, { key: `i${i}`, sku: 'PEN-01', location: 'Main/A/1', quantity: q, document: doc, actor: 'U1', unreserved: true, occurredAt: day(d, 8 + i) });
  }
  // Outside the window (4 March) and today (10 March, partial day): neither counts.
  await issue(db, { key: 'old', sku: 'PEN-01', location: 'Main/A/1', quantity: '50', document: doc, actor: 'U1', unreserved: true, occurredAt: day(4) });
  await issue(db, { key: 'today', sku: 'PEN-01', location: 'Main/A/1', quantity: '60', document: doc, actor: 'U1', unreserved: true, occurredAt: day(10, 9) });
  // On hand 200 − 25 − 50 − 60 = 65; 5 reserved → available 60.
  await reserve(db, { key: 'res', sku: 'PEN-01', quantity: '5', document: { type: 'requisition', id: 'REQ-000001' }, actor: 'U1' });
});

afterAll(async () => {
  await database?.drop();
});

describe('demand statistics in SQL', () => {
  test('zero-filled generate_series over the window: mean 5, σ √13 (hand-worked)', async () => {
    const [pen] = await database.db.execute(sql`select id from items where sku = 'PEN-01'`) as unknown as { id: string }[];
    const stats = await itemDemand(database.db, { itemId: pen!.id, windowDays: 5, asOf });
    expect(stats).toMatchObject({ days: 5, total: '25', averageDaily: '5', stdDevDaily: '3.605551' });
  });

  test('a warehouse-scoped window sees only moves under that warehouse', async () => {
    const [pen] = await database.db.execute(sql`select id from items where sku = 'PEN-01'`) as unknown as { id: string }[];
    expect(await itemDemand(database.db, { itemId: pen!.id, windowDays: 5, asOf, warehousePath: 'north' })).toMatchObject({
      days: 5,
      total: '0',
      averageDaily: '0',
      stdDevDaily: '0',
    });
  });
});

describe('reorder check', () => {
  test('computed ROP 63 (SS 18) vs available 60: low, suggest 48 (packs of 12), figures saved on the policy', async () => {
    const policy = await upsertReorderPolicy(database.db, {
      sku: 'pen-01',
      vendor: 'acme',
      reorderPointMode: 'computed',
      demandWindowDays: 5,
      leadTimeDays: '9',
      max: '100',
      orderMultiple: '12',
      unitPrice: '0.45',
    });
    const summary = await runReorderCheck(database.db, { asOf });
    expect(summary).toMatchObject({ checked: 1, low: 1, stockout: 0, ok: 0 });
    expect(summary.suggestions).toEqual([{ sku: 'PEN-01', vendorCode: 'ACME', quantity: '48', unitPrice: '0.45', warehouse: undefined }]);
    const [saved] = await database.db.select().from(reorderPolicies).where(eq(reorderPolicies.id, policy.id));
    expect(saved).toMatchObject({ averageDailyDemand: '5.0000', demandStdDev: '3.6056', computedSafetyStock: '18.0000', computedReorderPoint: '63.0000' });
    expect(saved!.computedAt).toBeInstanceOf(Date);
  });

  test('the bulk closed form equals the zero-filled aggregate', async () => {
    const [pen] = await database.db.execute(sql`select id from items where sku = 'PEN-01'`) as unknown as { id: string }[];
    for (const windowDays of [2, 5, 7, 30]) {
      await upsertReorderPolicy(database.db, { sku: 'PEN-01', demandWindowDays: windowDays });
      const reference = await itemDemand(database.db, { itemId: pen!.id, windowDays, asOf });
      const [evaluation] = await evaluateItem(database.db, { itemId: pen!.id, asOf, save: false });
      expect({ windowDays, ...evaluation!.demand }).toEqual({
        windowDays,
        total: reference.total,
        averageDaily: reference.averageDaily,
        stdDevDaily: reference.stdDevDaily,
      });
    }
    await upsertReorderPolicy(database.db, { sku: 'PEN-01', demandWindowDays: 5 });
  });

  test('a draft PO counts as on order: the same need is not proposed twice', async () => {
    const po = await createPurchaseOrder(database.db, {
      key: 'draft-1',
      vendor: 'ACME',
      buyer: 'UBUYER',
      createdBy: 'UBUYER',
      source: 'restock',
      lines: [{ sku: 'PEN-01', quantity: '48' }],
    });
    expect(po).toMatchObject({ status: 'draft', created: true, totalValue: '21.6' });
    expect(po.number).toMatch(/^PO-\d{6}$/);
    expect(po.lines[0]).toMatchObject({ sku: 'PEN-01', ordered: '48', unitPrice: '0.45' });
    const [pen] = await database.db.execute(sql`select id from items where sku = 'PEN-01'`) as unknown as { id: string }[];
    expect(await onOrder(database.db, pen!.id)).toBe('48');
    const summary = await runReorderCheck(database.db, { asOf });
    expect(summary.low).toBe(1);
    expect(summary.suggestions).toEqual([]);
    // The same creation key again returns the same PO.
    const again = await createPurchaseOrder(database.db, { key: 'draft-1', vendor: 'ACME', buyer: 'UBUYER', createdBy: 'UBUYER', lines: [{ sku: 'PEN-01', quantity: '1' }] });
    expect(again).toMatchObject({ number: po.number, created: false });
    await savePurchaseOrderStatus(database.db, { number: po.number, status: 'cancelled', cancelReason: 'test' });
  });

  test('a warehouse policy counts only the stock under its warehouse', async () => {
    await upsertReorderPolicy(database.db, { sku: 'PEN-01', warehouse: 'North', reorderPointMode: 'manual', min: '5', max: '20' });
    const [pen] = await database.db.execute(sql`select id from items where sku = 'PEN-01'`) as unknown as { id: string }[];
    const evaluations = await evaluateItem(database.db, { itemId: pen!.id, asOf, save: false });
    const north = evaluations.find((e) => e.warehouse === 'North')!;
    expect(north.stock).toEqual({ onHand: '0', reserved: '0', onOrder: '0' });
    expect(north.evaluation).toMatchObject({ status: 'stockout', reorderPoint: '5', suggestedQuantity: '20' });
    await upsertReorderPolicy(database.db, { sku: 'PEN-01', warehouse: 'North', active: false });
  });
});

describe('receiving and learned lead time', () => {
  test('receipts post ledger moves at the PO price; over-receipt beyond 5 % is refused; lead time learned from 3 receipts', async () => {
    const db = database.db;
    const po = await createPurchaseOrder(db, {
      key: 'po-recv',
      vendor: 'ACME',
      buyer: 'UBUYER',
      createdBy: 'UBUYER',
      lines: [
        { sku: 'PEN-01', quantity: '100', unitPrice: '0.40' },
        { sku: 'GREASE', quantity: '2.5', unitPrice: '3.10' },
      ],
    });
    await expect(postReceipt(db, { key: 'k0', number: po.number, actor: 'UWH', lines: [{ lineNo: 1, quantity: '1', location: 'Main/A/1' }] })).rejects.toThrow(
      /draft/,
    );
    await savePurchaseOrderStatus(db, { number: po.number, status: 'sent' });
    await db.update(purchaseOrders).set({ sentAt: day(1) }).where(eq(purchaseOrders.number, po.number));

    const first = await postReceipt(db, {
      key: 'k1',
      number: po.number,
      actor: 'UWH',
      lines: [
        { lineNo: 1, quantity: '40', location: 'main/a/1', lot: 'L-7' },
        { lineNo: 2, quantity: '', location: '' },
      ],
    });
    expect(first.status).toBe('partially_received');
    expect(first.posted).toMatchObject([{ lineNo: 1, sku: 'PEN-01', quantity: '40', location: 'Main/A/1', unitCost: '0.4', lot: 'L-7' }]);
    const [move] = await db.select().from(stockMoves).where(eq(stockMoves.id, Number(first.posted[0]!.moveId)));
    expect(move).toMatchObject({ type: 'receipt', quantity: '40.0000', unitCost: '0.4000', documentType: 'purchase_order', documentId: po.number });

    // Retried with the same key: the first answer, nothing posted again.
    const retry = await postReceipt(db, { key: 'k1', number: po.number, actor: 'UWH', lines: [{ lineNo: 1, quantity: '40', location: 'Main/A/1' }] });
    expect(retry.posted).toEqual(first.posted);

    // 60 open, 5 % of 100 tolerance → at most 65 more.
    const refused = await postReceipt(db, { key: 'k2', number: po.number, actor: 'UWH', lines: [{ lineNo: 1, quantity: '66', location: 'Main/A/1' }] }).catch((e) => e);
    expect(refused).toBeInstanceOf(PurchasingError);
    expect(refused.code).toBe('receipt_refused');
    expect(refused.message).toMatch(/Over-receipt refused: PEN-01 has 60 still open .* at most 65 can be received with the 5 % tolerance/);

    await db.execute(sql`update receipts set received_at = ${day(5).toISOString()} where idempotency_key = 'k1:1'`);
    const second = await postReceipt(db, {
      key: 'k3',
      number: po.number,
      actor: 'UWH',
      lines: [
        { lineNo: 1, quantity: '65', location: 'Main/A/1' },
        { lineNo: 2, quantity: '2.5', location: 'Main/A/1' },
      ],
    });
    expect(second.status).toBe('received');
    expect(second.lines).toEqual([
      { lineNo: 1, sku: 'PEN-01', ordered: '100', received: '105', cancelled: '0' },
      { lineNo: 2, sku: 'GREASE', ordered: '2.5', received: '2.5', cancelled: '0' },
    ]);
    await db.execute(sql`update receipts set received_at = ${day(7).toISOString()} where idempotency_key = 'k3:1'`);

    const [pen] = await db.execute(sql`select id from items where sku = 'PEN-01'`) as unknown as { id: string }[];
    const vendor = await ensureVendor(db, { code: 'ACME', name: 'Acme Supplies' });
    expect(await learnedLeadTime(db, { itemId: pen!.id, vendorId: vendor.id })).toEqual({ days: '5', samples: 2 });

    // A third receipt on another PO sent on the 1st, received on the 10th: (4 + 6 + 9) / 3 = 6.33 days.
    const po2 = await createPurchaseOrder(db, { key: 'po-2', vendor: 'ACME', buyer: 'UBUYER', createdBy: 'UBUYER', lines: [{ sku: 'PEN-01', quantity: '10' }] });
    await savePurchaseOrderStatus(db, { number: po2.number, status: 'sent' });
    await db.update(purchaseOrders).set({ sentAt: day(1) }).where(eq(purchaseOrders.number, po2.number));
    await postReceipt(db, { key: 'k4', number: po2.number, actor: 'UWH', lines: [{ lineNo: 1, quantity: '10', location: 'Main/A/1' }] });
    await db.execute(sql`update receipts set received_at = ${day(10).toISOString()} where idempotency_key = 'k4:1'`);
    expect(await refreshLearnedLeadTime(db, { itemId: pen!.id, vendorId: vendor.id })).toEqual({ days: '6.33', samples: 3 });
    const [evaluation] = await evaluateItem(db, { itemId: pen!.id, asOf, save: false });
    expect(evaluation!.evaluation).toMatchObject({ leadTimeDays: '6.33', leadTimeSource: 'learned' });
  });
});
