import { SLACK_LIMITS } from '../bot/blocks/limits.js';
import { blockProblems, viewProblems } from './block-kit.js';
import { SANDBOX_BOT } from './people.js';
import { slackId, type Conversation, type Message, type SlackUser, type View, type Workspace } from './workspace.js';

/**
 * Slack's Web API over the workspace: the methods Stockroom calls (and a few neighbours), with Slack's
 * response shapes and error codes. Every call is recorded, answered or refused, for tests to assert on.
 *
 * Posting rule (documented for the page and tests): the bot may post to public channels it is a member of,
 * to public channels it is not a member of only while its scopes include chat:write.public (the manifest's
 * do; otherwise not_in_channel), to its own DMs, and never to private channels it is not in (channel_not_found,
 * as Slack hides them).
 */

export interface ApiCall {
  method: string;
  /** The arguments as the app sent them, JSON fields decoded, token left out. */
  params: Record<string, unknown>;
  ok: boolean;
  error?: string;
  response: Record<string, unknown>;
  /** Workspace time in ms. */
  at: number;
}

export type ApiResult = Record<string, unknown> & { ok: boolean };

export interface WebApiOptions {
  workspace: Workspace;
  botToken: string;
  scopes: readonly string[];
  /** Absolute base of this local Slack, e.g. http://127.0.0.1:4000/sandbox (upload URLs, permalinks). */
  baseUrl: () => string;
}

type Params = Record<string, unknown>;
type Handler = (p: Params) => ApiResult;

/** Fields WebClient sends JSON-encoded inside a form body. */
const JSON_FIELDS = ['blocks', 'attachments', 'view', 'files', 'metadata', 'file_uploads'];

const fail = (error: string, extra: Record<string, unknown> = {}): ApiResult => ({ ok: false, error, ...extra });
const invalid = (error: 'invalid_blocks' | 'invalid_arguments', messages: string[]): ApiResult =>
  fail(error, {
    ...(error === 'invalid_blocks' ? { errors: messages.map((m) => m.replace(/^\[ERROR\] /, '')) } : {}),
    response_metadata: { messages },
  });

const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;
const bool = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 1;

function page<T>(items: T[], p: Params, defaultLimit = 100): { items: T[]; next_cursor: string } {
  const limit = Math.max(1, Math.min(1000, Number(p.limit) || defaultLimit));
  const offset = p.cursor
    ? Number(
        Buffer.from(String(p.cursor), 'base64')
          .toString('utf8')
          .replace(/^offset:/, ''),
      ) || 0
    : 0;
  const slice = items.slice(offset, offset + limit);
  const next = offset + limit < items.length ? Buffer.from(`offset:${offset + limit}`).toString('base64') : '';
  return { items: slice, next_cursor: next };
}

/** conversations.history/replies window: oldest and latest are exclusive unless inclusive is set. */
function inWindow(p: Params): (m: Message) => boolean {
  const latest = str(p.latest);
  const oldest = str(p.oldest);
  const inclusive = bool(p.inclusive);
  return (m) => {
    const ts = Number(m.ts);
    if (latest && (inclusive ? ts > Number(latest) : ts >= Number(latest))) return false;
    if (oldest && (inclusive ? ts < Number(oldest) : ts <= Number(oldest))) return false;
    return true;
  };
}

export class WebApi {
  readonly calls: ApiCall[] = [];
  private readonly methods: Record<string, Handler>;

