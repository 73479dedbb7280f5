// The data model, one file per aggregate. drizzle-kit reads this barrel to generate migrations.
export * from './system.js';
