import { afterAll, beforeAll, expect, test } from 'vitest';
import { createActivities } from '../../activities/index.js';
import { storedForecasts } from '../../db/queries/forecasting.js';
import { rng } from '../../bench/demand-series.js';
import { createLogger } from '../../runtime/logger.js';
import { ensureSchedules, forecastSchedules } from '../../runtime/schedules.js';
import { installTemporalLogging } from '../../runtime/temporal-logging.js';
import { RESTOCK_SCHEDULE_IDS } from '../../workflows/ids.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { eventually } from '../helpers/eventually.js';
import { seedIssueHistory } from '../helpers/issue-history.js';
import { connectTestTemporal, type RunningWorker, type TestTemporal } from '../helpers/temporal.js';

// The weekly Schedule runs forecastRefitWorkflow, whose activity refits every policy and stores the forecasts.

let database: TestDatabase;
let temporal: TestTemporal;
let worker: RunningWorker | undefined;

beforeAll(async () => {
  installTemporalLogging(createLogger(process.env.LOG_LEVEL ?? 'silent'));
  database = await createTestDatabase();
  temporal = await connectTestTemporal();
  const r = rng(8);
  await seedIssueHistory(database, {
    asOf: new Date(),
    days: 400,
    items: [
      { sku: 'SCH-A', issue: () => (r.uniform() < 0.5 ? 1 + r.poisson(4) : 0) },
      { sku: 'SCH-B', issue: () => (r.uniform() < 0.05 ? 2 : 0) },
    ],
  });
  worker = await temporal.startWorker(createActivities({ db: database.db }));
});

afterAll(async () => {
  await worker?.stop();
  await temporal?.close();
  await database?.drop();
});

test('the weekly refit schedule exists once (Sunday 05:00) and, when triggered, stores a forecast per policy', async () => {
  expect(await ensureSchedules(temporal.client, forecastSchedules('Europe/Berlin'))).toEqual({ created: [RESTOCK_SCHEDULE_IDS.forecastRefitWeekly], updated: [] });
  expect(await ensureSchedules(temporal.client, forecastSchedules('Europe/Berlin'))).toEqual({ created: [], updated: [RESTOCK_SCHEDULE_IDS.forecastRefitWeekly] });
  const schedule = temporal.client.schedule.getHandle(RESTOCK_SCHEDULE_IDS.forecastRefitWeekly);
  const described = await schedule.describe();
  expect(described.spec.calendars?.[0]?.dayOfWeek).toEqual([{ start: 'SUNDAY', end: 'SUNDAY', step: 1 }]);
  expect(described.spec.calendars?.[0]?.hour).toEqual([{ start: 5, end: 5, step: 1 }]);
  expect(described.spec.timezone).toBe('Europe/Berlin');

  await schedule.trigger();
  const forecasts = await eventually(() => storedForecasts(database.db), (stored) => stored.length === 2, 'the refit to store two forecasts', 60_000);
  expect(forecasts.map((f) => f.sku)).toEqual(['SCH-A', 'SCH-B']);
  await schedule.delete();
});
