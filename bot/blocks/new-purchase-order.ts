import type { ExternalSelect, InputBlock, KnownBlock, ModalView, PlainTextOption, StaticSelect } from '@slack/types';
import { MONEY_SCALE, parseDecimal } from '../../inventory/decimal.js';
import { NEW_PO_MODAL } from '../ids.js';
import { SLACK_LIMITS } from './limits.js';
import { quantityProblem, type FieldErrors, type ViewStateValues } from './request-modal.js';
import { truncate } from './mrkdwn.js';

/**
 * The buyer's "New purchase order" modal (global shortcut): a vendor from a static list and up to
 * NEW_PO_MAX_LINES lines (item by the request modal's type-ahead, quantity, optional unit price), and
 * the pure half of its submission.
 */

/** Lines one modal offers (3 blocks each); a bigger order comes from restock suggestions or the CLI. */
export const NEW_PO_MAX_LINES = 5;

export interface VendorChoice {
  code: string;
  name: string;
}

export interface NewPurchaseOrderDraft {
  vendor: string;
  lines: { sku: string; quantity: string; unitPrice?: string }[];
}

const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(text, max) });

export const vendorOption = (v: VendorChoice): PlainTextOption => ({ text: plain(`${v.code} · ${v.name}`, SLACK_LIMITS.optionText), value: v.code });

function lineBlocks(line: number): InputBlock[] {
  const label = (what: string) => plain(`${what} (line ${line + 1})`, SLACK_LIMITS.inputLabel);
  const item: ExternalSelect = {
    type: 'external_select',
    action_id: NEW_PO_MODAL.itemAction,
    placeholder: plain('SKU, name or barcode', SLACK_LIMITS.placeholder),
    min_query_length: 1,
  };
  // Every line is optional for Slack: the app says which line needs what (the first one at least).
  return [
    { type: 'input', block_id: NEW_PO_MODAL.itemBlock(line), optional: true, label: label('Item'), element: item },
    {
      type: 'input',
      block_id: NEW_PO_MODAL.quantityBlock(line),
      optional: true,
      label: label('Quantity'),
      element: { type: 'plain_text_input', action_id: NEW_PO_MODAL.quantityAction, placeholder: plain('e.g. 50', SLACK_LIMITS.placeholder) },
    },
    {
      type: 'input',
      block_id: NEW_PO_MODAL.priceBlock(line),
      optional: true,
      label: label('Unit price'),
      hint: plain("Empty: the vendor's price on the reorder policy, else the item's standard cost.", SLACK_LIMITS.inputHint),
      element: { type: 'plain_text_input', action_id: NEW_PO_MODAL.priceAction, placeholder: plain('e.g. 1.25', SLACK_LIMITS.placeholder) },
    },
  ];
}

/**
 * The modal. Up to Slack's 100 options the vendors are a list; with more (pass one past the limit to
 * say so) the vendor is typed ahead (external select, answered by the vendor suggestions listener).
 */
export function newPurchaseOrderModal(vendors: VendorChoice[]): ModalView {
  const placeholder = plain('Who supplies it', SLACK_LIMITS.placeholder);
  const vendor: StaticSelect | ExternalSelect =
    vendors.length <= SLACK_LIMITS.selectOptions
      ? { type: 'static_select', action_id: NEW_PO_MODAL.vendorAction, placeholder, options: vendors.map(vendorOption) }
      : { type: 'external_select', action_id: NEW_PO_MODAL.vendorAction, placeholder, min_query_length: 0 };
  const blocks: KnownBlock[] = [{ type: 'input', block_id: NEW_PO_MODAL.vendorBlock, label: plain('Vendor', SLACK_LIMITS.inputLabel), element: vendor }];
  for (let line = 0; line < NEW_PO_MAX_LINES; line++) blocks.push(...lineBlocks(line));
  return {
    type: 'modal',
    callback_id: NEW_PO_MODAL.callbackId,
    title: plain('New purchase order', SLACK_LIMITS.viewTitle),
    submit: plain('Create draft', 24),
    close: plain('Cancel', 24),
    blocks,
  };
}

