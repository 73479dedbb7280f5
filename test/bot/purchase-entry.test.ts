import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { INVOICE_MODAL, NEW_PO_MODAL, PURCHASING_ACTIONS, SHORTCUTS } from '../../bot/ids.js';
import { assignRole } from '../../db/queries/people.js';
import { ensureVendor, getPurchaseOrder } from '../../db/queries/purchasing.js';
import { startPurchaseOrder } from '../../runtime/purchasing.js';
import { purchaseOrderWorkflowId } from '../../workflows/ids.js';
import { buttons, slowAcks, startBotHarness, WHO, type BotHarness } from '../helpers/bot.js';

// A buyer's purchase order by hand and a supplier invoice, as Slack drives them: the "New purchase
// order" shortcut (buyers only, field errors in place, the view id as creation key) and "Enter invoice"
// on the PO card (the workflow's three-way match flags a price that differs from the PO).

let h: BotHarness;
const LONG = { timeout: 60_000 };

beforeAll(async () => {
  h = await startBotHarness();
  await assignRole(h.db, { subject: { kind: 'user', id: WHO.erin }, role: 'buyer', grantedBy: 'test' });
  await ensureVendor(h.db, { code: 'ACME', name: 'Acme Office' });
});
afterAll(async () => {
  await h?.stop();
});

const waitFor = <T>(read: () => T | undefined | false, description: string) => h.slack.waitFor(read, { timeout: 30_000, description });
const modal = (user: string, callbackId: string) =>
  waitFor(() => {
    const v = h.slack.openView(user);
    return v?.callback_id === callbackId && v;
  }, `the ${callbackId} modal`);
const poCount = async () => ((await h.db.execute(sql`select count(*)::int as n from purchase_orders`)) as unknown as { n: number }[])[0]!.n;

