import crypto from 'node:crypto';
import postgres from 'postgres';
import { expect, inject, test } from 'vitest';
import { runMigrations } from '../../db/migrate.js';

test('migrations apply on an empty database, and a second run changes nothing', async () => {
  const adminUrl = inject('pgAdminUrl');
  const name = `empty_${crypto.randomBytes(4).toString('hex')}`;
  const admin = postgres(adminUrl, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database "${name}"`);
  const url = adminUrl.replace(/\/postgres$/, `/${name}`);
  const sql = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await runMigrations(url);
    const tables = await sql<{ table_name: string }[]>`
      select table_name from information_schema.tables where table_schema = 'public' order by table_name`;
    expect(tables.map((t) => t.table_name)).toContain('system_checks');
    const [{ count: applied }] = (await sql`select count(*)::text as count from __drizzle_migrations`) as unknown as [{ count: string }];
    await runMigrations(url);
    const [{ count: again }] = (await sql`select count(*)::text as count from __drizzle_migrations`) as unknown as [{ count: string }];
    expect(Number(applied)).toBeGreaterThan(0);
    expect(again).toBe(applied);
  } finally {
    await sql.end();
    await admin.unsafe(`drop database "${name}" with (force)`);
    await admin.end();
  }
});
