// The repository as the verification step and `check` see it: the paths and texts after the run (the
// in-memory file system), or as they were before it (for rules that report only what the run made new).
import type { MemoryFs } from '../vfs.js';

export interface Tree {
  /** Sorted (as Array.prototype.sort does). */
  paths(): readonly string[];
  read(path: string): string | undefined;
  exists(path: string): boolean;
}

/** A rule's finding in one file: 1-based line and column, and what is wrong. */
export interface Problem {
  line: number;
  col: number;
  message: string;
}

/** The tree as it was on disk before the run: deleted and renamed files back, created ones gone. */
export function treeBefore(fs: MemoryFs): Tree {
  const changes = fs.changes();
  const created = new Set(changes.filter((c) => c.kind === 'created' || c.kind === 'renamed').map((c) => c.path));
  const texts = new Map<string, string>();
  for (const c of changes) {
    if (c.kind === 'deleted' || c.kind === 'modified') texts.set(c.path, c.before);
    if (c.kind === 'renamed') texts.set(c.from!, c.before);
  }
  let paths: string[] | undefined;
  return {
    paths: () => (paths ??= [...fs.paths().filter((p) => !created.has(p)), ...[...texts.keys()].filter((p) => !fs.exists(p))].sort()),
    read: (p) => (texts.has(p) ? texts.get(p) : created.has(p) ? undefined : fs.read(p)),
    exists: (p) => texts.has(p) || (!created.has(p) && fs.exists(p)),
  };
}

/** Problems of `after` that `before` did not have (same message): what the run made. */
export function newProblems(after: readonly Problem[], before: readonly Problem[]): Problem[] {
  const had = new Map<string, number>();
  for (const p of before) had.set(p.message, (had.get(p.message) ?? 0) + 1);
  return after.filter((p) => {
    const n = had.get(p.message) ?? 0;
    if (n > 0) had.set(p.message, n - 1);
    return n === 0;
  });
}

/** The folder of a repository path, with a trailing slash ('' at the top). */
export function folderOf(path: string): string {
  return path.slice(0, path.lastIndexOf('/') + 1);
}

/** Whether a line of a shell-like file is only a comment. */
export function isComment(line: string): boolean {
  return /^\s*#/.test(line);
}

/** A conda installation's prefix in a path: /opt/conda, ~/miniconda3, $CONDA_DIR, micromamba's root. */
export const CONDA_PREFIX_PATH =
  /\/opt\/(?:conda|(?:mini|ana)conda\d?|miniforge\d?|mambaforge|micromamba)\b|(?:~|\$\{?HOME\}?|\$\(HOME\)|\/root|\/home\/[\w.-]+)\/(?:(?:mini|ana)conda\d?|miniforge\d?|mambaforge|micromamba)\b|\$\{?(?:CONDA_DIR|CONDA_PREFIX|MAMBA_ROOT_PREFIX)\b/;

/**
 * Whether the run's own edit of the ignore file that excludes `path` on disk takes that exclusion back:
 * the pattern's line is gone from `tree`'s text of it, or a `!name` exception follows it.
 */
export function unignoredByRun(tree: Tree, path: string, by: { source: string; pattern: string }): boolean {
  const text = tree.read(by.source);
  if (text === undefined) return false;
  const lines = text.split('\n').map((l) => l.trim());
  const at = lines.lastIndexOf(by.pattern);
  const name = path.slice(path.lastIndexOf('/') + 1);
  return at < 0 || lines.slice(at + 1).some((l) => l === `!${name}` || l === `!/${path}` || l === `!${path}`);
}
