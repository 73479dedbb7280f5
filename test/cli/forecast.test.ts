import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { forecastCommand, renderForecast } from '../../cli/forecast.js';
import { rng } from '../../bench/demand-series.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { seedIssueHistory } from '../helpers/issue-history.js';

let database: TestDatabase;

beforeAll(async () => {
  database = await createTestDatabase();
  const r = rng(3);
  // Two years: a spare part issued about once a month, and paper every week with a yearly swing.
  await seedIssueHistory(database, {
    asOf: new Date(),
    days: 728,
    items: [
      { sku: 'CLI-PART', issue: () => (r.uniform() < 0.035 ? 1 + r.poisson(2) : 0) },
      { sku: 'CLI-PAPER', leadTimeDays: 10, issue: (d) => (d % 7 === 2 ? Math.round(40 + 25 * Math.sin((2 * Math.PI * d) / 364) + 3 * r.normal()) : 0) },
    ],
  });
});
afterAll(async () => {
  await database?.drop();
});

describe('stockroom forecast', () => {
  test('before any refit it says how to get one', async () => {
    expect(await renderForecast(database.db, undefined)).toMatch(/^No forecasts yet: run `stockroom forecast --refit`/);
    expect(await renderForecast(database.db, 'cli-part')).toMatch(/^cli-part: no forecast/);
    await expect(renderForecast(database.db, 'NOPE')).rejects.toThrow('No item with SKU NOPE.');
  });

  test('--refit fits; one item shows its model, backtest scores against the benchmarks and the next periods with intervals', async () => {
    const text = await forecastCommand('CLI-PAPER', { refit: true, databaseUrl: database.url });
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^Refitted 1 policies: 1 forecast/);
    expect(text).toMatch(/^CLI-PAPER  Item CLI-PAPER$/m);
    expect(text).toMatch(/^Model: .+ \((smooth|erratic) demand, 10\d weeks of history to \d{4}-\d{2}-\d{2}, fitted .+ UTC\)$/m);
    expect(text).toMatch(/^Backtest \(rolling origin, 2 weeks ahead = lead time 10 days \+ review\): MASE \d+\.\d\d vs seasonal naive \d+\.\d\d and current method \d+\.\d\d; bias [+-]\d+\.\d %$/m);
    expect(text).toMatch(/^Lead time 10 days at 95\.0 % service: (sets the reorder point|not used)/m);
    expect(text).toMatch(/^Week from\s+Forecast\s+90 % interval$/m);
    const weeks = lines.filter((l) => /^\d{4}-\d{2}-\d{2}\s+\d+\.\d\s+\d+\.\d – \d+\.\d$/.test(l));
    expect(weeks).toHaveLength(2);
    expect(text).toMatch(/^.+ \(chosen\)\s+\d+\.\d\d\s+[+-]\d+\.\d %$/m);
    expect(text).toMatch(/current method \(average of the demand window\)/);
  });

  test('without a SKU: every item in one table; --json for machines', async () => {
    await renderForecast(database.db, undefined, { refit: true });
    const text = await renderForecast(database.db, undefined);
    expect(text).toMatch(/^2 forecasts; \d set their item's reorder point/);
    expect(text).toMatch(/^SKU\s+Model\s+Per\s+MASE\s+Naive\s+Current\s+Bias\s+Lead-time demand\s+Reorder point\s+Used$/m);
    expect(text).toMatch(/^CLI-PART\s+(croston|sba|tsb)\s+week/m);
    const json = JSON.parse(await renderForecast(database.db, undefined, { json: true })) as { sku: string; nextPeriods: unknown[]; reorderPoint: string }[];
    expect(json.map((f) => f.sku)).toEqual(['CLI-PAPER', 'CLI-PART']);
    expect(json[1]!.nextPeriods).toHaveLength(3); // 14 days + review: 3 weeks
    expect(Number(json[1]!.reorderPoint)).toBeGreaterThanOrEqual(0);
    const one = JSON.parse(await renderForecast(database.db, 'cli-part', { json: true })) as { model: string }[];
    expect(one).toHaveLength(1);
  });
});
