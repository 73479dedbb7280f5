import crypto from 'node:crypto';
import { SANDBOX_BOT } from './people.js';
import type { Conversation, EphemeralMessage, Message, SlackUser, StateValue, View } from './workspace.js';

/**
 * The bodies Slack sends to an app, field for field (docs.slack.dev/reference/interaction-payloads,
 * /reference/events). Pure builders: the caller supplies ids, trigger and response URLs.
 */

export interface PayloadContext {
  team: { id: string; domain: string };
  /** The legacy verification token Slack still includes in every payload. */
  verificationToken: string;
}

type Json = Record<string, unknown>;

const userRef = (u: SlackUser) => ({ id: u.id, username: u.name, name: u.name, team_id: u.team_id });
const actionTs = () => (Date.now() / 1000).toFixed(6);

export function slashCommandFields(
  ctx: PayloadContext,
  input: {
    user: SlackUser;
    channel: Conversation;
    command: string;
    text: string;
    responseUrl: string;
    triggerId: string;
  },
): Record<string, string> {
  return {
    token: ctx.verificationToken,
    team_id: ctx.team.id,
    team_domain: ctx.team.domain,
    channel_id: input.channel.id,
    channel_name: input.channel.is_im ? 'directmessage' : (input.channel.name ?? ''),
    user_id: input.user.id,
    user_name: input.user.name,
    command: input.command,
    text: input.text,
    api_app_id: SANDBOX_BOT.appId,
    is_enterprise_install: 'false',
    response_url: input.responseUrl,
    trigger_id: input.triggerId,
  };
}

export function shortcutPayload(
  ctx: PayloadContext,
  input: { user: SlackUser; callbackId: string; triggerId: string },
): Json {
  return {
    type: 'shortcut',
    token: ctx.verificationToken,
    action_ts: actionTs(),
    team: ctx.team,
    user: { id: input.user.id, username: input.user.name, team_id: input.user.team_id },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
  };
}

export function messageActionPayload(
  ctx: PayloadContext,
  input: {
    user: SlackUser;
    callbackId: string;
    triggerId: string;
    channel: Conversation;
    message: Json;
    responseUrl: string;
  },
): Json {
  return {
    type: 'message_action',
    token: ctx.verificationToken,
    action_ts: actionTs(),
    team: ctx.team,
    user: { id: input.user.id, name: input.user.name, username: input.user.name, team_id: input.user.team_id },
    channel: { id: input.channel.id, name: input.channel.is_im ? 'directmessage' : input.channel.name },
    is_enterprise_install: false,
    enterprise: null,
    callback_id: input.callbackId,
    trigger_id: input.triggerId,
    response_url: input.responseUrl,
    message_ts: input.message.ts,
    message: input.message,
  };
}

export type Surface =
  | { kind: 'message'; channel: Conversation; message: Json; responseUrl: string }
  | { kind: 'ephemeral'; channel: Conversation; ephemeral: EphemeralMessage; responseUrl: string }
  | { kind: 'view'; view: Json };

function container(surface: Surface): Json {
  switch (surface.kind) {
    case 'message':
      return { type: 'message', message_ts: surface.message.ts, channel_id: surface.channel.id, is_ephemeral: false };
    case 'ephemeral':
      return { type: 'message', message_ts: surface.ephemeral.ts, channel_id: surface.channel.id, is_ephemeral: true };
    case 'view':
      return { type: 'view', view_id: surface.view.id };
  }
}

function surfaceFields(surface: Surface): Json {
  if (surface.kind === 'view') return { view: surface.view };
  const channel = { id: surface.channel.id, name: surface.channel.is_im ? 'directmessage' : surface.channel.name };
  return {
    channel,
    ...(surface.kind === 'message' ? { message: surface.message } : {}),
    response_url: surface.responseUrl,
  };
}

