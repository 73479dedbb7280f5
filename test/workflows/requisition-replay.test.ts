import { Worker } from '@temporalio/worker';
import { expect, inject, test } from 'vitest';
import { loadHistoryFixtures } from '../helpers/histories.js';

// Histories recorded from the requisition tests (RECORD_HISTORIES=1 npx vitest run test/workflows/requisition*.test.ts)
// must replay on today's workflow code: a change that would break running requisitions fails here
// until it is put behind patched().
test('recorded requisition histories replay without nondeterminism', async () => {
  const histories = loadHistoryFixtures('requisition-');
  expect(histories.length).toBeGreaterThanOrEqual(5);
  const failures: { workflowId: string; error: string }[] = [];
  let replayed = 0;
  for await (const result of Worker.runReplayHistories({ workflowBundle: { codePath: inject('workflowBundle') } }, histories)) {
    replayed++;
    if (result.error) failures.push({ workflowId: result.workflowId, error: result.error.message });
  }
  expect(failures).toEqual([]);
  expect(replayed).toBe(histories.length);
});