  constructor(private readonly opts: WebApiOptions) {
    this.methods = {
      'api.test': (p) => ({ ok: true, args: p }),
      'auth.test': () => this.authTest(),
      'chat.postMessage': (p) => this.postMessage(p),
      'chat.update': (p) => this.update(p),
      'chat.postEphemeral': (p) => this.postEphemeral(p),
      'chat.delete': (p) => this.deleteMessage(p),
      'chat.getPermalink': (p) => this.permalink(p),
      'conversations.open': (p) => this.conversationsOpen(p),
      'conversations.info': (p) => this.conversationsInfo(p),
      'conversations.list': (p) => this.conversationsList(p),
      'conversations.members': (p) => this.conversationsMembers(p),
      'conversations.history': (p) => this.conversationsHistory(p),
      'conversations.replies': (p) => this.conversationsReplies(p),
      'conversations.join': (p) => this.conversationsJoin(p),
      'users.info': (p) => this.usersInfo(p),
      'users.list': (p) => this.usersList(p),
      'users.lookupByEmail': (p) => this.usersLookupByEmail(p),
      'usergroups.list': (p) => this.usergroupsList(p),
      'usergroups.users.list': (p) => this.usergroupsUsersList(p),
      'views.open': (p) => this.viewsOpen(p),
      'views.push': (p) => this.viewsPush(p),
      'views.update': (p) => this.viewsUpdate(p),
      'views.publish': (p) => this.viewsPublish(p),
      'files.getUploadURLExternal': (p) => this.getUploadUrl(p),
      'files.completeUploadExternal': (p) => this.completeUpload(p),
      'files.info': (p) => this.filesInfo(p),
    };
  }

  private get ws(): Workspace {
    return this.opts.workspace;
  }

  /** Answers one Web API call. `token` comes from the Authorization header or the `token` field. */
  call(method: string, rawParams: Params, token: string | undefined): ApiResult {
    const params: Params = {};
    let decodeError: string | undefined;
    for (const [key, value] of Object.entries(rawParams)) {
      if (key === 'token') continue;
      if (JSON_FIELDS.includes(key) && typeof value === 'string') {
        try {
          params[key] = JSON.parse(value);
        } catch {
          decodeError = key === 'blocks' ? 'invalid_blocks_format' : 'invalid_arguments';
        }
      } else params[key] = value;
    }
    const authToken = token ?? str(rawParams.token);
    let result: ApiResult;
    const handler = this.methods[method];
    if (!handler) result = fail('unknown_method');
    else if (!authToken) result = fail('not_authed');
    else if (authToken !== this.opts.botToken) result = fail('invalid_auth');
    else if (decodeError) result = fail(decodeError);
    else result = handler(params);
    const call: ApiCall = {
      method,
      params,
      ok: result.ok,
      ...(result.ok ? {} : { error: String(result.error) }),
      response: result,
      at: this.ws.now(),
    };
    this.calls.push(call);
    this.ws.emitChange({ kind: 'call', method, ok: result.ok });
    return result;
  }

  // --- shapes --------------------------------------------------------------------------------------------------

  private botProfile() {
    return {
      id: SANDBOX_BOT.botId,
      app_id: SANDBOX_BOT.appId,
      name: 'Stockroom',
      icons: { image_36: '', image_48: '', image_72: '' },
      deleted: false,
      updated: 0,
      team_id: this.ws.team.id,
    };
  }

  publicMessage(m: Message): Record<string, unknown> {
    const { previous: _previous, ...rest } = m;
    return { ...rest, ...(m.bot_id ? { bot_profile: this.botProfile() } : {}) };
  }

  /** Message metadata is only returned to history readers that ask for it (include_all_metadata), as in Slack. */
  private historyMessage(m: Message, p: Params): Record<string, unknown> {
    const { metadata, ...rest } = this.publicMessage(m);
    return bool(p.include_all_metadata) && metadata !== undefined ? { ...rest, metadata } : rest;
  }

  publicConversation(c: Conversation): Record<string, unknown> {
    const { members: _members, ...rest } = c;
    return {
      ...rest,
      ...(c.is_im
        ? { is_open: true, is_user_deleted: false, priority: 0 }
        : { name_normalized: c.name, num_members: c.members.length }),
      is_member: c.members.includes(SANDBOX_BOT.userId),
      is_ext_shared: false,
      is_org_shared: false,
      is_shared: false,
      context_team_id: this.ws.team.id,
    };
  }

