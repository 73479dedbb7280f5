import crypto from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import type { CustomRoute } from '@slack/bolt';
import { SLACK_LIMITS } from '../bot/blocks/limits.js';
import { blockProblems, viewProblems } from './block-kit.js';
import { AppEndpoint, type Delivery, type SendOptions } from './events.js';
import {
  actionEntry,
  appHomeOpenedEvent,
  blockActionsPayload,
  blockSuggestionPayload,
  eventEnvelope,
  messageActionPayload,
  messageEvent,
  shortcutPayload,
  slashCommandFields,
  viewClosedPayload,
  viewSubmissionPayload,
  type PayloadContext,
  type Surface,
} from './payloads.js';
import {
  DEMO_PEOPLE,
  DEMO_USER_GROUPS,
  SANDBOX_BOT,
  SANDBOX_CHANNELS,
  type ChannelSpec,
  type DemoPerson,
} from './people.js';
import { sandboxHandler } from './server.js';
import { clientSideErrors, findElement, stateValues, toStateValue, type SimpleValue } from './view-state.js';
import { WebApi, type ApiCall } from './web-api.js';
import {
  Workspace,
  type AddUserInput,
  type Change,
  type Conversation,
  type EphemeralMessage,
  type Message,
  type SlackUser,
  type View,
  type WorkspaceSnapshot,
} from './workspace.js';

/** The parts of a Slack app manifest the local Slack reads (commands, shortcuts, events, scopes). */
export interface AppManifest {
  display_information?: { name?: string };
  features?: {
    app_home?: { home_tab_enabled?: boolean; messages_tab_enabled?: boolean };
    shortcuts?: Array<{ name: string; type: 'global' | 'message'; callback_id: string; description?: string }>;
    slash_commands?: Array<{ command: string; description?: string; usage_hint?: string }>;
  };
  oauth_config?: { scopes?: { bot?: string[] } };
  settings?: { event_subscriptions?: { bot_events?: string[] } };
}

export interface LocalSlackOptions {
  /** The app's request URL, e.g. http://127.0.0.1:3000/slack/events (or set later with connectApp). */
  appUrl?: string;
  /** Shared with the app; random when omitted. */
  signingSecret?: string;
  /** The bot token the app must present; random xoxb- token when omitted. */
  botToken?: string;
  /** Commands, shortcuts, bot events and scopes; the repository's manifest.json when omitted. */
  manifest?: AppManifest;
  /** Channels to create (the bot's membership decides not_in_channel); SANDBOX_CHANNELS when omitted. */
  channels?: readonly ChannelSpec[];
  /** People to create; DEMO_PEOPLE when omitted (pass [] for none). */
  people?: readonly DemoPerson[];
  /** Keep the workspace in this JSON file across restarts (the page's mode); in memory when omitted. */
  dataFile?: string;
  /** Keep only the latest N recorded Web API calls and deliveries (a long-running sandbox); all when omitted. */
  keepCalls?: number;
}

export interface CommandResult {
  delivery?: Delivery;
  status: number;
  /** The ack body (JSON, text or undefined). */
  response: unknown;
  /** What the person saw from the ack: an ephemeral reply or an in_channel message. */
  ephemeral?: EphemeralMessage;
  posted?: Message;
  /** Slack's own complaint when the app did not answer 200 (dispatch_failed) or the command is unknown. */
  error?: string;
}

export interface SubmitResult {
  ok: boolean;
  status: number;
  responseAction?: 'errors' | 'update' | 'push' | 'clear';
  /** Field errors by block_id: the app's (response_action: errors) or Slack's client-side ones. */
  errors?: Record<string, string>;
  /** True when Slack's client refused the submission itself (required field, number format); nothing was sent. */
  clientSide?: boolean;
  /** The view now on top after update/push. */
  view?: View;
  delivery?: Delivery;
  /** Slack's complaint about an invalid response view. */
  messages?: string[];
}

export type Target = { channel: string; ts: string } | { viewId: string };
export type Option = { text: { type: string; text: string }; value: string; description?: unknown };

export interface WaitOptions {
  /** ms; 5000 by default. */
  timeout?: number;
  /** Said in the timeout error. */
  description?: string;
}

const DEFAULT_MANIFEST_PATH = new URL('../manifest.json', import.meta.url);

function loadDefaultManifest(): AppManifest {
  return JSON.parse(fs.readFileSync(DEFAULT_MANIFEST_PATH, 'utf8')) as AppManifest;
}

/**
 * A local Slack workspace for one app: the Web API it calls, the signed requests Slack would send it, and a
 * small API to act as people (run commands, click, fill and submit modals) and read what they would see.
 * Standalone in tests (`LocalSlack.start()`, own port) or mounted in the app's HTTP server (`routes()`).
 */
