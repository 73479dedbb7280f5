import { describe, expect, test } from 'vitest';
import { adminHelp, rolesMessage, type RoleGrant } from '../../bot/blocks/admin.js';
import { homeView, MAX_HOME_AWAITING, MAX_HOME_MINE, MAX_HOME_PURCHASING, type HomeAwaiting, type HomeRequisition } from '../../bot/blocks/home.js';
import type { BuyerPurchaseOrder } from '../../db/queries/buyer-home.js';
import { SLACK_LIMITS } from '../../bot/blocks/limits.js';
import { loadingModal, noticeModal } from '../../bot/blocks/notice.js';
import { decodePickMetadata, MAX_PICK_INPUTS, pickModal, readPickSubmission } from '../../bot/blocks/pick-modal.js';
import { decodeRejectMetadata, rejectModal } from '../../bot/blocks/reject-modal.js';
import {
  blockErrors,
  decodeMetadata,
  initialMetadata,
  MAX_MODAL_LINES,
  MAX_STATIC_COST_CENTERS,
  quantityProblem,
  readRequestSubmission,
  requestModal,
  withAddedLine,
  withoutLastLine,
  type ViewStateValues,
} from '../../bot/blocks/request-modal.js';
import { matchesMessage, stockMessage } from '../../bot/blocks/stock.js';
import { PICK_MODAL, REQUEST_MODAL } from '../../bot/ids.js';
import { earliestToday } from '../../bot/listeners/views/request-submission.js';
import { prefillFrom } from '../../bot/listeners/open-request-modal.js';
import { parseAdminCommand } from '../../bot/listeners/commands/admin-parse.js';
import { blockProblems, viewProblems } from '../../sandbox/block-kit.js';
import type { RequisitionLineView, RequisitionView } from '../../workflows/requisition-messages.js';

const centers = [
  { code: 'OPS', name: 'Operations' },
  { code: 'LAB', name: 'Laboratory' },
];
const ids = (view: { blocks: unknown[] }) => view.blocks.map((b) => (b as { block_id?: string }).block_id).filter(Boolean);
const element = (view: { blocks: unknown[] }, blockId: string) =>
  (view.blocks.find((b) => (b as { block_id?: string }).block_id === blockId) as { element: Record<string, unknown> }).element;

