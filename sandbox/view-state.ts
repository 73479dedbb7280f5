import type { StateValue, View } from './workspace.js';

/**
 * What a person has entered in a view, in the shapes Slack sends as view.state.values, plus the checks
 * Slack's own client makes before it sends a submission at all (required fields, number format).
 */

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface StatefulElement {
  blockId: string;
  actionId: string;
  blockType: 'input' | 'actions' | 'section';
  element: Json;
  /** Input blocks are required unless `optional: true`. */
  required: boolean;
  dispatchAction: boolean;
}

const STATELESS = new Set(['button', 'overflow', 'image', 'workflow_button']);

/** Every element of the blocks that holds a value (inputs, selects and pickers in actions and accessories). */
export function statefulElements(blocks: unknown[]): StatefulElement[] {
  const found: StatefulElement[] = [];
  for (const block of blocks) {
    if (!isObject(block)) continue;
    const blockId = String(block.block_id ?? '');
    const consider = (el: unknown, blockType: StatefulElement['blockType']) => {
      if (!isObject(el) || STATELESS.has(String(el.type))) return;
      found.push({
        blockId,
        actionId: String(el.action_id ?? ''),
        blockType,
        element: el,
        required: blockType === 'input' && block.optional !== true,
        dispatchAction: block.dispatch_action === true,
      });
    };
    if (block.type === 'input') consider(block.element, 'input');
    if (block.type === 'actions' && Array.isArray(block.elements))
      block.elements.forEach((e) => consider(e, 'actions'));
    if (block.type === 'section') consider(block.accessory, 'section');
  }
  return found;
}

/** Finds an element anywhere in blocks by action_id (and block_id when given), buttons included. */
export function findElement(
  blocks: unknown[],
  actionId: string,
  blockId?: string,
): { blockId: string; element: Json } | undefined {
  for (const block of blocks) {
    if (!isObject(block)) continue;
    if (blockId !== undefined && block.block_id !== blockId) continue;
    const candidates = [
      ...(Array.isArray(block.elements) && block.type === 'actions' ? block.elements : []),
      block.accessory,
      block.element,
    ];
    for (const el of candidates) {
      if (isObject(el) && el.action_id === actionId) return { blockId: String(block.block_id), element: el };
    }
  }
  return undefined;
}

function allOptions(el: Json): Json[] {
  const direct = Array.isArray(el.options) ? (el.options as Json[]) : [];
  const grouped = Array.isArray(el.option_groups)
    ? (el.option_groups as Json[]).flatMap((g) => (Array.isArray(g.options) ? (g.options as Json[]) : []))
    : [];
  return [...direct, ...grouped];
}

export type SimpleOption = { value: string; text?: string };
/** A value as a test or the page gives it: a string, a list, an option, or Slack's own state value. */
export type SimpleValue = string | number | null | undefined | string[] | SimpleOption | SimpleOption[] | StateValue;

const plain = (text: string) => ({ type: 'plain_text', text, emoji: true });

function toOption(el: Json, input: string | SimpleOption): Json {
  const value = typeof input === 'string' ? input : input.value;
  const known = allOptions(el).find((o) => o.value === value);
  if (known) return known;
  if (typeof input !== 'string' && input.text !== undefined) return { text: plain(input.text), value };
  if (String(el.type).includes('external')) return { text: plain(value), value };
  throw new Error(`option ${JSON.stringify(value)} is not among the options of ${String(el.action_id)}`);
}

const asList = <T>(v: T | T[]): T[] => (Array.isArray(v) ? v : [v]);

/** Converts a simple value into the state value Slack would send for this element. */
export function toStateValue(el: Json, input: SimpleValue): StateValue {
  const type = String(el.type);
  if (isObject(input) && typeof (input as Json).type === 'string') return input as StateValue;
  const empty = input === null || input === undefined || (Array.isArray(input) && input.length === 0);
  switch (type) {
    case 'plain_text_input':
    case 'email_text_input':
    case 'url_text_input':
    case 'number_input':
      return { type, value: empty || input === '' ? null : String(input) };
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: empty ? null : toOption(el, input as string | SimpleOption) };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return {
        type,
        selected_options: empty ? [] : asList(input as string | SimpleOption).map((o) => toOption(el, o)),
      };
    case 'datepicker':
      return { type, selected_date: empty ? null : String(input) };
    case 'timepicker':
      return { type, selected_time: empty ? null : String(input) };
    case 'datetimepicker':
      return { type, selected_date_time: empty ? null : Number(input) };
    case 'users_select':
      return { type, selected_user: empty ? null : String(input) };
    case 'multi_users_select':
      return { type, selected_users: empty ? [] : asList(input as string[]) };
    case 'conversations_select':
      return { type, selected_conversation: empty ? null : String(input) };
    case 'multi_conversations_select':
      return { type, selected_conversations: empty ? [] : asList(input as string[]) };
    case 'channels_select':
      return { type, selected_channel: empty ? null : String(input) };
    case 'multi_channels_select':
      return { type, selected_channels: empty ? [] : asList(input as string[]) };
    default:
      return { type, value: empty ? null : String(input) };
  }
}

