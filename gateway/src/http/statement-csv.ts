import type { Statement } from '../services/statement';

/** RFC 4180: a field with a comma, a quote or a line break is quoted, its quotes doubled. */
export function csvField(value: string): string {
  return /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function row(fields: readonly string[]): string {
  return `${fields.map(csvField).join(',')}\r\n`;
}

/**
 * A statement as CSV for spreadsheets and accounting imports: a header, the opening balance,
 * one row per line, the closing balance. Certificate ids of one line are separated by spaces.
 */
export function statementCsv(statement: Statement): string {
  const header = row(['kind', 'txId', 'timestamp', 'certificateIds', 'change', 'cash', 'balance']);
  const opening = row(['opening', '', statement.from, '', '', '', statement.opening]);
  let balance = BigInt(statement.opening);
  const lines = statement.lines.map((line) => {
    balance += BigInt(line.change);
    return row([
      line.kind,
      line.txId,
      line.timestamp,
      line.certificateIds.join(' '),
      line.change,
      line.cash,
      balance.toString(),
    ]);
  });
  const closing = row(['closing', '', statement.to, '', '', '', statement.closing]);
  return header + opening + lines.join('') + closing;
}
