// Discovery: which files the run may look at. Inside git, git's own view (fast, gitignore-exact);
// outside, globby with gitignore support. Inside git also the pre-pass: one `git grep` that finds the
// few files holding any word the codemods look for, so the others are never read.
import { gitAsync, insideGitWorkTree } from './git.js';

/**
 * Discovery started early for one directory: the CLI starts git before it imports the codemods, so
 * git's walk of the work tree overlaps module loading. The pipeline takes it when it asks about the same
 * directory; otherwise git runs then.
 */
let early: { dir: string; files: Promise<GitFiles | undefined> } | undefined;

export function startGitDiscovery(dir: string): void {
  const files = listGitFiles(dir);
  files.catch(() => {}); // a failure is reported when the pipeline takes it, not as an unhandled rejection
  early = { dir, files };
}

/**
 * Every file git lists under `dir` (the early listing when it was started for `dir`); undefined outside a
 * git work tree. Rejects with a GitError when git fails inside one.
 */
export function discoverGitFiles(dir: string): Promise<GitFiles | undefined> {
  if (early?.dir === dir) {
    const { files } = early;
    early = undefined; // used once: a later run in the same process lists again
    return files;
  }
  return listGitFiles(dir);
}

/** Repository-relative paths (forward slashes) of the files under `dir` outside git, but not gitignored. */
export async function discoverFiles(dir: string): Promise<string[]> {
  const { globby } = await import('globby');
  const found = await globby('**', {
    cwd: dir,
    dot: true,
    gitignore: true,
    onlyFiles: false,
    followSymbolicLinks: false,
    ignore: ['**/.git/**', '**/node_modules/**'],
  });
  return found.sort();
}

export interface GitFiles {
  paths: string[];
  /** Files git grep does not read: untracked ones, and tracked ones marked skip-worktree. */
  untracked: Set<string>;
}

async function listGitFiles(dir: string): Promise<GitFiles | undefined> {
  // -t tags each path: H is tracked (git grep reads it); anything else (? untracked, S skip-worktree...) is read, not grepped.
  let out: string;
  try {
    out = await gitAsync(dir, ['ls-files', '-co', '--exclude-standard', '-z', '--deduplicate', '-t']);
  } catch (error) {
    if (insideGitWorkTree(dir)) throw error; // git is broken here (dubious ownership...): never a silent non-git run
    return undefined;
  }
  const paths: string[] = [];
  const untracked = new Set<string>();
  for (const entry of out.split('\0')) {
    if (!entry) continue;
    const rel = entry.slice(2);
    paths.push(rel);
    if (entry[0] !== 'H') untracked.add(rel);
  }
  return { paths: paths.sort(), untracked };
}

/**
 * The tracked files under `dir` whose work-tree bytes hold any of `needles`, ignoring ASCII case, among
 * those the git pathspecs `specs` name (`*.yml` matches at any depth). Tracked only: --untracked walks
 * the work tree again and doubles the time. No -I: gitattributes may call a text file binary, and the
 * runner decides that itself. `threads`: git's grep.threads (else one per core).
 */
export async function grepFiles(dir: string, needles: readonly string[], specs: readonly string[] = ['.'], threads?: number): Promise<Set<string>> {
  if (needles.length === 0 || specs.length === 0) return new Set();
  const args = ['-c', 'grep.fullName=false', '-c', 'grep.patternType=fixed', ...(threads ? ['-c', `grep.threads=${threads}`] : []), 'grep', '-l', '-z', '-i', '-F', '--no-color'];
  for (const needle of needles) args.push('-e', needle);
  const out = await gitAsync(dir, [...args, '--', ...specs], true);
  return new Set(out.split('\0').filter(Boolean));
}