describe('request modal', () => {
  test('one line to start; valid Block Kit; the first line pre-filled from /request text', () => {
    const view = requestModal({ costCenters: centers, prefill: { sku: 'PEN', name: 'Pen', uom: 'ea', available: '12' }, note: 'Found it.' });
    expect(viewProblems(view)).toEqual([]);
    expect(view.callback_id).toBe(REQUEST_MODAL.callbackId);
    expect(ids(view)).toEqual([
      REQUEST_MODAL.itemBlock(0),
      REQUEST_MODAL.quantityBlock(0),
      REQUEST_MODAL.neededByBlock(0),
      REQUEST_MODAL.linesBlock,
      REQUEST_MODAL.reasonBlock,
      REQUEST_MODAL.costCenterBlock,
    ]);
    expect(element(view, REQUEST_MODAL.itemBlock(0)).initial_option).toMatchObject({ value: 'PEN', description: { text: '12 ea available' } });
    expect(element(view, REQUEST_MODAL.costCenterBlock)).toMatchObject({ type: 'static_select', options: [{ value: 'OPS' }, { value: 'LAB' }] });
    expect(element(view, REQUEST_MODAL.costCenterBlock).initial_option).toBeUndefined();
  });

  test('lines are added up to the maximum and the modal stays inside Slack limits', () => {
    let metadata = initialMetadata();
    for (let i = 0; i < MAX_MODAL_LINES + 3; i++) metadata = withAddedLine(metadata);
    expect(metadata.keys).toHaveLength(MAX_MODAL_LINES);
    const full = requestModal({ metadata, costCenters: centers });
    expect(viewProblems(full)).toEqual([]);
    expect(full.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.viewBlocks);
    expect(JSON.stringify(full.blocks)).not.toContain(REQUEST_MODAL.addLineAction);
    expect(JSON.stringify(full.blocks)).toContain(REQUEST_MODAL.removeLineAction);
    expect(withoutLastLine(withoutLastLine(initialMetadata()))).toEqual(initialMetadata());
    // Removing a middle-aged key and adding again never reuses a key (its old state must not come back).
    const shrunk = withAddedLine(withoutLastLine(withAddedLine(initialMetadata())));
    expect(shrunk.keys).toEqual([0, 2]);
    expect(decodeMetadata(full.private_metadata)).toEqual(metadata);
    expect(decodeMetadata('not json')).toEqual(initialMetadata());
    expect(decodeMetadata(JSON.stringify({ keys: [3, 1], next: 0 }))).toEqual({ keys: [3, 1], next: 4 });
  });

  test('many cost centers become a type-ahead; a single one is preselected', () => {
    const many = Array.from({ length: MAX_STATIC_COST_CENTERS + 1 }, (_, i) => ({ code: `CC${i}`, name: `Center ${i}` }));
    expect(element(requestModal({ costCenters: many }), REQUEST_MODAL.costCenterBlock).type).toBe('external_select');
    expect(element(requestModal({}), REQUEST_MODAL.costCenterBlock).type).toBe('external_select');
    expect(JSON.stringify(requestModal({ costCenters: [] }).blocks[0])).toContain('No cost centers are set up yet');
    expect(JSON.stringify(requestModal({}).blocks[0])).not.toContain('No cost centers');
    expect(element(requestModal({ costCenters: [centers[0]!] }), REQUEST_MODAL.costCenterBlock).initial_option).toMatchObject({ value: 'OPS' });
  });

  test('what was typed comes back as initial values when the modal is rebuilt', () => {
    const values: ViewStateValues = {
      [REQUEST_MODAL.itemBlock(0)]: { [REQUEST_MODAL.itemAction]: { selected_option: { value: 'PAPER', text: { text: 'PAPER · Paper' } } } },
      [REQUEST_MODAL.quantityBlock(0)]: { [REQUEST_MODAL.quantityAction]: { value: '7' } },
      [REQUEST_MODAL.neededByBlock(0)]: { [REQUEST_MODAL.neededByAction]: { selected_date: '2030-01-02' } },
      [REQUEST_MODAL.reasonBlock]: { [REQUEST_MODAL.reasonAction]: { value: 'Printing' } },
      [REQUEST_MODAL.costCenterBlock]: { [REQUEST_MODAL.costCenterAction]: { selected_option: { value: 'LAB' } } },
    };
    const view = requestModal({ metadata: withAddedLine(initialMetadata()), costCenters: centers, values });
    expect(viewProblems(view)).toEqual([]);
    expect(element(view, REQUEST_MODAL.itemBlock(0)).initial_option).toEqual({ text: { type: 'plain_text', text: 'PAPER · Paper' }, value: 'PAPER' });
    expect(element(view, REQUEST_MODAL.quantityBlock(0)).initial_value).toBe('7');
    expect(element(view, REQUEST_MODAL.neededByBlock(0)).initial_date).toBe('2030-01-02');
    expect(element(view, REQUEST_MODAL.reasonBlock).initial_value).toBe('Printing');
    expect(element(view, REQUEST_MODAL.costCenterBlock).initial_option).toMatchObject({ value: 'LAB', text: { text: 'LAB · Laboratory' } });
    expect(element(view, REQUEST_MODAL.itemBlock(1)).initial_option).toBeUndefined();
  });

  test('submission checks that need no database, keyed by block', () => {
    const metadata = withAddedLine(initialMetadata());
    const values: ViewStateValues = {
      [REQUEST_MODAL.itemBlock(0)]: { [REQUEST_MODAL.itemAction]: { selected_option: { value: 'PEN' } } },
      [REQUEST_MODAL.quantityBlock(0)]: { [REQUEST_MODAL.quantityAction]: { value: '-3' } },
      [REQUEST_MODAL.neededByBlock(0)]: { [REQUEST_MODAL.neededByAction]: { selected_date: '2024-12-31' } },
      [REQUEST_MODAL.itemBlock(1)]: { [REQUEST_MODAL.itemAction]: { selected_option: null } },
      [REQUEST_MODAL.quantityBlock(1)]: { [REQUEST_MODAL.quantityAction]: { value: ' 2.5 ' } },
      [REQUEST_MODAL.reasonBlock]: { [REQUEST_MODAL.reasonAction]: { value: '   ' } },
    };
    const { errors, draft } = readRequestSubmission(values, metadata, { today: '2025-01-01' });
    expect(errors).toEqual({
      [REQUEST_MODAL.quantityBlock(0)]: 'Enter a quantity above zero.',
      [REQUEST_MODAL.neededByBlock(0)]: 'Needed-by must be today or later.',
      [REQUEST_MODAL.itemBlock(1)]: 'Pick an item from the list.',
      [REQUEST_MODAL.reasonBlock]: 'Say what the supplies are for.',
      [REQUEST_MODAL.costCenterBlock]: 'Pick the cost center that pays.',
    });
    expect(draft.lines[1]).toEqual({ sku: '', quantity: '2.5' });
    expect(quantityProblem('abc')).toMatch(/"abc" is not a number/);
    expect(quantityProblem('1e3')).toMatch(/not a number/);
    expect(quantityProblem('0')).toBe('Enter a quantity above zero.');
    expect(quantityProblem('1.23456')).toBe('At most 4 decimals.');
    expect(quantityProblem('12.5')).toBeUndefined();
  });

  test("the database's field errors land under their lines' blocks", () => {
    const metadata = { keys: [0, 4], next: 5 };
    expect(
      blockErrors(
        [
          { field: 'sku', line: 1, message: 'No active item "X".' },
          { field: 'quantity', line: 0, message: 'PEN is counted in whole ea.' },
          { field: 'costCenter', message: 'Unknown cost center "Z".' },
          { field: 'lines', message: 'Add at least one item.' },
        ],
        metadata,
      ),
    ).toEqual({
      [REQUEST_MODAL.itemBlock(4)]: 'No active item "X".',
      [REQUEST_MODAL.quantityBlock(0)]: 'PEN is counted in whole ea.',
      [REQUEST_MODAL.costCenterBlock]: 'Unknown cost center "Z".',
      [REQUEST_MODAL.itemBlock(0)]: 'Add at least one item.',
    });
  });

  test('/request text: an exact SKU or barcode or a single match pre-fills; otherwise a note', () => {
    const match = (sku: string, barcode: string | null = null) => ({ sku, name: sku, uom: 'ea', barcode, standardCost: null, available: '1', active: true });
    expect(prefillFrom('pen', [match('PENCIL'), match('PEN')]).prefill?.sku).toBe('PEN');
    expect(prefillFrom('123', [match('A'), match('B', '123')]).prefill?.sku).toBe('B');
    expect(prefillFrom('pap', [match('PAPER')]).prefill?.sku).toBe('PAPER');
    expect(prefillFrom('p', [match('PAPER'), match('PEN')])).toEqual({ note: '"p" matches 2 items; type in the item field to pick one.' });
    expect(prefillFrom('<x>', [])).toEqual({ note: 'Nothing matched "&lt;x&gt;"; search for the item below.' });
    expect(prefillFrom('', undefined)).toEqual({});
  });

  test("today for needed-by is the earliest time zone's date", () => {
    expect(earliestToday(Date.parse('2025-03-10T11:59:00Z'))).toBe('2025-03-09');
    expect(earliestToday(Date.parse('2025-03-10T12:00:00Z'))).toBe('2025-03-10');
  });
});

