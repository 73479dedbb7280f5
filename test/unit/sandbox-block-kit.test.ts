import { describe, expect, test } from 'vitest';
import { SLACK_LIMITS } from '../../bot/blocks/limits.js';
import { blockProblems, viewProblems, withGeneratedIds } from '../../sandbox/block-kit.js';
import { clientSideErrors, stateValues, toStateValue } from '../../sandbox/view-state.js';

const text = (t: string, type = 'mrkdwn') => ({ type, text: t });
const option = (v: string) => ({ text: text(v, 'plain_text'), value: v });

describe('Block Kit limits as Slack enforces them', () => {
  test('exactly at each limit passes, one over fails with the json-pointer', () => {
    const fields = (n: number) => [{ type: 'section', fields: Array.from({ length: n }, () => text('f')) }];
    expect(blockProblems(fields(SLACK_LIMITS.sectionFields), 'message')).toEqual([]);
    expect(blockProblems(fields(SLACK_LIMITS.sectionFields + 1), 'message')).toEqual([
      '[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/fields]',
    ]);

    const select = (n: number) => [
      {
        type: 'actions',
        elements: [
          { type: 'static_select', action_id: 'a', options: Array.from({ length: n }, (_, i) => option(`o${i}`)) },
        ],
      },
    ];
    expect(blockProblems(select(SLACK_LIMITS.selectOptions), 'message')).toEqual([]);
    expect(blockProblems(select(SLACK_LIMITS.selectOptions + 1), 'message')).toEqual([
      '[ERROR] no more than 100 items allowed [json-pointer:/blocks/0/elements/0/options]',
    ]);

    const button = (label: string) => [
      { type: 'actions', elements: [{ type: 'button', action_id: 'b', text: text(label, 'plain_text') }] },
    ];
    expect(blockProblems(button('x'.repeat(SLACK_LIMITS.buttonText)), 'message')).toEqual([]);
    expect(blockProblems(button('x'.repeat(SLACK_LIMITS.buttonText + 1)), 'message')).toEqual([
      '[ERROR] must be less than 76 characters [json-pointer:/blocks/0/elements/0/text/text]',
    ]);
  });

  test('shape errors: header must be plain_text, duplicate block_id, unknown block type, empty text', () => {
    expect(blockProblems([{ type: 'header', text: text('H') }], 'message')).toEqual([
      '[ERROR] must be plain_text [json-pointer:/blocks/0/text/type]',
    ]);
    expect(
      blockProblems(
        [
          { type: 'divider', block_id: 'x' },
          { type: 'divider', block_id: 'x' },
        ],
        'message',
      ),
    ).toEqual(['[ERROR] duplicate block_id: x [json-pointer:/blocks]']);
    expect(blockProblems([{ type: 'carousel' }], 'message')).toEqual([
      '[ERROR] unsupported type: carousel [json-pointer:/blocks/0/type]',
    ]);
    expect(blockProblems([{ type: 'section', text: text('') }], 'message')).toEqual([
      '[ERROR] must be more than 0 characters [json-pointer:/blocks/0/text/text]',
    ]);
    // Slack knows rich_text; the page may not draw it, but it is valid.
    expect(blockProblems([{ type: 'rich_text', elements: [] }], 'message')).toEqual([]);
  });

  test('views: title length, submit required with inputs, 100 blocks', () => {
    const input = {
      type: 'input',
      block_id: 'q',
      label: text('Q', 'plain_text'),
      element: { type: 'plain_text_input', action_id: 'q' },
    };
    expect(
      viewProblems({
        type: 'modal',
        title: text('Request', 'plain_text'),
        submit: text('Go', 'plain_text'),
        blocks: [input],
      }),
    ).toEqual([]);
    expect(viewProblems({ type: 'modal', title: text('x'.repeat(25), 'plain_text'), blocks: [input] })).toEqual([
      '[ERROR] must be less than 25 characters [json-pointer:/view/title/text]',
      '[ERROR] must provide submit when the view has input blocks [json-pointer:/view/submit]',
    ]);
    const many = Array.from({ length: SLACK_LIMITS.viewBlocks + 1 }, () => ({ type: 'divider' }));
    expect(viewProblems({ type: 'home', blocks: many })).toEqual([
      '[ERROR] no more than 100 items allowed [json-pointer:/view/blocks]',
    ]);
  });

  test('Slack fills in missing block_id and action_id', () => {
    const [block] = withGeneratedIds<unknown[]>([
      { type: 'actions', elements: [{ type: 'button', text: text('Go', 'plain_text') }] },
    ]) as Array<{
      block_id: string;
      elements: Array<{ action_id: string }>;
    }>;
    expect(block!.block_id).toMatch(/^\w{4}$/);
    expect(block!.elements[0]!.action_id).toMatch(/^\w{5}$/);
  });
});

describe('view state in Slack shapes', () => {
  const view = {
    state: { values: {} },
    blocks: [
      {
        type: 'input',
        block_id: 'item',
        label: text('Item', 'plain_text'),
        element: {
          type: 'static_select',
          action_id: 'pick',
          options: [option('a'), option('b')],
          initial_option: option('a'),
        },
      },
      {
        type: 'input',
        block_id: 'qty',
        label: text('Qty', 'plain_text'),
        element: { type: 'number_input', action_id: 'n', is_decimal_allowed: false, min_value: '1' },
      },
      {
        type: 'input',
        block_id: 'tags',
        optional: true,
        label: text('Tags', 'plain_text'),
        element: { type: 'checkboxes', action_id: 'c', options: [option('x'), option('y')] },
      },
      {
        type: 'actions',
        block_id: 'more',
        elements: [
          { type: 'button', action_id: 'go', text: text('Go', 'plain_text') },
          { type: 'datepicker', action_id: 'd' },
        ],
      },
    ],
  };

  test('every stateful element appears, with initial values, buttons left out', () => {
    expect(stateValues(view)).toEqual({
      item: { pick: { type: 'static_select', selected_option: option('a') } },
      qty: { n: { type: 'number_input', value: null } },
      tags: { c: { type: 'checkboxes', selected_options: [] } },
      more: { d: { type: 'datepicker', selected_date: null } },
    });
  });

  test('simple values convert to the element shapes; unknown static options are refused', () => {
    const el = view.blocks[0]!.element as Record<string, unknown>;
    expect(toStateValue(el, 'b')).toEqual({ type: 'static_select', selected_option: option('b') });
    expect(() => toStateValue(el, 'zz')).toThrow(/not among the options/);
    expect(toStateValue({ type: 'checkboxes', options: [option('x'), option('y')] }, ['y'])).toEqual({
      type: 'checkboxes',
      selected_options: [option('y')],
    });
  });

  test('client-side checks: required, whole numbers, minimum; optional empty is fine', () => {
    expect(clientSideErrors(view)).toEqual({ qty: 'Please fill out this field.' });
    const filled = (n: string) => ({ ...view, state: { values: { qty: { n: { type: 'number_input', value: n } } } } });
    expect(clientSideErrors(filled('1.5'))).toEqual({ qty: 'Enter a whole number.' });
    expect(clientSideErrors(filled('0'))).toEqual({ qty: 'Enter a number ≥ 1.' });
    expect(clientSideErrors(filled('3'))).toEqual({});
  });
});
