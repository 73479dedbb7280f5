import { eq } from 'drizzle-orm';
import type { Database } from '../db/client.js';
import { systemChecks } from '../db/schema/index.js';

export function createSystemActivities(db: Database) {
  return {
    /** Idempotent by key: a retry returns the row the first attempt wrote. */
    async recordSystemCheck(input: { key: string; note: string }): Promise<{ id: string; checkedAt: string }> {
      await db.insert(systemChecks).values({ idempotencyKey: input.key, note: input.note }).onConflictDoNothing();
      const [row] = await db.select().from(systemChecks).where(eq(systemChecks.idempotencyKey, input.key));
      return { id: row!.id, checkedAt: row!.checkedAt.toISOString() };
    },
  };
}
