/** The import's CSV reader (src/import/csv.ts) and header (src/import/rows.ts): the shapes real exports come in. */
import { describe, expect, it } from 'vitest';
import { CsvError, CsvReader, detectSeparator, splitRecord } from '../../src/import/csv.ts';
import { readHeader } from '../../src/import/rows.ts';
import { importRegistrations } from '../../src/cli/import-registrations.ts';
import type { Ctx } from '../../src/context.ts';

/** Feeds the text in chunks of `size` characters: a record may be split anywhere. */
function read(text: string, size = 3) {
  const reader = new CsvReader();
  const records = [];
  for (let i = 0; i < text.length; i += size) records.push(...reader.push(text.slice(i, i + size)));
  records.push(...reader.end());
  return records;
}

describe('CsvReader', () => {
  it('reads `,` and `;` files, with the line each record starts on', () => {
    expect(read('a,b\n1,2\n3,4\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2'] },
      { line: 3, fields: ['3', '4'] },
    ]);
    expect(read('a;b\n1,5;2\n')).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1,5', '2'] },
    ]);
  });

  it('drops a BOM, handles CRLF, skips empty lines and keeps counting them', () => {
    expect(read('\uFEFFbsn;x\r\n\r\n1;2\r\n   \r\n3;4')).toEqual([
      { line: 1, fields: ['bsn', 'x'] },
      { line: 3, fields: ['1', '2'] },
      { line: 5, fields: ['3', '4'] },
    ]);
  });

  it('unquotes, with "" as a quote, separators and line breaks inside quotes', () => {
    const records = read('a,b,c\n"x,y","say ""hi""",z\n"multi\r\nline",2,3\nnext,1,2\n', 4);
    expect(records).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['x,y', 'say "hi"', 'z'] },
      { line: 3, fields: ['multi\nline', '2', '3'] },
      { line: 5, fields: ['next', '1', '2'] },
    ]);
  });

  it('refuses a quote that never closes, naming its line', () => {
    expect(() => read('a,b\n1,2\n"open,3\n4,5\n')).toThrow(CsvError);
    expect(() => read('a,b\n1,2\n"open,3\n4,5\n')).toThrow(/line 3/);
  });

  it('detects the separator outside quotes only', () => {
    expect(detectSeparator('"a;b",c')).toBe(',');
    expect(detectSeparator('a;b')).toBe(';');
    expect(splitRecord('"unterminated,1', ',')).toBeNull();
    expect(splitRecord('', ',')).toEqual(['']);
  });
});

describe('readHeader', () => {
  it('finds the columns by English or Dutch name, in any order and case', () => {
    const layout = readHeader([' Geregistreerd_op', 'E-MAIL', 'bsn', 'Geboortedatum']);
    expect(layout).toMatchObject({ registeredAt: 0, professionalEmail: 1, bsn: 2, birthDate: 3, reference: null });
    expect(layout.names.professionalEmail).toBe('E-MAIL');
  });

  it('refuses a missing or doubled column', () => {
    expect(() => readHeader(['bsn', 'email'])).toThrow(/missing column\(s\) birth_date, registered_at/);
    expect(() => readHeader(['bsn', 'email', 'e-mail', 'birth_date', 'registered_at'])).toThrow(/more than once/);
  });
});

describe('importRegistrations', () => {
  it('refuses a database other than SQLite (D1) before reading anything', async () => {
    const ctx = { deps: { config: {}, db: {} }, actor: { type: 'operator', id: 'x' }, requestId: null, origin: 'cli' } as unknown as Ctx;
    await expect(importRegistrations(ctx, { file: 'none.csv', notify: false, batchSize: 10 })).rejects.toThrow(/SQLite database only/);
  });
});