/** Why a typed unit price is not one (undefined when it is). */
export function priceProblem(text: string): string | undefined {
  const price = parseDecimal(text);
  if (!price) return `"${truncate(text, 20)}" is not a price; use digits and a dot, e.g. 1.25.`;
  if (price.isNegative()) return 'A price cannot be negative.';
  if (price.decimalPlaces() > MONEY_SCALE) return `At most ${MONEY_SCALE} decimals.`;
  return undefined;
}

/**
 * Reads the submission and makes the checks that need no database: a vendor, at least one line, each
 * filled line with an item and a positive quantity, prices that are prices. Errors are keyed by block_id.
 */
export function readNewPurchaseOrderSubmission(values: ViewStateValues): { draft: NewPurchaseOrderDraft; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const text = (block: string, action: string) => (values[block]?.[action]?.value ?? '').trim();
  const vendor = values[NEW_PO_MODAL.vendorBlock]?.[NEW_PO_MODAL.vendorAction]?.selected_option?.value ?? '';
  if (!vendor) errors[NEW_PO_MODAL.vendorBlock] = 'Pick the vendor.';
  const lines: NewPurchaseOrderDraft['lines'] = [];
  for (let line = 0; line < NEW_PO_MAX_LINES; line++) {
    const sku = values[NEW_PO_MODAL.itemBlock(line)]?.[NEW_PO_MODAL.itemAction]?.selected_option?.value ?? '';
    const quantity = text(NEW_PO_MODAL.quantityBlock(line), NEW_PO_MODAL.quantityAction);
    const unitPrice = text(NEW_PO_MODAL.priceBlock(line), NEW_PO_MODAL.priceAction);
    if (!sku && !quantity && !unitPrice) continue;
    if (!sku) errors[NEW_PO_MODAL.itemBlock(line)] = 'Pick an item for this line, or clear it.';
    const qtyProblem = quantityProblem(quantity);
    if (qtyProblem) errors[NEW_PO_MODAL.quantityBlock(line)] = qtyProblem;
    const pp = unitPrice ? priceProblem(unitPrice) : undefined;
    if (pp) errors[NEW_PO_MODAL.priceBlock(line)] = pp;
    lines.push({ sku, quantity, ...(unitPrice ? { unitPrice } : {}) });
  }
  if (lines.length === 0) errors[NEW_PO_MODAL.itemBlock(0)] = 'Add at least one line: an item and its quantity.';
  return { draft: { vendor, lines }, errors };
}

/**
 * createPurchaseOrder's refusal put under its field. Lines are numbered from 1 there and in the draft's
 * order here, which skips empty modal lines, so `lineIndex` maps a draft line back to its modal line.
 */
export function newPurchaseOrderErrorBlock(field: string | undefined, lineNo: number | undefined, lineIndex: number[]): string {
  const line = lineIndex[(lineNo ?? 1) - 1] ?? 0;
  switch (field) {
    case 'vendor':
      return NEW_PO_MODAL.vendorBlock;
    case 'quantity':
      return NEW_PO_MODAL.quantityBlock(line);
    case 'unitPrice':
      return NEW_PO_MODAL.priceBlock(line);
    default:
      return NEW_PO_MODAL.itemBlock(line);
  }
}

/** Modal line index of each draft line, in order (the lines the buyer filled). */
export function filledLines(values: ViewStateValues): number[] {
  const out: number[] = [];
  for (let line = 0; line < NEW_PO_MAX_LINES; line++) {
    const has = (block: string, action: string) => Boolean((values[block]?.[action]?.value ?? '').trim());
    const sku = values[NEW_PO_MODAL.itemBlock(line)]?.[NEW_PO_MODAL.itemAction]?.selected_option?.value;
    if (sku || has(NEW_PO_MODAL.quantityBlock(line), NEW_PO_MODAL.quantityAction) || has(NEW_PO_MODAL.priceBlock(line), NEW_PO_MODAL.priceAction)) out.push(line);
  }
  return out;
}
