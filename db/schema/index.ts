// The data model, one file per aggregate. drizzle-kit reads this barrel to generate migrations.
export * from './system.js';
export * from './items.js';
export * from './locations.js';
export * from './ledger.js';
export * from './stock.js';
export * from './people.js';
export * from './cost-centers.js';
export * from './requisitions.js';
export * from './slack-messages.js';
export * from './purchasing.js';
export * from './counting.js';
export * from './forecasting.js';
export * from './accounting.js';
