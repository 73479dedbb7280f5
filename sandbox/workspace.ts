import crypto from 'node:crypto';
import { EventEmitter } from 'node:events';
import { SLACK_LIMITS } from '../bot/blocks/limits.js';
import { withGeneratedIds } from './block-kit.js';
import { SANDBOX_BOT, SANDBOX_TEAM, type ChannelSpec } from './people.js';

/**
 * The local Slack's state: team, people, conversations (channels and DMs), messages with threads and edits,
 * ephemeral messages, modal stacks and App Home views per user, files. Objects are kept in the shapes Slack's
 * Web API returns, so the API layer hands them out as they are. Every change is announced on 'change'.
 */

export interface SlackUser {
  id: string;
  team_id: string;
  name: string;
  real_name: string;
  deleted: boolean;
  is_bot: boolean;
  is_app_user: boolean;
  is_admin: boolean;
  is_owner: boolean;
  tz: string;
  tz_label: string;
  tz_offset: number;
  updated: number;
  profile: {
    real_name: string;
    display_name: string;
    real_name_normalized: string;
    display_name_normalized: string;
    title: string;
    email?: string;
    image_48: string;
    image_72: string;
    team: string;
    bot_id?: string;
  };
}

export interface Conversation {
  id: string;
  name?: string;
  is_channel: boolean;
  is_group: boolean;
  is_im: boolean;
  is_mpim: boolean;
  is_private: boolean;
  is_archived: boolean;
  is_general: boolean;
  created: number;
  creator?: string;
  /** The other party of a DM with the app. */
  user?: string;
  members: string[];
  topic: { value: string; creator: string; last_set: number };
  purpose: { value: string; creator: string; last_set: number };
}

export interface MessageFile {
  id: string;
  name: string;
  title: string;
  mimetype: string;
  size: number;
}

export interface Message {
  type: 'message';
  ts: string;
  user?: string;
  bot_id?: string;
  app_id?: string;
  team: string;
  text: string;
  blocks?: unknown[];
  attachments?: unknown[];
  metadata?: unknown;
  subtype?: string;
  thread_ts?: string;
  parent_user_id?: string;
  reply_count?: number;
  reply_users?: string[];
  reply_users_count?: number;
  latest_reply?: string;
  edited?: { user: string; ts: string };
  files?: MessageFile[];
  /** Sandbox only: earlier versions, oldest first, so tests can see what an update replaced. */
  previous?: Array<{ text: string; blocks?: unknown[]; replacedAt: string }>;
}

export interface EphemeralMessage {
  ts: string;
  channel: string;
  /** The one person who sees it. */
  user: string;
  text: string;
  blocks?: unknown[];
  thread_ts?: string;
  /** How it got there: the Web API, a slash command's ack body, a response_url post, or Slack itself (errors). */
  source: 'chat.postEphemeral' | 'ack' | 'response_url' | 'slack';
}

export interface View {
  id: string;
  team_id: string;
  type: 'modal' | 'home';
  title?: unknown;
  submit?: unknown;
  close?: unknown;
  blocks: unknown[];
  private_metadata: string;
  callback_id: string;
  external_id: string;
  state: { values: Record<string, Record<string, StateValue>> };
  hash: string;
  clear_on_close: boolean;
  notify_on_close: boolean;
  submit_disabled: boolean;
  root_view_id: string | null;
  previous_view_id: string | null;
  app_id: string;
  app_installed_team_id: string;
  bot_id: string;
}

/** One element's entry in view.state.values, as Slack sends it ({ type, value } / selected_option / ...). */
export type StateValue = { type: string } & Record<string, unknown>;

export interface StoredFile {
  id: string;
  name: string;
  title: string;
  length: number;
  mimetype: string;
  created: number;
  user: string;
  /** base64 of the bytes once uploaded */
  content?: string;
  completed: boolean;
  channels: string[];
}

export type Change =
  | { kind: 'message'; channel: string; ts: string; thread_ts?: string }
  | { kind: 'message_changed'; channel: string; ts: string }
  | { kind: 'message_deleted'; channel: string; ts: string }
  | { kind: 'ephemeral'; channel: string; user: string; ts: string }
  | { kind: 'view_opened' | 'view_pushed' | 'view_updated' | 'view_closed'; user: string; viewId: string }
  | { kind: 'view_errors'; user: string; viewId: string }
  | { kind: 'home_published'; user: string; viewId: string }
  | { kind: 'file'; fileId: string }
  | { kind: 'call'; method: string; ok: boolean }
  | { kind: 'user' | 'channel'; id: string };

