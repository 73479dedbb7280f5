import type { CustomRoute } from '@slack/bolt';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import { sql } from 'drizzle-orm';
import type { Database } from '../db/client.js';

/**
 * One Prometheus endpoint per process (GET /metrics on its PORT): the app's own figures from prom-client
 * followed by the Temporal SDK's (worker task slots, poll and activity latencies, sticky cache…), which the
 * SDK's core serves on a loopback port of its own (runtime/temporal-logging.ts) and this route appends.
 * Counters are per process; Prometheus sums them over the web and worker replicas it scrapes.
 */

/** The stock-moving activities and the ledger operation each posts, counted as ledger moves when they complete. */
const LEDGER_OPERATIONS: Record<string, string> = {
  receive: 'receive',
  reserve: 'reserve',
  release: 'release',
  issue: 'issue',
  transfer: 'transfer',
  adjust: 'adjust',
  reserveRequisitionLine: 'reserve',
  releaseRequisitionStock: 'release',
  issueRequisitionLine: 'issue',
  postPurchaseOrderReceipt: 'receive',
  postCountAdjustment: 'adjust',
};

export interface AppMetrics {
  registry: Registry;
  /** Time from a Slack request reaching Bolt to its ack, by surface (block_actions, view_submission, /request…). */
  acks: Histogram<'surface'>;
  ledgerMoves: Counter<'operation'>;
  activityFailures: Counter<'activity' | 'kind'>;
  /** Counts activities and their failures; the worker adds it to its interceptors. */
  activityInterceptor: ActivityInterceptorsFactory;
  /** GET /metrics, for Bolt's custom routes or the worker's own HTTP server. */
  route(): CustomRoute;
}

export function createMetrics(opts: { role: string; db: Database; temporalMetricsUrl?: string }): AppMetrics {
  const registry = new Registry();
  registry.setDefaultLabels({ role: opts.role });
  collectDefaultMetrics({ register: registry, prefix: 'stockroom_' });

  const acks = new Histogram({
    name: 'stockroom_slack_ack_seconds',
    help: 'Time from a Slack request reaching the app to its acknowledgement',
    labelNames: ['surface'] as const,
    buckets: [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers: [registry],
  });
  const ledgerMoves = new Counter({
    name: 'stockroom_ledger_moves_total',
    help: 'Ledger operations completed by this worker (an idempotent repeat counts again)',
    labelNames: ['operation'] as const,
    registers: [registry],
  });
  const activityFailures = new Counter({
    name: 'stockroom_activity_failures_total',
    help: 'Activity attempts that failed, by activity and failure kind (retried or not)',
    labelNames: ['activity', 'kind'] as const,
    registers: [registry],
  });
  const activities = new Counter({
    name: 'stockroom_activities_total',
    help: 'Activity attempts that completed in this worker, by activity',
    labelNames: ['activity'] as const,
    registers: [registry],
  });
  new Gauge({
    name: 'stockroom_requisitions',
    help: 'Requisitions by status (read from the database at scrape time, the same in every process)',
    labelNames: ['status'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const rows = await opts.db.execute<{ status: string; n: number }>(sql`select status::text as status, count(*)::int as n from requisitions group by status`);
      for (const row of rows) this.set({ status: row.status }, Number(row.n));
    },
  });

  const activityInterceptor: ActivityInterceptorsFactory = (ctx) => ({
    inbound: {
      async execute(input, next) {
        const activity = ctx.info.activityType;
        try {
          const result = await next(input);
          activities.inc({ activity });
          const operation = LEDGER_OPERATIONS[activity];
          if (operation) ledgerMoves.inc({ operation });
          return result;
        } catch (err) {
          const kind = (err as { type?: string; name?: string })?.type ?? (err as Error)?.name ?? 'Error';
          activityFailures.inc({ activity, kind: String(kind).slice(0, 60) });
          throw err;
        }
      },
    },
  });

  const route = (): CustomRoute => ({
    path: '/metrics',
    method: 'GET',
    handler: (_req, res) => {
      void scrape(registry, opts.temporalMetricsUrl).then(
        (body) => {
          res.writeHead(200, { 'content-type': registry.contentType });
          res.end(body);
        },
        (err: unknown) => {
          res.writeHead(500, { 'content-type': 'text/plain' });
          res.end(`metrics failed: ${err instanceof Error ? err.message : String(err)}\n`);
        },
      );
    },
  });

  return { registry, acks, ledgerMoves, activityFailures, activityInterceptor, route };
}

async function scrape(registry: Registry, temporalMetricsUrl: string | undefined): Promise<string> {
  const own = await registry.metrics();
  if (!temporalMetricsUrl) return own;
  // The SDK's exporter answers on loopback; a miss leaves the app's own figures standing.
  const sdk = await fetch(temporalMetricsUrl, { signal: AbortSignal.timeout(2000) })
    .then((r) => (r.ok ? r.text() : ''))
    .catch(() => '');
  return sdk ? `${own}\n${sdk}` : own;
}
