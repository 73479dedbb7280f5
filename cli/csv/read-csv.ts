import fs from 'node:fs';
import { parse, CsvError } from 'csv-parse';
import { CSV_FORMATS, normaliseHeader, type CsvKind } from './formats.js';

/** One thing wrong with the file: where (line as an editor numbers it, column by header name) and why. */
export interface CsvProblem {
  line: number;
  column?: string;
  reason: string;
}

/** A data row: its first line in the file and the cells of the known columns, trimmed. */
export interface CsvRow {
  line: number;
  cells: Record<string, string>;
}

export interface CsvTable {
  /** The known columns the header names (normalised), in file order. */
  columns: string[];
  rows: CsvRow[];
  problems: CsvProblem[];
}

/** A problem as one line; a reason that echoes a huge cell is cut there already, and here again as a last resort. */
export const formatProblem = (p: CsvProblem): string => {
  const reason = p.reason.length <= 500 ? p.reason : `${p.reason.slice(0, 500)}… (cut)`;
  return `line ${p.line}${p.column ? `, column ${p.column}` : ''}: ${reason}`;
};

/**
 * Reads a CSV file of one format with a real parser (quotes, embedded commas and newlines, BOM, CRLF).
 * Header problems and rows with the wrong number of fields are collected, not thrown, so the caller can
 * report every bad row at once. A syntax error (an unclosed quote) stops the read: the rows after it
 * cannot be trusted, so it is reported with its line and the rows before it are still checked.
 */
export async function readCsv(
  file: string,
  kind: CsvKind,
  opts: { onBytes?: (bytesRead: number) => void } = {},
): Promise<CsvTable> {
  let stream: fs.ReadStream;
  try {
    await fs.promises.access(file, fs.constants.R_OK);
    stream = fs.createReadStream(file);
  } catch {
    return { columns: [], rows: [], problems: [{ line: 0, reason: `cannot read ${file}: no such file, or no permission` }] };
  }
  let bytes = 0;
  stream.on('data', (chunk) => {
    bytes += chunk.length;
    opts.onBytes?.(bytes);
  });
  const parser = stream.pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, info: true }));
  return collect(parser as AsyncIterable<{ record: string[]; info: { lines: number } }>, kind);
}

/** Same as readCsv for text already in memory (tests, stdin). */
export async function readCsvText(text: string, kind: CsvKind): Promise<CsvTable> {
  const parser = parse(text, { bom: true, relax_column_count: true, skip_empty_lines: true, info: true });
  return collect(parser as AsyncIterable<{ record: string[]; info: { lines: number } }>, kind);
}

async function collect(records: AsyncIterable<{ record: string[]; info: { lines: number } }>, kind: CsvKind): Promise<CsvTable> {
  const spec = CSV_FORMATS[kind];
  const problems: CsvProblem[] = [];
  const rows: CsvRow[] = [];
  let header: (string | undefined)[] | undefined;
  let columns: string[] = [];
  let missingRequired = false;
  let previousEnd = 0;
  try {
    for await (const { record, info } of records) {
      // A record may span lines (a quoted newline); people look for the line where it starts.
      const line = header ? firstLine(previousEnd, info.lines, record) : info.lines;
      previousEnd = info.lines;
      if (!header) {
        ({ header, columns } = readHeader(record, kind, problems));
        missingRequired = spec.some((c) => c.required && !columns.includes(c.name));
        continue;
      }
      // Without a required column every row would repeat the header's problem; that one line says it.
      if (missingRequired) continue;
      if (record.length !== header.length && !(record.length === 1 && record[0]!.trim() === '')) {
        problems.push({ line, reason: `has ${record.length} fields but the header has ${header.length}` });
        continue;
      }
      if (record.every((cell) => cell.trim() === '')) continue; // ',,,' lines from spreadsheets
      const cells: Record<string, string> = {};
      header.forEach((name, i) => {
        if (name) cells[name] = record[i]!.trim();
      });
      rows.push({ line, cells });
    }
  } catch (err) {
    if (!(err instanceof CsvError)) throw err;
    const line = (err as CsvError & { lines?: number }).lines ?? previousEnd + 1;
    problems.push({ line, reason: `the CSV is malformed (${err.message.replace(/ at line \d+.*$/, '')}); rows after it were not checked` });
  }
  if (!header) problems.push({ line: 1, reason: `the file is empty; the first line must name the columns: ${spec.map((c) => c.name).join(',')}` });
  return { columns, rows, problems };
}

function readHeader(record: string[], kind: CsvKind, problems: CsvProblem[]) {
  const spec = CSV_FORMATS[kind];
  const known = new Set(spec.map((c) => c.name));
  const seen = new Set<string>();
  const header = record.map((raw) => {
    const name = normaliseHeader(raw);
    if (!known.has(name)) {
      problems.push({
        line: 1,
        column: raw.trim() || '(blank)',
        reason: `unknown column for ${kind}.csv; the columns are ${spec.map((c) => c.name).join(', ')}`,
      });
      return undefined;
    }
    if (seen.has(name)) {
      problems.push({ line: 1, column: name, reason: 'the column appears twice' });
      return undefined;
    }
    seen.add(name);
    return name;
  });
  for (const column of spec) {
    if (column.required && !seen.has(column.name)) {
      problems.push({ line: 1, column: column.name, reason: 'required column is missing from the header' });
    }
  }
  return { header, columns: header.filter((n): n is string => n !== undefined) };
}

/** The line a record starts on: the one after the previous record, unless blank lines were skipped. */
function firstLine(previousEnd: number, end: number, record: string[]): number {
  const newlinesInside = record.reduce((n, cell) => n + (cell.match(/\r\n|\r|\n/g)?.length ?? 0), 0);
  return Math.max(previousEnd + 1, end - newlinesInside);
}
