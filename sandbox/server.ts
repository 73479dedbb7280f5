import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { SLACK_LIMITS } from '../bot/blocks/limits.js';
import type { LocalSlack, Target } from './local-slack.js';
import { DEMO_PEOPLE, SANDBOX_BOT } from './people.js';
import type { SimpleValue } from './view-state.js';

/**
 * HTTP face of the local Slack, relative to its base path: the Web API (/api/:method), the upload step of
 * files.uploadV2 (/upload/:id), response_url posts (/respond/:id), uploaded files (/files/:id/:name), and the
 * page (/, /app.js, /app.css, /ui/state, /ui/stream, /ui/:action).
 */

const PAGE_DIR = new URL('./page/', import.meta.url);
/** Twemoji's SVGs (the @twemoji/svg package), one file per emoji, named by its code points: 2705.svg. */
const EMOJI_DIR = path.dirname(createRequire(import.meta.url).resolve('@twemoji/svg/package.json'));
const STATIC: Record<string, string> = {
  'index.html': 'text/html; charset=utf-8',
  'app.js': 'text/javascript; charset=utf-8',
  'app.css': 'text/css; charset=utf-8',
};

type Handler = (req: IncomingMessage, res: ServerResponse) => void;

export function sandboxHandler(slack: LocalSlack, prefix: string): Handler {
  const streams = new Set<ServerResponse>();
  slack.workspace.setMaxListeners(0);
  const closeStreams = () => {
    for (const res of streams) res.end();
    streams.clear();
  };
  slack.onStop(closeStreams);

  return (req, res) => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (!url.pathname.startsWith(prefix)) return send(res, 404, 'not found');
    if (prefix && url.pathname === prefix && req.method === 'GET') {
      // The page's relative URLs need the trailing slash.
      res.writeHead(302, { location: `${prefix}/${url.search}` });
      res.end();
      return;
    }
    const rel = url.pathname.slice(prefix.length) || '/';
    route(slack, streams, req, res, rel, url, `${prefix}/`).catch((err: unknown) => {
      if (!res.headersSent) send(res, 500, err instanceof Error ? err.message : String(err));
    });
  };
}