  publicView(v: View & { user?: string }): Record<string, unknown> {
    const { user: _user, ...rest } = v;
    return rest;
  }

  // --- conversations resolution --------------------------------------------------------------------------------

  /** Resolves a channel argument (C…/G…/D… id, #name, or a user id meaning the DM with the app). */
  private resolveChannel(value: unknown): Conversation | undefined {
    const id = str(value);
    if (!id) return undefined;
    if (/^[UW][A-Z0-9]+$/.test(id)) return this.ws.user(id) ? this.ws.imWith(id) : undefined;
    return this.ws.conversation(id) ?? this.ws.channelByName(id);
  }

  /** Applies the posting rule; returns Slack's error or the conversation. */
  private postable(value: unknown): Conversation | ApiResult {
    const channel = this.resolveChannel(value);
    if (!channel) return fail('channel_not_found');
    const member = channel.members.includes(SANDBOX_BOT.userId);
    if (channel.is_private && !member) return fail('channel_not_found');
    if (channel.is_archived) return fail('is_archived');
    if (!member && !this.opts.scopes.includes('chat:write.public')) return fail('not_in_channel');
    return channel;
  }

  private content(p: Params): { text: string; blocks?: unknown[]; attachments?: unknown[] } | ApiResult {
    const text = typeof p.text === 'string' ? p.text : '';
    const blocks = p.blocks;
    const attachments = Array.isArray(p.attachments) ? p.attachments : undefined;
    if (blocks !== undefined && !Array.isArray(blocks)) return fail('invalid_blocks_format');
    if (!text && (!blocks || blocks.length === 0) && !attachments) return fail('no_text');
    if (text.length > SLACK_LIMITS.messageText) return fail('msg_too_long');
    if (blocks) {
      const problems = blockProblems(blocks, 'message');
      if (problems.length) return invalid('invalid_blocks', problems);
    }
    return { text, ...(blocks ? { blocks } : {}), ...(attachments ? { attachments } : {}) };
  }

  // --- methods -------------------------------------------------------------------------------------------------

  private authTest(): ApiResult {
    return {
      ok: true,
      url: `https://${this.ws.team.domain}.slack.com/`,
      team: this.ws.team.name,
      user: SANDBOX_BOT.name,
      team_id: this.ws.team.id,
      user_id: SANDBOX_BOT.userId,
      bot_id: SANDBOX_BOT.botId,
      is_enterprise_install: false,
    };
  }

  private postMessage(p: Params): ApiResult {
    const channel = this.postable(p.channel);
    if ('ok' in channel) return channel;
    const content = this.content(p);
    if ('ok' in content) return content;
    const threadTs = str(p.thread_ts);
    if (threadTs && !this.ws.message(channel.id, threadTs)) return fail('thread_not_found');
    const message = this.ws.post(
      channel.id,
      { user: SANDBOX_BOT.userId, asBot: true },
      {
        ...content,
        ...(threadTs ? { thread_ts: threadTs } : {}),
        ...(threadTs && bool(p.reply_broadcast) ? { subtype: 'thread_broadcast' } : {}),
        ...(p.metadata ? { metadata: p.metadata } : {}),
      },
    );
    return { ok: true, channel: channel.id, ts: message.ts, message: this.publicMessage(message) };
  }

