import type {
  ActionsBlock,
  Button,
  ContextBlock,
  Datepicker,
  ExternalSelect,
  InputBlock,
  KnownBlock,
  ModalView,
  PlainTextOption,
  SectionBlock,
  StaticSelect,
} from '@slack/types';
import { parseDecimal, QTY_SCALE } from '../../inventory/decimal.js';
import { REQUEST_MODAL } from '../ids.js';
import { SLACK_LIMITS } from './limits.js';
import { escapeText, truncate } from './mrkdwn.js';

/**
 * The request modal: one or more lines (item by type-ahead, quantity, needed-by date), a reason and a
 * cost center; and the pure half of its submission (reading the state, the checks that need no database).
 */

/** Lines one modal offers: each takes three blocks, and beyond ten a spreadsheet import is the better tool. */
export const MAX_MODAL_LINES = 10;
export const MAX_REASON_CHARS = 500;
/** Cost centers listed in a static select; with more the field becomes a type-ahead (Slack allows 100 options). */
export const MAX_STATIC_COST_CENTERS = SLACK_LIMITS.selectOptions;

export interface RequestModalMetadata {
  /** Keys of the lines shown, in order; a line's blocks are named by its key. */
  keys: number[];
  next: number;
}

export interface CostCenterChoice {
  code: string;
  name: string;
}

export interface ItemChoice {
  sku: string;
  name: string;
  uom: string;
  available: string;
}

export interface RequestModalInput {
  metadata?: RequestModalMetadata;
  /** Active cost centers; undefined when they could not be loaded in time (the field becomes a type-ahead). */
  costCenters?: CostCenterChoice[];
  /** The first line's item, from `/request <text>`. */
  prefill?: ItemChoice;
  /** A sentence above the lines (e.g. what the pre-fill search found). */
  note?: string;
  /**
   * What the person had entered (view.state.values) when the modal is rebuilt for Add / Remove line: carried
   * into the new view as initial values, so nothing typed is lost whatever Slack keeps across views.update.
   */
  values?: ViewStateValues;
}

const plain = (text: string, max: number) => ({ type: 'plain_text' as const, text: truncate(text, max) });

export const itemOptionText = (item: { sku: string; name: string }): string => truncate(`${item.sku} · ${item.name}`, SLACK_LIMITS.optionText);

/** An item as a type-ahead option: SKU and name, with what is available as the description. */
export function itemOption(item: ItemChoice): PlainTextOption {
  return {
    text: plain(itemOptionText(item), SLACK_LIMITS.optionText),
    value: item.sku,
    description: plain(`${item.available} ${item.uom} available`, SLACK_LIMITS.optionDescription),
  };
}

export function costCenterOption(center: CostCenterChoice): PlainTextOption {
  return { text: plain(`${center.code} · ${center.name}`, SLACK_LIMITS.optionText), value: center.code };
}

export const initialMetadata = (): RequestModalMetadata => ({ keys: [0], next: 1 });

export function encodeMetadata(metadata: RequestModalMetadata): string {
  return JSON.stringify(metadata);
}

/** Reads the modal's metadata; anything unreadable counts as the single first line. */
export function decodeMetadata(raw: string | undefined): RequestModalMetadata {
  try {
    const parsed = JSON.parse(raw ?? '') as Partial<RequestModalMetadata>;
    const keys = Array.isArray(parsed.keys) ? parsed.keys.filter((k): k is number => Number.isInteger(k) && k >= 0) : [];
    if (keys.length === 0) return initialMetadata();
    const next = Number.isInteger(parsed.next) && parsed.next! > Math.max(...keys) ? parsed.next! : Math.max(...keys) + 1;
    return { keys: keys.slice(0, MAX_MODAL_LINES), next };
  } catch {
    return initialMetadata();
  }
}

export const withAddedLine = (m: RequestModalMetadata): RequestModalMetadata =>
  m.keys.length >= MAX_MODAL_LINES ? m : { keys: [...m.keys, m.next], next: m.next + 1 };

export const withoutLastLine = (m: RequestModalMetadata): RequestModalMetadata => (m.keys.length <= 1 ? m : { keys: m.keys.slice(0, -1), next: m.next });

/** An option the person picked, as an initial option again (Slack sends its text back with the value). */
function pickedOption(selected: SelectedOption | null | undefined): PlainTextOption | undefined {
  if (!selected?.value) return undefined;
  return { text: plain(selected.text?.text ?? selected.value, SLACK_LIMITS.optionText), value: selected.value };
}

