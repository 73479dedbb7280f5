import http from 'node:http';
import type { CustomRoute } from '@slack/bolt';

/**
 * A bare HTTP server for the same routes Bolt serves beside /slack/events (/healthz, /metrics), for a
 * process with no Slack receiver: `stockroom worker`.
 */
export async function serveRoutes(port: number, routes: CustomRoute[]): Promise<{ close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    const route = routes.find((r) => r.path === path && [r.method].flat().includes(req.method ?? 'GET'));
    if (!route) {
      res.writeHead(404, { 'content-type': 'text/plain' });
      res.end('not found\n');
      return;
    }
    void route.handler(req as never, res as never);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
