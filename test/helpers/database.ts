import crypto from 'node:crypto';
import postgres from 'postgres';
import { inject } from 'vitest';
import { connectDatabase, type DatabaseHandle } from '../../db/client.js';
import { embeddedAppUrl } from '../../runtime/ports.js';

/** The application role's address of the database an owner's address of the run's embedded cluster names. */
export function appUrl(ownerUrl: string): string {
  const url = new URL(ownerUrl);
  return embeddedAppUrl(Number(url.port), url.pathname.slice(1));
}

export interface TestDatabase extends DatabaseHandle {
  /** The application's address (the stockroom_app role), which `db` and `sql` use. */
  url: string;
  /** The same database as its owner (the cluster's superuser), for what the application may not do. */
  ownerUrl: string;
  name: string;
  /** Closes the pool and drops the database. */
  drop(): Promise<void>;
}

/** A fresh, migrated database cloned from the run's template (a few milliseconds). */
export async function createTestDatabase(opts: { max?: number } = {}): Promise<TestDatabase> {
  const adminUrl = inject('pgAdminUrl');
  const name = `t_${crypto.randomBytes(6).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database "${name}" template "${inject('templateDatabase')}"`);
  } finally {
    await admin.end();
  }
  const ownerUrl = adminUrl.replace(/\/postgres$/, `/${name}`);
  const url = appUrl(ownerUrl);
  const handle = connectDatabase(url, opts);
  return {
    ...handle,
    url,
    ownerUrl,
    name,
    async drop() {
      await handle.close();
      const a = postgres(adminUrl, { max: 1, onnotice: () => {} });
      try {
        await a.unsafe(`drop database if exists "${name}" with (force)`);
      } finally {
        await a.end();
      }
    },
  };
}
