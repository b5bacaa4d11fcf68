// Text splicing: edits are splices into the original string, never reprints (docs/design.md, "The contract").

export interface Edit {
  start: number; // string index, inclusive
  end: number; // string index, exclusive
  text: string;
}

/** Apply non-overlapping edits (any order) to `source`. Throws on overlap, which is a bug in a rule. */
export function applyEdits(source: string, edits: readonly Edit[]): string {
  if (edits.length === 0) return source;
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  let out = '';
  let at = 0;
  for (const edit of sorted) {
    if (edit.start < at) throw new Error(`overlapping edits at ${edit.start}`);
    out += source.slice(at, edit.start) + edit.text;
    at = edit.end;
  }
  return out + source.slice(at);
}

/** The first index below `length` where `at` holds, for an `at` that holds from some index on (binary search); `length` when none. */
export function firstIndex(length: number, at: (i: number) => boolean): number {
  let lo = 0;
  let hi = length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (at(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** The last text lineColAt was asked about, and where its lines start: codemods ask about one text many times. */
let indexed: { source: string; lineStarts: number[] } | undefined;

/** 1-based line and column of a string index. */
export function lineColAt(source: string, index: number): { line: number; col: number } {
  if (indexed?.source !== source) {
    const lineStarts = [0];
    for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) lineStarts.push(i + 1);
    indexed = { source, lineStarts };
  }
  // The last line starting at or before `index` (a newline at `index` itself still ends that line).
  const starts = indexed.lineStarts;
  const line = firstIndex(starts.length, (i) => starts[i]! > index) - 1;
  return { line: line + 1, col: index - starts[line]! + 1 };
}

/**
 * The edits that no other edit covers: a non-empty edit covers an insertion strictly inside it, and
 * an edit within its range, when it is longer or the same range and listed first. (A removed or
 * replaced statement covers its own rewrites.) Sorted by start, longer first, an edit is covered
 * exactly when one before it reaches its end: O(n log n), where a 25,000-line script has ~10,000 edits.
 */
export function outermostEdits(edits: readonly Edit[]): Edit[] {
  const ranges = edits.flatMap((e, i) => (e.end > e.start ? [i] : []));
  ranges.sort((a, b) => edits[a]!.start - edits[b]!.start || edits[b]!.end - edits[a]!.end || a - b);
  const covered = new Array<boolean>(edits.length).fill(false);
  const starts: number[] = [];
  const reaches: number[] = []; // the furthest end of the ranges up to here, in that order
  let reach = -1;
  for (const i of ranges) {
    const { start, end } = edits[i]!;
    if (reach >= end) covered[i] = true;
    reach = Math.max(reach, end);
    starts.push(start);
    reaches.push(reach);
  }
  edits.forEach((e, i) => {
    if (e.end > e.start) return;
    // An insertion: is it inside a range that starts before it?
    const last = firstIndex(starts.length, (k) => starts[k]! >= e.start) - 1;
    covered[i] = last >= 0 && reaches[last]! > e.start;
  });
  return edits.filter((_, i) => !covered[i]);
}

/** The extent of the full line(s) holding [start, end), including the final newline. */
export function wholeLines(source: string, start: number, end: number): { start: number; end: number } {
  const lineStart = source.lastIndexOf('\n', start - 1) + 1;
  const nl = source.indexOf('\n', Math.max(end - 1, start));
  return { start: lineStart, end: nl === -1 ? source.length : nl + 1 };
}

/** A converter from UTF-8 byte offsets (mvdan/sh reports bytes) to string indices of `source`. */
export function byteIndexer(source: string): (byteOffset: number) => number {
  if (!/[^\x00-\x7f]/.test(source)) return (b) => b;
  const table: number[] = [];
  let bytes = 0;
  for (let i = 0; i < source.length; ) {
    const code = source.codePointAt(i)!;
    const width = code < 0x80 ? 1 : code < 0x800 ? 2 : code < 0x10000 ? 3 : 4;
    for (let k = 0; k < width; k++) table[bytes + k] = i;
    bytes += width;
    i += code >= 0x10000 ? 2 : 1;
  }
  table[bytes] = source.length;
  return (b) => (b >= bytes ? source.length : table[b]!);
}

/** `a, b and c` (`a, b, c and 3 more` past `most` items): how a message names several things. */
export function andList(items: readonly string[], most = items.length): string {
  if (items.length > most) return `${items.slice(0, most).join(', ')} and ${items.length - most} more`;
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items.at(-1)}`;
}

/** What may go with a removed line as the comment that explained it. */
export interface ExplainingComment {
  /** A comment line (default: `#` after indentation). */
  comment?: RegExp;
  /** Each line taken must pass (the walk up stops at the first that does not). */
  line?: (line: string) => boolean;
  /** The whole run taken must pass, or none of it goes; `start` is where it would start. */
  block?: (block: string, start: number) => boolean;
}

/**
 * A whole-line removal set apart by blank lines on both sides (or first in the file, a blank line after
 * it) takes the one after it too, so that no two blank lines are left in a row, nor one at the top.
 */
export function collapsingBlank(source: string, edit: Edit): Edit {
  const after = /^[ \t]*\r?\n/.exec(source.slice(edit.end));
  const before = source.slice(source.lastIndexOf('\n', edit.start - 2) + 1, edit.start);
  return after && (edit.start === 0 || /^[ \t]*\r?\n$/.test(before)) ? { ...edit, end: edit.end + after[0].length } : edit;
}

/**
 * Where the comment lines right above `lineStart` start when they only explained what is removed from
 * `lineStart` on (`lineStart` itself when none do). Every host's "the comment goes with its step".
 */
export function explainingComment(source: string, lineStart: number, accept: ExplainingComment = {}): number {
  let start = lineStart;
  while (start > 0) {
    const prev = source.lastIndexOf('\n', start - 2) + 1;
    const line = source.slice(prev, start - 1);
    if (!(accept.comment ?? /^[ \t]*#/).test(line) || (accept.line && !accept.line(line))) break;
    start = prev;
  }
  if (start === lineStart || !accept.block) return start;
  return accept.block(source.slice(start, lineStart), start) ? start : lineStart;
}
