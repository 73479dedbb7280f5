/** A column of a plain-text table: numbers align right so decimal points line up. */
export interface TextColumn {
  header: string;
  align?: 'left' | 'right';
  /** Longer cells are cut with an ellipsis (names, notes). */
  max?: number;
}

const cut = (text: string, max?: number) => (max && text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * Renders rows under a header and a rule, columns two spaces apart; a row of `null` draws a rule
 * (before totals). Pure, so reports are tested as text.
 */
export function renderTable(columns: readonly TextColumn[], rows: readonly (readonly string[] | null)[]): string {
  const cells = rows.map((row) => row && row.map((cell, i) => cut(cell.replace(/\s+/g, ' '), columns[i]?.max)));
  const widths = columns.map((c, i) => Math.max(c.header.length, ...cells.map((r) => (r ? r[i]!.length : 0))));
  const line = (row: readonly string[]) =>
    row
      .map((cell, i) => (columns[i]!.align === 'right' ? cell.padStart(widths[i]!) : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  const rule = widths.map((w) => '-'.repeat(w)).join('  ');
  return [line(columns.map((c) => c.header)), rule, ...cells.map((r) => (r ? line(r) : rule))].join('\n');
}