  private update(p: Params): ApiResult {
    const channel = this.resolveChannel(p.channel);
    if (!channel) return fail('channel_not_found');
    const ts = str(p.ts);
    const message = ts ? this.ws.message(channel.id, ts) : undefined;
    if (!ts || !message) return fail('message_not_found');
    if (message.bot_id !== SANDBOX_BOT.botId) return fail('cant_update_message');
    const blocks = p.blocks;
    if (blocks !== undefined && !Array.isArray(blocks)) return fail('invalid_blocks_format');
    if (typeof p.text === 'string' && p.text.length > SLACK_LIMITS.messageText) return fail('msg_too_long');
    if (Array.isArray(blocks)) {
      const problems = blockProblems(blocks, 'message');
      if (problems.length) return invalid('invalid_blocks', problems);
    }
    if (p.text === undefined && blocks === undefined && p.attachments === undefined) return fail('no_text');
    const updated = this.ws.updateMessage(channel.id, ts, SANDBOX_BOT.userId, {
      ...(typeof p.text === 'string' ? { text: p.text } : {}),
      ...(Array.isArray(blocks) ? { blocks } : {}),
      ...(Array.isArray(p.attachments) ? { attachments: p.attachments } : {}),
    });
    const { thread_ts: _t, reply_count: _r, ...shown } = this.publicMessage(updated);
    return { ok: true, channel: channel.id, ts, text: updated.text, message: shown };
  }

  private postEphemeral(p: Params): ApiResult {
    const channel = this.postable(p.channel);
    if ('ok' in channel) return channel;
    const user = str(p.user);
    if (!user || !this.ws.user(user)) return fail('user_not_found');
    if (!channel.members.includes(user)) return fail('user_not_in_channel');
    const content = this.content(p);
    if ('ok' in content) return content;
    const threadTs = str(p.thread_ts);
    const e = this.ws.postEphemeral({
      channel: channel.id,
      user,
      text: content.text,
      ...(content.blocks ? { blocks: content.blocks } : {}),
      ...(threadTs ? { thread_ts: threadTs } : {}),
      source: 'chat.postEphemeral',
    });
    return { ok: true, message_ts: e.ts };
  }

  private deleteMessage(p: Params): ApiResult {
    const channel = this.resolveChannel(p.channel);
    if (!channel) return fail('channel_not_found');
    const ts = str(p.ts);
    const message = ts ? this.ws.message(channel.id, ts) : undefined;
    if (!ts || !message) return fail('message_not_found');
    if (message.bot_id !== SANDBOX_BOT.botId) return fail('cant_delete_message');
    this.ws.deleteMessage(channel.id, ts);
    return { ok: true, channel: channel.id, ts };
  }

  private permalink(p: Params): ApiResult {
    const channel = this.resolveChannel(p.channel);
    if (!channel) return fail('channel_not_found');
    const ts = str(p.message_ts);
    if (!ts || !this.ws.message(channel.id, ts)) return fail('message_not_found');
    return {
      ok: true,
      channel: channel.id,
      permalink: `${this.opts.baseUrl()}/archives/${channel.id}/p${ts.replace('.', '')}`,
    };
  }

  private conversationsOpen(p: Params): ApiResult {
    const existing = str(p.channel);
    if (existing) {
      const c = this.ws.conversation(existing);
      if (!c || !c.is_im) return fail('channel_not_found');
      return {
        ok: true,
        no_op: true,
        already_open: true,
        channel: bool(p.return_im) ? this.publicConversation(c) : { id: c.id },
      };
    }
    const users = (str(p.users) ?? '')
      .split(',')
      .map((u) => u.trim())
      .filter(Boolean);
    if (users.length === 0) return fail('users_list_not_supplied');
    if (users.some((u) => !this.ws.user(u))) return fail('user_not_found');
    // Group DMs (several users) are outside what the app does; the sandbox answers as Slack does to a bad list.
    if (users.length > 1)
      return fail('not_enough_users', { detail: 'sandbox: only DMs between the app and one person' });
    const before = this.ws.conversations.some((c) => c.is_im && c.user === users[0]);
    const im = this.ws.imWith(users[0]!);
    return {
      ok: true,
      ...(before ? { no_op: true, already_open: true } : {}),
      channel: bool(p.return_im) ? this.publicConversation(im) : { id: im.id },
    };
  }

