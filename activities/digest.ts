import { log } from '@temporalio/activity';
import type { WebClient } from '@slack/web-api';
import { sql } from 'drizzle-orm';
import { digestMessage } from '../bot/blocks/digest.js';
import type { Database } from '../db/client.js';
import { getCountingSettings } from '../db/queries/counting.js';
import { buildManagerDigest } from '../db/queries/digest.js';
import { usersWithRole } from '../db/queries/people.js';
import { dateInTimeZone, isoWeekKey } from '../inventory/cycle-count.js';
import { MANAGER_ROLE } from './counting.js';
import { createDmSender } from './counting-slack.js';
import { digestChartSpec, renderPng } from './digest-chart.js';

/**
 * The weekly digest: one DM per inventory manager per ISO week (keyed), then the chart as a PNG uploaded
 * into the same DM with files.uploadV2 (keyed too, so a retry neither posts nor uploads twice).
 */
export function createDigestActivities(deps: { db: Database; slack?: WebClient; currency?: string }) {
  const { db } = deps;
  const dm = createDmSender(db, deps.slack, (m) => log.info(m));

  return {
    async prepareManagerDigest(input: { at: string }): Promise<{ week: string; managers: string[] }> {
      const { timeZone } = await getCountingSettings(db);
      return { week: isoWeekKey(dateInTimeZone(new Date(input.at), timeZone)), managers: await usersWithRole(db, MANAGER_ROLE) };
    },

    async sendManagerDigest(input: { at: string; week: string; manager: string }): Promise<{ sent: boolean; chartBytes: number }> {
      const digest = await buildManagerDigest(db, new Date(input.at));
      const key = `digest:${input.week}:${input.manager}`;
      const sent = await dm.send(
        { key, user: input.manager, documentType: 'manager_digest', documentId: input.week, purpose: 'weekly_digest' },
        digestMessage(digest, deps.currency),
      );
      if (!sent || !deps.slack) return { sent: false, chartBytes: 0 };

      const chartKey = `${key}:chart`;
      await db.execute(sql`
        insert into slack_messages (idempotency_key, channel, document_type, document_id, purpose, recipient)
        values (${chartKey}, ${sent.channel}, 'manager_digest', ${input.week}, 'weekly_digest_chart', ${input.manager})
        on conflict (idempotency_key) do nothing`);
      const [row] = (await db.execute(sql`select ts from slack_messages where idempotency_key = ${chartKey}`)) as unknown as {
        ts: string | null;
      }[];
      if (row?.ts) return { sent: true, chartBytes: 0 };
      const png = await renderPng(digestChartSpec(digest, deps.currency));
      const upload = await deps.slack.filesUploadV2({
        channel_id: sent.channel,
        file: png,
        filename: `stockroom-digest-${input.week}.png`,
        title: `Inventory value by ABC class and count accuracy, ${input.week}`,
        alt_text: 'Bar chart of inventory value by ABC class and line chart of count accuracy per month',
      });
      const fileId = (upload as unknown as { files?: { files?: { id?: string }[] }[] }).files?.[0]?.files?.[0]?.id ?? 'uploaded';
      await db.execute(sql`update slack_messages set ts = ${fileId}, updated_at = now() where idempotency_key = ${chartKey}`);
      return { sent: true, chartBytes: png.length };
    },
  };
}

export type DigestActivities = ReturnType<typeof createDigestActivities>;
