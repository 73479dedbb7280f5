import type { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time.js';
import proto from '@temporalio/proto';
import { searchAttributes } from '../workflows/search-attributes.js';

const { IndexedValueType } = proto.temporal.api.enums.v1;

/**
 * Creates the namespace if missing and registers the search attributes Stockroom uses; safe to
 * call on every start (the dev server already has them, an external cluster may not).
 */
export async function ensureNamespace(connection: Connection, namespace: string): Promise<void> {
  const service = connection.workflowService;
  try {
    await service.describeNamespace({ namespace });
  } catch {
    await service.registerNamespace({ namespace, workflowExecutionRetentionPeriod: msToTs('7 days') }).catch((err: { code?: number }) => {
      if (err.code !== 6 /* ALREADY_EXISTS */) throw err;
    });
  }
  const existing = await waitUntilServed(() => connection.operatorService.listSearchAttributes({ namespace }));
  const missing = Object.values(searchAttributes).filter((key) => !(key.name in (existing.customAttributes ?? {})));
  if (missing.length === 0) return;
  await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: indexedTypes(missing) }).catch(async (err: unknown) => {
    // Another replica starting at the same time added them first: fine if they are all there now.
    const now = await connection.operatorService.listSearchAttributes({ namespace });
    if (missing.some((key) => !(key.name in (now.customAttributes ?? {})))) throw err;
  });
}

/** A new namespace is served only once the frontend's namespace cache refreshes (seconds). */
async function waitUntilServed<T>(call: () => Promise<T>): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    try {
      return await call();
    } catch (err) {
      if ((err as { code?: number }).code !== 5 /* NOT_FOUND */ || Date.now() > deadline) throw err;
      await new Promise((r) => setTimeout(r, 250));
    }
  }
}

/** The operator API's form of our search attributes (all keywords or keyword lists). */
export function indexedTypes(keys: Array<(typeof searchAttributes)[keyof typeof searchAttributes]> = Object.values(searchAttributes)) {
  return Object.fromEntries(
    keys.map((key) => [key.name, key.type === 'KEYWORD_LIST' ? IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST : IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
  );
}
