import crypto from 'node:crypto';
import { SLACK_LIMITS as L } from '../bot/blocks/limits.js';

/**
 * Block Kit validation as Slack's API applies it: each problem is reported the way Slack words it in
 * response_metadata.messages, `[ERROR] <what> [json-pointer:/blocks/3/text/text]`. Only limits and shapes the
 * app could realistically break are checked; a block type Slack knows but the page does not render is valid.
 */

type Json = Record<string, unknown>;

const KNOWN_BLOCKS = new Set([
  'section',
  'header',
  'divider',
  'image',
  'context',
  'actions',
  'input',
  'rich_text',
  'file',
  'video',
  'markdown',
  'call',
  'table',
  'context_actions',
]);
const INPUT_ONLY_IN_VIEWS = 'input';
const INTERACTIVE_ELEMENTS = new Set([
  'button',
  'checkboxes',
  'datepicker',
  'datetimepicker',
  'timepicker',
  'overflow',
  'radio_buttons',
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
  'plain_text_input',
  'number_input',
  'email_text_input',
  'url_text_input',
  'rich_text_input',
  'file_input',
  'image',
  'workflow_button',
]);

export type Surface = 'message' | 'modal' | 'home';

class Problems {
  readonly list: string[] = [];
  add(pointer: string, what: string): void {
    this.list.push(`[ERROR] ${what} [json-pointer:${pointer}]`);
  }
  maxLength(pointer: string, value: unknown, max: number): void {
    if (typeof value === 'string' && value.length > max) this.add(pointer, `must be less than ${max + 1} characters`);
  }
  maxItems(pointer: string, value: unknown, max: number): void {
    if (Array.isArray(value) && value.length > max) this.add(pointer, `no more than ${max} items allowed`);
  }
}

const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

function textObject(
  p: Problems,
  pointer: string,
  value: unknown,
  max: number,
  opts: { plainOnly?: boolean } = {},
): void {
  if (!isObject(value)) {
    p.add(pointer, 'must be a text object');
    return;
  }
  if (value.type !== 'plain_text' && value.type !== 'mrkdwn') p.add(`${pointer}/type`, 'must be plain_text or mrkdwn');
  else if (opts.plainOnly && value.type !== 'plain_text') p.add(`${pointer}/type`, 'must be plain_text');
  if (typeof value.text !== 'string') p.add(`${pointer}/text`, 'must be a string');
  else if (value.text.length === 0) p.add(`${pointer}/text`, 'must be more than 0 characters');
  p.maxLength(`${pointer}/text`, value.text, max);
}

function options(p: Problems, pointer: string, list: unknown, max: number): void {
  if (!Array.isArray(list)) {
    p.add(pointer, 'must be an array');
    return;
  }
  p.maxItems(pointer, list, max);
  list.forEach((option, i) => {
    const at = `${pointer}/${i}`;
    if (!isObject(option)) return p.add(at, 'must be an option object');
    textObject(p, `${at}/text`, option.text, L.optionText);
    if (option.value !== undefined) p.maxLength(`${at}/value`, option.value, L.optionValue);
    if (option.description !== undefined) textObject(p, `${at}/description`, option.description, L.optionDescription);
  });
}

