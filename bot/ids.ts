// The only place Slack command names, callback IDs, action IDs and block IDs are spelled.
// manifest.json must list the same commands and shortcuts (test/bot/manifest.test.ts checks it).

export const COMMANDS = {
  request: '/request',
  receive: '/receive',
  stock: '/stock',
  admin: '/stockroom',
} as const;

export const SHORTCUTS = {
  requestSupplies: 'request_supplies',
} as const;

/** Buttons on requisition messages (approval DMs, the requester's thread, the warehouse pick task). */
export const REQUISITION_ACTIONS = {
  approve: 'requisition_approve',
  reject: 'requisition_reject',
  cancel: 'requisition_cancel',
  confirmPick: 'requisition_confirm_pick',
} as const;
