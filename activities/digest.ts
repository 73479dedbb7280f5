import { log } from '@temporalio/activity';
import type { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import { digestMessage } from '../bot/blocks/digest.js';
import type { Database } from '../db/client.js';
import { getCountingSettings } from '../db/queries/counting.js';
import { buildManagerDigest } from '../db/queries/digest.js';
import { recordTimeZone, timeZonesOf, usersWithRole } from '../db/queries/people.js';
import { dateInTimeZone, isoWeekKey } from '../inventory/cycle-count.js';
import { digestWeekDue, managerTimeZone, validTimeZone } from '../inventory/digest-time.js';
import { MANAGER_ROLE } from './counting.js';
import { createDmSender } from './counting-slack.js';
import { digestChartSpec, forecastChartSpec, renderPng } from './digest-chart.js';

/**
 * The weekly digest: one DM per inventory manager per ISO week (keyed), then the chart as a PNG uploaded
 * into the same DM with files.uploadV2 (keyed too, so a retry neither posts nor uploads twice).
 */
export interface DueDigest {
  manager: string;
  /** ISO week in the manager's zone: the DM's idempotency key. */
  week: string;
  timeZone: string;
}

export interface PreparedDigest {
  week: string;
  managers: string[];
  /** Absent in histories from before per-manager time zones (everyone then got the stockroom week). */
  due?: DueDigest[];
}

export function createDigestActivities(deps: { db: Database; slack?: WebClient; currency?: string }) {
  const { db } = deps;
  const dm = createDmSender(db, deps.slack, (m) => log.info(m));

  /**
   * The manager's zone as Slack has it now (users.info user.tz), stored on people; when Slack is not
   * configured or the lookup fails, the zone stored earlier (null: the caller falls back to the stockroom's).
   */
  async function slackTimeZone(manager: string, stored: string | null): Promise<string | null> {
    if (!deps.slack) return stored;
    try {
      const { user } = await deps.slack.users.info({ user: manager });
      const timeZone = validTimeZone(user?.tz) ?? null;
      if (timeZone !== stored) {
        const displayName = user?.profile?.display_name || user?.real_name || user?.name || manager;
        await recordTimeZone(db, { slackUserId: manager, displayName, timeZone });
      }
      return timeZone;
    } catch (err) {
      log.warn(`users.info failed for ${manager}; using the stored time zone`, { error: String(err) });
      return stored;
    }
  }

  /** Uploads a PNG into the DM once per key (slack_messages row, ts = the file id); returns its bytes, 0 when already there. */
  async function uploadOnce(
    channel: string,
    week: string,
    manager: string,
    key: string,
    purpose: string,
    make: () => Promise<{ png: Buffer; filename: string; title: string; alt: string }>,
  ): Promise<number> {
    await db.execute(sql`
      insert into slack_messages (idempotency_key, channel, document_type, document_id, purpose, recipient)
      values (${key}, ${channel}, 'manager_digest', ${week}, ${purpose}, ${manager})
      on conflict (idempotency_key) do nothing`);
    const [row] = (await db.execute(sql`select ts from slack_messages where idempotency_key = ${key}`)) as unknown as { ts: string | null }[];
    if (row?.ts) return 0;
    const file = await make();
    const upload = await deps.slack!.filesUploadV2({ channel_id: channel, file: file.png, filename: file.filename, title: file.title, alt_text: file.alt });
    const fileId = (upload as unknown as { files?: { files?: { id?: string }[] }[] }).files?.[0]?.files?.[0]?.id ?? 'uploaded';
    await db.execute(sql`update slack_messages set ts = ${fileId}, updated_at = now() where idempotency_key = ${key}`);
    return file.png.length;
  }

  return {
    /**
     * The managers whose own Monday 08:00–08:59 it is at `at` (the Schedule fires hourly), each with the
     * ISO week in their zone (the DM's key) and the zone itself. `week` is the stockroom's, for the log.
     */
    async prepareManagerDigest(input: { at: string }): Promise<PreparedDigest> {
      const at = new Date(input.at);
      const { timeZone: stockroomZone } = await getCountingSettings(db);
      const managers = await usersWithRole(db, MANAGER_ROLE);
      const stored = await timeZonesOf(db, managers);
      const due: DueDigest[] = [];
      for (const manager of managers) {
        const timeZone = managerTimeZone(await slackTimeZone(manager, stored.get(manager) ?? null), stockroomZone);
        const week = digestWeekDue(at, timeZone);
        if (week) due.push({ manager, week, timeZone });
      }
      return { week: isoWeekKey(dateInTimeZone(at, stockroomZone)), managers: due.map((d) => d.manager), due };
    },

    async sendManagerDigest(input: {
      at: string;
      week: string;
      manager: string;
      timeZone?: string;
    }): Promise<{ sent: boolean; chartBytes: number }> {
      const digest = await buildManagerDigest(db, new Date(input.at), input.timeZone ? { timeZone: input.timeZone } : {});
      const key = `digest:${input.week}:${input.manager}`;
      const sent = await dm.send(
        { key, user: input.manager, documentType: 'manager_digest', documentId: input.week, purpose: 'weekly_digest' },
        digestMessage(digest, deps.currency),
      );
      if (!sent || !deps.slack) return { sent: false, chartBytes: 0 };

      const chart = await uploadOnce(sent.channel, input.week, input.manager, `${key}:chart`, 'weekly_digest_chart', async () => ({
        png: await renderPng(digestChartSpec(digest, deps.currency)),
        filename: `stockroom-digest-${input.week}.png`,
        title: `Inventory value by ABC class and count accuracy, ${input.week}`,
        alt: 'Bar chart of inventory value by ABC class and line chart of count accuracy per month',
      }));
      // Actual vs forecast for the top A items, when there are forecasts for them (its own key: a retry uploads it once).
      const forecastChart = digest.forecast?.topA.length
        ? await uploadOnce(sent.channel, input.week, input.manager, `${key}:forecast-chart`, 'weekly_digest_forecast_chart', async () => ({
            png: await renderPng(forecastChartSpec(digest)),
            filename: `stockroom-forecasts-${input.week}.png`,
            title: `Top A items: actual vs forecast, ${input.week}`,
            alt: 'Line charts of units issued per period and the forecast made one period before, for the top A items',
          }))
        : 0;
      return { sent: true, chartBytes: chart + forecastChart };
    },
  };
}

export type DigestActivities = ReturnType<typeof createDigestActivities>;