function element(p: Problems, pointer: string, el: unknown, surface: Surface): void {
  if (!isObject(el)) return p.add(pointer, 'must be an element object');
  const type = String(el.type);
  if (!INTERACTIVE_ELEMENTS.has(type)) return p.add(`${pointer}/type`, `unsupported type: ${type}`);
  if (el.action_id !== undefined) p.maxLength(`${pointer}/action_id`, el.action_id, L.actionId);
  if (el.placeholder !== undefined)
    textObject(p, `${pointer}/placeholder`, el.placeholder, L.placeholder, { plainOnly: true });
  switch (type) {
    case 'button':
      textObject(p, `${pointer}/text`, el.text, L.buttonText, { plainOnly: true });
      p.maxLength(`${pointer}/value`, el.value, L.buttonValue);
      p.maxLength(`${pointer}/url`, el.url, L.buttonUrl);
      if (el.style !== undefined && el.style !== 'primary' && el.style !== 'danger') {
        p.add(`${pointer}/style`, 'must be one of primary, danger');
      }
      break;
    case 'static_select':
    case 'multi_static_select':
      if (el.options === undefined && el.option_groups === undefined)
        p.add(pointer, 'must provide options or option_groups');
      if (el.options !== undefined) options(p, `${pointer}/options`, el.options, L.selectOptions);
      if (Array.isArray(el.option_groups)) {
        p.maxItems(`${pointer}/option_groups`, el.option_groups, L.optionGroups);
        el.option_groups.forEach((group: unknown, i: number) => {
          if (!isObject(group)) return;
          textObject(p, `${pointer}/option_groups/${i}/label`, group.label, L.optionGroupLabel, { plainOnly: true });
          options(p, `${pointer}/option_groups/${i}/options`, group.options, L.selectOptions);
        });
      }
      break;
    case 'checkboxes':
    case 'radio_buttons':
      options(p, `${pointer}/options`, el.options, L.choiceOptions);
      break;
    case 'overflow':
      options(p, `${pointer}/options`, el.options, L.overflowOptions);
      break;
    case 'plain_text_input':
      if (typeof el.max_length === 'number' && el.max_length > L.plainTextInputMaxLength) {
        p.add(`${pointer}/max_length`, `must be less than ${L.plainTextInputMaxLength + 1}`);
      }
      break;
    case 'number_input':
      if (typeof el.is_decimal_allowed !== 'boolean') p.add(`${pointer}/is_decimal_allowed`, 'is required');
      break;
    case 'image':
      p.maxLength(`${pointer}/alt_text`, el.alt_text, L.imageAltText);
      break;
    case 'file_input':
      if (surface !== 'modal') p.add(`${pointer}/type`, 'file_input is only allowed in modals');
      break;
  }
}

function block(p: Problems, pointer: string, b: unknown, surface: Surface): void {
  if (!isObject(b)) return p.add(pointer, 'must be a block object');
  const type = String(b.type);
  if (!KNOWN_BLOCKS.has(type)) return p.add(`${pointer}/type`, `unsupported type: ${type}`);
  if (b.block_id !== undefined) p.maxLength(`${pointer}/block_id`, b.block_id, L.blockId);
  switch (type) {
    case 'section':
      if (b.text === undefined && b.fields === undefined) p.add(pointer, 'must provide text or fields');
      if (b.text !== undefined) textObject(p, `${pointer}/text`, b.text, L.sectionText);
      if (b.fields !== undefined) {
        if (!Array.isArray(b.fields)) p.add(`${pointer}/fields`, 'must be an array');
        else {
          p.maxItems(`${pointer}/fields`, b.fields, L.sectionFields);
          b.fields.forEach((f: unknown, i: number) => textObject(p, `${pointer}/fields/${i}`, f, L.sectionFieldText));
        }
      }
      if (b.accessory !== undefined) element(p, `${pointer}/accessory`, b.accessory, surface);
      break;
    case 'header':
      textObject(p, `${pointer}/text`, b.text, L.headerText, { plainOnly: true });
      break;
    case 'image':
      p.maxLength(`${pointer}/alt_text`, b.alt_text, L.imageAltText);
      if (typeof b.alt_text !== 'string') p.add(`${pointer}/alt_text`, 'is required');
      if (typeof b.image_url !== 'string' && !isObject(b.slack_file))
        p.add(pointer, 'must provide image_url or slack_file');
      p.maxLength(`${pointer}/image_url`, b.image_url, L.imageUrl);
      if (b.title !== undefined) textObject(p, `${pointer}/title`, b.title, L.imageTitle, { plainOnly: true });
      break;
    case 'context':
      if (!Array.isArray(b.elements) || b.elements.length === 0)
        p.add(`${pointer}/elements`, 'must provide at least 1 item');
      else {
        p.maxItems(`${pointer}/elements`, b.elements, L.contextElements);
        b.elements.forEach((e: unknown, i: number) => {
          if (isObject(e) && e.type === 'image')
            p.maxLength(`${pointer}/elements/${i}/alt_text`, e.alt_text, L.imageAltText);
          else textObject(p, `${pointer}/elements/${i}`, e, L.sectionText);
        });
      }
      break;
    case 'actions':
      if (!Array.isArray(b.elements) || b.elements.length === 0)
        p.add(`${pointer}/elements`, 'must provide at least 1 item');
      else {
        p.maxItems(`${pointer}/elements`, b.elements, L.actionsElements);
        b.elements.forEach((e: unknown, i: number) => element(p, `${pointer}/elements/${i}`, e, surface));
      }
      break;
    case 'input':
      if (surface === 'message' && type === INPUT_ONLY_IN_VIEWS && b.dispatch_action !== true) {
        // Slack accepts input blocks in messages only as dispatch_action inputs.
        p.add(`${pointer}/type`, 'input blocks in messages must set dispatch_action');
      }
      textObject(p, `${pointer}/label`, b.label, L.inputLabel, { plainOnly: true });
      if (b.hint !== undefined) textObject(p, `${pointer}/hint`, b.hint, L.inputHint, { plainOnly: true });
      element(p, `${pointer}/element`, b.element, surface);
      break;
    case 'markdown':
      p.maxLength(`${pointer}/text`, b.text, L.markdownBlockText);
      break;
  }
}

