import { describe, expect, test } from 'vitest';
import { PO_REJECT_MODAL, PURCHASING_ACTIONS, RECEIVE_MODAL } from '../../bot/ids.js';
import { SLACK_LIMITS } from '../../bot/blocks/limits.js';
import {
  encodePoValue,
  parsePoValue,
  parseReceiveMetadata,
  poApprovalClosedMessage,
  poApprovalRequestMessage,
  poEventMessage,
  poRejectModal,
  purchaseOrderCard,
  readReceiveSubmission,
  receiveModal,
  receivePickModal,
} from '../../bot/blocks/purchase-order.js';
import { encodeCreatePoValue, parseCreatePoValue, stockAlertMessage } from '../../bot/blocks/stock-alert.js';
import type { PurchaseOrderView } from '../../workflows/purchase-order-messages.js';
import type { RestockFigures } from '../../workflows/restock-messages.js';

const figures: RestockFigures = {
  sku: 'PEN',
  name: 'Pen <blue> & co',
  uom: 'ea',
  status: 'low',
  onHand: '35',
  reserved: '5',
  available: '30',
  reorderPoint: '40',
  safetyStock: '12',
  onOrder: '0',
  openPurchaseOrders: [],
  averageDaily: '5',
  daysOfCover: '6',
  leadTimeDays: '7',
  leadTimeSource: 'learned',
  suggestedQuantity: '120',
  vendorCode: 'ACME',
};

const buttonsOf = (blocks: unknown[]) =>
  (blocks as { type: string; elements?: { action_id?: string; value?: string }[] }[]).filter((b) => b.type === 'actions').flatMap((b) => b.elements ?? []);
const text = (blocks: unknown[]) => JSON.stringify(blocks);

describe('stock alert', () => {
  test('low stock: the figures, the open orders and a Create purchase order button carrying the SKU', () => {
    const message = stockAlertMessage({ ...figures, openPurchaseOrders: [{ number: 'PO-000007', status: 'draft', open: '60' }] }, 'open');
    expect(message.text).toBe('Low stock: PEN Pen <blue> & co, 30 ea available, reorder point 40');
    expect(message.blocks[0]).toMatchObject({ type: 'header', text: { type: 'plain_text', text: ':warning: Low stock: PEN Pen <blue> & co' } });
    const body = text(message.blocks);
    for (const part of ['*On hand*\\n35 ea', '*Reserved*\\n5 ea', '*Reorder point*\\n40 ea (safety stock 12)', '6 days at 5/day', 'learned from receipts', '120 ea from ACME', 'PO-000007 (draft, 60 ea open)']) {
      expect(body).toContain(part);
    }
    const [button] = buttonsOf(message.blocks);
    expect(button).toMatchObject({ action_id: PURCHASING_ACTIONS.createPurchaseOrder });
    expect(parseCreatePoValue(button!.value!)).toEqual({ sku: 'PEN' });
  });

  test('stockout and recovered; the recovered form has no button', () => {
    expect(stockAlertMessage({ ...figures, status: 'stockout', available: '0' }, 'open').text).toMatch(/^Stockout: PEN/);
    const recovered = stockAlertMessage({ ...figures, status: 'ok', available: '150' }, 'recovered');
    expect(recovered.text).toBe('Recovered: PEN Pen <blue> & co, 150 ea available');
    expect(buttonsOf(recovered.blocks)).toEqual([]);
  });

  test('button values round-trip and garbage is refused', () => {
    expect(parseCreatePoValue(encodeCreatePoValue({ sku: 'X-1' }))).toEqual({ sku: 'X-1' });
    expect(parseCreatePoValue('nope')).toBeUndefined();
    expect(parsePoValue(encodePoValue({ number: 'PO-000001', level: 2 }))).toEqual({ number: 'PO-000001', level: 2 });
    expect(parsePoValue('{"level":1}')).toBeUndefined();
  });
});

