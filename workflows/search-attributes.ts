import { defineSearchAttributeKey } from '@temporalio/common';

/**
 * Search attributes registered on the dev server at start, so operators can find workflows by
 * business key in the Temporal UI and CLI (`temporal workflow list -q "Sku = 'PAPER-A4'"`).
 */
export const searchAttributes = {
  documentStatus: defineSearchAttributeKey('DocumentStatus', 'KEYWORD'),
  requester: defineSearchAttributeKey('Requester', 'KEYWORD'),
  approvers: defineSearchAttributeKey('Approvers', 'KEYWORD_LIST'),
  costCenter: defineSearchAttributeKey('CostCenter', 'KEYWORD'),
  sku: defineSearchAttributeKey('Sku', 'KEYWORD'),
  vendor: defineSearchAttributeKey('Vendor', 'KEYWORD'),
} as const;

/** `--search-attribute` values for `temporal server start-dev`. */
export const searchAttributeFlags: string[] = Object.values(searchAttributes).map(
  (key) => `${key.name}=${key.type === 'KEYWORD_LIST' ? 'KeywordList' : 'Keyword'}`,
);