export interface WorkspaceSnapshot {
  version: 1;
  users: SlackUser[];
  usergroups: UserGroup[];
  conversations: Conversation[];
  messages: Record<string, Message[]>;
  ephemerals: EphemeralMessage[];
  views: Record<string, View & { user: string }>;
  stacks: Record<string, string[]>;
  homes: Record<string, string>;
  viewErrors: Record<string, Record<string, string>>;
  files: Record<string, StoredFile>;
}

export interface UserGroup {
  id: string;
  team_id: string;
  is_usergroup: true;
  name: string;
  description: string;
  handle: string;
  is_external: false;
  date_create: number;
  date_update: number;
  date_delete: 0;
  auto_type: null;
  created_by: string;
  updated_by: string;
  deleted_by: null;
  prefs: { channels: string[]; groups: string[] };
  users: string[];
  user_count: number;
}

export type SlackErrorCode = string;

const ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
export function slackId(prefix: string, length = 10): string {
  const bytes = crypto.randomBytes(length);
  return prefix + Array.from(bytes, (b) => ID_ALPHABET[b % ID_ALPHABET.length]).join('');
}

const emptyTopic = () => ({ value: '', creator: '', last_set: 0 });

export interface AddUserInput {
  id?: string;
  name: string;
  realName?: string;
  title?: string;
  email?: string;
  isAdmin?: boolean;
  isBot?: boolean;
  tz?: string;
}

export class Workspace extends EventEmitter {
  readonly team = SANDBOX_TEAM;
  readonly bot = SANDBOX_BOT;
  private clockOffsetMs = 0;
  private lastTs = 0;
  private state: WorkspaceSnapshot = Workspace.emptySnapshot();
  private readonly triggers = new Map<string, { user: string; issuedAt: number; used: boolean }>();
  /** Bumped on every change; the page and waitFor use it. */
  version = 0;

  static emptySnapshot(): WorkspaceSnapshot {
    return {
      version: 1,
      users: [],
      usergroups: [],
      conversations: [],
      messages: {},
      ephemerals: [],
      views: {},
      stacks: {},
      homes: {},
      viewErrors: {},
      files: {},
    };
  }

  constructor() {
    super();
    this.setMaxListeners(0);
    this.addUser({ id: SANDBOX_BOT.userId, name: SANDBOX_BOT.name, realName: 'Stockroom', isBot: true });
  }

  // --- clock -------------------------------------------------------------------------------------------------

  /** Workspace time in ms. Tests move it forward (expired trigger_id, response_url) instead of sleeping. */
  now(): number {
    return Date.now() + this.clockOffsetMs;
  }

  advanceClock(ms: number): void {
    this.clockOffsetMs += ms;
  }

  /** A message timestamp: seconds.microseconds, strictly increasing like Slack's within a channel. */
  nextTs(): string {
    const micros = Math.max(this.now() * 1000, this.lastTs + 1);
    this.lastTs = micros;
    return `${Math.floor(micros / 1e6)}.${String(micros % 1e6).padStart(6, '0')}`;
  }

  // --- change feed -------------------------------------------------------------------------------------------

  emitChange(change: Change): void {
    this.version += 1;
    this.emit('change', change);
  }

  snapshot(): WorkspaceSnapshot {
    return structuredClone(this.state);
  }

  restore(snapshot: WorkspaceSnapshot): void {
    const bot = this.state.users.find((u) => u.id === SANDBOX_BOT.userId)!;
    this.state = structuredClone(snapshot);
    if (!this.state.users.some((u) => u.id === bot.id)) this.state.users.unshift(bot);
    this.emitChange({ kind: 'user', id: bot.id });
  }

  // --- people ------------------------------------------------------------------------------------------------

  get users(): readonly SlackUser[] {
    return this.state.users;
  }

  user(id: string): SlackUser | undefined {
    return this.state.users.find((u) => u.id === id);
  }

  userByName(name: string): SlackUser | undefined {
    return this.state.users.find((u) => u.name === name);
  }

