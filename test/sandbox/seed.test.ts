import { count, sql } from 'drizzle-orm';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { budgetStatus, listCostCenters } from '../../db/queries/cost-centers.js';
import { createItem } from '../../db/queries/items.js';
import { listApprovers, listRoleAssignments, rolesOf, usersWithRole } from '../../db/queries/people.js';
import { items } from '../../db/schema/index.js';
import { loadConfig } from '../../runtime/config.js';
import { DEMO_PEOPLE } from '../../sandbox/people.js';
import { sandboxFor } from '../../sandbox/runtime.js';
import { SANDBOX_COST_CENTERS, seedSandbox, seedSandboxPeople } from '../../sandbox/seed.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';

/** Start-up seeding in sandbox mode: the demo people's roles and cost centers, and the demo catalogue when allowed. */

const TODAY = new Date('2026-06-15T12:00:00Z');

function capturingLogger() {
  const lines: { level: number; msg: string }[] = [];
  const logger = pino({ level: 'info' }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  return { logger, lines };
}

const itemCount = async (t: TestDatabase) => (await t.db.select({ n: count() }).from(items))[0]!.n;

describe('seedSandboxPeople', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  test('every demo person gets the role and limit the switcher shows; running it again changes nothing', async () => {
    await seedSandboxPeople(t.db, TODAY);
    const firstGrants = await listRoleAssignments(t.db);
    await seedSandboxPeople(t.db, TODAY);
    const grants = await listRoleAssignments(t.db);
    expect(grants.map((g) => [g.subjectId, g.role, g.approvalLimit])).toEqual(firstGrants.map((g) => [g.subjectId, g.role, g.approvalLimit]));
    expect(grants).toHaveLength(DEMO_PEOPLE.filter((p) => p.role !== 'requester').length);

    for (const person of DEMO_PEOPLE) {
      const { roles, approvalLimit } = await rolesOf(t.db, person.id);
      expect(roles).toEqual(person.role === 'requester' ? [] : [person.role]);
      expect(approvalLimit).toBe(person.approvalLimit);
    }
    expect(await listApprovers(t.db)).toEqual([
      { slackUserId: 'U0APR00500', limit: '500' },
      { slackUserId: 'U0APR05000', limit: '5000' },
    ]);
    expect(await usersWithRole(t.db, 'warehouse')).toEqual(['U0WHS00001']);

    // Cost centers with this year's budget; the 500 approver is the one asked first.
    const centers = await listCostCenters(t.db, { activeOnly: true });
    expect(centers.map((c) => [c.code, c.approverSlackUserId])).toEqual(
      SANDBOX_COST_CENTERS.map((c) => [c.code, 'U0APR00500']).sort(([a], [b]) => (a! < b! ? -1 : 1)),
    );
    const ops = await budgetStatus(t.db, { costCenter: 'OPS', on: '2026-06-15' });
    expect(ops).toMatchObject({ amount: '40000', periodStart: '2026-01-01', periodEnd: '2027-01-01' });
  });
});

describe('seedSandbox and the demo catalogue', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  test('not allowed to load the demo: the catalogue stays empty and the log says how to load it', async () => {
    const { logger, lines } = capturingLogger();
    const seed = await seedSandbox(t.db, { loadDemo: false, logger, today: TODAY });
    expect(seed).toEqual({ people: DEMO_PEOPLE.length, costCenters: SANDBOX_COST_CENTERS.length, catalogue: 'empty' });
    expect(await itemCount(t)).toBe(0);
    expect(lines.find((l) => l.level === 40)?.msg).toMatch(/catalogue is empty.*npx stockroom demo/);
  });

  test(
    'allowed and empty: the demo is loaded once, with its history; a second start finds the catalogue present',
    async () => {
      const { logger } = capturingLogger();
      expect(await seedSandbox(t.db, { loadDemo: true, logger, today: TODAY })).toMatchObject({ catalogue: 'demo loaded' });
      const loaded = await itemCount(t);
      expect(loaded).toBeGreaterThan(200);
      const [moves] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from stock_moves where document_type = 'demo'`);
      expect(moves!.n).toBeGreaterThan(1000);

      expect(await seedSandbox(t.db, { loadDemo: true, logger, today: TODAY })).toMatchObject({ catalogue: 'present' });
      expect(await itemCount(t)).toBe(loaded);
      const [again] = await t.db.execute<{ n: number }>(sql`select count(*)::int as n from stock_moves where document_type = 'demo'`);
      expect(again!.n).toBe(moves!.n);
      // The people are seeded either way.
      expect((await rolesOf(t.db, 'U0WHS00001')).roles).toEqual(['warehouse']);
    },
    120_000,
  );
});

describe('seedSandbox with a catalogue of its own', () => {
  let t: TestDatabase;
  beforeAll(async () => {
    t = await createTestDatabase();
  });
  afterAll(async () => {
    await t?.drop();
  });

  test('one item is enough to leave the catalogue alone', async () => {
    await createItem(t.db, { sku: 'MINE', name: 'My own item', uom: 'ea', standardCost: '1' });
    const { logger, lines } = capturingLogger();
    expect(await seedSandbox(t.db, { loadDemo: true, logger, today: TODAY })).toMatchObject({ catalogue: 'present' });
    expect(await itemCount(t)).toBe(1);
    expect(lines.filter((l) => l.level >= 40)).toEqual([]);
  });
});

test('the demo may load only on the try-it path: no Slack credentials and the embedded database', () => {
  const decide = (env: Record<string, string>) => sandboxFor(loadConfig({ PORT: '3999', STOCKROOM_DATA_DIR: '/tmp/unused', ...env }))?.loadDemoWhenEmpty;
  expect(decide({})).toBe(true);
  expect(decide({ STOCKROOM_SANDBOX: '1' })).toBe(true);
  expect(decide({ DATABASE_URL: 'postgres://u:p@db:5432/stockroom' })).toBe(false);
  expect(decide({ STOCKROOM_SANDBOX: '1', SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: 's' })).toBe(false);
  expect(decide({ STOCKROOM_SANDBOX: '0' })).toBeUndefined();
});
