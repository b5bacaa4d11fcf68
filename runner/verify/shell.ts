// Shell rules on a file the run rewrote: no variable that the input assigned, that the run removed the
// assignment of, is still read; and, when shellcheck is installed, no shellcheck error or warning that
// the input did not have. shellcheck reads copies of the texts in a scratch folder and executes nothing.
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { lineColAt } from '../../codemods/lib/text.js';
import { isComment, newProblems, type Problem } from './tree.js';

const ASSIGNED = /(?:^|[;&|({]\s*|\b(?:export|local|declare|readonly|typeset)(?:\s+-\w+)*\s+)([A-Za-z_]\w*)\+?=|\bread\s+(?:-\w+\s+)*([A-Za-z_]\w*)|\bfor\s+([A-Za-z_]\w*)\s+in\b/gm;
const READ = /\$\{?([A-Za-z_]\w*)/g;

function assigned(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    // Each way to assign holds `=`, `read` or `for`: most lines have none, and skip the pattern.
    if ((!line.includes('=') && !line.includes('read') && !line.includes('for')) || isComment(line)) continue;
    for (const m of line.matchAll(ASSIGNED)) names.add(m[1] ?? m[2] ?? m[3]!);
  }
  return names;
}

/** Variables the input assigned and read, whose every assignment the run removed, still read in the output. */
export function unassignedReads(before: string, after: string): Problem[] {
  const now = assigned(after);
  const gone = [...assigned(before)].filter((n) => !now.has(n));
  if (gone.length === 0) return [];
  const problems: Problem[] = [];
  const lines = after.split('\n');
  let offset = 0;
  for (const line of lines) {
    if (!isComment(line)) {
      for (const m of line.matchAll(READ)) {
        if (!gone.includes(m[1]!) || problems.some((p) => p.message.includes(`$${m[1]} `))) continue;
        problems.push({ ...lineColAt(after, offset + m.index), message: `$${m[1]} is read, but the run removed its assignment` });
      }
    }
    offset += line.length + 1;
  }
  return problems;
}

let shellcheckFound: boolean | undefined;

/** shellcheck's JSON output on `files` in `dir` (exit 1 means findings), undefined when shellcheck failed, null when it is not installed. */
function runShellcheck(dir: string, files: readonly string[], asBash: boolean): Promise<string | undefined | null> {
  // --norc: no .shellcheckrc of the repository (or anywhere) changes the answer.
  const args = ['--norc', '--format=json1', '--severity=warning', ...(asBash ? ['--shell=bash'] : []), '--', ...files];
  return new Promise((resolve) => {
    execFile('shellcheck', args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 }, (error, stdout) => {
      if (!error) return resolve(stdout);
      const code = (error as NodeJS.ErrnoException).code as string | number | undefined;
      if (code === 'ENOENT') return resolve(null);
      resolve(code === 1 && stdout ? stdout : undefined); // anything else is shellcheck's own trouble
    });
  });
}

/**
 * shellcheck's errors and warnings for each text, from one shellcheck process over all of them (written
 * to a scratch folder: one process per script costs several times more), or undefined when shellcheck
 * is not installed. Asynchronous, so that it runs beside the other rules.
 */
export async function shellcheckAll(texts: readonly string[]): Promise<Problem[][] | undefined> {
  if (shellcheckFound === false) return undefined;
  const found: Problem[][] = texts.map(() => []);
  if (texts.length === 0) return found;
  // Written at once (not by the thread pool): the process must start before the caller's work goes on,
  // which would hold back any callback until its next wait.
  const dir = mkdtempSync(path.join(tmpdir(), 'geist-shellcheck-'));
  try {
    const names = texts.map((text, i) => {
      writeFileSync(path.join(dir, `${i}.sh`), text);
      return `${i}.sh`;
    });
    // A script without a shebang is read as bash; the rest by their shebang. Each group is a process of its own.
    const groups = [names.filter((_, i) => /^#!/.test(texts[i]!)), names.filter((_, i) => !/^#!/.test(texts[i]!))];
    const outs = await Promise.all(groups.map((files, g) => (files.length === 0 ? undefined : runShellcheck(dir, files, g === 1))));
    if (outs.includes(null)) {
      shellcheckFound = false;
      return undefined;
    }
    for (const out of outs) {
      if (out === undefined || out === null) continue;
      shellcheckFound = true;
      const { comments } = JSON.parse(out) as { comments: { file: string; line: number; column: number; code: number; message: string }[] };
      for (const c of comments) found[Number.parseInt(c.file, 10)]?.push({ line: c.line, col: c.column, message: `shellcheck SC${c.code}: ${c.message}` });
    }
    return found;
  } finally {
    await rm(dir, { recursive: true, force: true }); // by the thread pool: the caller's work goes on
  }
}

const started = new WeakMap<object, Map<string, Promise<Problem[] | undefined>>>();

/**
 * shellcheckAll for one run (`owner`, its file system), one text at a time: a text asked before (by
 * startShellcheck, while the run still transforms) takes that process's findings, the rest one process
 * now. undefined when shellcheck is not installed.
 */
export async function shellcheckEach(owner: object, texts: readonly string[]): Promise<Problem[][] | undefined> {
  startShellcheck(owner, texts);
  const known = started.get(owner)!;
  const found = await Promise.all(texts.map((t) => known.get(t)!));
  return found.some((f) => f === undefined) ? undefined : (found as Problem[][]);
}

/**
 * Starts shellcheck, in one process beside the run's other work, on those of `texts` not started yet
 * for `owner`; shellcheckEach takes the findings. A failure is thrown there, to the text's asker.
 */
export function startShellcheck(owner: object, texts: readonly string[]): void {
  let known = started.get(owner);
  if (!known) started.set(owner, (known = new Map()));
  const asked = [...new Set(texts.filter((t) => !known.has(t)))];
  if (asked.length === 0) return;
  const checking = shellcheckAll(asked);
  asked.forEach((text, i) => {
    const one = checking.then((found) => found?.[i]);
    one.catch(() => {}); // awaited by shellcheckEach, where a failure is thrown
    known.set(text, one);
  });
}

/**
 * For each rewrite, the shellcheck findings its output has and its input had not (none without
 * shellcheck); `after`: shellcheckAll of the outputs, which the caller may have started earlier.
 */
export async function newShellcheckFindings(rewrites: readonly { before: string; after: string }[], after: Problem[][] | undefined): Promise<Problem[][]> {
  if (!after) return rewrites.map(() => []);
  const asked = rewrites.flatMap((r, i) => (after[i]!.length > 0 && r.before ? [i] : []));
  const before = (await shellcheckAll(asked.map((i) => rewrites[i]!.before))) ?? [];
  return after.map((found, i) => (found.length === 0 ? [] : newProblems(found, before[asked.indexOf(i)] ?? [])));
}
