// Text splicing: edits are splices into the original string, never reprints (DESIGN.md).

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

/** 1-based line and column of a string index. */
export function lineColAt(source: string, index: number): { line: number; col: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = source.indexOf('\n'); i !== -1 && i < index; i = source.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, col: index - lineStart + 1 };
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
