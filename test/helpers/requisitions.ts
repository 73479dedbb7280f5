import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Activities } from '../../activities/index.js';
import type { Executor } from '../../db/client.js';
import { setBudget, upsertCostCenter } from '../../db/queries/cost-centers.js';
import { createItem } from '../../db/queries/items.js';
import { receive } from '../../db/queries/ledger.js';
import { ensureLocation } from '../../db/queries/locations.js';
import { assignRole } from '../../db/queries/people.js';
import { dec, toPlain } from '../../inventory/decimal.js';
import { parseSettings, type StockroomSettings } from '../../runtime/settings.js';
import type { RequisitionView } from '../../workflows/requisition-messages.js';
import { eventually } from './eventually.js';

/** The people of the requisition tests. */
export const PEOPLE = {
  requester: 'U0REQ',
  lead: 'U0LEAD', // approver, limit 1,000, designated approver of LAB
  manager: 'U0MGR', // approver, limit 5,000, designated approver of OPS
  director: 'U0DIR', // approver, limit 50,000
  warehouse: 'U0WH',
  stranger: 'U0NOBODY',
} as const;

export const TEST_SETTINGS: StockroomSettings = parseSettings(
  {
    approvals: { autoApproveBelow: '100', levels: [{ name: 'Manager', upTo: '5000' }, { name: 'Director' }] },
    requisitions: { remindAfter: '1 day', escalateAfter: '3 days', warehouseChannel: 'C0WAREHOUSE' },
  },
  'test settings',
);

/**
 * Catalogue and stock: PEN 100 in Main/A/1 at 2.00; PAPER 30 in Main/A/1 and 50 in Main/A/2 at 10.00;
 * LAPTOP 10 in Main/B/1 at 1,500.00; GLUE (standard cost 5.00) none. Cost centers OPS (manager) and LAB (lead).
 */
export async function seedRequisitionWorld(db: Executor): Promise<void> {
  for (const path of ['Main/A/1', 'Main/A/2', 'Main/B/1']) await ensureLocation(db, { path });
  await createItem(db, { sku: 'PEN', name: 'Ballpoint pen', uom: 'ea', standardCost: '2' });
  await createItem(db, { sku: 'PAPER', name: 'Copy paper, ream', uom: 'ea', standardCost: '10' });
  await createItem(db, { sku: 'LAPTOP', name: 'Laptop', uom: 'ea', standardCost: '1500' });
  await createItem(db, { sku: 'GLUE', name: 'Glue stick', uom: 'ea', standardCost: '5' });
  const stock: [string, string, string, string][] = [
    ['PEN', 'Main/A/1', '100', '2'],
    ['PAPER', 'Main/A/1', '30', '10'],
    ['PAPER', 'Main/A/2', '50', '10'],
    ['LAPTOP', 'Main/B/1', '10', '1500'],
  ];
  for (const [sku, location, quantity, unitCost] of stock) {
    await receive(db, { key: `seed-${sku}-${location}`, sku, location, quantity, unitCost, document: { type: 'demo', id: 'seed' }, actor: 'test' });
  }
  await upsertCostCenter(db, { code: 'OPS', name: 'Operations', approverSlackUserId: PEOPLE.manager });
  await upsertCostCenter(db, { code: 'LAB', name: 'Laboratory', approverSlackUserId: PEOPLE.lead });
  const year = new Date().getUTCFullYear();
  await setBudget(db, { costCenter: 'OPS', periodStart: `${year}-01-01`, periodEnd: `${year + 1}-01-01`, amount: '100000' });
  const grant = (id: string, role: 'approver' | 'warehouse', approvalLimit?: string) =>
    assignRole(db, { subject: { kind: 'user', id }, role, grantedBy: 'test', ...(approvalLimit ? { approvalLimit } : {}) });
  await grant(PEOPLE.lead, 'approver', '1000');
  await grant(PEOPLE.manager, 'approver', '5000');
  await grant(PEOPLE.director, 'approver', '50000');
  await grant(PEOPLE.warehouse, 'warehouse');
}

export const submissionKey = () => `test-${crypto.randomBytes(6).toString('hex')}`;
export const today = () => new Date().toISOString().slice(0, 10);

/** Polls a workflow's status query until `ready` holds (or fails with the last view after the deadline). */
export async function waitForView(
  read: () => Promise<RequisitionView>,
  ready: (view: RequisitionView) => boolean,
  what: string,
  timeoutMs = 30_000,
): Promise<RequisitionView> {
  return eventually(read, ready, what, timeoutMs);
}

/** Wraps activities so a test can see which were called with what. */
export function recordingActivities(activities: Activities): { activities: Activities; calls: { name: string; input: unknown }[] } {
  const calls: { name: string; input: unknown }[] = [];
  const wrapped = Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (...args: unknown[]) => {
        calls.push({ name, input: args[0] });
        return (fn as (...a: unknown[]) => unknown)(...args);
      },
    ]),
  ) as Activities;
  return { activities: wrapped, calls };
}

/** Ledger facts for one requisition: issue moves and the quantity they took, open reservations. */
export async function ledgerFacts(db: Executor, number: string) {
  const [row] = (await db.execute(sql`
    select (select count(*) from stock_moves where document_type = 'requisition' and document_id = ${number} and type = 'issue')::int as issues,
           (select coalesce(-sum(quantity), 0)::text from stock_moves where document_type = 'requisition' and document_id = ${number} and type = 'issue') as issued,
           (select coalesce(sum(open_quantity), 0)::text from reservations where document_type = 'requisition' and document_id = ${number}) as open
  `)) as unknown as { issues: number; issued: string; open: string }[];
  return { issues: row!.issues, issued: toPlain(dec(row!.issued)), open: toPlain(dec(row!.open)) };
}
