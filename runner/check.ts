// `geist-codemods check`: what a repository (migrated or not) still has that breaks without conda, read
// without changing anything: conda left in executable places, readers of env files that are not there,
// the Dockerfile build-context rules, generated files git ignores, `--locked` without a uv.lock, and uv
// used where nothing installs it. `all` ends with the same checks on its result (runner/pipeline.ts).
import { existsSync } from 'node:fs';
import path from 'node:path';
import { CONDA_IMAGE } from '../codemods/lib/conda/vocabulary.js';
import { namedLike, readerKind } from '../codemods/lib/readers.js';
import { grepPaths } from './discover.js';
import { COMMENT_LINE, CONDA_COMMAND, DOC_FILE, isBuildFile, isDataFile, isOtherBuildFile, isVendored, tidyFollowUps } from './followups.js';
import { ignoredByGit, ignoredByGitLater, type IgnoredBy } from './git.js';
import type { FollowUp, Severity } from '../contract/types.js';
import { DOCKERFILE, dockerContextProblems, sourceCandidates } from './verify/docker-context.js';
import { CONDA_PREFIX_PATH, folderOf, unignoredByRun, type Tree } from './verify/tree.js';
import { jobsIn, uvNotInstalled, WORKFLOW } from './verify/workflow.js';

export interface CheckTarget {
  dir: string;
  inGit: boolean;
  /** A migration run's own result: its pyproject.toml and uv.lock are still to be locked and committed. */
  migrationPending?: boolean;
  /** Tracked files git can grep (the rest are read): without it every candidate is read. */
  tracked?: (path: string) => boolean;
  /** The grep of the candidates, started earlier (startCheckGrep): then no grep of its own. */
  grepped?: CheckGrep;
}

/**
 * A git grep of check's words over tracked files as on disk: the paths it searched, and those holding a
 * word; and git's ignore rules, asked at the same time.
 */
export interface CheckGrep {
  paths: ReadonlySet<string>;
  hits: Promise<Set<string> | undefined>;
  ignoredByGit: (paths: readonly string[]) => Promise<Map<string, IgnoredBy>>;
}

/** Words one of which every line a check reports holds (what a git grep may rule a file out by). */
const NEEDLES = ['conda', 'mamba', 'miniforge', 'environment', '--locked', '--frozen', 'UV_LOCKED', 'UV_FROZEN'];
/** What every line a check reports holds, case aside: a needle, or `activate` (`source activate`, no needle). */
const REPORTABLE = new RegExp([...NEEDLES, 'activate'].join('|'), 'i');

