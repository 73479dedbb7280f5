/** Escapes LIKE / ILIKE wildcards (\, %, _) so typed text matches only itself. */
export const escapeLike = (text: string): string => text.replace(/[\\%_]/g, (c) => `\\${c}`);