function lineBlocks(key: number, index: number, prefill: ItemChoice | undefined, values: ViewStateValues): InputBlock[] {
  const label = (what: string) => plain(index === 0 ? what : `${what} (line ${index + 1})`, SLACK_LIMITS.inputLabel);
  const entered = (block: string, action: string) => values[block]?.[action];
  const chosen = pickedOption(entered(REQUEST_MODAL.itemBlock(key), REQUEST_MODAL.itemAction)?.selected_option) ?? (prefill ? itemOption(prefill) : undefined);
  const typed = entered(REQUEST_MODAL.quantityBlock(key), REQUEST_MODAL.quantityAction)?.value;
  const date = entered(REQUEST_MODAL.neededByBlock(key), REQUEST_MODAL.neededByAction)?.selected_date;
  const item: ExternalSelect = {
    type: 'external_select',
    action_id: REQUEST_MODAL.itemAction,
    placeholder: plain('SKU, name or barcode', SLACK_LIMITS.placeholder),
    min_query_length: 1,
    ...(chosen ? { initial_option: chosen } : {}),
  };
  const neededBy: Datepicker = {
    type: 'datepicker',
    action_id: REQUEST_MODAL.neededByAction,
    placeholder: plain('Any time', SLACK_LIMITS.placeholder),
    ...(date ? { initial_date: date } : {}),
  };
  return [
    { type: 'input', block_id: REQUEST_MODAL.itemBlock(key), label: label('Item'), element: item },
    {
      type: 'input',
      block_id: REQUEST_MODAL.quantityBlock(key),
      label: label('Quantity'),
      // Free text rather than number_input: the app checks the decimals each unit allows and says so.
      element: {
        type: 'plain_text_input',
        action_id: REQUEST_MODAL.quantityAction,
        placeholder: plain('e.g. 5', SLACK_LIMITS.placeholder),
        ...(typed ? { initial_value: typed } : {}),
      },
    },
    { type: 'input', block_id: REQUEST_MODAL.neededByBlock(key), optional: true, label: label('Needed by'), element: neededBy },
  ];
}

function costCenterElement(costCenters: CostCenterChoice[] | undefined, selected: SelectedOption | null | undefined): StaticSelect | ExternalSelect {
  const placeholder = plain('Who pays', SLACK_LIMITS.placeholder);
  if (costCenters && costCenters.length > 0 && costCenters.length <= MAX_STATIC_COST_CENTERS) {
    const options = costCenters.map(costCenterOption);
    const initial = options.find((o) => o.value === selected?.value) ?? (options.length === 1 ? options[0] : undefined);
    return { type: 'static_select', action_id: REQUEST_MODAL.costCenterAction, placeholder, options, ...(initial ? { initial_option: initial } : {}) };
  }
  const initial = pickedOption(selected);
  return { type: 'external_select', action_id: REQUEST_MODAL.costCenterAction, placeholder, min_query_length: 0, ...(initial ? { initial_option: initial } : {}) };
}

/** The modal for a new requisition (and the same modal after Add line / Remove line). */
export function requestModal(input: RequestModalInput = {}): ModalView {
  const metadata = input.metadata ?? initialMetadata();
  const values = input.values ?? {};
  const reason = values[REQUEST_MODAL.reasonBlock]?.[REQUEST_MODAL.reasonAction]?.value;
  const intro: SectionBlock = {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: truncate(
        `Ask the stockroom for supplies. Find each item by SKU, name or barcode.${input.note ? `\n${input.note}` : ''}` +
          (input.costCenters?.length === 0 ? '\n:warning: No cost centers are set up yet, so nothing can be charged; ask a Stockroom admin.' : ''),
        SLACK_LIMITS.sectionText,
      ),
    },
  };
  const blocks: KnownBlock[] = [intro, ...metadata.keys.flatMap((key, i) => lineBlocks(key, i, i === 0 ? input.prefill : undefined, values))];
  const buttons: Button[] = [];
  if (metadata.keys.length < MAX_MODAL_LINES) {
    buttons.push({ type: 'button', action_id: REQUEST_MODAL.addLineAction, text: plain('Add line', SLACK_LIMITS.buttonText) });
  }
  if (metadata.keys.length > 1) {
    buttons.push({ type: 'button', action_id: REQUEST_MODAL.removeLineAction, text: plain('Remove last line', SLACK_LIMITS.buttonText) });
  }
  if (buttons.length) blocks.push({ type: 'actions', block_id: REQUEST_MODAL.linesBlock, elements: buttons } satisfies ActionsBlock);
  else {
    blocks.push({
      type: 'context',
      elements: [{ type: 'mrkdwn', text: `${MAX_MODAL_LINES} lines is the most one request takes; send another for the rest.` }],
    } satisfies ContextBlock);
  }
  blocks.push(
    {
      type: 'input',
      block_id: REQUEST_MODAL.reasonBlock,
      label: plain('Reason', SLACK_LIMITS.inputLabel),
      element: {
        type: 'plain_text_input',
        action_id: REQUEST_MODAL.reasonAction,
        multiline: true,
        max_length: MAX_REASON_CHARS,
        placeholder: plain('What are the supplies for?', SLACK_LIMITS.placeholder),
        ...(reason ? { initial_value: reason } : {}),
      },
    },
    {
      type: 'input',
      block_id: REQUEST_MODAL.costCenterBlock,
      label: plain('Cost center', SLACK_LIMITS.inputLabel),
      element: costCenterElement(input.costCenters, values[REQUEST_MODAL.costCenterBlock]?.[REQUEST_MODAL.costCenterAction]?.selected_option),
    },
  );
  return {
    type: 'modal',
    callback_id: REQUEST_MODAL.callbackId,
    title: plain('Request supplies', SLACK_LIMITS.viewTitle),
    submit: plain('Submit', SLACK_LIMITS.viewSubmit),
    close: plain('Cancel', SLACK_LIMITS.viewClose),
    private_metadata: encodeMetadata(metadata),
    blocks,
  };
}