const view = (over: Partial<PurchaseOrderView> = {}): PurchaseOrderView => ({
  number: 'PO-000042',
  vendorCode: 'ACME',
  vendorName: 'Acme Office',
  buyer: 'U0BUY',
  status: 'draft',
  source: 'restock',
  totalValue: '247.5',
  createdAt: '2026-05-01T10:00:00Z',
  autoApproved: false,
  lines: [
    { lineNo: 1, sku: 'PEN', name: 'Pen', uom: 'ea', decimals: 0, ordered: '100', received: '40', cancelled: '0', unitPrice: '2', defaultLocation: 'Main/A/1' },
    { lineNo: 2, sku: 'GREASE', name: 'Grease', uom: 'kg', decimals: 3, ordered: '2.5', received: '0', cancelled: '0', unitPrice: '19' },
    { lineNo: 3, sku: 'DONE', name: 'Done', uom: 'ea', decimals: 0, ordered: '1', received: '1', cancelled: '0', unitPrice: '1' },
  ],
  approvals: [{ level: 1, name: 'Manager', requiredLimit: '247.5', state: 'waiting', asked: ['U0MGR'], reminders: 0, escalations: 0, exhausted: false }],
  receipts: 0,
  overdueReminders: 0,
  invoices: [],
  ...over,
});

describe('purchase order messages', () => {
  test("the card's buttons follow the status", () => {
    const ids = (status: PurchaseOrderView['status'], received = '0') =>
      buttonsOf(purchaseOrderCard(view({ status, lines: [{ ...view().lines[1]!, received }] })).blocks).map((b) => b.action_id);
    expect(ids('draft')).toEqual([PURCHASING_ACTIONS.submit, PURCHASING_ACTIONS.cancel]);
    expect(ids('awaiting_approval')).toEqual([PURCHASING_ACTIONS.cancel]);
    expect(ids('sent')).toEqual([PURCHASING_ACTIONS.receive, PURCHASING_ACTIONS.enterInvoice, PURCHASING_ACTIONS.cancel]);
    expect(ids('received', '2.5')).toEqual([PURCHASING_ACTIONS.enterInvoice]);
    const card = purchaseOrderCard(view({ status: 'partially_received' }), { currency: '$' });
    expect(card.text).toBe('PO-000042 (Acme Office): Partially received, $247.50');
    expect(buttonsOf(card.blocks).find((b) => b.action_id === PURCHASING_ACTIONS.cancel)).toMatchObject({ text: { text: 'Close short' } });
  });

  test('approval DM: Approve and Reject carry the level; closed form says who decided', () => {
    const ask = poApprovalRequestMessage(view({ status: 'awaiting_approval', submittedBy: 'U0BUY' }), { level: 1 });
    expect(buttonsOf(ask.blocks).map((b) => [b.action_id, parsePoValue(b.value!)])).toEqual([
      [PURCHASING_ACTIONS.approve, { number: 'PO-000042', level: 1 }],
      [PURCHASING_ACTIONS.reject, { number: 'PO-000042', level: 1 }],
    ]);
    const closed = poApprovalClosedMessage(
      view({ status: 'sent', approvals: [{ ...view().approvals[0]!, state: 'approved', decidedBy: 'U0MGR', decidedAt: '2026-05-02T09:30:00Z' }] }),
      { level: 1 },
    );
    expect(closed.text).toBe('PO-000042: Approved by <@U0MGR> · <!date^1777714200^{date_short_pretty} at {time}|2026-05-02 09:30 UTC>');
    expect(buttonsOf(closed.blocks)).toEqual([]);
  });

  test('event replies escape what people typed', () => {
    expect(poEventMessage(view(), { kind: 'rejected', by: 'U1', reason: 'too <much> & more' }).text).toBe('<@U1> rejected PO-000042: too &lt;much&gt; &amp; more');
    expect(poEventMessage(view({ status: 'sent' }), { kind: 'overdue', expectedAt: '2026-05-10', reminder: 1 }).text).toBe(
      ':hourglass: PO-000042 is overdue: goods were expected by 2026-05-10 and 2 lines are still open. Chase Acme Office, or close it short.',
    );
  });
});

