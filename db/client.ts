import { drizzle, type PostgresJsDatabase } from 'drizzle-orm/postgres-js';
import postgres from 'postgres';
import { ISSUE_POOL_SIZE, useIssuePool } from './queries/ledger-groups.js';
import * as schema from './schema/index.js';

export type Database = PostgresJsDatabase<typeof schema>;
/** A database or a transaction: queries take this first, so callers compose them in one transaction. */
export type Tx = Parameters<Parameters<Database['transaction']>[0]>[0];
export type Executor = Database | Tx;

export interface DatabaseHandle {
  db: Database;
  sql: postgres.Sql;
  close(): Promise<void>;
}

export function connectDatabase(url: string, opts: { max?: number } = {}): DatabaseHandle {
  const sql = postgres(url, {
    max: opts.max ?? 20,
    onnotice: () => {},
    connection: { application_name: 'stockroom' },
    // numeric stays a string (postgres.js default for 1700), so no float ever touches a quantity.
  });
  const db = drizzle(sql, { schema, casing: 'snake_case' });
  // Stock issues, the ledger's hot path, get connections of their own (db/queries/ledger-groups.ts).
  const issues = postgres(url, { max: ISSUE_POOL_SIZE, onnotice: () => {}, connection: { application_name: 'stockroom-issues' } });
  useIssuePool(sql, issues);
  return {
    db,
    sql,
    close: async () => {
      await Promise.all([issues.end({ timeout: 5 }), sql.end({ timeout: 5 })]);
    },
  };
}
