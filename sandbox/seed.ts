import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { setBudget, upsertCostCenter } from '../db/queries/cost-centers.js';
import { assignRole, replaceUsergroupMembers, upsertPerson } from '../db/queries/people.js';
import { dec } from '../inventory/decimal.js';
import type { Logger } from '../runtime/logger.js';
import { DEMO_PEOPLE, DEMO_USER_GROUPS } from './people.js';

/**
 * What the sandbox needs in the database before its first visit: the demo people with their roles and
 * approval limits, their user groups, and cost centers with a budget, so a requisition can be routed and
 * approved at once. With an empty catalogue the demo (`stockroom demo`) is loaded too, when that cannot
 * disturb anyone's data: see `sandboxFor` (sandbox/runtime.ts) for when.
 */

/** Who pays for the sandbox's requisitions; the same codes, names and budgets as `stockroom demo`'s. */
export const SANDBOX_COST_CENTERS = [
  { code: 'OPS', name: 'Operations', budget: '40000' },
  { code: 'MAINT', name: 'Maintenance', budget: '60000' },
  { code: 'OFFICE', name: 'Office and administration', budget: '15000' },
  { code: 'IT', name: 'IT', budget: '20000' },
] as const;

/** Recorded as the grantor, so an admin can tell the sandbox's grants from their own. */
const GRANTED_BY = 'sandbox';

export type CatalogueState = 'present' | 'demo loaded' | 'empty';

export interface SandboxSeed {
  people: number;
  costCenters: number;
  catalogue: CatalogueState;
}

/**
 * Gives the demo people their roles (requester is everyone's, so no grant), fills their user groups and
 * makes the cost centers exist with this year's budget; the lowest-limit approver is each center's
 * designated approver. Idempotent: grants, members and budgets are upserts, run again on every start.
 */
export async function seedSandboxPeople(db: Database, today = new Date()): Promise<void> {
  const year = today.getUTCFullYear();
  const lead = DEMO_PEOPLE.filter((p) => p.role === 'approver').sort((a, b) => dec(a.approvalLimit!).cmp(b.approvalLimit!))[0];
  await db.transaction(async (tx) => {
    for (const person of DEMO_PEOPLE) {
      await upsertPerson(tx, { slackUserId: person.id, displayName: person.realName, email: person.email });
      if (person.role === 'requester') continue;
      await assignRole(tx, {
        subject: { kind: 'user', id: person.id },
        role: person.role,
        ...(person.approvalLimit === undefined ? {} : { approvalLimit: person.approvalLimit }),
        grantedBy: GRANTED_BY,
      });
    }
    for (const group of DEMO_USER_GROUPS) {
      const members = DEMO_PEOPLE.filter((p) => p.groups.includes(group.handle)).map((p) => p.id);
      await replaceUsergroupMembers(tx, { usergroupId: group.id, members });
    }
    for (const center of SANDBOX_COST_CENTERS) {
      await upsertCostCenter(tx, { code: center.code, name: center.name, approverSlackUserId: lead?.id ?? null });
      await setBudget(tx, { costCenter: center.code, periodStart: `${year}-01-01`, periodEnd: `${year + 1}-01-01`, amount: center.budget });
    }
  });
}

export async function catalogueIsEmpty(db: Database): Promise<boolean> {
  const [row] = await db.execute<{ empty: boolean }>(sql`select not exists (select 1 from items) as empty`);
  return row!.empty;
}

/**
 * Start-up seeding in sandbox mode: the people always; the demo catalogue and its six months of history
 * when the catalogue is empty and `loadDemo` allows it (otherwise the log says how to load it).
 */
export async function seedSandbox(db: Database, opts: { loadDemo: boolean; logger: Logger; today?: Date }): Promise<SandboxSeed> {
  let catalogue: CatalogueState = (await catalogueIsEmpty(db)) ? 'empty' : 'present';
  if (catalogue === 'empty' && opts.loadDemo) {
    opts.logger.info('Sandbox: the catalogue is empty, loading the demo (274 items, six months of history; about 10 s, once)');
    // Loaded lazily: only a first start needs the demo's catalogue and history generator.
    const { loadDemo } = await import('../cli/demo.js');
    const silent = { phase() {}, update() {}, stop() {} };
    await loadDemo(db, { people: false, progress: silent, ...(opts.today ? { today: opts.today } : {}) });
    catalogue = 'demo loaded';
  }
  await seedSandboxPeople(db, opts.today);
  if (catalogue === 'empty') {
    opts.logger.warn('Sandbox: the catalogue is empty, so /request finds nothing. Load the demo with `npx stockroom demo` (stop Stockroom first when it runs the embedded Postgres).');
  }
  return { people: DEMO_PEOPLE.length, costCenters: SANDBOX_COST_CENTERS.length, catalogue };
}
