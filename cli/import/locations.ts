import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Database } from '../../db/client.js';
import { locationKind, locations } from '../../db/schema/index.js';
import { enumField, locationPathField } from '../csv/fields.js';
import type { CsvProblem, CsvTable } from '../csv/read-csv.js';
import { chunks, type ImportOptions, type ImportResult } from './result.js';

export type LocationKind = (typeof locationKind.enumValues)[number];
export const LOCATION_KINDS: readonly LocationKind[] = locationKind.enumValues;

/** A sensible kind from a location's name ('Aisle 3' is an aisle); roots are warehouses, other leaves bins. */
export function guessKind(name: string, depth: number, leaf: boolean): LocationKind {
  if (depth === 0) return 'warehouse';
  const first = name.toLowerCase().split(/[\s\d-]/)[0]!;
  const byWord: Record<string, LocationKind> = { zone: 'zone', aisle: 'aisle', rack: 'rack', shelf: 'shelf', bin: 'bin', area: 'area', dock: 'area', warehouse: 'warehouse' };
  return byWord[first] ?? (leaf ? 'bin' : 'zone');
}

interface LocationInput {
  line: number;
  segments: string[];
  kind?: LocationKind;
}

export function parseLocationRows(table: CsvTable): { inputs: LocationInput[]; problems: CsvProblem[] } {
  const problems: CsvProblem[] = [];
  const inputs: LocationInput[] = [];
  const firstLine = new Map<string, number>();
  for (const { line, cells } of table.rows) {
    const before = problems.length;
    const pathText = cells.path ?? '';
    let segments: string[] | undefined;
    if (pathText === '') problems.push({ line, column: 'path', reason: 'is required and empty' });
    else {
      const field = locationPathField(pathText);
      if (field.ok) segments = field.value;
      else problems.push({ line, column: 'path', reason: field.reason });
    }
    let kind: LocationKind | undefined;
    if (cells.kind) {
      const field = enumField(cells.kind, LOCATION_KINDS, 'location kind');
      if (field.ok) kind = field.value;
      else problems.push({ line, column: 'kind', reason: field.reason });
    }
    if (segments) {
      const key = segments.join('/').toLowerCase();
      const first = firstLine.get(key);
      if (first !== undefined) problems.push({ line, column: 'path', reason: `${segments.join('/')} is already on line ${first} (paths ignore case)` });
      else firstLine.set(key, line);
    }
    if (problems.length === before && segments) inputs.push({ line, segments, kind });
  }
  return { inputs, problems };
}

/**
 * Creates every location the file names, with its missing parents ('Main/Aisle 3/Bin 12' also makes
 * 'Main' and 'Main/Aisle 3'), and updates the kind of existing ones when the file gives one. One
 * transaction; re-importing the same file changes nothing.
 */
export async function importLocations(db: Database, table: CsvTable, opts: ImportOptions = {}): Promise<ImportResult> {
  const { inputs, problems } = parseLocationRows(table);
  const result: ImportResult = { kind: 'locations', rows: table.rows.length, created: 0, updated: 0, unchanged: 0, problems: [...table.problems, ...problems] };
  if (result.problems.length) return result;

  return db.transaction(async (tx) => {
    await tx.execute(sql`lock table locations in share row exclusive mode`);
    const stored = await tx.select({ id: locations.id, path: locations.path, kind: locations.kind }).from(locations);
    const byPath = new Map(stored.map((row) => [row.path.toLowerCase(), row]));
    type NewLocation = typeof locations.$inferInsert & { id: string; path: string; depth: number };
    const created = new Map<string, NewLocation>();
    const kindUpdates: { id: string; kind: LocationKind }[] = [];
    const explicitKinds = new Map(inputs.filter((i) => i.kind).map((i) => [i.segments.join('/').toLowerCase(), i.kind!]));

    for (const input of inputs) {
      let parent: { id: string; path: string } | undefined;
      input.segments.forEach((name, depth) => {
        const key = input.segments.slice(0, depth + 1).join('/').toLowerCase();
        const leaf = depth === input.segments.length - 1;
        const existing = byPath.get(key) ?? created.get(key);
        if (existing) {
          if (leaf && input.kind && byPath.has(key) && existing.kind !== input.kind) kindUpdates.push({ id: existing.id, kind: input.kind });
          else if (leaf) result.unchanged++;
          parent = existing;
          return;
        }
        // Children keep the stored spelling of an existing parent ('main/…' under 'Main').
        const path = parent ? `${parent.path}/${name}` : name;
        const row: NewLocation = {
          id: crypto.randomUUID(),
          parentId: parent?.id ?? null,
          name,
          path,
          depth,
          kind: explicitKinds.get(key) ?? guessKind(name, depth, leaf),
        };
        created.set(key, row);
        parent = row;
      });
    }
    result.updated = kindUpdates.length;
    result.created = created.size; // parents the file implies count too

    // Parents before children, so every parent id exists when its child is inserted.
    const rows = [...created.values()].sort((a, b) => a.depth - b.depth);
    let written = 0;
    const total = rows.length + kindUpdates.length;
    for (const batch of chunks(rows, 5000)) {
      // Batches go in depth order, so a parent is in the same or an earlier statement than its children
      // (foreign keys are checked at the end of each statement).
      await tx.execute(sql`
        insert into locations (id, parent_id, name, path, kind, depth)
        select id, parent_id, name, path, kind::location_kind, depth
          from jsonb_to_recordset(${JSON.stringify(batch.map((r) => ({ id: r.id, parent_id: r.parentId, name: r.name, path: r.path, kind: r.kind, depth: r.depth })))}::jsonb)
            as x(id uuid, parent_id uuid, name text, path text, kind text, depth smallint)`);
      written += batch.length;
      opts.onProgress?.(written, total);
    }
    for (const batch of chunks(kindUpdates, 5000)) {
      await tx.execute(sql`
        update locations l set kind = x.kind::location_kind
          from jsonb_to_recordset(${JSON.stringify(batch)}::jsonb) as x(id uuid, kind text) where l.id = x.id`);
      written += batch.length;
      opts.onProgress?.(written, total);
    }
    return result;
  });
}
