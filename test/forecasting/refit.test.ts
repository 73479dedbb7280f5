import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { refitForecasts, storedForecasts } from '../../db/queries/forecasting.js';
import { evaluateItem, runReorderCheck, type SqlEvaluation } from '../../db/queries/reorder-check.js';
import { INTERMITTENT_MODELS } from '../../inventory/forecast/models.js';
import { rng } from '../../bench/demand-series.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedIssueHistory } from '../helpers/issue-history.js';

// The weekly refit over the ledger, and the reorder check reading what it stored: two years of
// issues every working day (weekly demand 100 ± 60 over the year: dense, so fitted per day with the
// week as its season), two years of lumpy issues (sparse: per week), and an item with a month of
// history (too little: no forecast, the average/σ method stays).

let database: TestDatabase;
const asOf = new Date('2026-06-15T10:00:00Z');
const ids: Record<string, string> = {};

beforeAll(async () => {
  database = await createTestDatabase();
  const r = rng(14);
  Object.assign(
    ids,
    await seedIssueHistory(database, {
      asOf,
      days: 728,
      items: [
        { sku: 'FC-SEASON', issue: (d) => (d % 7 < 5 ? Math.max(1, Math.round(((100 + 60 * Math.sin((2 * Math.PI * d) / 364)) / 5) * (1 + 0.1 * r.normal()))) : 0) },
        { sku: 'FC-LUMPY', issue: () => (r.uniform() < 0.03 ? 1 + Math.round(r.gamma(0.6, 30)) : 0) },
        { sku: 'FC-NEW', issue: (d) => (d >= 698 ? 3 : 0) },
      ],
    }),
  );
});

afterAll(async () => {
  await database?.drop();
});

const sqlEvaluation = async (itemId: string): Promise<SqlEvaluation> => {
  let found: SqlEvaluation | undefined;
  await runReorderCheck(database.db, { asOf, itemIds: [itemId], save: false, all: true, onEvaluation: (e) => (found = e) });
  return found!;
};

describe('weekly refit', () => {
  test('fits what has history, stores forecasts with scores and intervals, leaves the rest to the average method', async () => {
    const summary = await refitForecasts(database.db, { asOf, batchSize: 2 });
    expect(summary).toMatchObject({ policies: 3, forecast: 2, withoutForecast: 1 });

    const [season] = await storedForecasts(database.db, { sku: 'fc-season' });
    expect(season).toBeDefined();
    expect(season!.period).toBe('day');
    expect(season!.historyPeriods).toBe(728);
    // Weekends are empty: a model with the week as its season.
    expect(['hw_additive', 'seasonal_naive']).toContain(season!.model);
    expect(season!.beatsCurrent).toBe(true);
    expect(season!.drivesReorderPoint).toBe(true);
    expect(Number(season!.mase)).toBeLessThan(Number(season!.maseCurrent));
    expect(season!.nextPeriods).toHaveLength(15); // lead time 14 days + review 1 day
    expect(season!.nextPeriods[0]!.start).toBe('2026-06-15');
    for (const p of season!.nextPeriods) expect(p.lower <= p.mean && p.mean <= p.upper).toBe(true);
    expect(season!.recent).toHaveLength(12);
    expect(Number(season!.reorderPoint)).toBeGreaterThanOrEqual(Number(season!.leadTimeDemand));
    expect(Number.isInteger(Number(season!.reorderPoint))).toBe(true);

    const [lumpy] = await storedForecasts(database.db, { sku: 'FC-LUMPY' });
    expect(lumpy!.period).toBe('week');
    expect(lumpy!.nextPeriods).toHaveLength(3); // (14 + 1) days → 3 weeks
    expect(['lumpy', 'intermittent']).toContain(lumpy!.demandClass);
    expect(INTERMITTENT_MODELS).toContain(lumpy!.model);
    expect(await storedForecasts(database.db, { sku: 'FC-NEW' })).toEqual([]);

    // A second run replaces, never duplicates.
    await refitForecasts(database.db, { asOf });
    expect(await storedForecasts(database.db)).toHaveLength(2);
  });

  test('the reorder check (Node and SQL alike) takes the forecast’s reorder point where it beat the current method', async () => {
    const [season] = await storedForecasts(database.db, { sku: 'FC-SEASON' });
    const [node] = await evaluateItem(database.db, { itemId: ids['FC-SEASON']!, asOf, save: false });
    expect(node!.evaluation.demandSource).toBe('forecast');
    expect(node!.evaluation.computedReorderPoint).toBe(season!.reorderPoint);
    expect(node!.evaluation.computedSafetyStock).toBe(season!.safetyStock);
    expect(node!.evaluation.leadTimeDemand).toBe(season!.leadTimeDemand);
    const inSql = await sqlEvaluation(ids['FC-SEASON']!);
    expect(inSql.demandSource).toBe('forecast');
    expect(inSql.computedReorderPoint).toBe(season!.reorderPoint);
    expect(inSql.leadTimeDemand).toBe(node!.evaluation.leadTimeDemand);
    expect(inSql.max).toBe(node!.evaluation.max);

    const [fresh] = await evaluateItem(database.db, { itemId: ids['FC-NEW']!, asOf, save: false });
    expect(fresh!.evaluation.demandSource).toBe('average');
  });

  test("'average' keeps the current method; a changed lead time waits for the next refit", async () => {
    await database.db.execute(sql`update reorder_policies set demand_method = 'average' where item_id = ${ids['FC-SEASON']!}`);
    expect((await evaluateItem(database.db, { itemId: ids['FC-SEASON']!, asOf, save: false }))[0]!.evaluation.demandSource).toBe('average');
    expect((await sqlEvaluation(ids['FC-SEASON']!)).demandSource).toBe('average');
    expect((await storedForecasts(database.db, { sku: 'FC-SEASON' }))[0]!.drivesReorderPoint).toBe(false);

    await database.db.execute(sql`update reorder_policies set demand_method = 'auto', lead_time_days = 21 where item_id = ${ids['FC-SEASON']!}`);
    expect((await evaluateItem(database.db, { itemId: ids['FC-SEASON']!, asOf, save: false }))[0]!.evaluation.demandSource).toBe('average');
    await refitForecasts(database.db, { asOf, itemIds: [ids['FC-SEASON']!] });
    const [node] = await evaluateItem(database.db, { itemId: ids['FC-SEASON']!, asOf, save: false });
    expect(node!.evaluation.demandSource).toBe('forecast');
    expect((await storedForecasts(database.db, { sku: 'FC-SEASON' }))[0]!.leadTimeDays).toBe('21');
  });
});
