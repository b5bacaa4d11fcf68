// Every git call the tool makes goes through here, so that none can run a program the target repository
// names: hooks, clean/smudge/process filters, an fsmonitor, an external diff or a pager.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { devNull } from 'node:os';
import path from 'node:path';

/**
 * Options before every git command. `--no-optional-locks`: status does not write the index (so no
 * post-index-change hook has a reason to run); hooks are looked for in an empty place.
 */
const SAFE_OPTIONS = ['--no-pager', '--no-optional-locks', '-c', `core.hooksPath=${devNull}`, '-c', 'core.fsmonitor=false', '-c', 'diff.external='];

/** git failed inside a git work tree (for instance "dubious ownership"): the run stops, it never falls back. */
export class GitError extends Error {}

/**
 * The environment for git: filter drivers the config defines are emptied (a driver name may hold any
 * character, so they go through GIT_CONFIG_KEY_n/VALUE_n, not `-c`), and no inherited variable names an
 * external diff or pager.
 */
function gitEnv(filters: readonly string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const name of ['GIT_EXTERNAL_DIFF', 'GIT_PAGER', 'PAGER', 'GIT_ASKPASS', 'GIT_SSH', 'GIT_SSH_COMMAND']) delete env[name];
  const settings: [string, string][] = [];
  for (const name of filters) {
    for (const key of ['clean', 'smudge', 'process']) settings.push([`filter.${name}.${key}`, '']);
    settings.push([`filter.${name}.required`, 'false']);
  }
  const base = Number(env.GIT_CONFIG_COUNT ?? 0) || 0;
  settings.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${base + i}`] = key;
    env[`GIT_CONFIG_VALUE_${base + i}`] = value;
  });
  if (settings.length > 0) env.GIT_CONFIG_COUNT = String(base + settings.length);
  return env;
}

/** The filter driver names git's config (repository, user and system) defines for `dir`. */
function filterNames(configOutput: string): string[] {
  const names = new Set<string>();
  for (const key of configOutput.split('\0')) {
    const match = /^filter\.(.+)\.[^.]+$/s.exec(key.trim());
    if (match) names.add(match[1]!);
  }
  return [...names];
}

const CONFIG_ARGS = [...SAFE_OPTIONS, 'config', '-z', '--name-only', '--get-regexp', '^filter\\.'];
const envs = new Map<string, Promise<NodeJS.ProcessEnv>>();
const syncEnvs = new Map<string, NodeJS.ProcessEnv>();

/**
 * Commands that never pass a file's content through a filter (checked: a clean, smudge and process
 * filter on every file stay silent for them), so they need no config lookup first; that lookup, before
 * the work tree's listing, delayed every run. Every other command (status hashes files whose stat data
 * changed, through the clean filter) gets the filters emptied.
 */
const NO_FILTERING = new Set(['ls-files', 'grep', 'rev-parse']);

/** The git subcommand in `args` (after any `-c name=value`). */
function commandOf(args: readonly string[]): string | undefined {
  return args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '-c');
}

function envFor(dir: string, args: readonly string[]): NodeJS.ProcessEnv | Promise<NodeJS.ProcessEnv> {
  if (NO_FILTERING.has(commandOf(args) ?? '')) return gitEnv([]); // read now: the caller's PATH may change
  let env = envs.get(dir);
  if (!env) {
    env = new Promise((resolve) => {
      // exit 1: no filter configured; any other failure shows again in the command itself.
      execFile('git', CONFIG_ARGS, { cwd: dir, encoding: 'utf8', env: gitEnv([]) }, (_error, stdout) => resolve(gitEnv(filterNames(stdout ?? ''))));
    });
    envs.set(dir, env);
  }
  return env;
}

function envForSync(dir: string, args: readonly string[]): NodeJS.ProcessEnv {
  if (NO_FILTERING.has(commandOf(args) ?? '')) return gitEnv([]); // read now: the caller's PATH may change
  let env = syncEnvs.get(dir);
  if (!env) {
    let out = '';
    try {
      out = execFileSync('git', CONFIG_ARGS, { cwd: dir, encoding: 'utf8', env: gitEnv([]), stdio: ['ignore', 'pipe', 'ignore'] });
    } catch {}
    syncEnvs.set(dir, (env = gitEnv(filterNames(out))));
  }
  return env;
}

/** git's message for a failure: its stderr, else the spawn error. */
function failure(args: readonly string[], error: Error, stderr: string | Buffer | undefined): GitError {
  const text = String(stderr ?? '').trim() || error.message;
  return new GitError(`git ${commandOf(args)} failed: ${text}`);
}

/**
 * Run git in `dir`; resolves with stdout. `search` (git grep): exit 1 with nothing on stderr is no match
 * (''), and anything on stderr fails it, whatever the exit code: a file git could not read is missing
 * from its answer, which must then not be taken for "holds none of the words".
 */
export async function gitAsync(dir: string, args: readonly string[], search = false): Promise<string> {
  const env = await envFor(dir, args);
  return new Promise((resolve, reject) => {
    execFile('git', [...SAFE_OPTIONS, ...args], { cwd: dir, env, maxBuffer: 1024 * 1024 * 512, encoding: 'utf8' }, (error, stdout, stderr) => {
      if (search && stderr) reject(failure(args, error ?? new Error('git grep could not read every file'), stderr));
      else if (!error) resolve(stdout);
      else if (search && error.code === 1) resolve('');
      else reject(failure(args, error, stderr));
    });
  });
}

/** Run git in `dir` and wait for it; throws a GitError with git's message. */
export function gitSync(dir: string, args: readonly string[]): string {
  try {
    return execFileSync('git', [...SAFE_OPTIONS, ...args], {
      cwd: dir,
      env: envForSync(dir, args),
      maxBuffer: 1024 * 1024 * 256,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    throw failure(args, error as Error, (error as { stderr?: string }).stderr);
  }
}

/**
 * Whether `dir` lies in a git work tree, judged without git: a `.git` folder or file in it or above it.
 * Then a failing git is an error, not a sign that there is no repository.
 */
export function insideGitWorkTree(dir: string): boolean {
  return gitTopLevel(dir) !== undefined;
}

/** The folder of the git work tree `dir` is in (the nearest one holding `.git`), or undefined. */
export function gitTopLevel(dir: string): string | undefined {
  for (let at = path.resolve(dir); ; at = path.dirname(at)) {
    if (existsSync(path.join(at, '.git'))) return at;
    if (path.dirname(at) === at) return undefined;
  }
}

/** The paths among `paths` (relative to `dir`) that have uncommitted changes: modified, staged or untracked. */
export function dirtyPaths(dir: string, paths: readonly string[]): string[] {
  if (paths.length === 0) return [];
  // The status of the whole directory, intersected below (git 2.39's status takes no pathspec file).
  // Submodules are not entered: their own config would apply there, and the run never writes inside one.
  const out = gitSync(dir, ['status', '--porcelain=v1', '-z', '--untracked-files=all', '--ignore-submodules=all', '--', '.']);
  const dirty: string[] = [];
  const records = out.split('\0');
  for (let i = 0; i < records.length; i++) {
    const record = records[i]!;
    if (record.length < 4) continue;
    const status = record.slice(0, 2);
    dirty.push(record.slice(3));
    if (status[0] === 'R' || status[0] === 'C') i++; // the next record is the rename's source
  }
  // Porcelain paths are relative to the repository root; ours are relative to `dir`.
  const prefix = gitSync(dir, ['rev-parse', '--show-prefix']).trim();
  const dirtySet = new Set(dirty);
  return paths.filter((p) => dirtySet.has(prefix + p));
}

/** The ignore file and the pattern in it that exclude a path. */
export interface IgnoredBy {
  source: string;
  pattern: string;
}

/**
 * Those of `paths` (relative to `dir`, on disk or not) that git's ignore rules exclude and git does not
 * track (files a clean checkout would not have), each with the ignore file and pattern that exclude it.
 * check-ignore reads no file's content, so no filter runs.
 */
export function ignoredByGit(dir: string, paths: readonly string[]): Map<string, IgnoredBy> {
  if (paths.length === 0) return new Map();
  let out: string;
  try {
    out = execFileSync('git', [...SAFE_OPTIONS, ...CHECK_IGNORE], { cwd: dir, env: gitEnv([]), encoding: 'utf8', input: checkIgnoreInput(paths), stdio: ['pipe', 'pipe', 'pipe'] });
  } catch (error) {
    if ((error as { status?: number }).status === 1) return new Map(); // none is ignored
    throw failure(['check-ignore'], error as Error, (error as { stderr?: string }).stderr);
  }
  return checkIgnoreAnswer(out);
}

const CHECK_IGNORE = ['check-ignore', '-v', '-z', '--stdin'];
const checkIgnoreInput = (paths: readonly string[]) => paths.map((p) => `${p}\0`).join('');

/** check-ignore's answer: source NUL line NUL pattern NUL path NUL, per ignored path, in the order asked. */
function checkIgnoreAnswer(out: string): Map<string, IgnoredBy> {
  const ignored = new Map<string, IgnoredBy>();
  const fields = out.split('\0');
  for (let i = 0; i + 3 < fields.length; i += 4) ignored.set(fields[i + 3]!, { source: fields[i]!, pattern: fields[i + 2]! });
  return ignored;
}

/**
 * ignoredByGit for paths named later: git is asked now, beside the caller's work, about `likely` (a
 * guess at them, which may hold more); the answer for paths all among them is read from it (git
 * answers each path on its own), any other ask, or one after the early ask failed, asks git then.
 */
export function ignoredByGitLater(dir: string, likely: readonly string[]): (paths: readonly string[]) => Promise<Map<string, IgnoredBy>> {
  const guessed = new Set(likely);
  const early =
    guessed.size === 0
      ? Promise.resolve(new Map<string, IgnoredBy>())
      : new Promise<Map<string, IgnoredBy> | undefined>((resolve) => {
          const child = execFile('git', [...SAFE_OPTIONS, ...CHECK_IGNORE], { cwd: dir, env: gitEnv([]), encoding: 'utf8' }, (error, stdout) => {
            if (!error) resolve(checkIgnoreAnswer(stdout));
            else resolve(error.code === 1 ? new Map() : undefined); // 1: none is ignored
          });
          child.stdin?.on('error', () => {}); // git gone early: its exit says why
          child.stdin?.end(checkIgnoreInput([...guessed]));
        });
  return async (paths) => {
    const known = paths.every((p) => guessed.has(p)) ? await early : undefined;
    if (!known) return ignoredByGit(dir, paths);
    const ignored = new Map<string, IgnoredBy>();
    for (const p of paths) if (known.has(p) && !ignored.has(p)) ignored.set(p, known.get(p)!);
    return ignored;
  };
}