// ---- the submission ----

type SelectedOption = { value: string; text?: { text: string } };

/** view.state.values as Slack sends it (only the fields read here). */
export type ViewStateValues = Record<
  string,
  Record<string, { type?: string; value?: string | null; selected_option?: SelectedOption | null; selected_date?: string | null }>
>;

export interface RequestDraft {
  costCenter: string;
  reason: string;
  lines: { sku: string; quantity: string; neededBy?: string }[];
}

export type FieldErrors = Record<string, string>;

/**
 * Reads a submitted request modal and makes the checks that need no database: something picked, a
 * quantity that is a positive number with at most the ledger's decimals, a needed-by date not before
 * `today`, a reason, a cost center. Errors are keyed by block_id, as response_action "errors" wants them.
 */
export function readRequestSubmission(
  values: ViewStateValues,
  metadata: RequestModalMetadata,
  opts: { today: string },
): { draft: RequestDraft; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const lines: RequestDraft['lines'] = [];
  for (const key of metadata.keys) {
    const sku = values[REQUEST_MODAL.itemBlock(key)]?.[REQUEST_MODAL.itemAction]?.selected_option?.value ?? '';
    const quantity = (values[REQUEST_MODAL.quantityBlock(key)]?.[REQUEST_MODAL.quantityAction]?.value ?? '').trim();
    const neededBy = values[REQUEST_MODAL.neededByBlock(key)]?.[REQUEST_MODAL.neededByAction]?.selected_date ?? undefined;
    if (!sku) errors[REQUEST_MODAL.itemBlock(key)] = 'Pick an item from the list.';
    const problem = quantityProblem(quantity);
    if (problem) errors[REQUEST_MODAL.quantityBlock(key)] = problem;
    if (neededBy && neededBy < opts.today) errors[REQUEST_MODAL.neededByBlock(key)] = 'Needed-by must be today or later.';
    lines.push({ sku, quantity, ...(neededBy ? { neededBy } : {}) });
  }
  const reason = (values[REQUEST_MODAL.reasonBlock]?.[REQUEST_MODAL.reasonAction]?.value ?? '').trim();
  if (!reason) errors[REQUEST_MODAL.reasonBlock] = 'Say what the supplies are for.';
  else if (reason.length > MAX_REASON_CHARS) errors[REQUEST_MODAL.reasonBlock] = `Keep the reason under ${MAX_REASON_CHARS} characters.`;
  const costCenter = values[REQUEST_MODAL.costCenterBlock]?.[REQUEST_MODAL.costCenterAction]?.selected_option?.value ?? '';
  if (!costCenter) errors[REQUEST_MODAL.costCenterBlock] = 'Pick the cost center that pays.';
  return { draft: { costCenter, reason, lines }, errors };
}

/** Why a typed quantity is not one (undefined when it is); the unit's own decimals are checked against the item. */
export function quantityProblem(text: string): string | undefined {
  if (!text) return 'Enter a quantity.';
  const quantity = parseDecimal(text);
  if (!quantity) return `"${truncate(text, 20)}" is not a number; use digits and a dot, e.g. 5 or 2.5.`;
  if (!quantity.gt(0)) return 'Enter a quantity above zero.';
  if (quantity.decimalPlaces() > QTY_SCALE) return `At most ${QTY_SCALE} decimals.`;
  return undefined;
}

/** The database's field errors (createRequisition) put under the blocks they are about. */
export function blockErrors(
  errors: { field: string; line?: number; message: string }[],
  metadata: RequestModalMetadata,
): FieldErrors {
  const out: FieldErrors = {};
  const put = (blockId: string, message: string) => {
    out[blockId] = out[blockId] ? truncate(`${out[blockId]} ${message}`, 300) : message;
  };
  for (const e of errors) {
    const key = metadata.keys[e.line ?? 0] ?? metadata.keys[0]!;
    switch (e.field) {
      case 'sku':
      case 'lines':
        put(REQUEST_MODAL.itemBlock(key), e.message);
        break;
      case 'quantity':
        put(REQUEST_MODAL.quantityBlock(key), e.message);
        break;
      case 'neededBy':
        put(REQUEST_MODAL.neededByBlock(key), e.message);
        break;
      case 'reason':
        put(REQUEST_MODAL.reasonBlock, e.message);
        break;
      default:
        put(REQUEST_MODAL.costCenterBlock, e.message);
    }
  }
  return out;
}

/** Said when the app could not answer in time and the person is told afterwards, in a DM. */
export function lateProblemsText(errors: { line?: number; message: string }[]): string {
  const list = errors.map((e) => `• ${e.line === undefined ? '' : `Line ${e.line + 1}: `}${escapeText(e.message)}`).join('\n');
  return truncate(`Your request was not submitted:\n${list}\nOpen /request and try again.`, SLACK_LIMITS.sectionText);
}
