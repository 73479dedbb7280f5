import { expect, test } from 'vitest';
import { runSoak } from '../../bench/soak.js';

/**
 * The chaos soak, small: about 100 documents through the local Slack across 2 web and 3 worker processes, with
 * 2 worker SIGKILLs, one restart each of Temporal and Postgres and one web process dropped. `npm run soak` runs
 * the big one. Its own Postgres and Temporal server (it restarts them), so it does not use the run's.
 */
test('nothing is lost or done twice when workers, Temporal, Postgres and a web process fail under load', { timeout: 20 * 60_000 }, async () => {
  const report = await runSoak({ documents: 100, concurrency: 6, workerKills: 2, temporalRestarts: 1, postgresRestarts: 1, webDrops: 1, log: () => {} });
  console.log(JSON.stringify({ documents: report.documents, documents_per_s: report.documents_per_s, recovery_ms_by_fault: report.recovery_ms_by_fault, ack_p99_ms_during_faults: report.ack_p99_ms_during_faults }));
  expect(report.not_final).toEqual([]);
  expect(report.issue_mismatches).toEqual([]);
  expect(report.receipt_mismatches).toEqual([]);
  expect(report.ledger_violations).toEqual([]);
  expect(report.duplicate_slack_keys).toBe(0);
  expect(report).toMatchObject({ lost: 0, duplicated: 0, open_workflows: 0, faults: { worker_kill: 2, temporal_restart: 1, postgres_restart: 1, web_drop: 1 } });
  expect(report.documents).toBeGreaterThanOrEqual(100);
  expect(report.passed).toBe(true);
});