/** A line that runs conda, points at its prefix, or builds on its image. */
const RUNS_CONDA = /(?:^|[\s;&|(`'"])(?:conda|mamba|micromamba)\s+(?:activate|deactivate|create|env|install|run|update|remove|init|config|clean|list|info|search|develop|shell\.\w+)\b|\bsource\s+activate\b|setup-miniconda|setup-micromamba|provision-with-micromamba/i;
/** An env file named in a command: a YAML file whose name says environment or conda. */
const ENV_FILE_TOKEN = /(?<![\w./${}-])((?:[\w.-]+\/)*[\w.-]*(?:environment|conda)[\w.-]*\.ya?ml)(?![\w.-])/gi;
/** A uv command that needs uv.lock. */
const NEEDS_LOCK = /\buv\s+(?:sync|run|export|pip\s+sync)\b[^\n]*\s--(?:locked|frozen)\b|\bUV_(?:LOCKED|FROZEN)\s*[:=]\s*["']?(?:1|true)\b/i;

/** Files whose lines run (no Dockerfile, which classOf asked first): build, CI, scripts, and every config this tool knows to read paths. */
function isExecutable(file: string): boolean {
  if (isOtherBuildFile(file)) return true;
  const kind = readerKind(file)?.kind;
  return kind !== undefined && kind !== 'Python file' && kind !== 'JS/TS file' && kind !== 'package.json';
}

/** What check does with a path (bits): left out as vendored; a Dockerfile's rules, a workflow's; its lines read. */
const VENDORED = 1;
const DOCKER = 2;
const WORKFLOW_FILE = 4;
const LINES = 8;

/** The paths of a tree as check reads them: those not vendored, and among them each kind. */
interface Scan {
  paths: string[];
  dockerfiles: string[];
  workflows: string[];
  /** The files whose lines the checks read (Dockerfiles and workflows aside). */
  lines: string[];
}

const scans = new WeakMap<readonly string[], Scan>();

/**
 * One pass over the paths of `tree`, kept for the array tree.paths() gave (a file system hands out a new
 * array when a path comes or goes): the early grep and the checks ask the same run's tree.
 */
function scan(tree: Tree): Scan {
  const all = tree.paths();
  let found = scans.get(all);
  if (found) return found;
  found = { paths: [], dockerfiles: [], workflows: [], lines: [] };
  for (const p of all) {
    const is = classOf(p);
    if (is & VENDORED) continue;
    found.paths.push(p);
    if (is & DOCKER) found.dockerfiles.push(p);
    if (is & WORKFLOW_FILE) found.workflows.push(p);
    if (is & LINES) found.lines.push(p);
  }
  scans.set(all, found);
  return found;
}

function classOf(p: string): number {
  if (isVendored(p)) return VENDORED;
  const is = (DOCKERFILE.test(p) ? DOCKER : 0) | (WORKFLOW.test(p) ? WORKFLOW_FILE : 0);
  return is !== 0 ? is : isExecutable(p) || /\.(?:md|markdown|rst)$/i.test(p) ? LINES : 0;
}

/** What the Dockerfiles of `tree` copy from the build context (candidate paths). */
function copiedSources(tree: Tree, dockerfiles: readonly string[]): string[] {
  return dockerfiles.flatMap((p) => sourceCandidates(p, tree.read(p) ?? ''));
}

/** The files uv writes for each project among `paths` (the root's, and each folder's with a pyproject.toml), that git must not ignore. */
function generatedFiles(paths: readonly string[]): string[] {
  return ['', ...paths.filter((p) => p.endsWith('/pyproject.toml')).map(folderOf)].flatMap((f) => [`${f}uv.lock`, `${f}.python-version`]);
}

/**
 * check's git grep, started before the checks (while the verification step runs): over the candidates of
 * `tree` that `tracked` says git has, as on disk. A file the run leaves unchanged has that text then.
 */
export function startCheckGrep(tree: Tree, dir: string, tracked: (path: string) => boolean): CheckGrep {
  const { paths: all, dockerfiles, lines } = scan(tree);
  const paths = lines.filter(tracked);
  // What the verification step and checkTree ask git's ignore rules about, guessed from the tree before
  // the step (which only takes changes back): what Dockerfiles copy, and each project's generated files.
  return {
    paths: new Set(paths),
    hits: paths.length > 0 ? grepPaths(dir, NEEDLES, paths).catch(() => undefined) : Promise.resolve(new Set()),
    ignoredByGit: ignoredByGitLater(dir, [...copiedSources(tree, dockerfiles), ...generatedFiles(all)]),
  };
}

/** The 1-based lines of a Markdown file that are inside fenced code blocks. */
function codeBlockLines(lines: readonly string[]): Set<number> {
  const inside = new Set<number>();
  let fence: string | undefined;
  lines.forEach((line, i) => {
    const m = /^\s*(`{3,}|~{3,})/.exec(line);
    if (m && (fence === undefined || m[1]!.startsWith(fence))) fence = fence === undefined ? m[1]! : undefined;
    else if (fence !== undefined) inside.add(i + 1);
  });
  return inside;
}

/**
 * The 1-based lines of a reStructuredText file inside literal blocks: the indented lines after a paragraph
 * or directive that ends with `::` (`.. code-block:: bash`, `Run::`).
 */
