// Files whose conda mentions are history, not instructions: nothing in them is rewritten or reported.
import path from 'node:path';

/** The first line of the Markdown migration report: the report itself is not a leftover. */
export const REPORT_TITLE = '# Migration report: Conda to uv';

const HISTORY_FILE = /^(?:CHANGELOG|CHANGES|HISTORY|NEWS|RELEASE[-_ ]?NOTES)(?:\.[\w.]+)?$/i;

/** A changelog, or the migration report. */
export function isHarmlessDoc(file: string, text: string): boolean {
  return HISTORY_FILE.test(path.posix.basename(file)) || text.startsWith(REPORT_TITLE);
}
