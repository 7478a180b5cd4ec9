import { failAt } from './loaders-io';

/** Splits CSV text into rows of cells (RFC 4180: quoted cells, doubled quotes, CRLF or LF). */
export function splitCsvRecords(
  text: string,
  delimiter: string,
  functionName: string,
  source: string | undefined,
): { rows: string[][]; lines: number[] } {
  const rows: string[][] = [];
  const lines: number[] = [];
  const n = text.length;
  let i = 0;
  let line = 1;
  while (i < n) {
    const record: string[] = [];
    const startLine = line;
    let quotedAny = false;
    for (;;) {
      let value: string;
      if (text[i] === '"') {
        quotedAny = true;
        let j = i + 1;
        value = '';
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0) {
            failAt(
              'INVALID_FORMAT',
              functionName,
              'source',
              source,
              'CSV data whose quotes are closed',
              `a quote opened on line ${line} and never closed`,
            );
          }
          value += text.slice(j, q);
          if (text[q + 1] === '"') {
            value += '"';
            j = q + 2;
          } else {
            i = q + 1;
            break;
          }
        }
        for (const ch of value) if (ch === '\n') line++;
        const next = text[i];
        if (i < n && next !== delimiter && next !== '\n' && next !== '\r') {
          failAt(
            'INVALID_FORMAT',
            functionName,
            'source',
            source,
            'CSV data with a delimiter or line end after each closing quote',
            `${JSON.stringify(next)} on line ${line}`,
          );
        }
      } else {
        let j = i;
        while (j < n) {
          const ch = text[j];
          if (ch === delimiter || ch === '\n' || ch === '\r') break;
          j++;
        }
        value = text.slice(i, j);
        i = j;
      }
      record.push(value);
      if (i < n && text[i] === delimiter) {
        i++;
        continue;
      }
      if (text[i] === '\r') i++;
      if (text[i] === '\n') i++;
      line++;
      break;
    }
    // A blank line is no record.
    if (quotedAny || record.length > 1 || record[0]!.trim() !== '') {
      rows.push(record);
      lines.push(startLine);
    }
  }
  return { rows, lines };
}