describe('purchase orders by hand and invoices through Slack', () => {
  test('a buyer creates a PO from the shortcut and enters its invoice; others are refused', LONG, async () => {
    // Ada is no buyer: a DM says so and no modal opens.
    await h.slack.shortcut(WHO.ada, SHORTCUTS.newPurchaseOrder);
    await waitFor(() => h.slack.dm(WHO.ada).find((m) => m.text.includes('Only buyers can create purchase orders')), "Ada's refusal");
    expect(h.slack.openView(WHO.ada)).toBeUndefined();

    await h.slack.shortcut(WHO.erin, SHORTCUTS.newPurchaseOrder);
    const form = await modal(WHO.erin, NEW_PO_MODAL.callbackId);
    const line = (i: number, sku: string, quantity: string, price?: string) => ({
      [NEW_PO_MODAL.itemBlock(i)]: { [NEW_PO_MODAL.itemAction]: sku },
      [NEW_PO_MODAL.quantityBlock(i)]: { [NEW_PO_MODAL.quantityAction]: quantity },
      [NEW_PO_MODAL.priceBlock(i)]: { [NEW_PO_MODAL.priceAction]: price ?? null },
    });
    // A bad quantity: refused under its field, nothing written.
    const bad = await h.slack.submit(WHO.erin, form.id, { [NEW_PO_MODAL.vendorBlock]: { [NEW_PO_MODAL.vendorAction]: 'ACME' }, ...line(0, 'PEN', 'ten') });
    expect(bad.responseAction).toBe('errors');
    expect(bad.errors).toEqual({ [NEW_PO_MODAL.quantityBlock(0)]: '"ten" is not a number; use digits and a dot, e.g. 5 or 2.5.' });
    // A unit the item cannot take (database check, still in place), on the second line.
    const decimals = await h.slack.submit(WHO.erin, form.id, { ...line(0, 'PEN', '20', '1.5'), ...line(1, 'PAPER', '2.5') });
    expect(decimals.errors).toEqual({ [NEW_PO_MODAL.quantityBlock(1)]: 'Line 2: PAPER takes at most 0 decimals.' });
    expect(await poCount()).toBe(0);

    // 20 pens at 1.50 and 3 reams at the standard cost (10): 60.00, under the approval threshold.
    const done = await h.slack.submit(WHO.erin, form.id, { ...line(0, 'PEN', '20', '1.5'), ...line(1, 'PAPER', '3') });
    expect(done).toMatchObject({ ok: true, status: 200 });
    const drafted = await waitFor(() => h.slack.dm(WHO.erin).find((m) => /^:memo: Drafted PO-\d{6} for Acme Office: 20 PEN, 3 PAPER\./.test(m.text)), 'the draft reply');
    const number = /PO-\d{6}/.exec(drafted.text)![0];
    expect(await getPurchaseOrder(h.db, number)).toMatchObject({
      source: 'manual',
      buyer: WHO.erin,
      lines: [
        { lineNo: 1, sku: 'PEN', ordered: '20', unitPrice: '1.5' },
        { lineNo: 2, sku: 'PAPER', ordered: '3', unitPrice: '10' },
      ],
    });
    const described = await h.stockroom.temporal.client.workflow.getHandle(purchaseOrderWorkflowId(number)).describe();
    expect(described.type).toBe('purchaseOrderWorkflow');
    // A retried submission of the same modal is the same PO.
    const again = await startPurchaseOrder({ db: h.db, client: h.stockroom.temporal.client }, {
      key: `manual/${form.id}`, vendor: 'ACME', buyer: WHO.erin, createdBy: WHO.erin, lines: [{ sku: 'PEN', quantity: '20' }],
    });
    expect(again).toMatchObject({ number, created: false });
    expect(await poCount()).toBe(1);

    // Submitted from its card: auto-approved and sent, and the card offers Enter invoice.
    const card = await waitFor(() => h.slack.dm(WHO.erin).find((m) => m.text.startsWith(`${number} (Acme Office)`) && buttons(m).includes(PURCHASING_ACTIONS.submit)), 'the draft card');
    await h.slack.click(WHO.erin, { channel: WHO.erin, ts: card.ts }, PURCHASING_ACTIONS.submit);
    await waitFor(() => h.slack.dm(WHO.erin).find((m) => m.ts === card.ts && buttons(m).includes(PURCHASING_ACTIONS.enterInvoice)), 'the card with Enter invoice');

    await h.slack.click(WHO.erin, { channel: WHO.erin, ts: card.ts }, PURCHASING_ACTIONS.enterInvoice);
    const invoice = await modal(WHO.erin, INVOICE_MODAL.callbackId);
    const price = await h.slack.submit(WHO.erin, invoice.id, {
      [INVOICE_MODAL.numberBlock]: { [INVOICE_MODAL.numberAction]: 'INV-77' },
      [INVOICE_MODAL.quantityBlock(1)]: { [INVOICE_MODAL.quantityAction]: '20' },
      [INVOICE_MODAL.priceBlock(1)]: { [INVOICE_MODAL.priceAction]: '1,60' },
    });
    expect(price.errors).toEqual({ [INVOICE_MODAL.priceBlock(1)]: '"1,60" is not a price; use digits and a dot, e.g. 1.25.' });
    // Billed at 1.60 instead of 1.50, and nothing received yet: a mismatch, and the buyer is told.
    const recorded = await h.slack.submit(WHO.erin, invoice.id, {
      [INVOICE_MODAL.numberBlock]: { [INVOICE_MODAL.numberAction]: 'INV-77' },
      [INVOICE_MODAL.quantityBlock(1)]: { [INVOICE_MODAL.quantityAction]: '20' },
      [INVOICE_MODAL.priceBlock(1)]: { [INVOICE_MODAL.priceAction]: '1.60' },
      [INVOICE_MODAL.quantityBlock(2)]: { [INVOICE_MODAL.quantityAction]: null },
    });
    expect(recorded).toMatchObject({ ok: true, status: 200 });
    await waitFor(() => h.slack.dm(WHO.erin).find((m) => m.text === `:receipt: Invoice INV-77 does not match ${number}: the buyer is told.`), 'the invoice reply');
    const [row] = (await h.db.execute(sql`select match_status as status from supplier_invoices where invoice_number = 'INV-77'`)) as unknown as { status: string }[];
    expect(row?.status).toBe('mismatch');
    expect(slowAcks(h.slack.deliveries)).toEqual([]);
  });

  test('with more vendors than a list holds, the buyer types the vendor ahead', LONG, async () => {
    await h.db.execute(sql`insert into vendors (code, name) select 'BULK' || n, 'Bulk supplier ' || n from generate_series(1, 120) n`);
    await ensureVendor(h.db, { code: 'ZENITH', name: 'Zenith Paper Mills' });
    await h.slack.shortcut(WHO.erin, SHORTCUTS.newPurchaseOrder);
    const form = await waitFor(() => {
      const v = h.slack.openView(WHO.erin);
      return v?.callback_id === NEW_PO_MODAL.callbackId && v.id !== undefined && v;
    }, 'the new purchase order modal');
    const vendorBlock = form.blocks.find((b) => (b as { block_id?: string }).block_id === NEW_PO_MODAL.vendorBlock) as { element: { type: string } };
    expect(vendorBlock.element.type).toBe('external_select');
    const found = await h.slack.suggest(WHO.erin, { viewId: form.id }, NEW_PO_MODAL.vendorAction, 'paper');
    expect(found.map((o) => o.value)).toEqual(['ZENITH']);
    expect((await h.slack.suggest(WHO.erin, { viewId: form.id }, NEW_PO_MODAL.vendorAction, 'bulk1')).map((o) => o.value)).toContain('BULK100');
    const done = await h.slack.submit(WHO.erin, form.id, {
      [NEW_PO_MODAL.vendorBlock]: { [NEW_PO_MODAL.vendorAction]: { value: 'ZENITH', text: 'ZENITH · Zenith Paper Mills' } },
      [NEW_PO_MODAL.itemBlock(0)]: { [NEW_PO_MODAL.itemAction]: 'PAPER' },
      [NEW_PO_MODAL.quantityBlock(0)]: { [NEW_PO_MODAL.quantityAction]: '4' },
    });
    expect(done).toMatchObject({ ok: true, status: 200 });
    await waitFor(() => h.slack.dm(WHO.erin).find((m) => /^:memo: Drafted PO-\d{6} for Zenith Paper Mills: 4 PAPER\./.test(m.text)), 'the draft for Zenith');
  });
});