export class LocalSlack {
  readonly workspace = new Workspace();
  readonly api: WebApi;
  readonly endpoint: AppEndpoint;
  readonly signingSecret: string;
  readonly botToken: string;
  readonly verificationToken = crypto.randomBytes(12).toString('hex');
  readonly manifest: AppManifest;
  private appUrl: string | undefined;
  private baseUrlValue: string;
  private server?: http.Server;
  private readonly responseUrls = new Map<string, ResponseUrlContext>();
  private readonly suggestions = new Map<string, Option[]>();
  private saveTimer?: NodeJS.Timeout;
  private readonly channelSpecs: readonly ChannelSpec[];

  private constructor(opts: LocalSlackOptions, baseUrl: string) {
    this.baseUrlValue = baseUrl.replace(/\/$/, '');
    this.appUrl = opts.appUrl;
    this.signingSecret = opts.signingSecret ?? crypto.randomBytes(16).toString('hex');
    this.botToken = opts.botToken ?? `xoxb-sandbox-${crypto.randomBytes(12).toString('hex')}`;
    this.manifest = opts.manifest ?? loadDefaultManifest();
    this.channelSpecs = opts.channels ?? SANDBOX_CHANNELS;
    this.api = new WebApi({
      workspace: this.workspace,
      botToken: this.botToken,
      scopes: this.manifest.oauth_config?.scopes?.bot ?? [],
      baseUrl: () => this.baseUrlValue,
    });
    this.endpoint = new AppEndpoint({ url: () => this.appUrl, signingSecret: this.signingSecret });
    const restored = opts.dataFile ? readSnapshot(opts.dataFile) : undefined;
    if (restored) this.workspace.restore(restored);
    this.seed(opts.people ?? DEMO_PEOPLE); // idempotent: a restored workspace gains people added since
    for (const spec of this.channelSpecs) this.workspace.addChannel(spec);
    if (opts.dataFile) this.persistTo(opts.dataFile);
    if (opts.keepCalls !== undefined) this.trimRecords(opts.keepCalls);
  }

  private trimRecords(keep: number): void {
    this.workspace.on('change', (change: Change) => {
      if (change.kind !== 'call') return;
      const calls = this.api.calls;
      if (calls.length > keep * 2) calls.splice(0, calls.length - keep);
      const deliveries = this.endpoint.deliveries;
      if (deliveries.length > keep * 2) deliveries.splice(0, deliveries.length - keep);
    });
  }

  /** A local Slack to mount on an existing server at `baseUrl` (e.g. http://localhost:3000/sandbox). */
  static create(opts: LocalSlackOptions & { baseUrl: string }): LocalSlack {
    return new LocalSlack(opts, opts.baseUrl);
  }

