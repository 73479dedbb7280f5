import { ApplicationFailure } from '@temporalio/activity';
import type { Executor } from '../db/client.js';
import * as ledger from '../db/queries/ledger.js';

/** A refused operation will be refused again: fail the activity for good, with the code as its type. */
async function nonRetryable<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    if (error instanceof ledger.LedgerError) {
      throw ApplicationFailure.create({ message: error.message, type: error.code, nonRetryable: true, cause: error });
    }
    throw error;
  }
}

/**
 * The ledger operations as activities, 1:1 with db/queries/ledger.ts. Each is idempotent by its
 * key, so Temporal's retries of a timed-out attempt return the first answer instead of moving stock twice.
 */
export function createLedgerActivities(db: Executor) {
  return {
    receive: (input: ledger.ReceiveInput) => nonRetryable(() => ledger.receive(db, input)),
    reserve: (input: ledger.ReserveInput) => nonRetryable(() => ledger.reserve(db, input)),
    release: (input: ledger.ReleaseInput) => nonRetryable(() => ledger.release(db, input)),
    issue: (input: ledger.IssueInput) => nonRetryable(() => ledger.issue(db, input)),
    transfer: (input: ledger.TransferInput) => nonRetryable(() => ledger.transfer(db, input)),
    adjust: (input: ledger.AdjustInput) => nonRetryable(() => ledger.adjust(db, input)),
    availability: (input: { sku: string }) => nonRetryable(() => ledger.availability(db, input)),
    searchItems: (input: { query: string; limit?: number }) => nonRetryable(() => ledger.searchItems(db, input)),
    /** Dates travel as ISO strings (what Temporal's JSON payloads would make of them anyway). */
    getItem: (input: { sku: string }) =>
      nonRetryable(async () => {
        const item = await ledger.getItem(db, input);
        return item && { ...item, createdAt: item.createdAt.toISOString(), updatedAt: item.updatedAt.toISOString() };
      }),
  };
}

export type LedgerActivities = ReturnType<typeof createLedgerActivities>;