  addUser(input: AddUserInput): SlackUser {
    const id = input.id ?? slackId('U');
    const existing = this.user(id);
    const realName = input.realName ?? input.name;
    const user: SlackUser = {
      id,
      team_id: this.team.id,
      name: input.name,
      real_name: realName,
      deleted: false,
      is_bot: input.isBot ?? false,
      is_app_user: false,
      is_admin: input.isAdmin ?? false,
      is_owner: false,
      tz: input.tz ?? 'Europe/London',
      tz_label: 'Greenwich Mean Time',
      tz_offset: 0,
      updated: Math.floor(this.now() / 1000),
      profile: {
        real_name: realName,
        display_name: input.name,
        real_name_normalized: realName,
        display_name_normalized: input.name,
        title: input.title ?? '',
        ...(input.email ? { email: input.email } : {}),
        image_48: '',
        image_72: '',
        team: this.team.id,
        ...(input.isBot ? { bot_id: SANDBOX_BOT.botId } : {}),
      },
    };
    if (existing) Object.assign(existing, user);
    else this.state.users.push(user);
    for (const c of this.state.conversations) {
      if (c.is_channel && !c.is_private && !c.members.includes(id) && !user.is_bot) c.members.push(id);
    }
    this.emitChange({ kind: 'user', id });
    return existing ?? user;
  }

  get usergroups(): readonly UserGroup[] {
    return this.state.usergroups;
  }

  addUserGroup(input: {
    id?: string;
    handle: string;
    name: string;
    users?: string[];
    description?: string;
  }): UserGroup {
    const now = Math.floor(this.now() / 1000);
    const group: UserGroup = {
      id: input.id ?? slackId('S'),
      team_id: this.team.id,
      is_usergroup: true,
      name: input.name,
      description: input.description ?? '',
      handle: input.handle,
      is_external: false,
      date_create: now,
      date_update: now,
      date_delete: 0,
      auto_type: null,
      created_by: SANDBOX_BOT.userId,
      updated_by: SANDBOX_BOT.userId,
      deleted_by: null,
      prefs: { channels: [], groups: [] },
      users: [...(input.users ?? [])],
      user_count: input.users?.length ?? 0,
    };
    this.state.usergroups = this.state.usergroups.filter((g) => g.id !== group.id);
    this.state.usergroups.push(group);
    return group;
  }

  setUserGroupMembers(groupId: string, users: string[]): void {
    const group = this.state.usergroups.find((g) => g.id === groupId || g.handle === groupId);
    if (!group) throw new Error(`no user group ${groupId}`);
    group.users = [...users];
    group.user_count = users.length;
    group.date_update = Math.floor(this.now() / 1000);
  }

  // --- conversations -----------------------------------------------------------------------------------------

  get conversations(): readonly Conversation[] {
    return this.state.conversations;
  }

  conversation(id: string): Conversation | undefined {
    return this.state.conversations.find((c) => c.id === id);
  }

