// Follow-ups name lines of the file as written, so a codemod that reports while it collects edits
// maps each original position through its edits before reporting.
import { lineColAt, type Edit } from './text.js';

/** A follow-up's severity, as runner/followups.ts defines it (absent: the default there). */
type Severity = 'blocks' | 'action' | 'info';

/** Where an index of the original text lands after `edits` (an index inside an edit maps to its start). */
export function mapIndex(edits: readonly Edit[], index: number): number {
  let shift = 0;
  for (const edit of [...edits].sort((a, b) => a.start - b.start)) {
    if (edit.start < index && edit.end <= index) shift += edit.text.length - (edit.end - edit.start);
    else if (edit.start <= index && index < edit.end) return edit.start + shift;
    else break;
  }
  return index + shift;
}

/** Follow-ups collected against the original text, reported against the edited one. */
export class PendingReports {
  private readonly pending: { index: number; message: (line: string) => string; severity?: Severity }[] = [];

  /** `message` gets the text of the reported line as it reads after the edits. */
  add(index: number, message: string | ((line: string) => string), severity?: Severity): void {
    this.pending.push({ index, message: typeof message === 'string' ? () => message : message, ...(severity ? { severity } : {}) });
  }

  flush(edits: readonly Edit[], output: string, report: (line: number, message: string, severity?: Severity) => void): void {
    const seen = new Set<string>();
    for (const p of this.pending) {
      const at = mapIndex(edits, p.index);
      const { line } = lineColAt(output, at);
      const lineStart = output.lastIndexOf('\n', at - 1) + 1;
      const nl = output.indexOf('\n', at);
      const message = p.message(output.slice(lineStart, nl === -1 ? undefined : nl));
      if (seen.has(`${line}:${message}`)) continue;
      seen.add(`${line}:${message}`);
      report(line, message, p.severity);
    }
  }
}
