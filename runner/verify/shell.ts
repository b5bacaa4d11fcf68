// Shell rules on a file the run rewrote: no variable that the input assigned, that the run removed the
// assignment of, is still read; and, when shellcheck is installed, no shellcheck error or warning that
// the input did not have. shellcheck reads the text on stdin and executes nothing.
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { lineColAt } from '../../codemods/lib/text.js';
import { isComment, newProblems, type Problem } from './tree.js';

const ASSIGNED = /(?:^|[;&|({]\s*|\b(?:export|local|declare|readonly|typeset)(?:\s+-\w+)*\s+)([A-Za-z_]\w*)\+?=|\bread\s+(?:-\w+\s+)*([A-Za-z_]\w*)|\bfor\s+([A-Za-z_]\w*)\s+in\b/gm;
const READ = /\$\{?([A-Za-z_]\w*)/g;

function assigned(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    if (isComment(line)) continue;
    for (const m of line.matchAll(ASSIGNED)) names.add(m[1] ?? m[2] ?? m[3]!);
  }
  return names;
}

/** Variables the input assigned and read, whose every assignment the run removed, still read in the output. */
export function unassignedReads(before: string, after: string): Problem[] {
  const gone = [...assigned(before)].filter((n) => !assigned(after).has(n));
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

/** shellcheck's errors and warnings on a script's text, or undefined when shellcheck is not installed. */
function shellcheck(text: string): Problem[] | undefined {
  if (shellcheckFound === false) return undefined;
  const shell = /^#!/.test(text) ? [] : ['--shell=bash'];
  let out: string;
  try {
    // --norc and a neutral cwd: no .shellcheckrc of the repository (or anywhere) changes the answer.
    out = execFileSync('shellcheck', ['--norc', '--format=json1', '--severity=warning', ...shell, '-'], { input: text, cwd: tmpdir(), encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as NodeJS.ErrnoException & { stdout?: string; status?: number };
    if (e.code === 'ENOENT') {
      shellcheckFound = false;
      return undefined;
    }
    if (e.status !== 1 || !e.stdout) return undefined; // 1: findings; anything else is shellcheck's own trouble
    out = e.stdout;
  }
  shellcheckFound = true;
  const { comments } = JSON.parse(out) as { comments: { line: number; column: number; code: number; message: string }[] };
  return comments.map((c) => ({ line: c.line, col: c.column, message: `shellcheck SC${c.code}: ${c.message}` }));
}

/** shellcheck findings the output has and the input had not (none when shellcheck is not installed). */
export function newShellcheckFindings(before: string, after: string): Problem[] {
  const found = shellcheck(after);
  if (!found || found.length === 0) return [];
  return newProblems(found, before ? (shellcheck(before) ?? []) : []);
}
