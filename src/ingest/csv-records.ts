// A streaming CSV splitter for the importer, in place of csv-parse: the general parser spent a third of
// `wattline import` in per-record bookkeeping (its `info` objects are spreads of spreads, one per record)
// and handed records over one promise at a time. This one does what the importer asked of csv-parse
// (RFC 4180 quotes with "" escapes and quoted newlines, fields trimmed, empty lines skipped, a BOM
// dropped, every record as long as the header) and hands over records in arrays, each with its line.
// Lines without a quote, nearly all of them, are split with String.split.
import { WattlineError } from '../domain/errors.ts';

export interface CsvRecord {
  fields: string[];
  /** Line (1-based) on which the record ends. */
  line: number;
}

export class CsvSplitter {
  private carry = '';
  /** Lines completed before `carry` starts. */
  private linesBefore = 0;
  private started = false;
  private width: number | undefined;

  /** Feeds a chunk of text; complete records go to `out`. */
  push(text: string, out: CsvRecord[]): void {
    if (!this.started) {
      this.started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    this.carry = this.carry === '' ? text : this.carry + text;
    const end = this.carry.lastIndexOf('\n');
    if (end < 0) return;
    const consumed = this.split(this.carry, end + 1, out, false);
    this.carry = this.carry.slice(consumed);
  }

  /** Ends the input: the last line needs no newline. */
  end(out: CsvRecord[]): void {
    if (this.carry !== '') this.split(this.carry, this.carry.length, out, true);
    this.carry = '';
  }

  /** Splits text[0, limit) into records; returns how much was consumed (a quoted record may be cut). */
  private split(text: string, limit: number, out: CsvRecord[], final: boolean): number {
    let pos = 0;
    // The next quote, searched again only once passed: searching from every line would rescan the chunk.
    let quote = text.indexOf('"');
    while (pos < limit) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0 || nl >= limit) nl = limit;
      if (quote >= 0 && quote < pos) quote = text.indexOf('"', pos);
      if (quote >= 0 && quote < nl) {
        const r = this.quoted(text, pos, limit, final);
        if (r === undefined) return pos;
        pos = r.next;
        this.linesBefore += r.lines;
        this.emit(r.fields, out);
        continue;
      }
      this.linesBefore++;
      let lineEnd = nl;
      if (lineEnd > pos && text.charCodeAt(lineEnd - 1) === 13) lineEnd--;
      if (lineEnd > pos) {
        const fields = text.slice(pos, lineEnd).split(',');
        for (let i = 0; i < fields.length; i++) fields[i] = fields[i]!.trim();
        this.emit(fields, out);
      }
      pos = nl + 1;
    }
    return limit;
  }

  /**
   * One record that has a quote, from `start`: returns its fields, where the next record starts and how
   * many line breaks it spans, or undefined when it is not complete before `limit` (more text needed).
   */
  private quoted(
    text: string,
    start: number,
    limit: number,
    final: boolean,
  ): { fields: string[]; next: number; lines: number } | undefined {
    const fields: string[] = [];
    let lines = 0;
    let i = start;
    for (;;) {
      // One field: skip leading blanks, then either a quoted field or plain text up to , or end of line.
      while (i < limit && (text[i] === ' ' || text[i] === '\t')) i++;
      let value: string;
      if (text[i] === '"') {
        let v = '';
        let j = i + 1;
        for (;;) {
          const q = text.indexOf('"', j);
          if (q < 0 || q >= limit) {
            if (!final) return undefined;
            throw new WattlineError('validation-failed', `line ${this.linesBefore + 1}: unclosed quote`);
          }
          v += text.slice(j, q);
          if (text[q + 1] === '"') {
            v += '"';
            j = q + 2;
            continue;
          }
          j = q + 1;
          break;
        }
        for (let k = i; k < j; k++) if (text.charCodeAt(k) === 10) lines++;
        while (j < limit && (text[j] === ' ' || text[j] === '\t' || text[j] === '\r')) j++;
        if (j < limit && text[j] !== ',' && text[j] !== '\n')
          throw new WattlineError(
            'validation-failed',
            `line ${this.linesBefore + lines + 1}: unexpected text after a closing quote`,
          );
        value = v;
        i = j;
      } else {
        let j = i;
        while (j < limit && text[j] !== ',' && text[j] !== '\n') j++;
        const raw = text.slice(i, j);
        if (raw.includes('"'))
          throw new WattlineError(
            'validation-failed',
            `line ${this.linesBefore + lines + 1}: a quote inside an unquoted field`,
          );
        value = raw.trim();
        i = j;
      }
      fields.push(value);
      if (i >= limit) {
        if (!final) return undefined;
        return { fields, next: limit, lines: lines + 1 };
      }
      if (text[i] === ',') {
        i++;
        continue;
      }
      // A line break ends the record.
      return { fields, next: i + 1, lines: lines + 1 };
    }
  }

  private emit(fields: string[], out: CsvRecord[]): void {
    const line = this.linesBefore;
    if (this.width === undefined) this.width = fields.length;
    else if (fields.length !== this.width)
      throw new WattlineError(
        'validation-failed',
        `line ${line}: ${fields.length} fields where the header has ${this.width}`,
      );
    out.push({ fields, line });
  }
}
