import { ApplicationFailure } from '@temporalio/common';
import { DefaultLogger } from '@temporalio/worker';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, expect, test } from 'vitest';
import { createLedgerActivities } from '../../activities/ledger.js';
import { createTestDatabase, type TestDatabase } from '../helpers/database.js';
import { key, manual, seedCatalogue } from './fixtures.js';

let t: TestDatabase;
beforeAll(async () => {
  t = await createTestDatabase();
  await seedCatalogue(t.db);
});
afterAll(() => t?.drop());

test('ledger activities answer like the queries; a refusal is a non-retryable failure typed by its code', async () => {
  const activities = createLedgerActivities(t.db);
  const env = new MockActivityEnvironment(undefined, { logger: new DefaultLogger('ERROR') });
  const received = await env.run(activities.receive, {
    key: key(),
    sku: 'PEN-BLUE',
    location: 'Main/Aisle 1/Bin 1',
    quantity: '3',
    unitCost: '0.5',
    document: manual(),
    actor: 'u',
  });
  expect(received).toMatchObject({ quantity: '3', value: '1.5' });

  const failure = await env
    .run(activities.issue, { key: key(), sku: 'PEN-BLUE', location: 'Main/Aisle 1/Bin 1', quantity: '4', document: manual(), actor: 'u', unreserved: true })
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  expect(failure).toBeInstanceOf(ApplicationFailure);
  expect(failure).toMatchObject({ type: 'insufficient_stock', nonRetryable: true });

  const item = await env.run(activities.getItem, { sku: 'pen-blue' });
  expect(item).toMatchObject({ sku: 'PEN-BLUE', createdAt: expect.stringMatching(/^\d{4}-/) });
});