const line = (lineNo: number, reserved: string): RequisitionLineView => ({
  lineNo,
  sku: `SKU-${lineNo}`,
  name: `Item ${lineNo} with a fairly long descriptive name`,
  uom: 'ea',
  requested: reserved,
  reserved,
  picked: '0',
  issued: '0',
  backordered: '0',
  cancelled: '0',
  unitCost: '1',
  issuedValue: '0',
  allocations: [{ location: 'Main/A/1', quantity: reserved }],
});

const requisitionView = (lines: RequisitionLineView[]): RequisitionView => ({
  number: 'REQ-000042',
  requester: 'U0REQ',
  costCenter: 'OPS',
  reason: 'Test',
  status: 'picking',
  totalValue: '10',
  issuedValue: '0',
  submittedAt: '2025-01-01T00:00:00Z',
  autoApproved: true,
  lines,
  approvals: [],
  awaiting: { kind: 'pick', round: 1, warehouse: ['U0WH'] },
  pickRound: 1,
});

describe('pick modal', () => {
  test('reserved quantities to start with; only lines being picked; valid Block Kit', () => {
    const view = pickModal(requisitionView([line(1, '12'), { ...line(2, '0'), reserved: '0' }, line(3, '2.5')]), { round: 1, responseUrl: 'https://r' });
    expect(viewProblems(view)).toEqual([]);
    expect(ids(view)).toEqual([PICK_MODAL.lineBlock(1), PICK_MODAL.remainderBlock(1), PICK_MODAL.lineBlock(3), PICK_MODAL.remainderBlock(3)]);
    expect(element(view, PICK_MODAL.remainderBlock(3)).initial_option).toMatchObject({ value: 'backorder' });
    expect(element(view, PICK_MODAL.lineBlock(3)).initial_value).toBe('2.5');
    expect(decodePickMetadata(view.private_metadata)).toEqual({ number: 'REQ-000042', round: 1, lines: [[1, '12'], [3, '2.5']], shown: 2, responseUrl: 'https://r' });
  });

  test('a requisition longer than a modal: the rest is picked in full and said so', () => {
    const lines = Array.from({ length: 120 }, (_, i) => line(i + 1, '3'));
    const view = pickModal(requisitionView(lines), { round: 2 });
    expect(viewProblems(view)).toEqual([]);
    expect(view.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.viewBlocks);
    expect(view.private_metadata!.length).toBeLessThanOrEqual(SLACK_LIMITS.privateMetadata);
    expect(JSON.stringify(view.blocks)).toContain(`${120 - MAX_PICK_INPUTS} more lines are confirmed as picked in full`);
    const metadata = decodePickMetadata(view.private_metadata)!;
    const read = readPickSubmission({}, { ...metadata, shown: 0 });
    expect(read.lines).toHaveLength(120);
    expect(read.lines.every((l) => l.picked === '3' && l.remainder === undefined)).toBe(true);
  });

  test('picked quantities: each short line carries its own remainder choice; bad ones are field errors', () => {
    const metadata = { number: 'REQ-1', round: 1, lines: [[1, '12'], [2, '5'], [3, '1']] as [number, string][], shown: 3 };
    const values: Parameters<typeof readPickSubmission>[0] = {
      [PICK_MODAL.lineBlock(1)]: { [PICK_MODAL.quantityAction]: { value: '12' } },
      [PICK_MODAL.remainderBlock(1)]: { [PICK_MODAL.remainderAction]: { selected_option: { value: 'cancel' } } },
      [PICK_MODAL.lineBlock(2)]: { [PICK_MODAL.quantityAction]: { value: '3.0' } },
      [PICK_MODAL.remainderBlock(2)]: { [PICK_MODAL.remainderAction]: { selected_option: { value: 'cancel' } } },
      [PICK_MODAL.lineBlock(3)]: { [PICK_MODAL.quantityAction]: { value: '0' } },
      [PICK_MODAL.remainderBlock(3)]: { [PICK_MODAL.remainderAction]: { selected_option: { value: 'backorder' } } },
    };
    expect(readPickSubmission(values, metadata)).toEqual({
      lines: [
        { lineNo: 1, picked: '12' },
        { lineNo: 2, picked: '3', remainder: 'cancel' },
        { lineNo: 3, picked: '0', remainder: 'backorder' },
      ],
      errors: {},
    });
    const bad = readPickSubmission(
      {
        [PICK_MODAL.lineBlock(1)]: { [PICK_MODAL.quantityAction]: { value: '13' } },
        [PICK_MODAL.lineBlock(2)]: { [PICK_MODAL.quantityAction]: { value: '-1' } },
        [PICK_MODAL.lineBlock(3)]: { [PICK_MODAL.quantityAction]: { value: 'lots' } },
      },
      metadata,
    );
    expect(bad.errors).toEqual({
      [PICK_MODAL.lineBlock(1)]: 'At most the 12 reserved; receive any extra separately.',
      [PICK_MODAL.lineBlock(2)]: 'Picked cannot be below zero.',
      [PICK_MODAL.lineBlock(3)]: '"lots" is not a number; enter 0 if you found none.',
    });
  });
});

