import type { PolicyEvaluation, SqlEvaluation } from '../../db/queries/reorder-check.js';

/** The fields in which the set-based check (SQL) and inventory/reorder.ts (Node) must agree, policy by policy. */
export const DECISION_FIELDS = [
  'status',
  'available',
  'position',
  'leadTimeDays',
  'safetyStock',
  'reorderPoint',
  'computedSafetyStock',
  'computedReorderPoint',
  'max',
  'eoq',
  'suggestedQuantity',
  'daysOfCover',
  'demandSource',
  'leadTimeDemand',
] as const;

/** Every policy whose decision differs between the two paths, with both sides, for the test's failure message. */
export function decisionMismatches(inNode: Map<string, PolicyEvaluation>, inSql: Map<string, SqlEvaluation>): string[] {
  const mismatches: string[] = [];
  for (const [id, node] of inNode) {
    const s = inSql.get(id);
    const fromNode = Object.fromEntries(DECISION_FIELDS.map((k) => [k, node.evaluation[k]]));
    const fromSql = s ? Object.fromEntries(DECISION_FIELDS.map((k) => [k, s[k]])) : undefined;
    if (JSON.stringify(fromNode) !== JSON.stringify(fromSql)) mismatches.push(`${node.sku}: node ${JSON.stringify(fromNode)} sql ${JSON.stringify(fromSql)}`);
  }
  return mismatches;
}