  /** A local Slack on its own HTTP server (127.0.0.1, a free port unless `port` is given); Web API at /api/. */
  static async start(opts: LocalSlackOptions & { port?: number } = {}): Promise<LocalSlack> {
    const slack = new LocalSlack(opts, 'http://127.0.0.1:0');
    const handler = sandboxHandler(slack, '');
    const server = http.createServer((req, res) => handler(req, res));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
    });
    const address = server.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    slack.baseUrlValue = `http://127.0.0.1:${port}`;
    slack.server = server;
    return slack;
  }

  /** Where the app's WebClient should send calls (its slackApiUrl / SLACK_API_URL), ending in /api/. */
  get apiUrl(): string {
    return `${this.baseUrlValue}/api/`;
  }

  get baseUrl(): string {
    return this.baseUrlValue;
  }

  /** Points the local Slack at the app's request URL (…/slack/events). */
  connectApp(appUrl: string): void {
    this.appUrl = appUrl;
  }

  /** Bolt customRoutes serving this local Slack under its base URL's path (e.g. /sandbox, /sandbox/api/:method). */
  routes(): CustomRoute[] {
    const prefix = new URL(this.baseUrlValue).pathname.replace(/\/$/, '');
    const handler = sandboxHandler(this, prefix);
    const paths = [prefix || '/', `${prefix}/*rest`];
    return paths.flatMap((p) =>
      (['GET', 'POST'] as const).map((method) => ({ path: p, method, handler: (req, res) => handler(req, res) })),
    );
  }

  private readonly stopHooks: Array<() => void> = [];

  /** Runs at stop(), before the server closes (the page's event streams end here). */
  onStop(hook: () => void): void {
    this.stopHooks.push(hook);
  }

  /** Ends the page's live streams, writes the workspace file and closes the own server (if any). */
  async stop(): Promise<void> {
    for (const hook of this.stopHooks) hook();
    this.flush();
    if (this.server) {
      this.server.closeAllConnections();
      await new Promise<void>((resolve) => this.server!.close(() => resolve()));
      this.server = undefined;
    }
  }

  // --- people and places ----------------------------------------------------------------------------------------

  private seed(people: readonly DemoPerson[]): void {
    for (const person of people) {
      this.workspace.addUser({
        id: person.id,
        name: person.name,
        realName: person.realName,
        title: person.title,
        email: person.email,
        isAdmin: person.role === 'admin',
      });
    }
    for (const group of DEMO_USER_GROUPS) {
      const members = people.filter((p) => p.groups.includes(group.handle)).map((p) => p.id);
      if (members.length) this.workspace.addUserGroup({ ...group, users: members });
    }
  }

  /** Everyone in the workspace except the app's bot user. */
  get users(): SlackUser[] {
    return this.workspace.users.filter((u) => u.id !== SANDBOX_BOT.userId);
  }

  addUser(input: AddUserInput): SlackUser {
    return this.workspace.addUser(input);
  }

  /** A user by id or name. */
  user(idOrName: string): SlackUser {
    const user = this.workspace.user(idOrName) ?? this.workspace.userByName(idOrName.replace(/^@/, ''));
    if (!user) throw new Error(`no user ${idOrName} in the local Slack`);
    return user;
  }

  addChannel(spec: ChannelSpec): Conversation {
    return this.workspace.addChannel(spec);
  }

  /** A channel by id, name or #name; a user id gives that person's DM with the app. */
  channel(ref: string): Conversation {
    const c = /^[UW][A-Z0-9]+$/.test(ref)
      ? this.workspace.imWith(ref)
      : (this.workspace.conversation(ref) ?? this.workspace.channelByName(ref));
    if (!c) throw new Error(`no channel ${ref} in the local Slack`);
    return c;
  }

  /** The channels the sandbox was configured with, in order. */
  get configuredChannels(): Conversation[] {
    return this.channelSpecs.map((s) => this.workspace.conversation(s.id)!).filter(Boolean);
  }

  // --- reading -------------------------------------------------------------------------------------------------

  /** Top-level messages of a channel (id, name or #name), oldest first. */
  messages(channel: string): Message[] {
    return this.workspace.messages(this.channel(channel).id);
  }

  /** The person's DM with the app, top level, oldest first. */
  dm(userId: string): Message[] {
    return this.workspace.messages(this.workspace.imWith(userId).id);
  }

  /** A thread: the parent and its replies, oldest first. */
  thread(channel: string, ts: string): Message[] {
    return this.workspace.thread(this.channel(channel).id, ts);
  }

  message(channel: string, ts: string): Message | undefined {
    return this.workspace.message(this.channel(channel).id, ts);
  }

  /** Ephemeral messages only this person sees (optionally in one channel), oldest first. */
  ephemerals(userId: string, channel?: string): EphemeralMessage[] {
    return this.workspace.ephemerals({ user: userId, ...(channel ? { channel: this.channel(channel).id } : {}) });
  }

  /** The modal on top of the person's stack, if any. */
  openView(userId: string): View | undefined {
    return this.workspace.stack(userId).at(-1);
  }

  /** The person's modal stack, bottom first. */
  viewStack(userId: string): View[] {
    return this.workspace.stack(userId);
  }

  view(viewId: string): View | undefined {
    return this.workspace.view(viewId);
  }

  /** The App Home view published for this person. */
  home(userId: string): View | undefined {
    return this.workspace.home(userId);
  }

  /** Field errors shown in a modal (by block_id) after the app answered response_action: errors. */
  viewErrors(viewId: string): Record<string, string> {
    return this.workspace.viewErrors(viewId);
  }

  /** Every Web API call the app made, in order. */
  get calls(): readonly ApiCall[] {
    return this.api.calls;
  }

  callsTo(method: string): ApiCall[] {
    return this.api.calls.filter((c) => c.method === method);
  }

  /** Every request sent to the app, with its ack. */
  get deliveries(): readonly Delivery[] {
    return this.endpoint.deliveries;
  }

  /** Moves the workspace clock (trigger_id and response_url expiry) instead of sleeping. */
  advanceClock(ms: number): void {
    this.workspace.advanceClock(ms);
  }

  /**
   * Resolves with the predicate's first truthy value: checked now, then after every change (Web API call,
   * message, view…). Rejects after `timeout` ms. No polling, no sleeping.
   */
  waitFor<T>(predicate: () => T | undefined | null | false, opts: WaitOptions = {}): Promise<T> {
    const timeout = opts.timeout ?? 5_000;
    return new Promise<T>((resolve, reject) => {
      let done = false;
      const check = () => {
        if (done) return;
        let value: T | undefined | null | false;
        try {
          value = predicate();
        } catch (err) {
          finish();
          reject(err);
          return;
        }
        if (value !== undefined && value !== null && value !== false) {
          finish();
          resolve(value);
        }
      };
      const finish = () => {
        done = true;
        clearTimeout(timer);
        this.workspace.off('change', check);
      };
      const timer = setTimeout(() => {
        finish();
        reject(new Error(`local Slack: ${opts.description ?? 'condition'} not met within ${timeout} ms`));
      }, timeout);
      this.workspace.on('change', check);
      check();
    });
  }

  /** Resolves on the next change matching the filter (future changes only). */
  nextChange(filter: (change: Change) => boolean = () => true, opts: WaitOptions = {}): Promise<Change> {
    const timeout = opts.timeout ?? 5_000;
    return new Promise((resolve, reject) => {
      const listener = (change: Change) => {
        if (!filter(change)) return;
        clearTimeout(timer);
        this.workspace.off('change', listener);
        resolve(change);
      };
      const timer = setTimeout(() => {
        this.workspace.off('change', listener);
        reject(new Error(`local Slack: no ${opts.description ?? 'matching change'} within ${timeout} ms`));
      }, timeout);
      this.workspace.on('change', listener);
    });
  }

  // --- acting as a person ----------------------------------------------------------------------------------------

  private get ctx(): PayloadContext {
    return {
      team: { id: this.workspace.team.id, domain: this.workspace.team.domain },
      verificationToken: this.verificationToken,
    };
  }

  private subscribed(event: string): boolean {
    const events = this.manifest.settings?.event_subscriptions?.bot_events;
    return events === undefined || events.includes(event);
  }

  /** Commands the app declares (manifest), for the page's composer. */
  get commands(): Array<{ command: string; description?: string; usage_hint?: string }> {
    return this.manifest.features?.slash_commands ?? [];
  }

  get shortcuts(): Array<{ name: string; type: 'global' | 'message'; callback_id: string; description?: string }> {
    return this.manifest.features?.shortcuts ?? [];
  }

  private issueResponseUrl(ctx: Omit<ResponseUrlContext, 'issuedAt' | 'uses'>): string {
    const id = crypto.randomBytes(12).toString('hex');
    if (this.responseUrls.size >= 1_000) {
      for (const [key, r] of this.responseUrls) {
        const expired = this.workspace.now() - r.issuedAt > SLACK_LIMITS.responseUrlTtlMs;
        if (expired || r.uses >= SLACK_LIMITS.responseUrlUses) this.responseUrls.delete(key);
      }
    }
    this.responseUrls.set(id, { ...ctx, issuedAt: this.workspace.now(), uses: 0 });
    return `${this.baseUrlValue}/respond/${id}`;
  }

  /**
   * Runs a slash command as the person, in a channel (the DM with the app by default), and applies the ack:
   * a text or JSON body becomes an ephemeral reply (or an in_channel message).
   */
  async command(
    userId: string,
    command: string,
    text = '',
    opts: { channel?: string } & SendOptions = {},
  ): Promise<CommandResult> {
    const user = this.user(userId);
    const channel = opts.channel ? this.channel(opts.channel) : this.workspace.imWith(user.id);
    const name = command.startsWith('/') ? command : `/${command}`;
    const declared = this.commands;
    if (declared.length > 0 && !declared.some((c) => c.command === name)) {
      const ephemeral = this.systemNotice(
        channel.id,
        user.id,
        `${name} is not a valid command. In Slack, all messages that start with "/" are interpreted as commands.`,
      );
      return { status: 0, response: undefined, ephemeral, error: 'not_a_valid_command' };
    }
    const responseUrl = this.issueResponseUrl({ channel: channel.id, user: user.id, source: 'command' });
    const fields = slashCommandFields(this.ctx, {
      user,
      channel,
      command: name,
      text,
      responseUrl,
      triggerId: this.workspace.issueTrigger(user.id),
    });
    const delivery = await this.endpoint.sendForm('slash_command', fields, opts);
    const result: CommandResult = { delivery, status: delivery.status, response: delivery.response };
    if (delivery.status !== 200 || delivery.ms > 3_000) {
      result.error = delivery.status !== 200 ? 'dispatch_failed' : 'operation_timeout';
      result.ephemeral = this.systemNotice(channel.id, user.id, `${name} failed with the error "${result.error}"`);
      return result;
    }
    const body = delivery.response;
    if (typeof body === 'string' && body.trim() !== '') {
      result.ephemeral = this.workspace.postEphemeral({
        channel: channel.id,
        user: user.id,
        text: body,
        source: 'ack',
      });
    } else if (isObject(body) && (typeof body.text === 'string' || Array.isArray(body.blocks))) {
      const shown = this.showReply(channel, user.id, body, 'ack');
      Object.assign(result, shown);
    }
    return result;
  }

  /** A notice from Slack itself (not the app), shown only to the person. */
  private systemNotice(channel: string, user: string, text: string): EphemeralMessage {
    return this.workspace.postEphemeral({ channel, user, text, source: 'slack' });
  }

  /** Shows an ack or response_url reply: in_channel as a bot message, else ephemeral to the person. */
  private showReply(
    channel: Conversation,
    user: string,
    body: Record<string, unknown>,
    source: 'ack' | 'response_url',
  ): { ephemeral?: EphemeralMessage; posted?: Message } {
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    const threadTs = typeof body.thread_ts === 'string' ? body.thread_ts : undefined;
    if (body.response_type === 'in_channel') {
      return {
        posted: this.workspace.post(
          channel.id,
          { user: SANDBOX_BOT.userId, asBot: true },
          { text, ...(blocks ? { blocks } : {}), ...(threadTs ? { thread_ts: threadTs } : {}) },
        ),
      };
    }
    return {
      ephemeral: this.workspace.postEphemeral({
        channel: channel.id,
        user,
        text,
        ...(blocks ? { blocks } : {}),
        ...(threadTs ? { thread_ts: threadTs } : {}),
        source,
      }),
    };
  }

  /** Runs a global shortcut (manifest callback_id) as the person. */
  shortcut(userId: string, callbackId: string, opts: SendOptions = {}): Promise<Delivery> {
    const user = this.user(userId);
    return this.endpoint.sendInteraction(
      'shortcut',
      shortcutPayload(this.ctx, { user, callbackId, triggerId: this.workspace.issueTrigger(user.id) }),
      opts,
    );
  }

  /** Runs a message shortcut on a message. */
  messageShortcut(userId: string, target: { channel: string; ts: string }, callbackId: string): Promise<Delivery> {
    const user = this.user(userId);
    const channel = this.channel(target.channel);
    const message = this.workspace.message(channel.id, target.ts);
    if (!message) throw new Error(`no message ${target.ts} in ${target.channel}`);
    const responseUrl = this.issueResponseUrl({
      channel: channel.id,
      user: user.id,
      source: 'message',
      messageTs: message.ts,
    });
    return this.endpoint.sendInteraction(
      'message_action',
      messageActionPayload(this.ctx, {
        user,
        callbackId,
        triggerId: this.workspace.issueTrigger(user.id),
        channel,
        message: this.api.publicMessage(message),
        responseUrl,
      }),
    );
  }

  /** Posts a message as the person; the app gets a message event when it subscribes to that channel type. */
  async say(userId: string, channelRef: string, text: string, opts: { threadTs?: string } = {}): Promise<Message> {
    const user = this.user(userId);
    const channel = this.channel(channelRef);
    if (!channel.members.includes(user.id)) throw new Error(`${user.name} is not in ${channelRef}`);
    const message = this.workspace.post(
      channel.id,
      { user: user.id, asBot: false },
      { text, ...(opts.threadTs ? { thread_ts: opts.threadTs } : {}) },
    );
    const eventName = channel.is_im ? 'message.im' : channel.is_private ? 'message.groups' : 'message.channels';
    if (channel.members.includes(SANDBOX_BOT.userId) && this.subscribed(eventName) && this.appUrl) {
      await this.endpoint.sendEvent(eventEnvelope(this.ctx, messageEvent({ message, channel })));
    }
    return message;
  }

  /** The person opens the app's Home tab: app_home_opened goes to the app (it usually answers with views.publish). */
  async openHome(userId: string, tab: 'home' | 'messages' = 'home'): Promise<Delivery | undefined> {
    const user = this.user(userId);
    if (!this.subscribed('app_home_opened')) return undefined;
    const existing = this.workspace.home(user.id);
    const event = appHomeOpenedEvent({
      user: user.id,
      channel: this.workspace.imWith(user.id).id,
      tab,
      ...(existing && tab === 'home' ? { view: this.api.publicView(existing) } : {}),
    });
    return this.endpoint.sendEvent(eventEnvelope(this.ctx, event));
  }

  /** Sends any Events API event (wrapped in Slack's envelope). */
  sendEvent(event: Record<string, unknown>, opts: SendOptions = {}): Promise<Delivery> {
    return this.endpoint.sendEvent(eventEnvelope(this.ctx, event), opts);
  }

  private surfaceFor(userId: string, target: Target): { surface: Surface; blocks: unknown[]; view?: View } {
    if ('viewId' in target) {
      const view = this.workspace.view(target.viewId);
      if (!view || !this.workspace.isOpen(view.id)) throw new Error(`view ${target.viewId} is not open`);
      if (view.user !== userId) throw new Error(`view ${target.viewId} belongs to ${view.user}, not ${userId}`);
      return { surface: { kind: 'view', view: this.viewPayload(view) }, blocks: view.blocks, view };
    }
    const channel = this.channel(target.channel);
    const ephemeral = this.workspace.ephemeral(target.ts);
    if (ephemeral && ephemeral.channel === channel.id) {
      if (ephemeral.user !== userId) throw new Error(`ephemeral ${target.ts} is only visible to ${ephemeral.user}`);
      const responseUrl = this.issueResponseUrl({
        channel: channel.id,
        user: userId,
        source: 'ephemeral',
        messageTs: ephemeral.ts,
      });
      return { surface: { kind: 'ephemeral', channel, ephemeral, responseUrl }, blocks: ephemeral.blocks ?? [] };
    }
    const message = this.workspace.message(channel.id, target.ts);
    if (!message) throw new Error(`no message ${target.ts} in ${target.channel}`);
    if (!channel.members.includes(userId) && channel.is_private)
      throw new Error(`${userId} cannot see ${target.channel}`);
    const responseUrl = this.issueResponseUrl({
      channel: channel.id,
      user: userId,
      source: 'message',
      messageTs: message.ts,
    });
    return {
      surface: { kind: 'message', channel, message: this.api.publicMessage(message), responseUrl },
      blocks: message.blocks ?? [],
    };
  }

  private viewPayload(view: View): Record<string, unknown> {
    return { ...this.api.publicView(view), state: { values: stateValues(view) } };
  }

  /**
   * The person clicks a button or picks a value (select, date, checkbox…) in a message, an ephemeral message,
   * a modal or App Home. `value` is what they pick (option value(s), a date, text); buttons send their own.
   */
  async click(
    userId: string,
    target: Target,
    actionId: string,
    opts: { value?: SimpleValue; blockId?: string } & SendOptions = {},
  ): Promise<Delivery> {
    const user = this.user(userId);
    const { blocks, view } = this.surfaceFor(user.id, target);
    const found = findElement(blocks, actionId, opts.blockId);
    if (!found)
      throw new Error(`no element with action_id ${actionId}${opts.blockId ? ` in block ${opts.blockId}` : ''}`);
    const { element, blockId } = found;
    let value;
    if (element.type !== 'button' && element.type !== 'workflow_button') {
      value = toStateValue(element, this.withSuggestedText(target, actionId, element, opts.value));
      if (view) this.workspace.setViewValues(view.id, { [blockId]: { [actionId]: value } });
    }
    // Rebuild the surface so the payload carries the state including this change.
    const { surface } = this.surfaceFor(user.id, target);
    const state = view ? stateValues(this.workspace.view(view.id)!) : value ? { [blockId]: { [actionId]: value } } : {};
    const payload = blockActionsPayload(this.ctx, {
      user,
      surface,
      actions: [actionEntry(element, blockId, value)],
      triggerId: this.workspace.issueTrigger(user.id),
      state,
    });
    return this.endpoint.sendInteraction('block_actions', payload, opts);
  }

  private withSuggestedText(
    target: Target,
    actionId: string,
    element: Record<string, unknown>,
    value: SimpleValue,
  ): SimpleValue {
    if (!String(element.type).includes('external')) return value;
    const known = this.suggestions.get(suggestionKey(target, actionId)) ?? [];
    const pick = (v: unknown) => {
      if (typeof v !== 'string') return v;
      const option = known.find((o) => o.value === v);
      return option ? { value: v, text: option.text.text } : v;
    };
    return (Array.isArray(value) ? value.map(pick) : pick(value)) as SimpleValue;
  }

  /** Sets values in a modal as the person types (no request to the app, as in Slack). Keys: block_id → action_id. */
  fill(userId: string, viewId: string, values: Record<string, Record<string, SimpleValue>>): void {
    const view = this.workspace.view(viewId);
    if (!view || view.user !== userId) throw new Error(`view ${viewId} is not ${userId}'s`);
    const state: View['state']['values'] = {};
    for (const [blockId, actions] of Object.entries(values)) {
      for (const [actionId, value] of Object.entries(actions)) {
        const found = findElement(view.blocks, actionId, blockId);
        if (!found) throw new Error(`no element ${blockId}/${actionId} in view ${viewId}`);
        (state[blockId] ??= {})[actionId] = toStateValue(
          found.element,
          this.withSuggestedText({ viewId }, actionId, found.element, value),
        );
      }
    }
    this.workspace.setViewValues(viewId, state);
    this.workspace.emitChange({ kind: 'view_updated', user: userId, viewId });
  }

  /**
   * Submits the modal on top of the person's stack (after filling `values`) and applies the app's answer:
   * empty ack closes it; response_action errors / update / push / clear as Slack does.
   */
  async submit(
    userId: string,
    viewId?: string,
    values: Record<string, Record<string, SimpleValue>> = {},
    opts: SendOptions = {},
  ): Promise<SubmitResult> {
    const user = this.user(userId);
    const top = this.openView(user.id);
    if (!top) throw new Error(`${user.name} has no open modal`);
    if (viewId && top.id !== viewId) throw new Error(`view ${viewId} is not on top of ${user.name}'s modal stack`);
    if (top.submit === undefined) throw new Error(`view ${top.id} has no submit button`);
    this.fill(user.id, top.id, values);
    const clientErrors = clientSideErrors(this.workspace.view(top.id)!);
    if (Object.keys(clientErrors).length) {
      this.workspace.setViewErrors(user.id, top.id, clientErrors);
      return { ok: false, status: 0, errors: clientErrors, clientSide: true };
    }
    const current = this.workspace.view(top.id)!;
    const delivery = await this.endpoint.sendInteraction(
      'view_submission',
      viewSubmissionPayload(this.ctx, {
        user,
        view: this.viewPayload(current),
        triggerId: this.workspace.issueTrigger(user.id),
      }),
      opts,
    );
    if (delivery.status !== 200)
      return { ok: false, status: delivery.status, delivery, messages: ['We had some trouble connecting. Try again?'] };
    const body = delivery.response;
    if (!isObject(body) || body.response_action === undefined) {
      this.workspace.closeModal(user.id, 'top');
      return { ok: true, status: 200, delivery };
    }
    const action = body.response_action;
    if (action === 'errors') {
      const errors = isObject(body.errors)
        ? (Object.fromEntries(Object.entries(body.errors).map(([k, v]) => [k, String(v)])) as Record<string, string>)
        : {};
      const known = new Set(current.blocks.map((b) => (b as Record<string, unknown>).block_id));
      const unknown = Object.keys(errors).filter((k) => !known.has(k));
      if (unknown.length) {
        // Slack refuses errors for block_ids that are not input blocks of the view and shows a connection error.
        return {
          ok: false,
          status: 200,
          delivery,
          messages: unknown.map((k) => `[ERROR] no input block with block_id ${k}`),
        };
      }
      this.workspace.setViewErrors(user.id, current.id, errors);
      return { ok: false, status: 200, responseAction: 'errors', errors, delivery };
    }
    if (action === 'update' || action === 'push') {
      const problems = viewProblems(body.view);
      if (problems.length) return { ok: false, status: 200, delivery, messages: problems };
      if (action === 'push' && this.workspace.stack(user.id).length >= SLACK_LIMITS.viewStack) {
        return { ok: false, status: 200, delivery, messages: ['push_limit_reached'] };
      }
      const view =
        action === 'update'
          ? this.workspace.updateView(current.id, body.view as Record<string, unknown>)
          : this.workspace.pushModal(user.id, body.view as Record<string, unknown>);
      return { ok: true, status: 200, responseAction: action, view, delivery };
    }
    if (action === 'clear') {
      this.workspace.closeModal(user.id, 'all');
      return { ok: true, status: 200, responseAction: 'clear', delivery };
    }
    return { ok: false, status: 200, delivery, messages: [`unknown response_action ${String(action)}`] };
  }

  /**
   * The person closes the modal (Cancel or ×): the top view, or the whole stack when it set clear_on_close.
   * The app gets view_closed when the view set notify_on_close.
   */
  async closeView(userId: string, viewId?: string): Promise<Delivery | undefined> {
    const user = this.user(userId);
    const top = this.openView(user.id);
    if (!top) throw new Error(`${user.name} has no open modal`);
    if (viewId && top.id !== viewId) throw new Error(`view ${viewId} is not on top of ${user.name}'s modal stack`);
    const payloadView = this.viewPayload(top);
    const all = top.clear_on_close;
    this.workspace.closeModal(user.id, all ? 'all' : 'top');
    if (!top.notify_on_close) return undefined;
    return this.endpoint.sendInteraction(
      'view_closed',
      viewClosedPayload(this.ctx, { user, view: payloadView, isCleared: all }),
    );
  }

  /**
   * The person's Slack client went away (the page was reloaded): their open modals go, top first, each as
   * its × would close it (view_closed to the app where asked for). Returns how many were closed.
   */
  async dismissModals(userId: string): Promise<number> {
    const user = this.user(userId);
    let closed = 0;
    for (let top = this.openView(user.id); top; top = this.openView(user.id)) {
      const before = this.workspace.stack(user.id).length;
      await this.closeView(user.id, top.id);
      closed += before - this.workspace.stack(user.id).length;
    }
    return closed;
  }

  /**
   * The person types `query` in an external select: block_suggestion goes to the app, its options come back
   * (option groups flattened). Below the element's min_query_length (3 by default) Slack sends nothing.
   */
  async suggest(userId: string, target: Target, actionId: string, query: string): Promise<Option[]> {
    const user = this.user(userId);
    const { surface, blocks } = this.surfaceFor(user.id, target);
    const found = findElement(blocks, actionId);
    if (!found) throw new Error(`no element with action_id ${actionId}`);
    const min = typeof found.element.min_query_length === 'number' ? found.element.min_query_length : 3;
    if (query.length < min) return [];
    const delivery = await this.endpoint.sendInteraction(
      'block_suggestion',
      blockSuggestionPayload(this.ctx, { user, surface, actionId, blockId: found.blockId, value: query }),
    );
    const body = delivery.response;
    let options: Option[] = [];
    if (isObject(body) && Array.isArray(body.options)) options = body.options as Option[];
    else if (isObject(body) && Array.isArray(body.option_groups)) {
      options = (body.option_groups as Array<{ options?: Option[] }>).flatMap((g) => g.options ?? []);
    }
    this.suggestions.set(suggestionKey(target, actionId), options);
    return options;
  }

  // --- response_url ----------------------------------------------------------------------------------------------

  /** Applies a POST to a response_url; returns the HTTP status and body Slack would answer with. */
  respond(id: string, body: unknown): { status: number; body: string } {
    const ctx = this.responseUrls.get(id);
    if (
      !ctx ||
      this.workspace.now() - ctx.issuedAt > SLACK_LIMITS.responseUrlTtlMs ||
      ctx.uses >= SLACK_LIMITS.responseUrlUses
    ) {
      return { status: 404, body: 'expired_url' };
    }
    if (!isObject(body)) return { status: 400, body: 'invalid_payload' };
    if (body.blocks !== undefined) {
      const problems = blockProblems(body.blocks, 'message');
      if (problems.length) return { status: 400, body: 'invalid_blocks' };
    }
    ctx.uses += 1;
    const channel = this.workspace.conversation(ctx.channel)!;
    const original = ctx.messageTs;
    if (body.delete_original === true || body.delete_original === 'true') {
      if (original && this.workspace.ephemeral(original)) this.workspace.deleteEphemeral(original);
      else if (original && this.workspace.message(channel.id, original))
        this.workspace.deleteMessage(channel.id, original);
      return { status: 200, body: '{"ok":true}' };
    }
    const text = typeof body.text === 'string' ? body.text : '';
    const blocks = Array.isArray(body.blocks) ? body.blocks : undefined;
    if ((body.replace_original === true || body.replace_original === 'true') && original) {
      if (this.workspace.ephemeral(original))
        this.workspace.replaceEphemeral(original, { text, ...(blocks ? { blocks } : {}) });
      else if (this.workspace.message(channel.id, original)) {
        this.workspace.updateMessage(channel.id, original, SANDBOX_BOT.userId, { text, blocks: blocks ?? [] });
      }
      return { status: 200, body: '{"ok":true}' };
    }
    this.showReply(channel, ctx.user, body, 'response_url');
    return { status: 200, body: '{"ok":true}' };
  }

  // --- persistence -----------------------------------------------------------------------------------------------

  private persistTo(file: string): void {
    this.workspace.on('change', (change: Change) => {
      if (change.kind === 'call') return;
      clearTimeout(this.saveTimer);
      this.saveTimer = setTimeout(() => this.save(file), 100);
      this.saveTimer.unref();
    });
    this.saveFile = file;
  }

  private saveFile?: string;

  private save(file: string): void {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, JSON.stringify(this.workspace.snapshot()));
    fs.renameSync(tmp, file);
  }

  /** Writes the workspace file now (stop() does it too). */
  flush(): void {
    clearTimeout(this.saveTimer);
    if (this.saveFile) this.save(this.saveFile);
  }
}

interface ResponseUrlContext {
  channel: string;
  user: string;
  source: 'command' | 'message' | 'ephemeral';
  messageTs?: string;
  issuedAt: number;
  uses: number;
}

function suggestionKey(target: Target, actionId: string): string {
  return 'viewId' in target ? `${target.viewId}:${actionId}` : `${target.channel}:${target.ts}:${actionId}`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function readSnapshot(file: string): WorkspaceSnapshot | undefined {
  if (!fs.existsSync(file)) return undefined;
  try {
    const snapshot = JSON.parse(fs.readFileSync(file, 'utf8')) as WorkspaceSnapshot;
    return snapshot.version === 1 ? snapshot : undefined;
  } catch {
    return undefined; // a damaged file starts a fresh workspace rather than stopping the app
  }
}