/** grepFiles over `paths` (tracked files): the pathspecs are their extensions, so git reads only files of those kinds. */
export async function grepPaths(dir: string, needles: readonly string[], paths: readonly string[]): Promise<Set<string>> {
  const specs = new Set<string>();
  for (const path of paths) {
    const base = path.slice(path.lastIndexOf('/') + 1);
    const dot = base.lastIndexOf('.');
    // `:(literal)` keeps glob characters in a name from widening the match; extensions are matched as globs.
    specs.add(dot > 0 && !/[*?[\]\\]/.test(base.slice(dot)) ? `*${base.slice(dot)}` : `:(literal)${path}`);
  }
  return grepFiles(dir, needles, [...specs]);
}

/**
 * Literal strings, one of which every match of `re` must contain (ASCII case aside), or undefined when
 * the regex is not simple enough to say. Sound, not complete: each top-level alternative gives its
 * longest run of plain characters that no quantifier repeats, a run with one optional character as both
 * of its spellings (`\.ya?ml`: `.yml`, `.yaml`; the longer needles make git's search cheaper).
 */
export function literalNeedles(re: RegExp): string[] | undefined {
  // With u/v and i, JS folds e.g. U+017F to "s": an ASCII needle would no longer be necessary.
  if (re.ignoreCase && /[uv]/.test(re.flags)) return undefined;
  const needles = new Set<string>();
  for (const alternative of splitTopLevel(re.source)) {
    // A run is its spellings: one, or two when one of its characters is optional.
    const runs: string[][] = [];
    let run = [''];
    const end = () => {
      if (run[0]) runs.push(run);
      run = [''];
    };
    const add = (text: string) => (run = run.map((r) => r + text));
    for (let i = 0; i < alternative.length; i++) {
      const c = alternative[i]!;
      if (c === '\\') {
        const next = alternative[++i] ?? '';
        if (/[\\.^$|?*+()[\]{}/-]/.test(next)) add(next);
        else if (/[dDwWsSbBnrtfv]/.test(next)) end(); // a class, a boundary or a control character
        else return undefined; // \u00e9, \x41, \p{L}, backreferences: not decoded here
      } else if (c === '(' || c === '[') {
        end();
        i = skipGroup(alternative, i);
        if (i < 0) return undefined;
      } else if (c === '?' && run.length === 1 && run[0]!.length > 0 && alternative[i + 1] !== '?') {
        run = [run[0]!, run[0]!.slice(0, -1)]; // the char before is optional: the run goes on, spelt both ways
      } else if (c === '*' || c === '?' || c === '{') {
        run = run.map((r) => r.slice(0, -1)); // the char before is optional (or repeated a bounded number of times)
        end();
        if (c === '{') i = alternative.indexOf('}', i);
        if (i < 0) return undefined;
      } else if (c === '+') {
        end();
      } else if (c === '^' || c === '$' || c === '.') {
        end();
      } else {
        add(c);
      }
    }
    end();
    // The spellings whose shortest is longest; an emptied spelling (`a?b?`) makes the run useless.
    const shortest = (spellings: string[]) => Math.min(...spellings.map((r) => r.length));
    const best = runs.filter((r) => shortest(r) > 0).sort((a, b) => shortest(b) - shortest(a))[0];
    if (!best || best.some((r) => /[^\x20-\x7e]/.test(r))) return undefined;
    for (const r of best) needles.add(r);
  }
  return [...needles];
}

function splitTopLevel(source: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') i++;
    else if (c === '(' || c === '[') {
      i = skipGroup(source, i);
      if (i < 0) return [source]; // malformed: one alternative, which then yields what it can
    } else if (c === '|') {
      parts.push(source.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(source.slice(start));
  return parts;
}

/** The index of the `)` or `]` closing the group opened at `open`, or -1. */
function skipGroup(source: string, open: number): number {
  let depth = 0;
  let inClass = false;
  for (let i = open; i < source.length; i++) {
    const c = source[i]!;
    if (c === '\\') {
      i++;
    } else if (inClass) {
      if (c === ']') {
        inClass = false;
        if (depth === 0) return i;
      }
    } else if (c === '[') {
      inClass = true;
    } else if (c === '(') {
      depth++;
    } else if (c === ')') {
      if (--depth === 0) return i;
    }
  }
  return -1;
}
