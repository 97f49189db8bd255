/**
 * A streaming CSV reader for the bulk import (ADR 0016): text in, records out, each with the
 * line it starts on. RFC 4180 quoting ("a ""b""", separators and line breaks inside quotes),
 * `;` or `,` as separator (Dutch spreadsheets write `;`), LF or CRLF, a UTF-8 BOM, and empty
 * lines skipped. Pure: the caller reads the file and feeds the chunks.
 */

export interface CsvRecord {
  /** The physical line (1-based) the record starts on, as an editor shows it. */
  line: number;
  fields: string[];
}

export type Separator = ';' | ',';

/** The header decides: `;` when it has one outside quotes, else `,`. */
export function detectSeparator(headerLine: string): Separator {
  let quoted = false;
  for (const c of headerLine) {
    if (c === '"') quoted = !quoted;
    else if (c === ';' && !quoted) return ';';
  }
  return ',';
}

/**
 * Splits one record. Returns null when a quoted field is still open at the end of `text`
 * (the record continues on the next line).
 */
export function splitRecord(text: string, separator: Separator): string[] | null {
  if (!text.includes('"')) return text.split(separator);
  const fields: string[] = [];
  let field = '';
  let i = 0;
  let atFieldStart = true;
  while (i < text.length) {
    const c = text[i]!;
    if (atFieldStart && c === '"') {
      // A quoted field: up to the closing quote; "" is a quote.
      i++;
      let closed = false;
      while (i < text.length) {
        const q = text[i]!;
        if (q === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        field += q;
        i++;
      }
      if (!closed) return null;
      // Anything between the closing quote and the separator is kept as written.
      while (i < text.length && text[i] !== separator) field += text[i++];
      atFieldStart = false;
      continue;
    }
    if (c === separator) {
      fields.push(field);
      field = '';
      atFieldStart = true;
    } else {
      field += c;
      atFieldStart = false;
    }
    i++;
  }
  fields.push(field);
  return fields;
}

/** The largest record (with its quoted line breaks) we wait for before calling the file broken. */
const MAX_RECORD_CHARS = 64 * 1024;

export class CsvError extends Error {}

/**
 * Feeds text chunks in, takes records out. The first record is the header; `separator` is
 * known once it has been read. `end()` flushes the last line (a file need not end in a line break).
 */
export class CsvReader {
  separator: Separator | null = null;
  private rest = '';
  private lineNo = 0;
  private first = true;
  /** A record that is still in an open quote: its text so far and its first line. */
  private open: { text: string; line: number } | null = null;

  push(chunk: string): CsvRecord[] {
    let text = this.rest + chunk;
    if (this.first && text.length > 0) {
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      this.first = false;
    }
    const out: CsvRecord[] = [];
    let start = 0;
    for (let nl = text.indexOf('\n', start); nl !== -1; nl = text.indexOf('\n', start)) {
      this.line(text.slice(start, nl), out, true);
      start = nl + 1;
    }
    this.rest = text.slice(start);
    if (this.rest.length > MAX_RECORD_CHARS) throw new CsvError(`line ${this.lineNo + 1}: a line longer than ${MAX_RECORD_CHARS} characters`);
    return out;
  }

  end(): CsvRecord[] {
    const out: CsvRecord[] = [];
    if (this.rest.length > 0) this.line(this.rest, out, false);
    this.rest = '';
    if (this.open) throw new CsvError(`line ${this.open.line}: a quote is opened and never closed`);
    return out;
  }

  private line(raw: string, out: CsvRecord[], endsInBreak: boolean): void {
    this.lineNo++;
    const physical = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (this.open) {
      // The line break inside quotes belongs to the field (as LF).
      this.open.text += `\n${physical}`;
      if (this.open.text.length > MAX_RECORD_CHARS) throw new CsvError(`line ${this.open.line}: a quote is opened and never closed`);
      const fields = splitRecord(this.open.text, this.separator ?? ',');
      if (fields) {
        out.push({ line: this.open.line, fields });
        this.open = null;
      }
      return;
    }
    if (physical.trim() === '') return; // empty lines (also the last one) are no records
    if (this.separator === null) this.separator = detectSeparator(physical);
    const fields = splitRecord(physical, this.separator);
    if (fields) out.push({ line: this.lineNo, fields });
    else if (endsInBreak) this.open = { text: physical, line: this.lineNo };
    else throw new CsvError(`line ${this.lineNo}: a quote is opened and never closed`);
  }
}
