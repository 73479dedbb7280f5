import { Worker } from '@temporalio/worker';
import { expect, inject, test } from 'vitest';
import { loadHistoryFixtures } from '../helpers/histories.js';

// Histories recorded from the restock and purchase order tests
// (RECORD_HISTORIES=1 npx vitest run test/restock/restock.test.ts test/restock/purchase-order.test.ts)
// must replay on today's workflow code: a change that would break running workflows fails here until
// it is put behind patched().
test('recorded restock and purchase order histories replay without nondeterminism', async () => {
  const histories = [...loadHistoryFixtures('restock-'), ...loadHistoryFixtures('purchase-order-')];
  expect(histories.length).toBeGreaterThanOrEqual(4);
  const failures: { workflowId: string; error: string }[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundle') } }, histories)) {
    replayed++;
    if (result.error) failures.push({ workflowId: result.workflowId, error: result.error.message });
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(histories.length);
});