  private conversationsInfo(p: Params): ApiResult {
    const c = this.resolveChannel(p.channel);
    if (!c || (c.is_private && !c.members.includes(SANDBOX_BOT.userId))) return fail('channel_not_found');
    return { ok: true, channel: this.publicConversation(c) };
  }

  private conversationsList(p: Params): ApiResult {
    const types = (str(p.types) ?? 'public_channel').split(',').map((t) => t.trim());
    const visible = this.ws.conversations.filter((c) => {
      if (bool(p.exclude_archived) && c.is_archived) return false;
      if (c.is_im) return types.includes('im');
      if (c.is_private) return types.includes('private_channel') && c.members.includes(SANDBOX_BOT.userId);
      return types.includes('public_channel');
    });
    const { items, next_cursor } = page(visible, p);
    return { ok: true, channels: items.map((c) => this.publicConversation(c)), response_metadata: { next_cursor } };
  }

  private conversationsMembers(p: Params): ApiResult {
    const c = this.resolveChannel(p.channel);
    if (!c || (c.is_private && !c.members.includes(SANDBOX_BOT.userId))) return fail('channel_not_found');
    const { items, next_cursor } = page(c.members, p);
    return { ok: true, members: items, response_metadata: { next_cursor } };
  }

  private readable(value: unknown): Conversation | ApiResult {
    const c = this.resolveChannel(value);
    if (!c) return fail('channel_not_found');
    if (!c.members.includes(SANDBOX_BOT.userId)) return fail(c.is_private ? 'channel_not_found' : 'not_in_channel');
    return c;
  }

  private conversationsHistory(p: Params): ApiResult {
    const c = this.readable(p.channel);
    if ('ok' in c) return c;
    const list = this.ws.messages(c.id).filter(inWindow(p)).reverse();
    const { items, next_cursor } = page(list, p);
    return {
      ok: true,
      messages: items.map((m) => this.historyMessage(m, p)),
      has_more: next_cursor !== '',
      response_metadata: { next_cursor },
    };
  }

  private conversationsReplies(p: Params): ApiResult {
    const c = this.readable(p.channel);
    if ('ok' in c) return c;
    const ts = str(p.ts);
    if (!ts || !this.ws.message(c.id, ts)) return fail('thread_not_found');
    // The parent always comes first; the window (oldest/latest) applies to the replies.
    const [parent, ...replies] = this.ws.thread(c.id, ts);
    const { items, next_cursor } = page([parent!, ...replies.filter(inWindow(p))], p);
    return {
      ok: true,
      messages: items.map((m) => this.historyMessage(m, p)),
      has_more: next_cursor !== '',
      response_metadata: { next_cursor },
    };
  }

  private conversationsJoin(p: Params): ApiResult {
    const c = this.resolveChannel(p.channel);
    if (!c || c.is_private || c.is_im) return fail('channel_not_found');
    if (c.is_archived) return fail('is_archived');
    const already = c.members.includes(SANDBOX_BOT.userId);
    if (!already) this.ws.joinChannel(c.id, SANDBOX_BOT.userId);
    return { ok: true, channel: this.publicConversation(c), ...(already ? { warning: 'already_in_channel' } : {}) };
  }

  private usersInfo(p: Params): ApiResult {
    const user = str(p.user) ? this.ws.user(str(p.user)!) : undefined;
    return user ? { ok: true, user } : fail('user_not_found');
  }

  private usersList(p: Params): ApiResult {
    const { items, next_cursor } = page<SlackUser>([...this.ws.users], p, 200);
    return { ok: true, members: items, cache_ts: Math.floor(this.ws.now() / 1000), response_metadata: { next_cursor } };
  }

  private usersLookupByEmail(p: Params): ApiResult {
    const email = str(p.email);
    const user = this.ws.users.find((u) => email && u.profile.email === email);
    return user ? { ok: true, user } : fail('users_not_found');
  }