describe('other views and messages', () => {
  test('reject modal and notices are valid; reject metadata round-trips', () => {
    const view = rejectModal({ number: 'REQ-000001', level: 2, responseUrl: 'https://x', fromHome: true });
    expect(viewProblems(view)).toEqual([]);
    expect(decodeRejectMetadata(view.private_metadata)).toEqual({ number: 'REQ-000001', level: 2, responseUrl: 'https://x', fromHome: true });
    expect(decodeRejectMetadata('{}')).toBeUndefined();
    expect(viewProblems(noticeModal({ title: 'A title far longer than twenty-four characters', text: 'x'.repeat(5000) }))).toEqual([]);
    expect(viewProblems(loadingModal('Pick REQ-000001', 'the pick list'))).toEqual([]);
  });

  test('App Home summarises long lists inside Slack limits', () => {
    const mine: HomeRequisition[] = Array.from({ length: 40 }, (_, i) => ({
      number: `REQ-${String(i).padStart(6, '0')}`,
      status: 'awaiting_approval',
      totalValue: '1234.5',
      createdAt: new Date('2025-01-01'),
    }));
    const awaiting: HomeAwaiting[] = mine.map((m) => ({ number: m.number, requester: 'U0REQ', totalValue: m.totalValue, currentLevel: 2, createdAt: m.createdAt }));
    const home = homeView({ user: 'U0APR', roles: ['approver', 'inventory_manager'], approvalLimit: '5000', mine, awaiting, currency: '$' });
    expect(viewProblems(home)).toEqual([]);
    expect(home.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.viewBlocks);
    const text = JSON.stringify(home.blocks);
    expect(text).toContain(`Showing your ${MAX_HOME_MINE} most recent requisitions.`);
    expect(text).toContain(`Showing the ${MAX_HOME_AWAITING} oldest`);
    expect(text).toContain('approver (up to $5,000.00), inventory manager');
    expect(text).toContain('$1,234.50');
    // No approver role and nothing waiting: no approval section at all.
    expect(JSON.stringify(homeView({ user: 'U1', roles: [], mine: [], awaiting: [] }).blocks)).not.toContain('Waiting for my approval');
  });

  test("a buyer's Home lists drafts to submit, goods due (overdue marked) and invoices to match; others' does not", () => {
    const po = (n: number, over: Partial<BuyerPurchaseOrder> = {}): BuyerPurchaseOrder => ({
      number: `PO-${String(n).padStart(6, '0')}`,
      vendor: 'Acme <Office>',
      status: 'sent',
      totalValue: '240',
      expectedAt: null,
      ...over,
    });
    const purchasing = {
      toSubmit: [po(1, { status: 'draft' })],
      receiptsDue: [po(2, { expectedAt: '2026-12-01' }), po(3, { status: 'partially_received', expectedAt: '2026-12-20' })],
      invoicesToMatch: [po(4, { status: 'received', invoice: 'missing' as const }), po(5, { status: 'received', invoice: 'mismatch' as const })],
    };
    const home = homeView({ user: 'U0BUY', roles: ['buyer'], mine: [], awaiting: [], purchasing, today: '2026-12-06', currency: '$' });
    expect(viewProblems(home)).toEqual([]);
    const text = JSON.stringify(home.blocks);
    for (const part of [
      'Purchasing',
      '*Drafts to submit for approval*\\n• *PO-000001* · Acme &lt;Office&gt; · $240.00 · draft',
      '*PO-000002* · Acme &lt;Office&gt; · $240.00 · due 2026-12-01 *(overdue)*',
      '*PO-000003* · Acme &lt;Office&gt; · $240.00 · partly received, due 2026-12-20',
      '*PO-000004* · Acme &lt;Office&gt; · $240.00 · no invoice yet',
      '*PO-000005* · Acme &lt;Office&gt; · $240.00 · :warning: invoice does not match',
    ]) {
      expect(text).toContain(part);
    }
    expect(text).not.toContain('PO-000003* · Acme &lt;Office&gt; · $240.00 · partly received, due 2026-12-20 *(overdue)*');
    const quiet = JSON.stringify(homeView({ user: 'U0BUY', roles: ['buyer'], mine: [], awaiting: [], purchasing: { toSubmit: [], receiptsDue: [], invoicesToMatch: [] } }).blocks);
    expect(quiet).toContain('No drafts waiting.');
    expect(quiet).toContain('No received order is waiting for its invoice.');
    const many = homeView({ user: 'U0BUY', roles: ['buyer'], mine: [], awaiting: [], purchasing: { ...purchasing, receiptsDue: Array.from({ length: 11 }, (_, i) => po(i)) } });
    expect(JSON.stringify(many.blocks)).toContain(`the oldest ${MAX_HOME_PURCHASING} are shown`);
    expect(JSON.stringify(homeView({ user: 'U1', roles: ['approver'], mine: [], awaiting: [], purchasing }).blocks)).not.toContain('Purchasing');
  });

  test('/stock answers stay valid with hundreds of locations or matches', () => {
    const locations = Array.from({ length: 300 }, (_, i) => ({ location: `Main/Aisle ${i}/Bin ${i}`, onHand: '1', reserved: '0', available: '1' }));
    const message = stockMessage({ sku: 'PEN', name: 'Pen', uom: 'ea' }, { sku: 'PEN', onHand: '300', reserved: '0', available: '300', locations });
    expect(blockProblems(message.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(message.blocks)).toContain('…and 275 more');
    const matches = Array.from({ length: 11 }, (_, i) => ({ sku: `S${i}`, name: 'n', uom: 'ea', barcode: null, standardCost: null, available: '0', active: i > 0 }));
    const listed = matchesMessage('s', matches);
    expect(blockProblems(listed.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(listed.blocks)).toContain('(no longer stocked)');
    expect(JSON.stringify(listed.blocks)).toContain('…and 1 more');
  });

  test('/stockroom roles and help stay valid with many grants', () => {
    const grants: RoleGrant[] = Array.from({ length: 600 }, (_, i) => ({
      role: i % 2 ? 'approver' : 'warehouse',
      subjectKind: i % 7 ? 'user' : 'usergroup',
      subjectId: i % 7 ? `U${String(i).padStart(9, '0')}` : `S${String(i).padStart(9, '0')}`,
      approvalLimit: i % 2 ? '1000' : null,
      source: 'slack',
    }));
    const message = rolesMessage(grants);
    expect(blockProblems(message.blocks, 'message')).toEqual([]);
    expect(JSON.stringify(message.blocks)).toMatch(/…and \d+ more/);
    expect(blockProblems(adminHelp(['approver', 'admin']).blocks, 'message')).toEqual([]);
  });
});

describe('/stockroom parsing', () => {
  test.each([
    ['', { kind: 'help' }],
    ['help', { kind: 'help' }],
    ['ROLES', { kind: 'roles' }],
    ['role add <@U0ABC|ana> approver 5000', { kind: 'add', subject: { kind: 'user', id: 'U0ABC' }, role: 'approver', limit: '5000' }],
    ['role add U0ABC warehouse', { kind: 'add', subject: { kind: 'user', id: 'U0ABC' }, role: 'warehouse' }],
    ['role add <!subteam^S0GRP|@team> inventory-manager', { kind: 'add', subject: { kind: 'usergroup', id: 'S0GRP' }, role: 'inventory_manager' }],
    ['role remove <@U0ABC> admin', { kind: 'remove', subject: { kind: 'user', id: 'U0ABC' }, role: 'admin' }],
  ])('%s', (text, expected) => {
    expect(parseAdminCommand(text)).toEqual(expected);
  });

  test.each([
    ['role', /role add @person/],
    ['role add', /Say who/],
    ['role add @ana approver', /pick them from Slack's @ suggestions/],
    ['role add ana approver', /not a person or a user group/],
    ['role add <@U0ABC> chef', /"chef" is not a role; roles are approver, warehouse/],
    ['role remove <@U0ABC> admin now', /Too much after the role/],
    ['role add <@U0ABC> approver 5 extra', /Too much after the limit/],
    ['grant everyone', /I don't know "grant"/],
  ])('%s is refused with what is wrong', (text, message) => {
    const parsed = parseAdminCommand(text);
    expect(parsed.kind).toBe('invalid');
    expect((parsed as { message: string }).message).toMatch(message);
  });
});
