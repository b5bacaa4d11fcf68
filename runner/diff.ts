// Unified diffs for --dry. The diff library's Myers diff costs O(lines x changes): seconds for a
// 2,000-line file rewritten throughout, and minutes for a 25,000-line script with a change every few
// lines. So a long file goes to Myers in small pieces: the common head and tail are cut first, and a
// long middle is split at lines that occur once on each side (patience diff), recursively. A file of at
// most 1,000 lines (both sides), as almost every file is, gets exactly the library's diff.
import { createRequire } from 'node:module';
import { firstIndex } from '../codemods/lib/text.js';

/** The diff library, loaded only when a diff is printed (not for --json). */
let diffLib: typeof import('diff') | undefined;
const diffLibrary = () => (diffLib ??= createRequire(import.meta.url)('diff') as typeof import('diff'));

/** Myers on at most this many lines (both sides): beyond it, its O(lines x changes) shows. */
const MYERS_MAX_LINES = 1000;
const CONTEXT = 3;

type Op = { kind: ' ' | '-' | '+'; line: string };

/** The unified diff of `before` and `after` (`---`/`+++` headers, hunks with 3 lines of context). */
export function unifiedDiff(oldName: string, newName: string, before: string, after: string): string {
  const ops: Op[] = [];
  lineOps(splitLines(before), splitLines(after), ops);
  return diffLibrary().formatPatch({ oldFileName: oldName, newFileName: newName, oldHeader: undefined, newHeader: undefined, hunks: hunksOf(ops) }, diffLibrary().FILE_HEADERS_ONLY);
}

/** Lines with their newline (the last one may have none), as the library splits them. */
function splitLines(text: string): string[] {
  if (text === '') return [];
  const lines = text.split('\n').map((line) => `${line}\n`);
  if (text.endsWith('\n')) lines.pop();
  else lines[lines.length - 1] = lines[lines.length - 1]!.slice(0, -1);
  return lines;
}

/** Appends to `ops` what turns `a` into `b`. */
function lineOps(a: string[], b: string[], ops: Op[]): void {
  if (a.length + b.length <= MYERS_MAX_LINES) {
    for (const change of diffLibrary().diffArrays(a, b)) {
      const kind = change.added ? '+' : change.removed ? '-' : ' ';
      for (const line of change.value) ops.push({ kind, line });
    }
    return;
  }
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  for (let i = 0; i < head; i++) ops.push({ kind: ' ', line: a[i]! });
  const midA = a.slice(head, a.length - tail);
  const midB = b.slice(head, b.length - tail);
  const anchors = midA.length + midB.length <= MYERS_MAX_LINES ? undefined : uniqueCommonLines(midA, midB);
  if (anchors === undefined) {
    lineOps(midA, midB, ops);
  } else if (anchors.length === 0) {
    for (const line of midA) ops.push({ kind: '-', line });
    for (const line of midB) ops.push({ kind: '+', line });
  } else {
    let i = 0;
    let j = 0;
    for (const [ai, bj] of anchors) {
      lineOps(midA.slice(i, ai), midB.slice(j, bj), ops);
      ops.push({ kind: ' ', line: midA[ai]! });
      i = ai + 1;
      j = bj + 1;
    }
    lineOps(midA.slice(i), midB.slice(j), ops);
  }
  for (let i = a.length - tail; i < a.length; i++) ops.push({ kind: ' ', line: a[i]! });
}

/** Lines that occur exactly once in `a` and once in `b`, as index pairs, the longest run in the same order on both sides. */
function uniqueCommonLines(a: readonly string[], b: readonly string[]): [number, number][] {
  const counts = new Map<string, { a: number; b: number; at: number }>();
  a.forEach((line, i) => {
    const seen = counts.get(line);
    if (seen) seen.a++;
    else counts.set(line, { a: 1, b: 0, at: i });
  });
  const pairs: [number, number][] = [];
  b.forEach((line) => {
    const seen = counts.get(line);
    if (seen) seen.b++;
  });
  b.forEach((line, j) => {
    const seen = counts.get(line);
    if (seen && seen.a === 1 && seen.b === 1) pairs.push([seen.at, j]);
  });
  // pairs are in b's order: the longest increasing run of a's indices (patience sorting).
  const tops: number[] = []; // per pile, the index into pairs of its top
  const back: number[] = [];
  for (let k = 0; k < pairs.length; k++) {
    const lo = firstIndex(tops.length, (p) => pairs[tops[p]!]![0] >= pairs[k]![0]);
    back[k] = lo > 0 ? tops[lo - 1]! : -1;
    tops[lo] = k;
  }
  const run: [number, number][] = [];
  for (let k = tops.length > 0 ? tops[tops.length - 1]! : -1; k !== -1; k = back[k]!) run.push(pairs[k]!);
  return run.reverse();
}

interface Hunk {
  oldStart: number;
  oldLines: number;
  newStart: number;
  newLines: number;
  lines: string[];
}

/** Hunks as the library makes them: changes joined when at most 6 unchanged lines part them, 3 lines of context. */
function hunksOf(ops: readonly Op[]): Hunk[] {
  const hunks: Hunk[] = [];
  let k = 0;
  let oldLine = 1;
  let newLine = 1;
  while (k < ops.length) {
    if (ops[k]!.kind === ' ') {
      oldLine++;
      newLine++;
      k++;
      continue;
    }
    // A change: start a hunk with up to 3 lines of context before it.
    let before = 0;
    while (before < CONTEXT && k - before > 0 && ops[k - before - 1]!.kind === ' ') before++;
    const hunk: Hunk = { oldStart: oldLine - before, oldLines: 0, newStart: newLine - before, newLines: 0, lines: [] };
    const add = (op: Op) => {
      hunk.lines.push(op.kind + op.line);
      if (op.kind !== '+') hunk.oldLines++;
      if (op.kind !== '-') hunk.newLines++;
    };
    for (let c = k - before; c < k; c++) add(ops[c]!);
    while (k < ops.length) {
      if (ops[k]!.kind !== ' ') {
        if (ops[k]!.kind === '-') oldLine++;
        else newLine++;
        add(ops[k++]!);
        continue;
      }
      let run = 0;
      while (k + run < ops.length && ops[k + run]!.kind === ' ') run++;
      const last = k + run === ops.length;
      const keep = !last && run <= 2 * CONTEXT ? run : Math.min(run, CONTEXT);
      for (let c = 0; c < keep; c++) add(ops[k + c]!);
      if (keep < run || last) {
        // The hunk ends here; the context it did not keep is walked by the outer loop.
        oldLine += keep;
        newLine += keep;
        k += keep;
        break;
      }
      oldLine += run;
      newLine += run;
      k += run;
    }
    hunks.push(hunk);
  }
  // Lines lose their newline; a line that had none is marked, as in every unified diff.
  for (const hunk of hunks) {
    hunk.lines = hunk.lines.flatMap((line) => (line.endsWith('\n') ? [line.slice(0, -1)] : [line, '\\ No newline at end of file']));
  }
  return hunks;
}