  private usergroupsList(p: Params): ApiResult {
    const withUsers = bool(p.include_users);
    const usergroups = this.ws.usergroups.map(({ users, ...g }) => ({ ...g, ...(withUsers ? { users } : {}) }));
    return { ok: true, usergroups };
  }

  private usergroupsUsersList(p: Params): ApiResult {
    const group = this.ws.usergroups.find((g) => g.id === str(p.usergroup));
    return group ? { ok: true, users: [...group.users] } : fail('no_such_subteam');
  }

  private viewInput(
    p: Params,
    expected: 'modal' | 'home' | 'either',
  ): { view: Record<string, unknown> } | { failure: ApiResult } {
    const view = p.view;
    if (typeof view !== 'object' || view === null || Array.isArray(view)) {
      return { failure: invalid('invalid_arguments', ['[ERROR] missing required field: view']) };
    }
    const problems = viewProblems(view);
    const type = (view as Record<string, unknown>).type;
    if (expected !== 'either' && type !== expected)
      problems.unshift(`[ERROR] must be ${expected} [json-pointer:/view/type]`);
    if (problems.length) return { failure: invalid('invalid_arguments', problems) };
    return { view: view as Record<string, unknown> };
  }

  private viewsOpen(p: Params): ApiResult {
    const triggerId = str(p.trigger_id) ?? str(p.interactivity_pointer);
    if (!triggerId) return invalid('invalid_arguments', ['[ERROR] missing required field: trigger_id']);
    const input = this.viewInput(p, 'modal');
    if ('failure' in input) return input.failure;
    const view = input.view;
    const externalId = str(view.external_id);
    if (externalId && this.ws.viewByExternalId(externalId)) return fail('duplicate_external_id');
    const trigger = this.ws.useTrigger(triggerId);
    if ('error' in trigger) return fail(trigger.error);
    return { ok: true, view: this.publicView(this.ws.openModal(trigger.user, view)) };
  }

  private viewsPush(p: Params): ApiResult {
    const triggerId = str(p.trigger_id) ?? str(p.interactivity_pointer);
    if (!triggerId) return invalid('invalid_arguments', ['[ERROR] missing required field: trigger_id']);
    const input = this.viewInput(p, 'modal');
    if ('failure' in input) return input.failure;
    const view = input.view;
    const trigger = this.ws.useTrigger(triggerId);
    if ('error' in trigger) return fail(trigger.error);
    if (this.ws.stack(trigger.user).length >= SLACK_LIMITS.viewStack) return fail('push_limit_reached');
    return { ok: true, view: this.publicView(this.ws.pushModal(trigger.user, view)) };
  }

  private viewsUpdate(p: Params): ApiResult {
    const id = str(p.view_id);
    const externalId = str(p.external_id);
    if (!id && !externalId) return invalid('invalid_arguments', ['[ERROR] must provide view_id or external_id']);
    const existing = id ? this.ws.view(id) : this.ws.viewByExternalId(externalId!);
    if (!existing || !this.ws.isOpen(existing.id)) return fail('not_found');
    const input = this.viewInput(p, existing.type);
    if ('failure' in input) return input.failure;
    const view = input.view;
    const hash = str(p.hash);
    if (hash && hash !== existing.hash) return fail('hash_conflict');
    return { ok: true, view: this.publicView(this.ws.updateView(existing.id, view)) };
  }

  private viewsPublish(p: Params): ApiResult {
    const userId = str(p.user_id);
    if (!userId || !this.ws.user(userId)) return fail('user_not_found');
    const input = this.viewInput(p, 'home');
    if ('failure' in input) return input.failure;
    const view = input.view;
    const hash = str(p.hash);
    const existing = this.ws.home(userId);
    if (hash && existing && hash !== existing.hash) return fail('hash_conflict');
    return { ok: true, view: this.publicView(this.ws.publishHome(userId, view)) };
  }

