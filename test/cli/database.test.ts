import net from 'node:net';
import { sql } from 'drizzle-orm';
import { expect, inject, test } from 'vitest';
import { openCommandDatabase } from '../../cli/database.js';
import { freePort } from '../../runtime/embedded-postgres.js';

test('with no DATABASE_URL, a command uses the embedded Postgres a running Stockroom serves on PG_PORT, and leaves it running', async () => {
  const port = Number(new URL(inject('pgAdminUrl')).port); // the run's embedded Postgres plays the running Stockroom
  const handle = await openCommandDatabase({ env: { PG_PORT: String(port), STOCKROOM_DATA_DIR: '/nonexistent' } });
  expect(handle.url).toBe(`postgres://stockroom_app:stockroom@127.0.0.1:${port}/stockroom`); // the application's role, not the owner
  expect(await handle.db.execute(sql`select count(*)::int as n from items`)).toEqual([{ n: expect.any(Number) }]); // migrated
  await handle.close();
  const again = await openCommandDatabase({ env: { PG_PORT: String(port) } });
  await again.close(); // it answered: closing did not stop the server
});

test('a PG_PORT taken by something else is a clear error, not a hang', async () => {
  const server = net.createServer((socket) => socket.end());
  const port = await freePort();
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
  try {
    await expect(openCommandDatabase({ env: { PG_PORT: String(port) } })).rejects.toThrow(
      `Port ${port} (PG_PORT) is taken by something that is not Stockroom's embedded Postgres: stop it, set PG_PORT to another port, or set DATABASE_URL.`,
    );
  } finally {
    server.close();
  }
});
