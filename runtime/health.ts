import type { ServerResponse } from 'node:http';
import type { CustomRoute } from '@slack/bolt';

export type PartState = 'up' | 'down' | 'starting' | 'stopping' | 'not configured' | 'external';

export interface PartReport {
  state: PartState;
  detail?: string;
}

/** A live probe per part; `not configured` counts as healthy (Slack may be absent on purpose). */
export type Probe = () => Promise<PartReport>;

export function healthRoute(probes: Record<string, Probe>): CustomRoute {
  return {
    path: '/healthz',
    method: 'GET',
    handler: (_req, res) => {
      void checkHealth(probes).then(({ ok, parts }) => sendJson(res, ok ? 200 : 503, { status: ok ? 'ok' : 'degraded', parts }));
    },
  };
}

export async function checkHealth(probes: Record<string, Probe>): Promise<{ ok: boolean; parts: Record<string, PartReport> }> {
  const entries = await Promise.all(
    Object.entries(probes).map(async ([name, probe]) => {
      const report = await withTimeout(probe(), 2000).catch(
        (err: unknown): PartReport => ({ state: 'down', detail: err instanceof Error ? err.message : String(err) }),
      );
      return [name, report] as const;
    }),
  );
  const parts = Object.fromEntries(entries);
  const ok = entries.every(([, r]) => r.state === 'up' || r.state === 'not configured' || r.state === 'external');
  return { ok, parts };
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no answer in ${ms} ms`)), ms);
    promise.then(
      (v) => {
        clearTimeout(timer);
        resolve(v);
      },
      (e) => {
        clearTimeout(timer);
        reject(e);
      },
    );
  });
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