function literalBlockLines(lines: readonly string[]): Set<number> {
  const inside = new Set<number>();
  let opener: number | undefined; // the indentation of the line that opened a block
  lines.forEach((line, i) => {
    const indent = line.search(/\S/);
    if (opener !== undefined && (indent === -1 || indent > opener)) {
      if (indent !== -1) inside.add(i + 1);
      return;
    }
    const opens = /^\s*\.\.\s+(?:code-block|code|sourcecode|prompt)::/.test(line) || (!/^\s*\.\./.test(line) && /::\s*$/.test(line));
    opener = opens ? indent : undefined;
  });
  return inside;
}

/** The findings of the checks over `tree`, one per path and line (tidyFollowUps folds and sorts them). */
export async function checkTree(tree: Tree, target: CheckTarget): Promise<FollowUp[]> {
  const findings: FollowUp[] = [];
  const seen = new Set<string>();
  const add = (file: string, line: number | undefined, message: string, severity: Severity) => {
    const key = `${file}:${line ?? ''}`;
    if (seen.has(key)) return;
    seen.add(key);
    findings.push({ path: file, ...(line !== undefined ? { line } : {}), message, codemod: 'check', severity });
  };
  const { paths, dockerfiles, workflows, lines } = scan(tree);
  let scanned = lines;
  // Tracked files that hold none of the words need not be read (those the early grep did not search are).
  const early = target.grepped;
  const greppable = target.tracked ? scanned.filter(target.tracked) : [];
  if (target.inGit && greppable.length > 0) {
    const hits = await (early ? early.hits : grepPaths(target.dir, NEEDLES, greppable).catch(() => undefined));
    if (hits) scanned = scanned.filter((p) => hits.has(p) || !target.tracked!(p) || (early !== undefined && !early.paths.has(p)));
  }
  const lockFolders = new Set(paths.filter((p) => p === 'uv.lock' || p.endsWith('/uv.lock')).map(folderOf));
  const hasLock = (file: string) => [...lockFolders].some((f) => file.startsWith(f));
  // Whether a file has this base name (asked only of an env file's name in a line).
  const live = new Map<string, boolean>();
  const isLive = (name: string) => {
    let is = live.get(name);
    if (is === undefined) live.set(name, (is = namedLike(paths, name).length > 0));
    return is;
  };

  // Dockerfiles: the build-context rules (conda prefix paths and uv in a stage among them), then the lines.
  const copied = copiedSources(tree, dockerfiles).filter((p) => !tree.exists(p) && existsSync(path.join(target.dir, p)));
  const askGit = target.grepped?.ignoredByGit ?? (async (paths: readonly string[]) => ignoredByGit(target.dir, paths));
  const ignored = new Set<string>();
  if (target.inGit && copied.length > 0) for (const [p, by] of await askGit([...new Set(copied)])) if (!unignoredByRun(tree, p, by)) ignored.add(p);
  for (const file of dockerfiles) {
    const text = tree.read(file);
    if (text === undefined) continue;
    for (const p of dockerContextProblems(file, text, tree, { ignored, gone: new Set(), condaLines: false, migrationPending: target.migrationPending ?? false })) {
      add(file, p.line, p.message, 'blocks');
    }
  }
  const jobsOf = jobsIn(tree);
  for (const file of workflows) {
    const text = tree.read(file);
    if (text !== undefined) for (const p of uvNotInstalled(text, jobsOf(text))) add(file, p.line, p.message, 'blocks');
  }

  for (const file of [...dockerfiles, ...workflows, ...scanned]) {
    const text = tree.read(file);
    if (text === undefined || !REPORTABLE.test(text) || isDataFile(file, text)) continue;
    const lines = text.split('\n');
    const doc = DOC_FILE.test(file);
    const code = doc ? (/\.rst$/i.test(file) ? literalBlockLines(lines) : codeBlockLines(lines)) : undefined;
    // Build, CI and scripts fail; a config that runs commands less surely, or a doc, needs an action.
    const severity: Severity = !doc && isBuildFile(file) ? 'blocks' : 'action';
    const dockerfile = DOCKERFILE.test(file);
    lines.forEach((line, i) => {
      if (!REPORTABLE.test(line) || (code && !code.has(i + 1)) || (!doc && COMMENT_LINE.test(line))) return;
      const image = dockerfile ? /^\s*FROM\s+(?:--\S+\s+)*(\S+)/i.exec(line)?.[1] : undefined;
      // An exec form's words (`["conda", "run", ...]`) read as a command line.
      const command = line.replace(/"\s*,\s*"/g, ' ');
      if (RUNS_CONDA.test(command) || (doc ? CONDA_COMMAND.test(line) : CONDA_PREFIX_PATH.test(line)) || (image && CONDA_IMAGE.test(image))) {
        add(file, i + 1, doc ? 'still tells the reader to run conda: give the uv commands' : 'still runs or points at conda: migrate these lines to uv by hand', severity);
      }
      for (const m of line.matchAll(ENV_FILE_TOKEN)) {
        const name = m[1]!;
        if (/\bcompose\b|^\.github\//.test(name) || isLive(name.slice(name.lastIndexOf('/') + 1))) continue;
        add(file, i + 1, `names ${name}, which is not in the repository (a conda env file deleted, or never committed)`, severity);
      }
      if (!target.migrationPending && NEEDS_LOCK.test(line) && !hasLock(file)) {
        add(file, i + 1, 'uses --locked or --frozen, but there is no uv.lock: run uv lock and commit uv.lock', severity);
      }
    });
  }

  // Generated files the build needs, which .gitignore keeps out of every checkout.
  if (target.inGit && paths.some((p) => p === 'pyproject.toml' || p.endsWith('/pyproject.toml'))) {
    const generated = generatedFiles(paths).filter((p) => tree.exists(p) || existsSync(path.join(target.dir, p)));
    for (const [p, by] of await askGit(generated)) if (!unignoredByRun(tree, p, by)) add(p, undefined, `${p} is ignored by git: commit it (remove it from .gitignore), or a checkout (CI, a Docker build) does not have it`, 'blocks');
  }
  return findings;
}

/**
 * The findings of `extra` that no follow-up of `followUps` already reports on the same line (or, for a
 * file-wide one, on the same file with the same message): one list for `all`.
 */
export function mergeFindings(followUps: readonly FollowUp[], extra: readonly FollowUp[]): FollowUp[] {
  const lines = new Set(followUps.flatMap((f) => (f.lines ?? (f.line !== undefined ? [f.line] : [])).map((l) => `${f.path}:${l}`)));
  const fileWide = new Set(followUps.map((f) => `${f.path}\0${f.message}`));
  return extra.filter((f) => {
    const at = f.lines ?? (f.line !== undefined ? [f.line] : []);
    return at.length > 0 ? !at.some((l) => lines.has(`${f.path}:${l}`)) : !fileWide.has(`${f.path}\0${f.message}`);
  });
}

/** `check` on a folder: its files as git (or, outside git, the .gitignore rules) list them, read-only. */
export async function checkRepository(dir: string, exclude: readonly string[] = []): Promise<FollowUp[]> {
  const { discoverFiles, discoverGitFiles } = await import('./discover.js');
  const { globMatcher } = await import('./globs.js');
  const { MemoryFs } = await import('./vfs.js');
  const discovered = await discoverGitFiles(dir);
  const excluded = exclude.length > 0 ? globMatcher(exclude) : undefined;
  const found = discovered?.paths ?? (await discoverFiles(dir));
  const fs = new MemoryFs(dir, found.filter((p) => !isVendored(p) && !excluded?.(p)));
  const tracked = discovered ? (p: string) => !discovered.untracked.has(p) : undefined;
  return tidyFollowUps(await checkTree(fs, { dir, inGit: discovered !== undefined, ...(tracked ? { tracked } : {}) }));
}