describe('receiving modal', () => {
  test('open lines only, quantity prefilled with what is still expected, default bin prefilled', () => {
    const modal = receiveModal(view({ status: 'sent' }));
    expect(modal.callback_id).toBe(RECEIVE_MODAL.callbackId);
    expect(parseReceiveMetadata(modal.private_metadata!)).toEqual({ number: 'PO-000042', lineNos: [1, 2] });
    const ids = modal.blocks.map((b) => (b as { block_id?: string }).block_id).filter(Boolean);
    expect(ids).toEqual([
      RECEIVE_MODAL.quantityBlock(1),
      RECEIVE_MODAL.locationBlock(1),
      RECEIVE_MODAL.quantityBlock(2),
      RECEIVE_MODAL.locationBlock(2),
      RECEIVE_MODAL.lotBlock,
      RECEIVE_MODAL.noteBlock,
    ]);
    const qty1 = modal.blocks[1] as { element: { initial_value?: string }; hint: { text: string } };
    expect(qty1.element.initial_value).toBe('60');
    expect(qty1.hint.text).toBe('Open: 60 of 100 ordered');
    expect((modal.blocks[2] as { element: { initial_value?: string } }).element.initial_value).toBe('Main/A/1');
  });

  test('a PO with hundreds of open lines stays within the modal limits and says what is left', () => {
    const lines = Array.from({ length: 300 }, (_, i) => ({ ...view().lines[0]!, lineNo: i + 1, sku: `SKU-${i + 1}`, received: '0' }));
    const modal = receiveModal(view({ status: 'sent', lines }));
    expect(modal.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.viewBlocks);
    expect(modal.title.text.length).toBeLessThanOrEqual(SLACK_LIMITS.viewTitle);
    expect(JSON.stringify(modal.blocks)).toContain('260 more open lines: receive them in a second receipt.');
    expect(modal.private_metadata!.length).toBeLessThanOrEqual(SLACK_LIMITS.privateMetadata);
  });

  test('the submission becomes the receive Update lines; empty and zero lines are left out', () => {
    const values: Record<string, Record<string, { value?: string | null }>> = {
      [RECEIVE_MODAL.quantityBlock(1)]: { [RECEIVE_MODAL.quantityAction]: { value: ' 25 ' } },
      [RECEIVE_MODAL.locationBlock(1)]: { [RECEIVE_MODAL.locationAction]: { value: 'Main/A/1' } },
      [RECEIVE_MODAL.quantityBlock(2)]: { [RECEIVE_MODAL.quantityAction]: { value: '0' } },
      [RECEIVE_MODAL.locationBlock(2)]: { [RECEIVE_MODAL.locationAction]: { value: null } },
      [RECEIVE_MODAL.lotBlock]: { [RECEIVE_MODAL.lotAction]: { value: 'L-9' } },
      [RECEIVE_MODAL.noteBlock]: { [RECEIVE_MODAL.noteAction]: { value: '' } },
    };
    expect(readReceiveSubmission({ number: 'PO-000042', lineNos: [1, 2] }, values)).toEqual({
      lines: [{ lineNo: 1, quantity: '25', location: 'Main/A/1', lot: 'L-9' }],
    });
  });

  test('reject modal carries the PO and level', () => {
    const modal = poRejectModal({ number: 'PO-000042', level: 2 });
    expect(modal.callback_id).toBe(PO_REJECT_MODAL.callbackId);
    expect(parsePoValue(modal.private_metadata!)).toEqual({ number: 'PO-000042', level: 2 });
  });
});

describe('/receive without a number', () => {
  test('lists what waits for goods with Next; with nothing waiting it says so and offers no Next', () => {
    const picker = receivePickModal([{ number: 'PO-000042', vendor: 'Acme Office' }]);
    expect(picker.submit).toMatchObject({ text: 'Next' });
    expect(text(picker.blocks)).toContain('PO-000042 (Acme Office)');
    const none = receivePickModal([]);
    expect(none.submit).toBeUndefined();
    expect(none.blocks.map((b) => b.type)).toEqual(['section']);
    expect(text(none.blocks)).toContain('No purchase order is waiting for goods.');
  });
});
