/** What the database said when it refused a statement: SQLSTATE, constraint and message (drizzle wraps driver errors in `cause`). */
export interface Refusal {
  code?: string;
  constraint?: string;
  message: string;
}

/** Runs `write` and returns the database's refusal, or undefined when it was accepted. */
export async function refusal(write: () => Promise<unknown>): Promise<Refusal | undefined> {
  try {
    await write();
  } catch (error) {
    const e = error as { code?: string; constraint_name?: string; message: string; cause?: { code?: string; constraint_name?: string; message: string } };
    const source = e.cause?.code ? e.cause : e;
    return { code: source.code, constraint: source.constraint_name, message: source.message };
  }
  return undefined;
}
