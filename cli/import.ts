import fs from 'node:fs';
import os from 'node:os';
import type { Database } from '../db/client.js';
import { formatMoney } from '../inventory/decimal.js';
import { CSV_KINDS, type CsvKind } from './csv/formats.js';
import { formatProblem, readCsv } from './csv/read-csv.js';
import { CommandError, withCommandDatabase } from './database.js';
import { importItems } from './import/items.js';
import { importLocations } from './import/locations.js';
import type { ImportResult } from './import/result.js';
import { importStock } from './import/stock.js';
import { createProgress, type Progress } from './progress.js';

export interface ImportFileOptions {
  /** stock only: a name for a separate delivery whose rows may repeat an earlier import's. */
  batch?: string;
  actor?: string;
  progress?: Progress;
}

export function checkKind(kind: string): CsvKind {
  if (!(CSV_KINDS as readonly string[]).includes(kind)) {
    throw new CommandError(`Unknown kind "${kind}": use one of ${CSV_KINDS.join(', ')}.`);
  }
  return kind as CsvKind;
}

/** Reads, checks and imports one file into `db`: the whole file or, when any row is bad, nothing. */
export async function importFile(db: Database, kind: CsvKind, file: string, opts: ImportFileOptions = {}): Promise<ImportResult> {
  const progress = opts.progress ?? createProgress();
  try {
    const size = await fs.promises.stat(file).then((s) => s.size, () => 0);
    progress.phase('reading', size, 'bytes');
    const table = await readCsv(file, kind, { onBytes: (n) => progress.update(n) });
    progress.stop();
    let writing = false;
    const onProgress = (done: number, total: number) => {
      if (!writing) progress.phase('importing', total, 'rows');
      writing = true;
      progress.update(done);
    };
    const actor = opts.actor ?? `cli:${os.userInfo().username}`;
    if (kind === 'items') return await importItems(db, table, { onProgress, actor });
    if (kind === 'locations') return await importLocations(db, table, { onProgress, actor });
    return await importStock(db, table, { onProgress, actor, batch: opts.batch });
  } finally {
    progress.stop();
  }
}

/** What a person reads after an import: the counts, or every bad row and the promise that nothing changed. */
export function describeImport(result: ImportResult, file: string): string {
  if (result.problems.length) {
    const rows = new Set(result.problems.map((p) => p.line)).size;
    return [
      `${file}: nothing imported; ${result.problems.length} problem${result.problems.length === 1 ? '' : 's'} in ${rows} line${rows === 1 ? '' : 's'}:`,
      ...result.problems.map((p) => `  ${formatProblem(p)}`),
      'Fix these and run the same command again (the import is all or nothing).',
    ].join('\n');
  }
  if (result.kind === 'stock') {
    const skipped = result.unchanged ? `; ${result.unchanged} row${result.unchanged === 1 ? ' was' : 's were'} already imported and skipped` : '';
    return `${file}: ${result.created} receipt${result.created === 1 ? '' : 's'} posted (quantity ${result.quantity ?? '0'}, value ${formatMoney(result.value ?? '0')})${skipped}.`;
  }
  return `${file}: ${result.rows} row${result.rows === 1 ? '' : 's'} read; ${result.kind}: ${result.created} created, ${result.updated} updated, ${result.unchanged} unchanged.`;
}

/** `stockroom import items|locations|stock FILE.csv` */
export async function importCommand(kind: string, file: string, opts: { batch?: string; databaseUrl?: string } = {}): Promise<ImportResult> {
  const csvKind = checkKind(kind);
  if (opts.batch !== undefined && csvKind !== 'stock') throw new CommandError('--batch only applies to stock imports.');
  if (!fs.existsSync(file)) throw new CommandError(`${file}: no such file.`);
  const result = await withCommandDatabase(opts.databaseUrl, (db) => importFile(db, csvKind, file, { batch: opts.batch }));
  // Thrown: the CLI prints a CommandError and exits 1.
  if (result.rows === 0 && result.problems.length === 0) {
    throw new CommandError(`${file} has no rows: only the header line is there, so nothing was imported. Add one row per ${csvKind === 'stock' ? 'bin and item' : csvKind === 'items' ? 'item' : 'location'} below the header.`);
  }
  const text = describeImport(result, file);
  if (result.problems.length) throw new CommandError(text);
  console.log(text);
  return result;
}