  channelByName(name: string): Conversation | undefined {
    const bare = name.replace(/^#/, '');
    return this.state.conversations.find((c) => c.name === bare && !c.is_im);
  }

  addChannel(spec: ChannelSpec): Conversation {
    const existing = this.conversation(spec.id);
    if (existing) return existing;
    const humans = this.state.users.filter((u) => !u.is_bot).map((u) => u.id);
    const channel: Conversation = {
      id: spec.id,
      name: spec.name,
      is_channel: !spec.isPrivate,
      is_group: !!spec.isPrivate,
      is_im: false,
      is_mpim: false,
      is_private: !!spec.isPrivate,
      is_archived: false,
      is_general: spec.name === 'general',
      created: Math.floor(this.now() / 1000),
      creator: humans[0] ?? SANDBOX_BOT.userId,
      members: [...(spec.isPrivate ? [] : humans), ...(spec.botIsMember ? [SANDBOX_BOT.userId] : [])],
      topic: emptyTopic(),
      purpose: { value: spec.purpose ?? '', creator: '', last_set: 0 },
    };
    this.state.conversations.push(channel);
    this.emitChange({ kind: 'channel', id: channel.id });
    return channel;
  }

  joinChannel(channelId: string, userId: string): void {
    const channel = this.conversation(channelId);
    if (!channel) throw new Error(`no channel ${channelId}`);
    if (!channel.members.includes(userId)) channel.members.push(userId);
    this.emitChange({ kind: 'channel', id: channelId });
  }

  /** The DM between a person and the app (the app's Messages tab), created on first use like Slack's. */
  imWith(userId: string): Conversation {
    const existing = this.state.conversations.find((c) => c.is_im && c.user === userId);
    if (existing) return existing;
    const im: Conversation = {
      id: `D${userId.slice(1)}`,
      is_channel: false,
      is_group: false,
      is_im: true,
      is_mpim: false,
      is_private: true,
      is_archived: false,
      is_general: false,
      created: Math.floor(this.now() / 1000),
      user: userId,
      members: [userId, SANDBOX_BOT.userId],
      topic: emptyTopic(),
      purpose: emptyTopic(),
    };
    this.state.conversations.push(im);
    this.emitChange({ kind: 'channel', id: im.id });
    return im;
  }

  // --- messages ----------------------------------------------------------------------------------------------

  /** Messages at the top level of a channel (thread replies are under thread()), oldest first. */
  messages(channel: string): Message[] {
    return (this.state.messages[channel] ?? []).filter(
      (m) => !m.thread_ts || m.thread_ts === m.ts || m.subtype === 'thread_broadcast',
    );
  }

  allMessages(channel: string): Message[] {
    return this.state.messages[channel] ?? [];
  }

  message(channel: string, ts: string): Message | undefined {
    return this.state.messages[channel]?.find((m) => m.ts === ts);
  }

  /** The parent and its replies, oldest first. */
  thread(channel: string, ts: string): Message[] {
    return (this.state.messages[channel] ?? []).filter((m) => m.ts === ts || m.thread_ts === ts);
  }

  post(channel: string, from: { user: string; asBot: boolean }, content: Partial<Message>): Message {
    const ts = this.nextTs();
    const message: Message = {
      type: 'message',
      ts,
      user: from.user,
      ...(from.asBot ? { bot_id: SANDBOX_BOT.botId, app_id: SANDBOX_BOT.appId } : {}),
      team: this.team.id,
      text: content.text ?? '',
      ...(content.blocks ? { blocks: withGeneratedIds(content.blocks) } : {}),
      ...(content.attachments ? { attachments: content.attachments } : {}),
      ...(content.metadata ? { metadata: content.metadata } : {}),
      ...(content.files ? { files: content.files } : {}),
      ...(content.subtype ? { subtype: content.subtype } : {}),
    };
    const list = (this.state.messages[channel] ??= []);
    if (content.thread_ts) {
      const parent = list.find((m) => m.ts === content.thread_ts);
      message.thread_ts = content.thread_ts;
      if (parent) {
        message.parent_user_id = parent.user;
        parent.thread_ts = parent.ts;
        parent.reply_count = (parent.reply_count ?? 0) + 1;
        parent.reply_users = [...new Set([...(parent.reply_users ?? []), from.user])];
        parent.reply_users_count = parent.reply_users.length;
        parent.latest_reply = ts;
      }
    }
    list.push(message);
    this.emitChange({ kind: 'message', channel, ts, ...(message.thread_ts ? { thread_ts: message.thread_ts } : {}) });
    return message;
  }

  updateMessage(
    channel: string,
    ts: string,
    editor: string,
    patch: { text?: string; blocks?: unknown[]; attachments?: unknown[] },
  ): Message {
    const message = this.message(channel, ts);
    if (!message) throw new Error(`no message ${channel}/${ts}`);
    message.previous = [
      ...(message.previous ?? []),
      { text: message.text, ...(message.blocks ? { blocks: message.blocks } : {}), replacedAt: this.nextTs() },
    ];
    if (patch.text !== undefined) message.text = patch.text;
    if (patch.blocks !== undefined) message.blocks = withGeneratedIds(patch.blocks);
    if (patch.attachments !== undefined) message.attachments = patch.attachments;
    message.edited = { user: editor, ts: this.nextTs() };
    this.emitChange({ kind: 'message_changed', channel, ts });
    return message;
  }

  deleteMessage(channel: string, ts: string): void {
    const list = this.state.messages[channel];
    if (!list) return;
    const message = list.find((m) => m.ts === ts);
    this.state.messages[channel] = list.filter((m) => m.ts !== ts);
    if (message?.thread_ts && message.thread_ts !== ts) {
      const parent = list.find((m) => m.ts === message.thread_ts);
      if (parent) parent.reply_count = Math.max(0, (parent.reply_count ?? 1) - 1);
    }
    this.emitChange({ kind: 'message_deleted', channel, ts });
  }

  postEphemeral(input: Omit<EphemeralMessage, 'ts'>): EphemeralMessage {
    const ephemeral: EphemeralMessage = {
      ts: this.nextTs(),
      ...input,
      ...(input.blocks ? { blocks: withGeneratedIds(input.blocks) } : {}),
    };
    this.state.ephemerals.push(ephemeral);
    this.emitChange({ kind: 'ephemeral', channel: input.channel, user: input.user, ts: ephemeral.ts });
    return ephemeral;
  }

  ephemerals(filter: { user?: string; channel?: string } = {}): EphemeralMessage[] {
    return this.state.ephemerals.filter(
      (e) => (!filter.user || e.user === filter.user) && (!filter.channel || e.channel === filter.channel),
    );
  }

  ephemeral(ts: string): EphemeralMessage | undefined {
    return this.state.ephemerals.find((e) => e.ts === ts);
  }

  replaceEphemeral(ts: string, patch: { text: string; blocks?: unknown[] }): void {
    const e = this.ephemeral(ts);
    if (!e) return;
    e.text = patch.text;
    if (patch.blocks) e.blocks = withGeneratedIds(patch.blocks);
    else delete e.blocks;
    this.emitChange({ kind: 'ephemeral', channel: e.channel, user: e.user, ts });
  }

  deleteEphemeral(ts: string): void {
    const e = this.ephemeral(ts);
    this.state.ephemerals = this.state.ephemerals.filter((x) => x.ts !== ts);
    if (e) this.emitChange({ kind: 'ephemeral', channel: e.channel, user: e.user, ts });
  }

  // --- trigger ids -------------------------------------------------------------------------------------------

  /** A trigger_id as Slack sends with interactions: single use, valid for three seconds. */
  issueTrigger(user: string): string {
    const id = `${Math.floor(this.now() / 1000)}.${this.team.id.slice(1)}.${crypto.randomBytes(16).toString('hex')}`;
    if (this.triggers.size >= 1_000) {
      // Spent or expired triggers can never succeed again; forget them so a long-running sandbox stays small.
      for (const [key, t] of this.triggers) {
        if (t.used || this.now() - t.issuedAt > SLACK_LIMITS.triggerIdTtlMs) this.triggers.delete(key);
      }
    }
    this.triggers.set(id, { user, issuedAt: this.now(), used: false });
    return id;
  }

  /** Spends a trigger_id; returns the user it was issued to, or Slack's error code. */
  useTrigger(
    id: string,
  ): { user: string } | { error: 'invalid_trigger_id' | 'expired_trigger_id' | 'exchanged_trigger_id' } {
    const trigger = this.triggers.get(id);
    if (!trigger) return { error: 'invalid_trigger_id' };
    if (trigger.used) return { error: 'exchanged_trigger_id' };
    if (this.now() - trigger.issuedAt > SLACK_LIMITS.triggerIdTtlMs) return { error: 'expired_trigger_id' };
    trigger.used = true;
    return { user: trigger.user };
  }

  // --- views -------------------------------------------------------------------------------------------------

  view(id: string): (View & { user: string }) | undefined {
    return this.state.views[id];
  }

  viewByExternalId(externalId: string): (View & { user: string }) | undefined {
    return Object.values(this.state.views).find((v) => v.external_id === externalId && externalId !== '');
  }

  /** The user's open modal stack, bottom first. */
  stack(user: string): Array<View & { user: string }> {
    return (this.state.stacks[user] ?? []).map((id) => this.state.views[id]!).filter(Boolean);
  }

  home(user: string): (View & { user: string }) | undefined {
    const id = this.state.homes[user];
    return id ? this.state.views[id] : undefined;
  }

  /** Field errors from the last view_submission answered with response_action: errors. */
  viewErrors(viewId: string): Record<string, string> {
    return this.state.viewErrors[viewId] ?? {};
  }

  setViewErrors(user: string, viewId: string, errors: Record<string, string>): void {
    this.state.viewErrors[viewId] = errors;
    this.emitChange({ kind: 'view_errors', user, viewId });
  }

  private newHash(): string {
    return `${Math.floor(this.now() / 1000)}.${crypto.randomBytes(4).toString('hex')}`;
  }

  private buildView(
    user: string,
    input: Record<string, unknown>,
    id: string,
    rootId: string | null,
    previousId: string | null,
  ): View & { user: string } {
    const type = input.type === 'home' ? 'home' : 'modal';
    return {
      id,
      team_id: this.team.id,
      type,
      ...(type === 'modal'
        ? { title: input.title, close: input.close ?? { type: 'plain_text', text: 'Cancel', emoji: true } }
        : {}),
      ...(input.submit !== undefined ? { submit: input.submit } : {}),
      blocks: withGeneratedIds((input.blocks as unknown[]) ?? []),
      private_metadata: typeof input.private_metadata === 'string' ? input.private_metadata : '',
      callback_id: typeof input.callback_id === 'string' ? input.callback_id : '',
      external_id: typeof input.external_id === 'string' ? input.external_id : '',
      state: { values: {} },
      hash: this.newHash(),
      clear_on_close: input.clear_on_close === true,
      notify_on_close: input.notify_on_close === true,
      submit_disabled: input.submit_disabled === true,
      root_view_id: rootId ?? id,
      previous_view_id: previousId,
      app_id: SANDBOX_BOT.appId,
      app_installed_team_id: this.team.id,
      bot_id: SANDBOX_BOT.botId,
      user,
    };
  }

  openModal(user: string, input: Record<string, unknown>): View & { user: string } {
    // A new views.open replaces whatever modal the user had open, as in Slack's client.
    for (const id of this.state.stacks[user] ?? []) this.emitChange({ kind: 'view_closed', user, viewId: id });
    const id = slackId('V');
    const view = this.buildView(user, input, id, null, null);
    this.state.views[id] = view;
    this.state.stacks[user] = [id];
    this.emitChange({ kind: 'view_opened', user, viewId: id });
    return view;
  }

  pushModal(user: string, input: Record<string, unknown>): View & { user: string } {
    const stack = (this.state.stacks[user] ??= []);
    const top = stack.at(-1);
    const id = slackId('V');
    const view = this.buildView(user, input, id, top ? this.state.views[top]!.root_view_id : null, top ?? null);
    this.state.views[id] = view;
    stack.push(id);
    this.emitChange({ kind: 'view_pushed', user, viewId: id });
    return view;
  }

  /**
   * Replaces a view's content; the id stays, the hash changes. Like Slack, values the user typed are kept for
   * inputs whose block_id and action_id survive the update (apps change a block_id to reset a field).
   */
  updateView(id: string, input: Record<string, unknown>): View & { user: string } {
    const old = this.state.views[id];
    if (!old) throw new Error(`no view ${id}`);
    const next = this.buildView(old.user, { ...input, type: old.type }, id, old.root_view_id, old.previous_view_id);
    const keptValues: View['state']['values'] = {};
    for (const block of next.blocks as Array<Record<string, unknown>>) {
      const blockId = String(block.block_id);
      const previous = old.state.values[blockId];
      if (previous) keptValues[blockId] = previous;
    }
    next.state.values = keptValues;
    this.state.views[id] = next;
    delete this.state.viewErrors[id];
    this.emitChange({ kind: old.type === 'home' ? 'home_published' : 'view_updated', user: old.user, viewId: id });
    return next;
  }

  publishHome(user: string, input: Record<string, unknown>): View & { user: string } {
    const existing = this.home(user);
    if (existing) return this.updateView(existing.id, input);
    const id = slackId('V');
    const view = this.buildView(user, { ...input, type: 'home' }, id, null, null);
    this.state.views[id] = view;
    this.state.homes[user] = id;
    this.emitChange({ kind: 'home_published', user, viewId: id });
    return view;
  }

  /** Closes the top view of the user's stack, or the whole stack. Returns the closed views, top first. */
  closeModal(user: string, which: 'top' | 'all'): Array<View & { user: string }> {
    const stack = this.state.stacks[user] ?? [];
    const closedIds = which === 'all' ? [...stack].reverse() : stack.slice(-1);
    this.state.stacks[user] = which === 'all' ? [] : stack.slice(0, -1);
    const closed = closedIds.map((id) => this.state.views[id]!).filter(Boolean);
    for (const view of closed) this.emitChange({ kind: 'view_closed', user, viewId: view.id });
    return closed;
  }

  isOpen(viewId: string): boolean {
    const view = this.state.views[viewId];
    if (!view) return false;
    if (view.type === 'home') return true;
    return (this.state.stacks[view.user] ?? []).includes(viewId);
  }

  /** Sets what the user has entered in a view (kept server-side, sent with block_actions and submissions). */
  setViewValues(viewId: string, values: View['state']['values']): void {
    const view = this.state.views[viewId];
    if (!view) throw new Error(`no view ${viewId}`);
    for (const [blockId, actions] of Object.entries(values)) {
      view.state.values[blockId] = { ...(view.state.values[blockId] ?? {}), ...actions };
    }
  }

  // --- files -------------------------------------------------------------------------------------------------

  file(id: string): StoredFile | undefined {
    return this.state.files[id];
  }

  addFile(file: StoredFile): void {
    this.state.files[file.id] = file;
    this.emitChange({ kind: 'file', fileId: file.id });
  }
}
