import fs from 'node:fs';
import path from 'node:path';
import { msToNumber } from '@temporalio/common/lib/time.js';
import { z } from 'zod';
import { ApprovalPolicyError, DEFAULT_APPROVAL_POLICY, validatePolicy, type ApprovalPolicy } from '../inventory/approval-policy.js';
import { parseDecimal, toPlain } from '../inventory/decimal.js';

/**
 * Business settings, from `stockroom.config.json` in the working directory (or the file named by
 * STOCKROOM_CONFIG). Everything is optional; see stockroom.config.example.json. The first admin
 * comes from here ("admins") or from STOCKROOM_ADMINS (comma-separated Slack user ids, for Docker
 * and CI); both lists are granted the admin role at start, and admins then manage roles in Slack.
 */

const amount = z.string().refine((v) => {
  const d = parseDecimal(v);
  return d !== undefined && !d.isNegative();
}, 'a non-negative amount as a string, e.g. "5000"');

const duration = z.string().refine((v) => {
  try {
    return msToNumber(v as Parameters<typeof msToNumber>[0]) > 0;
  } catch {
    return false;
  }
}, 'a duration such as "4 hours", "1 day" or "90m"');

const percentage = z.string().refine((v) => {
  const d = parseDecimal(v);
  return d !== undefined && !d.isNegative() && d.lte(100);
}, 'a percentage from "0" to "100" as a string, e.g. "5" or "2.5"');

const accountCode = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9.:_-]{0,31}$/, 'an account code such as "1300" or "5000-10" (letters, digits, . : _ -)');

const slackUserId = z.string().regex(/^[UW][A-Z0-9]+$/, 'a Slack user id such as U0123ABCD');

export const settingsSchema = z
  .object({
    admins: z.array(slackUserId).default([]),
    /** Prefix for money in messages, e.g. "$" or "EUR ". */
    currency: z.string().max(8).default(''),
    approvals: z
      .object({
        autoApproveBelow: amount,
        levels: z.array(z.object({ name: z.string().min(1).max(40), upTo: amount.optional() })).min(1),
      })
      .default(DEFAULT_APPROVAL_POLICY),
    requisitions: z
      .object({
        /** No decision after this long: remind the approver. */
        remindAfter: duration.default('1 day'),
        /** No decision after this long: ask the next approver too. */
        escalateAfter: duration.default('3 days'),
        /** Where pick tasks go (a channel id, or a name the bot has joined). */
        warehouseChannel: z.string().min(1).default('#warehouse'),
      })
      .prefault({}),
    restock: z
      .object({
        /** Where stock alerts go (a channel id, or a name the bot has joined). */
        alertsChannel: z.string().min(1, 'a channel id or a channel name the bot has joined, e.g. "#stock-alerts"').default('#stock-alerts'),
        /** A receipt may bring a PO line this many percent over its ordered quantity, no more. */
        overReceiptTolerance: percentage.default('5'),
      })
      .strict()
      .prefault({}),
    /** Account codes for the journal finance imports (README, "Journal and period close"). */
    accounting: z
      .object({
        accounts: z
          .object({
            inventory: accountCode.default('1300'),
            goodsReceivedNotInvoiced: accountCode.default('2150'),
            accountsPayable: accountCode.default('2000'),
            costOfGoods: accountCode.default('5000'),
            shrinkage: accountCode.default('5400'),
            priceVariance: accountCode.default('5100'),
            openingBalance: accountCode.default('3900'),
          })
          .strict()
          .prefault({}),
        /** Inventory account by warehouse (a location path's first part), before the category's and the default. */
        inventoryByWarehouse: z.record(z.string().min(1), accountCode).default({}),
        /** Inventory account by item category, before the default. */
        inventoryByCategory: z.record(z.string().min(1), accountCode).default({}),
        /** Expense account for issues by cost center code, else accounts.costOfGoods. */
        expenseByCostCenter: z.record(z.string().min(1), accountCode).default({}),
      })
      .strict()
      .prefault({}),
  })
  .strict();

export type AccountingSettings = z.infer<typeof settingsSchema>['accounting'];

export type StockroomSettings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: StockroomSettings = settingsSchema.parse({});

/** What the requisition workflow needs, durations in milliseconds. */
export interface RequisitionSettings {
  remindAfterMs: number;
  escalateAfterMs: number;
  policy: ApprovalPolicy;
}

export function requisitionSettings(settings: StockroomSettings): RequisitionSettings {
  return {
    remindAfterMs: msToNumber(settings.requisitions.remindAfter as Parameters<typeof msToNumber>[0]),
    escalateAfterMs: msToNumber(settings.requisitions.escalateAfter as Parameters<typeof msToNumber>[0]),
    policy: settings.approvals,
  };
}

/** The over-receipt tolerance as the fraction inventory/purchase-order.ts takes ("5" → "0.05"). */
export const overReceiptTolerance = (settings: StockroomSettings): string => toPlain(parseDecimal(settings.restock.overReceiptTolerance)!.div(100));

export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** Validates settings from any source; every problem is named with where it is. */
export function parseSettings(raw: unknown, source: string): StockroomSettings {
  const result = settingsSchema.safeParse(raw);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(top level)'}: ${i.message}`);
    throw new SettingsError(`${source} is not valid:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
  const settings = result.data;
  try {
    validatePolicy(settings.approvals);
  } catch (err) {
    if (err instanceof ApprovalPolicyError) throw new SettingsError(`${source}: approvals: ${err.message}`);
    throw err;
  }
  if (msToNumber(settings.requisitions.escalateAfter as never) <= msToNumber(settings.requisitions.remindAfter as never)) {
    throw new SettingsError(`${source}: requisitions.escalateAfter must be longer than requisitions.remindAfter`);
  }
  return settings;
}

/** Reads the settings file (absent is fine: defaults) and adds STOCKROOM_ADMINS. */
export function loadSettings(env: NodeJS.ProcessEnv = process.env, cwd = process.cwd()): StockroomSettings {
  const file = env.STOCKROOM_CONFIG ? path.resolve(cwd, env.STOCKROOM_CONFIG) : path.join(cwd, 'stockroom.config.json');
  let raw: unknown = {};
  if (fs.existsSync(file)) {
    try {
      raw = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (err) {
      throw new SettingsError(`${file} is not valid JSON: ${(err as Error).message}`);
    }
  } else if (env.STOCKROOM_CONFIG) {
    throw new SettingsError(`STOCKROOM_CONFIG=${env.STOCKROOM_CONFIG}: no such file`);
  }
  const settings = parseSettings(raw, file);
  const fromEnv = (env.STOCKROOM_ADMINS ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  const bad = fromEnv.filter((id) => !/^[UW][A-Z0-9]+$/.test(id));
  if (bad.length) throw new SettingsError(`STOCKROOM_ADMINS: ${bad.join(', ')} ${bad.length === 1 ? 'is not a Slack user id' : 'are not Slack user ids'} (U…)`);
  return { ...settings, admins: [...new Set([...settings.admins, ...fromEnv])] };
}
