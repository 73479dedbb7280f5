import type { CsvKind } from '../csv/formats.js';
import type { CsvProblem } from '../csv/read-csv.js';

/**
 * What an import did. With problems nothing was written (the counts are then 0). For stock, `created`
 * counts receipts posted and `unchanged` the rows an earlier import of the same rows already posted.
 */
export interface ImportResult {
  kind: CsvKind;
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  problems: CsvProblem[];
  /** Stock only: total quantity and value received by this run (exact decimal strings). */
  quantity?: string;
  value?: string;
}

export interface ImportOptions {
  /** Called after each written batch: rows written so far, rows to write. */
  onProgress?: (done: number, total: number) => void;
  /** Who the ledger records as the actor of imported moves. */
  actor?: string;
}

export function* chunks<T>(list: readonly T[], size: number): Generator<T[]> {
  for (let i = 0; i < list.length; i += size) yield list.slice(i, i + size);
}