/** The state value an element starts with (its initial_* field), before the person touches it. */
export function initialStateValue(el: Json): StateValue {
  const type = String(el.type);
  switch (type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
      return { type, selected_option: el.initial_option ?? null };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { type, selected_options: el.initial_options ?? [] };
    case 'datepicker':
      return { type, selected_date: el.initial_date ?? null };
    case 'timepicker':
      return { type, selected_time: el.initial_time ?? null };
    case 'datetimepicker':
      return { type, selected_date_time: el.initial_date_time ?? null };
    case 'users_select':
      return { type, selected_user: el.initial_user ?? null };
    case 'multi_users_select':
      return { type, selected_users: el.initial_users ?? [] };
    case 'conversations_select':
      return { type, selected_conversation: el.initial_conversation ?? null };
    case 'multi_conversations_select':
      return { type, selected_conversations: el.initial_conversations ?? [] };
    case 'channels_select':
      return { type, selected_channel: el.initial_channel ?? null };
    case 'multi_channels_select':
      return { type, selected_channels: el.initial_channels ?? [] };
    case 'file_input':
      return { type, files: [] };
    default:
      return { type, value: typeof el.initial_value === 'string' ? el.initial_value : null };
  }
}

/** view.state.values as Slack sends it: every stateful element, the person's value or else its initial one. */
export function stateValues(view: Pick<View, 'blocks' | 'state'>): View['state']['values'] {
  const values: View['state']['values'] = {};
  for (const s of statefulElements(view.blocks)) {
    const entered = view.state.values[s.blockId]?.[s.actionId];
    (values[s.blockId] ??= {})[s.actionId] = entered ?? initialStateValue(s.element);
  }
  return values;
}

function isEmpty(v: StateValue): boolean {
  for (const [key, value] of Object.entries(v)) {
    if (key === 'type') continue;
    if (value === null || value === undefined || value === '') continue;
    if (Array.isArray(value) && value.length === 0) continue;
    return false;
  }
  return true;
}

/**
 * What Slack's client refuses before sending a view_submission: empty required inputs and malformed
 * numbers, keyed by block_id like response_action errors. Empty when the submission goes to the app.
 */
export function clientSideErrors(view: Pick<View, 'blocks' | 'state'>): Record<string, string> {
  const errors: Record<string, string> = {};
  const values = stateValues(view);
  for (const s of statefulElements(view.blocks)) {
    if (s.blockType !== 'input') continue;
    const v = values[s.blockId]?.[s.actionId];
    if (!v) continue;
    if (isEmpty(v)) {
      if (s.required) errors[s.blockId] = 'Please fill out this field.';
      continue;
    }
    const el = s.element;
    if (el.type === 'number_input' && typeof v.value === 'string') {
      const text = v.value.trim();
      const pattern = el.is_decimal_allowed === true ? /^-?(\d+(\.\d+)?|\.\d+)$/ : /^-?\d+$/;
      if (!pattern.test(text))
        errors[s.blockId] = el.is_decimal_allowed === true ? 'Enter a number.' : 'Enter a whole number.';
      // Bounds compared as decimal strings would need decimal math; Slack compares numerically and so do we,
      // only to decide whether to show the client-side message (no value is computed from it).
      else if (el.min_value !== undefined && Number(text) < Number(el.min_value))
        errors[s.blockId] = `Enter a number ≥ ${String(el.min_value)}.`;
      else if (el.max_value !== undefined && Number(text) > Number(el.max_value))
        errors[s.blockId] = `Enter a number ≤ ${String(el.max_value)}.`;
    }
    if (el.type === 'plain_text_input' && typeof v.value === 'string') {
      if (typeof el.min_length === 'number' && v.value.length < el.min_length) {
        errors[s.blockId] = `Enter at least ${el.min_length} characters.`;
      }
      if (typeof el.max_length === 'number' && v.value.length > el.max_length) {
        errors[s.blockId] = `Enter at most ${el.max_length} characters.`;
      }
    }
    if (el.type === 'email_text_input' && typeof v.value === 'string' && !/^[^\s@]+@[^\s@]+$/.test(v.value)) {
      errors[s.blockId] = 'Enter an email address.';
    }
  }
  return errors;
}