  private getUploadUrl(p: Params): ApiResult {
    const filename = str(p.filename);
    const length = Number(p.length);
    if (!filename || !Number.isInteger(length) || length <= 0) {
      return invalid('invalid_arguments', ['[ERROR] missing required fields: filename, length']);
    }
    const id = slackId('F');
    this.ws.addFile({
      id,
      name: filename,
      title: filename,
      length,
      mimetype: 'application/octet-stream',
      created: Math.floor(this.ws.now() / 1000),
      user: SANDBOX_BOT.userId,
      completed: false,
      channels: [],
    });
    return { ok: true, upload_url: `${this.opts.baseUrl()}/upload/${id}`, file_id: id };
  }

  /** The upload step of files.uploadV2: the bytes POSTed to upload_url. */
  receiveUpload(fileId: string, content: Buffer, mimetype?: string): boolean {
    const file = this.ws.file(fileId);
    if (!file || file.completed) return false;
    file.content = content.toString('base64');
    file.length = content.length;
    if (mimetype) file.mimetype = mimetype;
    this.ws.emitChange({ kind: 'file', fileId });
    return true;
  }

  private publicFile(id: string): Record<string, unknown> {
    const f = this.ws.file(id)!;
    const url = `${this.opts.baseUrl()}/files/${f.id}/${encodeURIComponent(f.name)}`;
    return {
      id: f.id,
      created: f.created,
      timestamp: f.created,
      name: f.name,
      title: f.title,
      mimetype: f.mimetype,
      filetype: f.name.split('.').pop() ?? 'binary',
      pretty_type: f.mimetype,
      user: f.user,
      user_team: this.ws.team.id,
      size: f.length,
      mode: 'hosted',
      is_external: false,
      is_public: f.channels.some((c) => !this.ws.conversation(c)?.is_private),
      display_as_bot: false,
      url_private: url,
      url_private_download: url,
      permalink: url,
      channels: f.channels.filter((c) => this.ws.conversation(c)?.is_channel),
      groups: f.channels.filter((c) => this.ws.conversation(c)?.is_group),
      ims: f.channels.filter((c) => this.ws.conversation(c)?.is_im),
      comments_count: 0,
    };
  }

  private completeUpload(p: Params): ApiResult {
    if (!Array.isArray(p.files) || p.files.length === 0)
      return invalid('invalid_arguments', ['[ERROR] missing required field: files']);
    const entries = p.files as Array<{ id?: string; title?: string }>;
    for (const entry of entries) {
      const f = entry.id ? this.ws.file(entry.id) : undefined;
      if (!f || f.content === undefined) return fail('file_not_found');
    }
    let channel: Conversation | undefined;
    if (p.channel_id !== undefined || p.channels !== undefined) {
      const target = this.postable(p.channel_id ?? String(p.channels).split(',')[0]);
      if ('ok' in target) return target;
      channel = target;
    }
    for (const entry of entries) {
      const f = this.ws.file(entry.id!)!;
      f.completed = true;
      if (entry.title) f.title = entry.title;
      if (channel) f.channels.push(channel.id);
    }
    if (channel) {
      const threadTs = str(p.thread_ts);
      this.ws.post(
        channel.id,
        { user: SANDBOX_BOT.userId, asBot: true },
        {
          text: typeof p.initial_comment === 'string' ? p.initial_comment : '',
          ...(Array.isArray(p.blocks) ? { blocks: p.blocks } : {}),
          ...(threadTs ? { thread_ts: threadTs } : {}),
          files: entries.map((e) => {
            const f = this.ws.file(e.id!)!;
            return { id: f.id, name: f.name, title: f.title, mimetype: f.mimetype, size: f.length };
          }),
        },
      );
    }
    return { ok: true, files: entries.map((e) => this.publicFile(e.id!)) };
  }

  private filesInfo(p: Params): ApiResult {
    const id = str(p.file);
    return id && this.ws.file(id)?.completed ? { ok: true, file: this.publicFile(id) } : fail('file_not_found');
  }
}