/** One entry of block_actions.actions: the element's identity plus its value fields. */
export function actionEntry(element: Json, blockId: string, value: StateValue | undefined): Json {
  const base: Json = { type: element.type, action_id: element.action_id, block_id: blockId, action_ts: actionTs() };
  if (element.type === 'button' || element.type === 'workflow_button') {
    return {
      ...base,
      text: element.text,
      ...(element.value !== undefined ? { value: element.value } : {}),
      ...(element.style !== undefined ? { style: element.style } : {}),
      ...(element.url !== undefined ? { url: element.url } : {}),
    };
  }
  const { type: _type, ...fields } = value ?? {};
  return { ...base, ...fields, ...(element.placeholder !== undefined ? { placeholder: element.placeholder } : {}) };
}

export function blockActionsPayload(
  ctx: PayloadContext,
  input: { user: SlackUser; surface: Surface; actions: Json[]; triggerId: string; state: View['state']['values'] },
): Json {
  return {
    type: 'block_actions',
    user: userRef(input.user),
    api_app_id: SANDBOX_BOT.appId,
    token: ctx.verificationToken,
    container: container(input.surface),
    trigger_id: input.triggerId,
    team: ctx.team,
    enterprise: null,
    is_enterprise_install: false,
    ...surfaceFields(input.surface),
    state: { values: input.state },
    actions: input.actions,
  };
}

export function blockSuggestionPayload(
  ctx: PayloadContext,
  input: { user: SlackUser; surface: Surface; actionId: string; blockId: string; value: string },
): Json {
  return {
    type: 'block_suggestion',
    user: userRef(input.user),
    container: container(input.surface),
    api_app_id: SANDBOX_BOT.appId,
    token: ctx.verificationToken,
    action_id: input.actionId,
    block_id: input.blockId,
    value: input.value,
    team: ctx.team,
    enterprise: null,
    is_enterprise_install: false,
    ...surfaceFields(input.surface),
  };
}

export function viewSubmissionPayload(
  ctx: PayloadContext,
  input: { user: SlackUser; view: Json; triggerId: string },
): Json {
  return {
    type: 'view_submission',
    team: ctx.team,
    user: userRef(input.user),
    api_app_id: SANDBOX_BOT.appId,
    token: ctx.verificationToken,
    trigger_id: input.triggerId,
    view: input.view,
    response_urls: [],
    is_enterprise_install: false,
    enterprise: null,
  };
}

export function viewClosedPayload(
  ctx: PayloadContext,
  input: { user: SlackUser; view: Json; isCleared: boolean },
): Json {
  return {
    type: 'view_closed',
    team: ctx.team,
    user: userRef(input.user),
    api_app_id: SANDBOX_BOT.appId,
    token: ctx.verificationToken,
    view: input.view,
    is_cleared: input.isCleared,
    is_enterprise_install: false,
    enterprise: null,
  };
}

/** The Events API envelope around one event. */
export function eventEnvelope(ctx: PayloadContext, event: Json): Json {
  const now = Math.floor(Date.now() / 1000);
  return {
    token: ctx.verificationToken,
    team_id: ctx.team.id,
    api_app_id: SANDBOX_BOT.appId,
    event,
    type: 'event_callback',
    event_id: `Ev${crypto.randomBytes(5).toString('hex').toUpperCase()}`,
    event_time: now,
    authorizations: [
      {
        enterprise_id: null,
        team_id: ctx.team.id,
        user_id: SANDBOX_BOT.userId,
        is_bot: true,
        is_enterprise_install: false,
      },
    ],
    is_ext_shared_channel: false,
    event_context: `4-${crypto.randomBytes(12).toString('hex')}`,
  };
}

export function appHomeOpenedEvent(input: {
  user: string;
  channel: string;
  tab: 'home' | 'messages';
  view?: Json;
}): Json {
  return {
    type: 'app_home_opened',
    user: input.user,
    channel: input.channel,
    tab: input.tab,
    ...(input.view ? { view: input.view } : {}),
    event_ts: (Date.now() / 1000).toFixed(6),
  };
}

export function messageEvent(input: { message: Message; channel: Conversation }): Json {
  const { previous: _p, ...m } = input.message;
  return {
    ...m,
    channel: input.channel.id,
    event_ts: m.ts,
    channel_type: input.channel.is_im ? 'im' : input.channel.is_private ? 'group' : 'channel',
  };
}