async function route(
  slack: LocalSlack,
  streams: Set<ServerResponse>,
  req: IncomingMessage,
  res: ServerResponse,
  rel: string,
  url: URL,
  base: string,
): Promise<void> {
  const method = req.method ?? 'GET';
  let m: RegExpMatchArray | null;
  if (method === 'POST' && (m = rel.match(/^\/api\/([\w.]+)$/))) {
    const body = await readBody(req);
    const params = await decodeParams(req, body);
    const auth = req.headers.authorization;
    const token = auth?.startsWith('Bearer ') ? auth.slice(7) : undefined;
    return sendJson(res, 200, slack.api.call(m[1]!, params, token));
  }
  if (method === 'POST' && (m = rel.match(/^\/upload\/(F[A-Z0-9]+)$/))) {
    const body = await readBody(req);
    const file = await uploadedBytes(req, body);
    if (!slack.api.receiveUpload(m[1]!, file.bytes, file.type)) return send(res, 404, 'file_not_found');
    return send(res, 200, `OK - ${file.bytes.length}`);
  }
  if (method === 'POST' && (m = rel.match(/^\/respond\/([a-f0-9]+)$/))) {
    const body = await readBody(req);
    let parsed: unknown;
    try {
      const text = body.toString('utf8');
      parsed = text.startsWith('payload=')
        ? JSON.parse(new URLSearchParams(text).get('payload') ?? '')
        : JSON.parse(text);
    } catch {
      return send(res, 400, 'invalid_payload');
    }
    const answer = slack.respond(m[1]!, parsed);
    return send(res, answer.status, answer.body, answer.body.startsWith('{') ? 'application/json' : 'text/plain');
  }
  if (method === 'GET' && (m = rel.match(/^\/files\/(F[A-Z0-9]+)\/.*$/))) {
    const file = slack.workspace.file(m[1]!);
    if (!file?.content) return send(res, 404, 'file_not_found');
    res.writeHead(200, { 'content-type': file.mimetype });
    res.end(Buffer.from(file.content, 'base64'));
    return;
  }
  if (method === 'GET' && (rel === '/' || rel.startsWith('/archives/'))) return servePage(res, 'index.html', base);
  if (method === 'GET' && (m = rel.match(/^\/(app\.js|app\.css)$/))) return servePage(res, m[1]!, base);
  if (method === 'GET' && (m = rel.match(/^\/emoji\/([0-9a-f]{2,6}(?:-[0-9a-f]{2,6})*)\.svg$/))) return serveEmoji(res, m[1]!);
  if (method === 'GET' && rel === '/ui/state')
    return sendJson(res, 200, pageState(slack, url.searchParams.get('user') ?? undefined));
  if (method === 'GET' && rel === '/ui/stream') return openStream(slack, streams, req, res);
  if (method === 'POST' && (m = rel.match(/^\/ui\/(\w+)$/))) {
    const body = JSON.parse((await readBody(req)).toString('utf8') || '{}') as UiRequest;
    try {
      return sendJson(res, 200, { ok: true, result: await uiAction(slack, m[1]!, body) });
    } catch (err) {
      return sendJson(res, 200, { ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }
  send(res, 404, 'not found');
}

interface UiRequest {
  user: string;
  channel?: string;
  text?: string;
  threadTs?: string;
  callbackId?: string;
  target?: Target;
  actionId?: string;
  blockId?: string;
  value?: SimpleValue;
  viewId?: string;
  values?: Record<string, Record<string, SimpleValue>>;
  query?: string;
}

/** The page's actions: each is one LocalSlack call, the same ones tests make. */
async function uiAction(slack: LocalSlack, action: string, b: UiRequest): Promise<unknown> {
  switch (action) {
    case 'compose': {
      const text = (b.text ?? '').trim();
      const command = text.match(/^(\/[\w-]+)\s*([\s\S]*)$/);
      if (command && !b.threadTs) {
        const r = await slack.command(b.user, command[1]!, command[2] ?? '', b.channel ? { channel: b.channel } : {});
        return { status: r.status, error: r.error };
      }
      const message = await slack.say(b.user, b.channel ?? b.user, text, b.threadTs ? { threadTs: b.threadTs } : {});
      return { ts: message.ts };
    }
    case 'shortcut':
      return (await slack.shortcut(b.user, b.callbackId!)).status;
    case 'click':
      return (
        await slack.click(b.user, b.target!, b.actionId!, {
          value: b.value,
          ...(b.blockId ? { blockId: b.blockId } : {}),
        })
      ).status;
    case 'fill':
      slack.fill(b.user, b.viewId!, b.values ?? {});
      return true;
    case 'submit': {
      const { delivery: _d, ...result } = await slack.submit(b.user, b.viewId, b.values ?? {});
      return result;
    }
    case 'close':
      await slack.closeView(b.user, b.viewId);
      return true;
    case 'dismiss': {
      // The page (every demo person's client) was loaded afresh: nobody's modal is on screen any more.
      let closed = 0;
      for (const person of slack.users.filter((u) => !u.is_bot)) closed += await slack.dismissModals(person.id);
      return { closed };
    }
    case 'suggest':
      return slack.suggest(b.user, b.target!, b.actionId!, b.query ?? '');
    case 'home':
      await slack.openHome(b.user);
      return true;
    default:
      throw new Error(`unknown action ${action}`);
  }
}

/** Everything the page shows for one person; the page re-reads it on every change. */
function pageState(slack: LocalSlack, userId: string | undefined) {
  const people = slack.users.filter((u) => !u.is_bot);
  const me = userId && slack.workspace.user(userId) ? userId : people[0]?.id;
  const roles = new Map(DEMO_PEOPLE.map((p) => [p.id, p]));
  const ws = slack.workspace;
  const channels = slack.configuredChannels.filter((c) => !c.is_private || (me && c.members.includes(me)));
  const dm = me ? ws.imWith(me) : undefined;
  const conversations = [...channels, ...(dm ? [dm] : [])];
  return {
    version: ws.version,
    team: ws.team,
    bot: { id: SANDBOX_BOT.userId, name: slack.manifest.display_information?.name ?? 'App' },
    me,
    people: people.map((u) => ({
      id: u.id,
      name: u.name,
      realName: u.real_name,
      title: u.profile.title,
      role: roles.get(u.id)?.role,
      approvalLimit: roles.get(u.id)?.approvalLimit,
    })),
    users: Object.fromEntries(ws.users.map((u) => [u.id, { name: u.name, realName: u.real_name, isBot: u.is_bot }])),
    channels: conversations.map((c) => ({
      id: c.id,
      name: c.is_im ? (slack.manifest.display_information?.name ?? 'App') : c.name,
      isIm: c.is_im,
      isPrivate: c.is_private,
      botIsMember: c.members.includes(SANDBOX_BOT.userId),
      purpose: c.is_im ? '' : c.purpose.value,
      messages: ws.allMessages(c.id).map((msg) => slack.api.publicMessage(msg)),
      ephemerals: me ? ws.ephemerals({ user: me, channel: c.id }) : [],
    })),
    allChannels: ws.conversations.filter((c) => !c.is_im).map((c) => ({ id: c.id, name: c.name })),
    stack: me ? ws.stack(me).map((v) => ({ ...slack.api.publicView(v), errors: ws.viewErrors(v.id) })) : [],
    home: me && ws.home(me) ? slack.api.publicView(ws.home(me)!) : null,
    homeEnabled: slack.manifest.features?.app_home?.home_tab_enabled !== false,
    commands: slack.commands,
    shortcuts: slack.shortcuts.filter((s) => s.type === 'global'),
    connected: slack.deliveries.length > 0 || slack.calls.length > 0,
    limits: SLACK_LIMITS,
  };
}

function openStream(slack: LocalSlack, streams: Set<ServerResponse>, req: IncomingMessage, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(`event: change\ndata: ${slack.workspace.version}\n\n`);
  streams.add(res);
  let pending: NodeJS.Timeout | undefined;
  // Coalesce bursts (a submission can make a dozen changes) into one notice per 50 ms.
  const onChange = () => {
    pending ??= setTimeout(() => {
      pending = undefined;
      res.write(`event: change\ndata: ${slack.workspace.version}\n\n`);
    }, 50);
  };
  const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  keepAlive.unref();
  slack.workspace.on('change', onChange);
  const cleanup = () => {
    clearInterval(keepAlive);
    clearTimeout(pending);
    slack.workspace.off('change', onChange);
    streams.delete(res);
  };
  req.on('close', cleanup);
  res.on('close', cleanup);
}

function servePage(res: ServerResponse, file: string, base: string): void {
  const raw = fs.readFileSync(new URL(file, PAGE_DIR));
  const body = file === 'index.html' ? raw.toString('utf8').replace('{{BASE}}', base) : raw;
  res.writeHead(200, { 'content-type': STATIC[file]!, 'cache-control': 'no-store' });
  res.end(body);
}

function serveEmoji(res: ServerResponse, code: string): void {
  let svg: Buffer;
  try {
    svg = fs.readFileSync(path.join(EMOJI_DIR, `${code}.svg`));
  } catch {
    return send(res, 404, 'no such emoji');
  }
  res.writeHead(200, { 'content-type': 'image/svg+xml', 'cache-control': 'public, max-age=86400' });
  res.end(svg);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** Web API arguments from a form, JSON or multipart body (WebClient sends forms; uploads multipart). */
async function decodeParams(req: IncomingMessage, body: Buffer): Promise<Record<string, unknown>> {
  const type = req.headers['content-type'] ?? '';
  if (type.includes('application/json'))
    return body.length ? (JSON.parse(body.toString('utf8')) as Record<string, unknown>) : {};
  if (type.includes('multipart/form-data')) {
    const form = await new Request('http://local/', {
      method: 'POST',
      headers: { 'content-type': type },
      body: new Uint8Array(body),
    }).formData();
    const params: Record<string, unknown> = {};
    for (const [k, v] of form.entries()) params[k] = typeof v === 'string' ? v : Buffer.from(await v.arrayBuffer());
    return params;
  }
  return Object.fromEntries(new URLSearchParams(body.toString('utf8')));
}

async function uploadedBytes(req: IncomingMessage, body: Buffer): Promise<{ bytes: Buffer; type?: string }> {
  const type = req.headers['content-type'] ?? '';
  if (!type.includes('multipart/form-data')) return { bytes: body, ...(type ? { type } : {}) };
  const form = await new Request('http://local/', {
    method: 'POST',
    headers: { 'content-type': type },
    body: new Uint8Array(body),
  }).formData();
  for (const [, v] of form.entries()) {
    if (typeof v !== 'string')
      return { bytes: Buffer.from(await v.arrayBuffer()), ...(v.type ? { type: v.type } : {}) };
  }
  const first = [...form.values()][0];
  return { bytes: Buffer.from(typeof first === 'string' ? first : '') };
}

function send(res: ServerResponse, status: number, body: string, type = 'text/plain; charset=utf-8'): void {
  res.writeHead(status, { 'content-type': type });
  res.end(body);
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
  res.end(JSON.stringify(body));
}
