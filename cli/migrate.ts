import { openCommandDatabase } from './database.js';

/** Applies migrations to DATABASE_URL, or to the embedded database of the data folder (running or not). */
export async function migrateCommand(): Promise<void> {
  const database = await openCommandDatabase();
  await database.close();
  console.log(process.env.DATABASE_URL ? 'Migrations applied to DATABASE_URL.' : 'Migrations applied to the embedded database.');
}
