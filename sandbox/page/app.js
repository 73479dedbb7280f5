// The sandbox page: a small Slack client for the local Slack. All state lives on the server; this page shows
// /ui/state for the chosen person, re-reads it on every server-sent change, and turns clicks into /ui/* calls
// (the same LocalSlack methods the bot tests use). Plain DOM, no framework.

const $ = (id) => document.getElementById(id);
const params = new URLSearchParams(location.search);
let me = params.get('user') || '';
let current = decodeURIComponent(location.hash.replace(/^#\/?/, '')) || '';
let openThread = null; // { channel, ts }
let state = null;
/** What the modal root shows; null: unknown, so the next render draws (or clears) it whatever the stack. */
let modalKey = null;
let homeKey = '';
/** Value getters for inputs in the open modal, by element. */
const getters = new WeakMap();

// --- server ---------------------------------------------------------------------------------------------------

async function post(action, body) {
  const res = await fetch(`ui/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ user: me, ...body }),
  });
  const answer = await res.json();
  if (!answer.ok) toast(answer.error);
  return answer;
}

let loading = false;
let again = false;
async function load() {
  if (loading) {
    again = true;
    return;
  }
  loading = true;
  const asked = me;
  try {
    const res = await fetch(`ui/state?user=${encodeURIComponent(asked)}`);
    const next = await res.json();
    // The person was switched while this was on its way: it is the previous person's view; read again.
    if (asked !== me) again = true;
    else {
      state = next;
      me = state.me;
      render();
    }
  } finally {
    loading = false;
    if (again) {
      again = false;
      void load();
    }
  }
}

function listen() {
  const events = new EventSource('ui/stream');
  events.addEventListener('change', () => void load());
}

// --- text -----------------------------------------------------------------------------------------------------

const EMOJI = {
  white_check_mark: '✅',
  heavy_check_mark: '✔️',
  x: '❌',
  warning: '⚠️',
  package: '📦',
  hourglass: '⌛',
  hourglass_flowing_sand: '⏳',
  truck: '🚚',
  inbox_tray: '📥',
  outbox_tray: '📤',
  memo: '📝',
  bell: '🔔',
  no_entry: '⛔',
  rotating_light: '🚨',
  clipboard: '📋',
  moneybag: '💰',
  tada: '🎉',
  arrow_right: '➡️',
  mag: '🔍',
  information_source: 'ℹ️',
  red_circle: '🔴',
  large_green_circle: '🟢',
  large_yellow_circle: '🟡',
  calendar: '📅',
  wave: '👋',
  eyes: '👀',
  repeat: '🔁',
  lock: '🔒',
  pencil: '✏️',
  wastebasket: '🗑️',
  label: '🏷️',
  chart_with_upwards_trend: '📈',
  chart_with_downwards_trend: '📉',
  shopping_trolley: '🛒',
  no_entry_sign: '🚫',
  ghost: '👻',
  scales: '⚖️',
  receipt: '🧾',
  dart: '🎯',
  bust_in_silhouette: '👤',
  bar_chart: '📊',
  alarm_clock: '⏰',
  zap: '⚡',
  paperclip: '📎',
};

const decode = (s) => s.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
/**
 * Emoji as Slack draws them, images (Twemoji, served from the @twemoji/svg package at emoji/<code>.svg), so
 * they show in a browser without an emoji font too (Debian's headless Chromium drew empty boxes). A shortcode
 * Slack would not know stays as typed, as Slack leaves it.
 */
const PICTOGRAPH = '\\p{Extended_Pictographic}(?:\\uFE0F|\\u20E3)?(?:\\u200D\\p{Extended_Pictographic}\\uFE0F?)*';
const EMOJI_TEXT = new RegExp(`:([a-z0-9_+-]+):|(${PICTOGRAPH})`, 'gu');
const emojiCode = (chars) =>
  [...chars]
    .map((c) => c.codePointAt(0).toString(16))
    .filter((c) => c !== 'fe0f')
    .join('-');
const emojiImage = (chars, name) =>
  `<img class="emoji" src="emoji/${emojiCode(chars)}.svg" alt="${chars}" title="${name ? `:${name}:` : chars}" draggable="false">`;
/** Shortcodes and emoji characters in escaped HTML text to images. */
const emoji = (html) =>
  html.replace(EMOJI_TEXT, (m, name, chars) => (name ? (EMOJI[name] ? emojiImage(EMOJI[name], name) : m) : emojiImage(chars)));
// An emoji Twemoji has no picture for falls back to its character.
document.addEventListener('error', (e) => e.target?.classList?.contains('emoji') && e.target.replaceWith(e.target.alt), true);

function userName(id) {
  return state?.users?.[id]?.realName ?? id;
}
function channelName(id) {
  return state?.allChannels?.find((c) => c.id === id)?.name ?? id;
}

function inline(text) {
  let html = escapeHtml(decode(text));
  html = html.replace(/`([^`\n]+)`/g, '<code>$1</code>');
  html = html.replace(/(^|[\s(>])\*([^*\n]+)\*(?=$|[\s).,!?:;<])/g, '$1<b>$2</b>');
  html = html.replace(/(^|[\s(>])_([^_\n]+)_(?=$|[\s).,!?:;<])/g, '$1<i>$2</i>');
  html = html.replace(/(^|[\s(>])~([^~\n]+)~(?=$|[\s).,!?:;<])/g, '$1<s>$2</s>');
  return emoji(html);
}

function token(inner) {
  const [target, label] = inner.split('|');
  if (target.startsWith('@')) return `<span class="mention">@${escapeHtml(label ?? userName(target.slice(1)))}</span>`;
  if (target.startsWith('#'))
    return `<span class="mention">#${escapeHtml(label ?? channelName(target.slice(1)))}</span>`;
  if (target.startsWith('!subteam^')) return `<span class="mention">${escapeHtml(label ?? '@group')}</span>`;
  if (target.startsWith('!date^')) return slackDate(target, label);
  if (target.startsWith('!')) return `<span class="mention">@${escapeHtml(target.slice(1))}</span>`;
  if (/^(https?:|mailto:)/.test(target)) {
    return `<a href="${escapeHtml(decode(target))}" target="_blank" rel="noopener">${escapeHtml(decode(label ?? target))}</a>`;
  }
  return escapeHtml(`<${inner}>`);
}

/**
 * `<!date^unix^format^link|fallback>` as Slack shows it: in the reader's time zone, the format's tokens
 * replaced ({date_short_pretty} is "Today", "Yesterday" or "Dec 6, 2026"). The fallback only when unreadable.
 */
function slackDate(target, fallback) {
  const [, seconds, format = '', link] = target.split('^');
  const at = new Date(Number(seconds) * 1000);
  if (!seconds || Number.isNaN(at.getTime())) return escapeHtml(fallback ?? '');
  const day = (d) => new Date(d.getFullYear(), d.getMonth(), d.getDate()).getTime();
  const offset = Math.round((day(at) - day(new Date())) / 86_400_000);
  const relative = { 0: 'Today', [-1]: 'Yesterday', 1: 'Tomorrow' }[offset];
  const fmt = (opts) => at.toLocaleDateString('en-US', opts);
  const teen = (n) => n % 100 >= 11 && n % 100 <= 13;
  const ordinal = (n) => `${n}${teen(n) ? 'th' : ({ 1: 'st', 2: 'nd', 3: 'rd' }[n % 10] ?? 'th')}`;
  const long = `${fmt({ month: 'long' })} ${ordinal(at.getDate())}, ${at.getFullYear()}`;
  const words = {
    date_num: `${at.getFullYear()}-${String(at.getMonth() + 1).padStart(2, '0')}-${String(at.getDate()).padStart(2, '0')}`,
    date: long,
    date_short: fmt({ month: 'short', day: 'numeric', year: 'numeric' }),
    date_long: `${fmt({ weekday: 'long' })}, ${long}`,
    time: at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' }),
    time_secs: at.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit' }),
  };
  words.date_pretty = relative ?? words.date;
  words.date_short_pretty = relative ?? words.date_short;
  words.date_long_pretty = relative ?? words.date_long;
  const minutes = Math.round((Date.now() - at.getTime()) / 60_000);
  words.ago = minutes < 1 ? 'just now' : minutes < 60 ? `${minutes} minutes ago` : minutes < 1440 ? `${Math.round(minutes / 60)} hours ago` : `${Math.round(minutes / 1440)} days ago`;
  const text = format.replace(/\{(\w+)\}/g, (m, name) => words[name] ?? m);
  const html = `<time datetime="${at.toISOString()}" title="${escapeHtml(decode(fallback ?? at.toISOString()))}">${escapeHtml(text)}</time>`;
  return link && /^https?:/.test(link) ? `<a href="${escapeHtml(decode(link))}" target="_blank" rel="noopener">${html}</a>` : html;
}

/** Slack mrkdwn to safe HTML: bold, italics, strike, code, code blocks, quotes, links, mentions, emoji. */
function mrkdwn(text) {
  return text
    .split(/```/)
    .map((part, i) => {
      if (i % 2 === 1) return `<pre class="code">${escapeHtml(decode(part.replace(/^\n/, '')))}</pre>`;
      return part
        .split('\n')
        .map((line) => {
          const quoted = /^(&gt;|>) ?/.test(line);
          const body = line.replace(/^(&gt;|>) ?/, '');
          const html = body
            .split(/(<[^<>\n]+>)/)
            .map((seg) => (/^<[^<>\n]+>$/.test(seg) ? token(seg.slice(1, -1)) : inline(seg)))
            .join('');
          return quoted ? `<blockquote>${html}</blockquote>` : html;
        })
        .join('\n');
    })
    .join('');
}

function textNode(obj, tag = 'div', className = 'text') {
  const el = document.createElement(tag);
  el.className = className;
  if (!obj) return el;
  if (obj.type === 'mrkdwn' && !obj.verbatim) el.innerHTML = mrkdwn(obj.text ?? '');
  else if (obj.type === 'mrkdwn') el.innerHTML = escapeHtml(obj.text ?? '');
  else if (obj.emoji === false) el.textContent = obj.text ?? '';
  else el.innerHTML = emoji(escapeHtml(obj.text ?? ''));
  return el;
}
/** Where only text can go (a select's options): emoji as characters. */
const decodeEmoji = (s) => s.replace(/:([a-z0-9_+-]+):/g, (m, name) => EMOJI[name] ?? m);

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on')) el.addEventListener(k.slice(2), v);
    else if (k === 'className') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : v);
  }
  for (const c of children.flat())
    if (c !== undefined && c !== null && c !== false) el.append(c instanceof Node ? c : String(c));
  return el;
}

function toast(message) {
  const el = $('toast');
  el.textContent = message;
  el.hidden = false;
  clearTimeout(toast.timer);
  toast.timer = setTimeout(() => (el.hidden = true), 5000);
}

// --- Block Kit ------------------------------------------------------------------------------------------------

const plainText = (t) => (t ? (t.text ?? '') : '');

/** The element's current state value: what the person picked (view state) or its initial value. */
function currentValue(ctx, el) {
  const entered = ctx.values?.[ctx.blockId]?.[el.action_id];
  if (entered) return entered;
  switch (el.type) {
    case 'static_select':
    case 'external_select':
    case 'radio_buttons':
    case 'overflow':
      return { selected_option: el.initial_option ?? null };
    case 'multi_static_select':
    case 'multi_external_select':
    case 'checkboxes':
      return { selected_options: el.initial_options ?? [] };
    case 'datepicker':
      return { selected_date: el.initial_date ?? null };
    case 'timepicker':
      return { selected_time: el.initial_time ?? null };
    case 'users_select':
      return { selected_user: el.initial_user ?? null };
    case 'conversations_select':
      return { selected_conversation: el.initial_conversation ?? null };
    case 'channels_select':
      return { selected_channel: el.initial_channel ?? null };
    case 'multi_users_select':
      return { selected_users: el.initial_users ?? [] };
    default:
      return { value: el.initial_value ?? null };
  }
}

/** A changed value: in a modal's input block it is only kept (fill); elsewhere it is an action sent to the app. */
function changed(ctx, el, value) {
  if (ctx.inInput && !ctx.dispatch) {
    if (ctx.viewId) void post('fill', { viewId: ctx.viewId, values: { [ctx.blockId]: { [el.action_id]: value } } });
    return;
  }
  void post('click', { target: ctx.target, actionId: el.action_id, blockId: ctx.blockId, value });
}

function optionNodes(el, selectedValues) {
  const make = (o) => h('option', { value: o.value, selected: selectedValues.includes(o.value) }, plainText(o.text));
  if (el.option_groups)
    return el.option_groups.map((g) => h('optgroup', { label: plainText(g.label) }, (g.options ?? []).map(make)));
  return (el.options ?? []).map(make);
}

function register(node, ctx, el, getter) {
  node.dataset.input = 'true';
  node.dataset.blockId = ctx.blockId;
  node.dataset.actionId = el.action_id;
  node.dataset.type = el.type;
  getters.set(node, getter);
  return node;
}

function renderElement(el, ctx) {
  const value = currentValue(ctx, el);
  const placeholder = plainText(el.placeholder);
  switch (el.type) {
    case 'button':
      return h(
        'button',
        {
          type: 'button',
          className: `sk-button ${el.style ?? ''}`,
          dataset: { actionId: el.action_id },
          onclick: async (e) => {
            if (el.confirm && !confirm(`${plainText(el.confirm.title)}\n\n${plainText(el.confirm.text)}`)) return;
            e.currentTarget.disabled = true;
            if (el.url) window.open(el.url, '_blank', 'noopener');
            await post('click', { target: ctx.target, actionId: el.action_id, blockId: ctx.blockId });
          },
        },
        textNode({ type: 'plain_text', ...el.text }, 'span', ''),
      );
    case 'static_select':
    case 'users_select':
    case 'conversations_select':
    case 'channels_select': {
      const selected =
        el.type === 'static_select'
          ? [value.selected_option?.value].filter(Boolean)
          : el.type === 'users_select'
            ? [value.selected_user].filter(Boolean)
            : [value.selected_conversation ?? value.selected_channel].filter(Boolean);
      const options =
        el.type === 'static_select'
          ? optionNodes(el, selected)
          : el.type === 'users_select'
            ? state.people.map((p) => h('option', { value: p.id, selected: selected.includes(p.id) }, p.realName))
            : state.allChannels.map((c) =>
                h('option', { value: c.id, selected: selected.includes(c.id) }, `#${c.name}`),
              );
      const select = h(
        'select',
        { 'aria-label': placeholder || el.action_id },
        h('option', { value: '' }, placeholder || 'Select…'),
        options,
      );
      select.addEventListener('change', () => changed(ctx, el, select.value || null));
      return register(select, ctx, el, () => select.value || null);
    }
    case 'multi_static_select':
    case 'multi_users_select': {
      const selected =
        el.type === 'multi_users_select'
          ? (value.selected_users ?? [])
          : (value.selected_options ?? []).map((o) => o.value);
      const options =
        el.type === 'multi_users_select'
          ? state.people.map((p) => h('option', { value: p.id, selected: selected.includes(p.id) }, p.realName))
          : optionNodes(el, selected);
      const select = h('select', { multiple: true, 'aria-label': placeholder || el.action_id }, options);
      const get = () => [...select.selectedOptions].map((o) => o.value);
      select.addEventListener('change', () => changed(ctx, el, get()));
      return register(select, ctx, el, get);
    }
    case 'external_select':
    case 'multi_external_select':
      return externalSelect(el, ctx, value);
    case 'overflow': {
      const select = h(
        'select',
        { 'aria-label': 'More actions' },
        h('option', { value: '' }, '⋯'),
        optionNodes(el, []),
      );
      select.addEventListener('change', () => select.value && changed(ctx, el, select.value));
      return select;
    }
    case 'datepicker':
    case 'timepicker': {
      const input = h('input', {
        type: el.type === 'datepicker' ? 'date' : 'time',
        value: (el.type === 'datepicker' ? value.selected_date : value.selected_time) ?? '',
      });
      input.addEventListener('change', () => changed(ctx, el, input.value || null));
      return register(input, ctx, el, () => input.value || null);
    }
    case 'checkboxes':
    case 'radio_buttons': {
      const multi = el.type === 'checkboxes';
      const selected = multi ? (value.selected_options ?? []).map((o) => o.value) : [value.selected_option?.value];
      const name = `${ctx.blockId}-${el.action_id}`;
      const boxes = (el.options ?? []).map((o) =>
        h(
          'label',
          {},
          h('input', { type: multi ? 'checkbox' : 'radio', name, value: o.value, checked: selected.includes(o.value) }),
          textNode(o.text, 'span', ''),
        ),
      );
      const wrap = h('div', { className: 'choices' }, boxes);
      const get = () => {
        const checked = [...wrap.querySelectorAll('input:checked')].map((i) => i.value);
        return multi ? checked : (checked[0] ?? null);
      };
      wrap.addEventListener('change', () => changed(ctx, el, get()));
      return register(wrap, ctx, el, get);
    }
    case 'plain_text_input':
    case 'number_input':
    case 'email_text_input':
    case 'url_text_input': {
      const attrs = { placeholder, value: value.value ?? '', 'aria-label': placeholder || el.action_id };
      const input = el.multiline
        ? h('textarea', { ...attrs, rows: 3 })
        : h('input', { ...attrs, type: 'text', inputmode: el.type === 'number_input' ? 'decimal' : undefined });
      if (el.multiline) input.value = value.value ?? '';
      input.addEventListener('change', () => changed(ctx, el, input.value));
      return register(input, ctx, el, () => input.value);
    }
    case 'image':
      return h('img', { src: el.image_url, alt: el.alt_text ?? '', width: 48, height: 48 });
    default:
      return h('span', { className: 'block-unknown' }, `Unsupported element: ${el.type}`);
  }
}

/** external_select: type to get options from the app (block_suggestion), pick one. */
function externalSelect(el, ctx, value) {
  const multi = el.type === 'multi_external_select';
  let chosen = multi
    ? (value.selected_options ?? []).map((o) => ({ value: o.value, text: plainText(o.text) }))
    : value.selected_option
      ? [{ value: value.selected_option.value, text: plainText(value.selected_option.text) }]
      : [];
  const input = h('input', {
    type: 'text',
    placeholder: plainText(el.placeholder) || 'Type to search…',
    'aria-label': plainText(el.placeholder) || el.action_id,
  });
  if (!multi && chosen[0]) input.value = chosen[0].text;
  const list = h('ul', { className: 'suggestions', hidden: true });
  const shown = h('div', { className: 'chosen' }, multi ? chosen.map((c) => c.text).join(', ') : '');
  const wrap = h('div', { className: 'external' }, input, list, shown);
  const current = () => (multi ? chosen : (chosen[0] ?? null));
  let timer;
  input.addEventListener('input', () => {
    clearTimeout(timer);
    if (!multi) chosen = [];
    timer = setTimeout(async () => {
      const answer = await post('suggest', { target: ctx.target, actionId: el.action_id, query: input.value });
      list.replaceChildren(
        ...(answer.result ?? []).map((o) =>
          h(
            'li',
            {
              role: 'option',
              dataset: { value: o.value },
              onmousedown: (e) => {
                e.preventDefault();
                const pick = { value: o.value, text: plainText(o.text) };
                chosen = multi ? [...chosen.filter((c) => c.value !== pick.value), pick] : [pick];
                input.value = multi ? '' : pick.text;
                shown.textContent = multi ? chosen.map((c) => c.text).join(', ') : '';
                list.hidden = true;
                changed(ctx, el, current());
              },
            },
            plainText(o.text),
          ),
        ),
      );
      list.hidden = list.childElementCount === 0;
    }, 200);
  });
  input.addEventListener('blur', () => setTimeout(() => (list.hidden = true), 150));
  return register(wrap, ctx, el, current);
}

function renderBlock(block, ctx) {
  const c = { ...ctx, blockId: block.block_id };
  switch (block.type) {
    case 'header':
      return textNode(block.text, 'h3', 'block-header');
    case 'section': {
      const left = h(
        'div',
        {},
        block.text ? textNode(block.text) : null,
        block.fields
          ? h(
              'div',
              { className: 'fields' },
              block.fields.map((f) => textNode(f)),
            )
          : null,
      );
      return h(
        'div',
        { className: 'block-section', dataset: { blockId: block.block_id } },
        left,
        block.accessory ? renderElement(block.accessory, c) : null,
      );
    }
    case 'context':
      return h(
        'div',
        { className: 'block-context' },
        (block.elements ?? []).map((e) =>
          e.type === 'image' ? h('img', { src: e.image_url, alt: e.alt_text ?? '' }) : textNode(e, 'span', ''),
        ),
      );
    case 'divider':
      return h('hr', { className: 'block-divider' });
    case 'image':
      return h(
        'figure',
        { className: 'block-image' },
        block.title ? textNode(block.title, 'figcaption', '') : null,
        h('img', { src: block.image_url ?? '', alt: block.alt_text ?? '' }),
      );
    case 'actions':
      return h(
        'div',
        { className: 'block-actions', dataset: { blockId: block.block_id } },
        (block.elements ?? []).map((e) => renderElement(e, c)),
      );
    case 'input': {
      const error = ctx.errors?.[block.block_id];
      const ic = { ...c, inInput: true, dispatch: block.dispatch_action === true };
      return h(
        'div',
        { className: `block-input${error ? ' has-error' : ''}`, dataset: { blockId: block.block_id } },
        h(
          'label',
          {},
          plainText(block.label),
          block.optional ? h('span', { className: 'optional' }, ' (optional)') : null,
        ),
        renderElement(block.element, ic),
        block.hint ? h('div', { className: 'hint' }, plainText(block.hint)) : null,
        error ? h('div', { className: 'field-error', role: 'alert' }, error) : null,
      );
    }
    case 'markdown':
      return h('div', { className: 'text' }, block.text ?? '');
    default:
      // Never dropped: a block the page cannot draw is shown as such, with its JSON.
      return h(
        'div',
        { className: 'block-unknown' },
        `Unsupported block: ${block.type}`,
        h('details', {}, h('summary', {}, 'JSON'), h('pre', {}, JSON.stringify(block, null, 2))),
      );
  }
}

function renderBlocks(blocks, ctx) {
  return h(
    'div',
    { className: 'blocks' },
    blocks.map((b) => renderBlock(b, ctx)),
  );
}

// --- conversations --------------------------------------------------------------------------------------------

const time = (ts) => new Date(Number(ts) * 1000).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
const initials = (name) =>
  name
    .split(/\s+/)
    .map((p) => p[0])
    .join('')
    .slice(0, 2)
    .toUpperCase();

function renderMessage(msg, channel, { ephemeral = false, inThread = false } = {}) {
  const fromBot = Boolean(msg.bot_id) || ephemeral;
  const name = ephemeral && msg.source === 'slack' ? 'Slackbot' : fromBot ? state.bot.name : userName(msg.user);
  const target = { channel: channel.id, ts: msg.ts };
  const body = msg.blocks?.length
    ? renderBlocks(msg.blocks, { target, surface: 'message' })
    : h('div', { className: 'text' });
  if (!msg.blocks?.length) body.innerHTML = mrkdwn(msg.text ?? '');
  const replies =
    !inThread && msg.reply_count
      ? h(
          'button',
          { className: 'replies', onclick: () => openThreadPane(channel.id, msg.ts) },
          `${msg.reply_count} ${msg.reply_count === 1 ? 'reply' : 'replies'}`,
        )
      : null;
  return h(
    'article',
    { className: `message${ephemeral ? ' ephemeral' : ''}`, dataset: { ts: msg.ts } },
    h('div', { className: `avatar${fromBot ? ' bot' : ''}` }, initials(name)),
    h(
      'div',
      {},
      h(
        'div',
        { className: 'meta' },
        h('span', { className: 'name' }, name),
        fromBot && name !== 'Slackbot' ? h('span', { className: 'app-badge' }, 'APP') : null,
        h('span', { className: 'time' }, time(msg.ts)),
        msg.edited ? h('span', { className: 'edited' }, '(edited)') : null,
      ),
      body,
      (msg.files ?? []).map((f) =>
        h(
          'div',
          { className: 'file' },
          h('span', { className: 'file-icon', 'aria-hidden': 'true' }),
          h('a', { href: `files/${f.id}/${encodeURIComponent(f.name)}`, target: '_blank' }, f.title || f.name),
        ),
      ),
      ephemeral ? h('div', { className: 'only-you' }, 'Only visible to you') : null,
      replies,
    ),
  );
}

function timeline(channel, threadTs) {
  const messages = channel.messages.filter((m) =>
    threadTs
      ? m.ts === threadTs || m.thread_ts === threadTs
      : !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast',
  );
  const ephemerals = channel.ephemerals.filter((e) => (threadTs ? e.thread_ts === threadTs : !e.thread_ts));
  return [...messages.map((m) => ({ m, e: false })), ...ephemerals.map((m) => ({ m, e: true }))]
    .sort((a, b) => Number(a.m.ts) - Number(b.m.ts))
    .map(({ m, e }) => renderMessage(m, channel, { ephemeral: e, inThread: Boolean(threadTs) }));
}

function openThreadPane(channel, ts) {
  openThread = { channel, ts };
  render();
}

function renderConversation() {
  const pane = $('conversation');
  const nearBottom = pane.scrollHeight - pane.scrollTop - pane.clientHeight < 80;
  $('composer').hidden = current === 'home';
  if (current === 'home') {
    $('conversation-title').textContent = `${state.bot.name} — Home`;
    $('conversation-detail').textContent = '';
    const home = state.home;
    const key = home ? `${home.id}:${home.hash}` : 'none';
    if (key === homeKey && pane.querySelector('.home')) return;
    homeKey = key;
    pane.replaceChildren(
      home
        ? h(
            'div',
            { className: 'home' },
            renderBlocks(home.blocks, {
              target: { viewId: home.id },
              surface: 'home',
              values: home.state?.values,
              viewId: home.id,
            }),
          )
        : h('p', { className: 'empty' }, `${state.bot.name} has not published a Home view for you yet.`),
    );
    return;
  }
  homeKey = '';
  const channel = state.channels.find((c) => c.id === current);
  if (!channel) return;
  $('conversation-title').textContent = channel.isIm ? `${channel.name} — Messages` : `#${channel.name}`;
  // As Slack's header: the channel's purpose, i.e. what the app posts there.
  $('conversation-detail').textContent = channel.isIm ? 'Direct messages with the app' : channel.purpose;
  const items = timeline(channel);
  const empty = channel.isIm
    ? 'Try a slash command, e.g. /request'
    : `No messages yet.${channel.purpose ? ` Here: ${channel.purpose[0].toLowerCase()}${channel.purpose.slice(1)}.` : ''}`;
  pane.replaceChildren(...(items.length ? items : [h('p', { className: 'empty' }, empty)]));
  if (nearBottom) pane.scrollTop = pane.scrollHeight;

  const threadPane = $('thread-pane');
  if (openThread) {
    const threadChannel = state.channels.find((c) => c.id === openThread.channel);
    threadPane.hidden = !threadChannel;
    if (threadChannel) $('thread').replaceChildren(...timeline(threadChannel, openThread.ts));
  } else threadPane.hidden = true;
}

// --- modal ----------------------------------------------------------------------------------------------------

function renderModal() {
  const root = $('modal-root');
  const top = state.stack.at(-1);
  const key = top ? `${top.id}:${top.hash}:${JSON.stringify(top.errors)}:${state.stack.length}:${me}` : '';
  if (key === modalKey) return;
  modalKey = key;
  if (!top) {
    root.replaceChildren();
    return;
  }
  const ctx = {
    target: { viewId: top.id },
    surface: 'modal',
    values: top.state?.values,
    errors: top.errors,
    viewId: top.id,
  };
  const body = h('div', { className: 'modal-body' }, renderBlocks(top.blocks, ctx));
  const problem = h('div', { className: 'modal-problem', hidden: true });
  const close = () => post('close', { viewId: top.id });
  const submit = async (e) => {
    e.preventDefault();
    const values = {};
    for (const node of body.querySelectorAll('[data-input]')) {
      const get = getters.get(node);
      if (!get || !node.closest('.block-input')) continue;
      (values[node.dataset.blockId] ??= {})[node.dataset.actionId] = get();
    }
    const answer = await post('submit', { viewId: top.id, values });
    if (answer.ok && answer.result.messages) {
      problem.textContent = answer.result.messages.join(' ');
      problem.hidden = false;
    }
  };
  const modal = h(
    'form',
    { className: 'modal', role: 'dialog', 'aria-modal': 'true', 'aria-label': plainText(top.title), onsubmit: submit },
    h(
      'header',
      {},
      h('h3', {}, plainText(top.title)),
      state.stack.length > 1
        ? h('span', { className: 'stack-depth' }, `${state.stack.length} of ${state.stack.length}`)
        : null,
      h('button', { type: 'button', className: 'icon-button', 'aria-label': 'Close', onclick: close }, '×'),
    ),
    body,
    problem,
    h(
      'footer',
      {},
      h('button', { type: 'button', className: 'sk-button', onclick: close }, plainText(top.close) || 'Cancel'),
      top.submit ? h('button', { type: 'submit', className: 'sk-button primary' }, plainText(top.submit)) : null,
    ),
  );
  root.replaceChildren(h('div', { className: 'overlay' }, modal));
}

// --- sidebar, composer ----------------------------------------------------------------------------------------

function setCurrent(id) {
  current = id;
  openThread = null;
  history.replaceState(null, '', `?user=${encodeURIComponent(me)}#/${encodeURIComponent(id)}`);
  if (id === 'home') void post('home', {});
  render();
}

function renderSidebar() {
  $('team-name').textContent = state.team.name;
  const switcher = $('user-switcher');
  const options = state.people.map((p) => {
    const role = p.role ? ` — ${p.role.replace('_', ' ')}${p.approvalLimit ? ` ≤ ${p.approvalLimit}` : ''}` : '';
    return h('option', { value: p.id, selected: p.id === me }, `${p.realName}${role}`);
  });
  if (switcher.dataset.key !== JSON.stringify(state.people) + me) {
    switcher.replaceChildren(...options);
    switcher.dataset.key = JSON.stringify(state.people) + me;
  }
  const dm = state.channels.find((c) => c.isIm);
  $('channel-list').replaceChildren(
    ...state.channels
      .filter((c) => !c.isIm)
      .map((c) =>
        h(
          'li',
          {},
          h(
            'button',
            {
              className: c.id === current ? 'active' : '',
              dataset: { channel: c.id },
              onclick: () => setCurrent(c.id),
            },
            `# ${c.name}`,
          ),
        ),
      ),
  );
  $('app-list').replaceChildren(
    ...(state.homeEnabled
      ? [
          h(
            'li',
            {},
            h(
              'button',
              {
                className: current === 'home' ? 'active' : '',
                dataset: { channel: 'home' },
                onclick: () => setCurrent('home'),
              },
              `${state.bot.name} — Home`,
            ),
          ),
        ]
      : []),
    ...(dm
      ? [
          h(
            'li',
            {},
            h(
              'button',
              {
                className: current === dm.id ? 'active' : '',
                dataset: { channel: dm.id },
                onclick: () => setCurrent(dm.id),
              },
              `${state.bot.name} — Messages`,
            ),
          ),
        ]
      : []),
  );
}

function render() {
  if (!state) return;
  const dm = state.channels.find((c) => c.isIm);
  if (current !== 'home' && !state.channels.some((c) => c.id === current))
    current = dm?.id ?? state.channels[0]?.id ?? '';
  renderSidebar();
  renderConversation();
  renderModal();
}

function setupComposer() {
  const input = $('composer-input');
  const hints = $('command-hints');
  const send = async () => {
    const text = input.value.trim();
    if (!text) return;
    input.value = '';
    hints.hidden = true;
    const answer = await post('compose', { channel: current, text });
    if (answer.ok && answer.result?.error) toast(`${text.split(' ')[0]} failed: ${answer.result.error}`);
  };
  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    void send();
  });
  input.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !e.shiftKey) {
      e.preventDefault();
      void send();
    }
  });
  input.addEventListener('input', () => {
    const m = input.value.match(/^\/(\S*)$/);
    if (!m || !state) {
      hints.hidden = true;
      return;
    }
    const matches = state.commands.filter((c) => c.command.startsWith(`/${m[1]}`));
    hints.replaceChildren(
      ...matches.map((c) =>
        h(
          'button',
          {
            type: 'button',
            onclick: () => {
              input.value = `${c.command} `;
              hints.hidden = true;
              input.focus();
            },
          },
          c.command,
          c.usage_hint ? ` ${c.usage_hint}` : '',
          h('small', {}, c.description ?? ''),
        ),
      ),
    );
    hints.hidden = matches.length === 0;
  });

  const menu = $('shortcuts-menu');
  $('shortcuts-button').addEventListener('click', () => {
    menu.replaceChildren(
      ...(state?.shortcuts ?? []).map((s) =>
        h(
          'button',
          {
            type: 'button',
            dataset: { callbackId: s.callback_id },
            onclick: () => {
              menu.hidden = true;
              void post('shortcut', { callbackId: s.callback_id });
            },
          },
          s.name,
          h('small', {}, s.description ?? ''),
        ),
      ),
    );
    if (!menu.childElementCount) menu.append(h('p', { className: 'empty' }, 'The app has no global shortcuts.'));
    menu.hidden = !menu.hidden;
  });

  $('thread-composer').addEventListener('submit', async (e) => {
    e.preventDefault();
    const reply = $('thread-input');
    if (!reply.value.trim() || !openThread) return;
    await post('compose', { channel: openThread.channel, text: reply.value, threadTs: openThread.ts });
    reply.value = '';
  });
  $('thread-close').addEventListener('click', () => {
    openThread = null;
    render();
  });
  $('user-switcher').addEventListener('change', (e) => {
    me = e.target.value;
    openThread = null;
    // The modal on screen was the previous person's: gone at once, the next person's (if any) drawn on load.
    $('modal-root').replaceChildren();
    modalKey = null;
    homeKey = '';
    if (current.startsWith('D')) current = ''; // each person has their own DM with the app
    history.replaceState(null, '', `?user=${encodeURIComponent(me)}${current ? `#/${current}` : ''}`);
    void load().then(() => current === 'home' && post('home', {}));
  });
}

setupComposer();
// A fresh page is a fresh Slack client: modals left open before a reload are closed, as Slack's would be.
void post('dismiss', {}).finally(() => {
  listen();
  void load().then(() => {
    if (current === 'home') void post('home', {});
  });
});
