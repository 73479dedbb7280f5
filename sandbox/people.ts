/**
 * The sandbox's demo workspace: one person per role, and the channels the app posts to. Roles and approval
 * limits are what the demo loader assigns in Stockroom; to the local Slack they are only people.
 */

export type DemoRole = 'requester' | 'approver' | 'warehouse' | 'buyer' | 'inventory_manager' | 'admin';

export interface DemoPerson {
  id: string;
  name: string;
  realName: string;
  title: string;
  email: string;
  role: DemoRole;
  /** Approval limit in money (exact decimal string), approvers only. */
  approvalLimit?: string;
  /** The user group handles the person belongs to. */
  groups: string[];
}

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  {
    id: 'U0REQ00001',
    name: 'ada',
    realName: 'Ada Park',
    title: 'Field engineer',
    email: 'ada@example.com',
    role: 'requester',
    groups: [],
  },
  {
    id: 'U0APR00500',
    name: 'ben',
    realName: 'Ben Okafor',
    title: 'Team lead',
    email: 'ben@example.com',
    role: 'approver',
    approvalLimit: '500',
    groups: ['approvers'],
  },
  {
    id: 'U0APR05000',
    name: 'carla',
    realName: 'Carla Ruiz',
    title: 'Head of operations',
    email: 'carla@example.com',
    role: 'approver',
    approvalLimit: '5000',
    groups: ['approvers'],
  },
  {
    id: 'U0WHS00001',
    name: 'dmitri',
    realName: 'Dmitri Volkov',
    title: 'Storekeeper',
    email: 'dmitri@example.com',
    role: 'warehouse',
    groups: ['warehouse'],
  },
  {
    id: 'U0BUY00001',
    name: 'erin',
    realName: 'Erin Walsh',
    title: 'Buyer',
    email: 'erin@example.com',
    role: 'buyer',
    groups: ['purchasing'],
  },
  {
    id: 'U0INV00001',
    name: 'farah',
    realName: 'Farah Haddad',
    title: 'Inventory manager',
    email: 'farah@example.com',
    role: 'inventory_manager',
    groups: ['warehouse'],
  },
  {
    id: 'U0ADM00001',
    name: 'gus',
    realName: 'Gus Lindqvist',
    title: 'IT administrator',
    email: 'gus@example.com',
    role: 'admin',
    groups: [],
  },
];

export interface DemoUserGroup {
  id: string;
  handle: string;
  name: string;
}

export const DEMO_USER_GROUPS: readonly DemoUserGroup[] = [
  { id: 'S0APPROVER', handle: 'approvers', name: 'Approvers' },
  { id: 'S0WAREHOUS', handle: 'warehouse', name: 'Warehouse team' },
  { id: 'S0PURCHASE', handle: 'purchasing', name: 'Purchasing' },
];

export interface ChannelSpec {
  id: string;
  name: string;
  isPrivate?: boolean;
  /** Whether the bot has been added to the channel (posting elsewhere relies on chat:write.public). */
  botIsMember?: boolean;
  purpose?: string;
}

/** The channels the app posts to; configurable through LocalSlack's `channels` option. */
export const SANDBOX_CHANNELS: readonly ChannelSpec[] = [
  { id: 'C0REQUESTS', name: 'requests', botIsMember: true, purpose: 'Supply requests and their status' },
  { id: 'C0WAREHOUS', name: 'warehouse', botIsMember: true, purpose: 'Pick tasks and receipts' },
  { id: 'C0PURCHASE', name: 'purchasing', botIsMember: true, purpose: 'Purchase orders' },
  { id: 'C0STOCKALR', name: 'stock-alerts', botIsMember: true, purpose: 'Reorder points and stockouts' },
  { id: 'C0GENERAL0', name: 'general', botIsMember: false, purpose: 'Company-wide' },
];

/**
 * What `npm start`'s sandbox shows: only the channels Stockroom posts to (settings.requisitions.warehouseChannel
 * and settings.restock.alertsChannel by default), each saying what appears there. Requisitions and purchase
 * orders live in people's DMs with the app, so a #requests or #purchasing channel would only ever stay empty.
 */
export const STOCKROOM_CHANNELS: readonly ChannelSpec[] = [
  { id: 'C0WAREHOUS', name: 'warehouse', botIsMember: true, purpose: 'Pick tasks: what to pick from which bins' },
  { id: 'C0STOCKALR', name: 'stock-alerts', botIsMember: true, purpose: 'Low-stock and stockout alerts, with a button to order more' },
];

export const SANDBOX_TEAM = { id: 'T0SANDBOX0', name: 'Stockroom Sandbox', domain: 'stockroom-sandbox' } as const;
export const SANDBOX_BOT = {
  userId: 'U0STOCKBOT',
  botId: 'B0STOCKBOT',
  appId: 'A0STOCKRM0',
  name: 'stockroom',
} as const;