/** Problems with a message's or a view's blocks, in Slack's wording; empty when Slack would accept them. */
export function blockProblems(blocks: unknown, surface: Surface, pointer = '/blocks'): string[] {
  const p = new Problems();
  if (!Array.isArray(blocks)) {
    p.add(pointer, 'must be an array');
    return p.list;
  }
  p.maxItems(pointer, blocks, surface === 'message' ? L.messageBlocks : L.viewBlocks);
  blocks.forEach((b, i) => block(p, `${pointer}/${i}`, b, surface));
  const ids = blocks
    .filter(isObject)
    .map((b) => b.block_id)
    .filter((id) => typeof id === 'string');
  const dup = ids.find((id, i) => ids.indexOf(id) !== i);
  if (dup !== undefined) p.add(pointer, `duplicate block_id: ${String(dup)}`);
  return p.list;
}

/** Problems with a modal or home view object (views.open/update/push/publish, response_action update/push). */
export function viewProblems(view: unknown): string[] {
  const p = new Problems();
  if (!isObject(view)) {
    p.add('/view', 'must be a view object');
    return p.list;
  }
  if (view.type !== 'modal' && view.type !== 'home') {
    p.add('/view/type', 'must be one of modal, home');
    return p.list;
  }
  const surface: Surface = view.type;
  if (surface === 'modal') {
    textObject(p, '/view/title', view.title, L.viewTitle, { plainOnly: true });
    if (view.submit !== undefined) textObject(p, '/view/submit', view.submit, L.viewSubmit, { plainOnly: true });
    if (view.close !== undefined) textObject(p, '/view/close', view.close, L.viewClose, { plainOnly: true });
    const hasInput = Array.isArray(view.blocks) && view.blocks.some((b) => isObject(b) && b.type === 'input');
    if (hasInput && view.submit === undefined)
      p.add('/view/submit', 'must provide submit when the view has input blocks');
  }
  p.maxLength('/view/private_metadata', view.private_metadata, L.privateMetadata);
  p.maxLength('/view/callback_id', view.callback_id, L.callbackId);
  p.maxLength('/view/external_id', view.external_id, L.externalId);
  p.list.push(...blockProblems(view.blocks, surface, '/view/blocks'));
  return p.list;
}

const ID_CHARS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
function shortId(length: number): string {
  const bytes = crypto.randomBytes(length);
  return Array.from(bytes, (b) => ID_CHARS[b % ID_CHARS.length]).join('');
}

/**
 * Slack fills in a block_id for every block and an action_id for every interactive element the app left
 * without one, and returns the blocks so; the page and the payloads rely on both being present.
 */
export function withGeneratedIds<T>(blocks: T): T {
  if (!Array.isArray(blocks)) return blocks;
  return blocks.map((b) => {
    if (!isObject(b)) return b;
    const copy: Json = { ...b, block_id: typeof b.block_id === 'string' ? b.block_id : shortId(4) };
    const fill = (el: unknown) =>
      isObject(el) &&
      INTERACTIVE_ELEMENTS.has(String(el.type)) &&
      el.type !== 'image' &&
      typeof el.action_id !== 'string'
        ? { ...el, action_id: shortId(5) }
        : el;
    if (Array.isArray(b.elements) && b.type === 'actions') copy.elements = b.elements.map(fill);
    if (b.accessory !== undefined) copy.accessory = fill(b.accessory);
    if (b.element !== undefined) copy.element = fill(b.element);
    return copy;
  }) as T;
}
