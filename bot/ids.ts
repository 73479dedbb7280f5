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
