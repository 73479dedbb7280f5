import { asc, sql } from 'drizzle-orm';
import { normaliseLocationPath } from '../../inventory/ledger-input.js';
import type { Executor } from '../client.js';
import { locations } from '../schema/index.js';

export type Location = typeof locations.$inferSelect;
export type LocationKind = Location['kind'];

export async function getLocation(db: Executor, input: { path: string }): Promise<Location | undefined> {
  const [row] = await db
    .select()
    .from(locations)
    .where(sql`lower(${locations.path}) = lower(${normaliseLocationPath(input.path)})`);
  return row;
}

export const listLocations = (db: Executor): Promise<Location[]> =>
  db.select().from(locations).orderBy(asc(locations.path));

/** Default kinds by position: the root is a warehouse, the leaf a bin, anything between a zone. */
const kindAt = (depth: number, last: number): LocationKind => (depth === 0 ? 'warehouse' : depth === last ? 'bin' : 'zone');

/**
 * Creates the location and any missing ancestors ('Main/Aisle 3/Bin 12' creates Main and Aisle 3
 * when needed) and returns it. Existing parts keep their stored name and kind; `kind` sets the
 * leaf's kind when it is created. Safe to call concurrently.
 */
export async function ensureLocation(db: Executor, input: { path: string; kind?: LocationKind }): Promise<Location> {
  const parts = normaliseLocationPath(input.path).split('/');
  let parent: Location | undefined;
  for (const [depth, name] of parts.entries()) {
    const path = parent ? `${parent.path}/${name}` : name;
    const kind = depth === parts.length - 1 && input.kind ? input.kind : kindAt(depth, parts.length - 1);
    await db.insert(locations).values({ name, path, kind, depth, parentId: parent?.id ?? null }).onConflictDoNothing();
    parent = await getLocation(db, { path });
    if (!parent) throw new Error(`location ${path} vanished while being created`);
  }
  return parent!;
}

/** ensureLocation for many paths (imports); shared ancestors are created once. */
export async function ensureLocations(db: Executor, paths: string[]): Promise<Map<string, Location>> {
  const byPath = new Map<string, Location>();
  for (const path of [...new Set(paths.map(normaliseLocationPath))].sort()) {
    byPath.set(path.toLowerCase(), await ensureLocation(db, { path }));
  }
  return byPath;
}
