#!/usr/bin/env node
// geist-codemods: move a Python project from Conda to uv. `geist-codemods --help` for usage.
import './startup.js'; // first: Node's compile cache, before the rest loads
import { execFileSync } from 'node:child_process';
import { accessSync, constants, existsSync, realpathSync, statSync, readFileSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import type { Codemod, FollowUp, RunOptions } from '../contract/types.js';
import { SETUP_UV_VERSION, UV_INSTALLER } from '../codemods/lib/versions.js';
import { parseCli, suggestion, UsageError, USAGE, type CliArgs } from './args.js';
import { startGitDiscovery } from './discover.js';
import { dirtyPaths, GitError, gitSync, insideGitWorkTree } from './git.js';
import { Console } from './output.js';
// The codemods, the pipeline and the report are imported in main(), once git has been started.

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export async function main(argv: string[]): Promise<number> {
  const started = performance.now();
  let args: CliArgs;
  try {
    args = parseCli(argv);
  } catch (error) {
    new Console('auto').error((error as Error).message);
    return 2;
  }
  const io = new Console(args.color);
  try {
    return await run(args, io, started);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.error(error.message);
    return 2;
  }
}

async function run(args: CliArgs, io: Console, started: number): Promise<number> {
  if (args.help) {
    io.out.write(`${USAGE}\n`);
    return 0;
  }
  if (args.version) {
    io.out.write(`geist-codemods ${version()}\n`);
    return 0;
  }
  const { positionals } = args;
  const [command, ...rest] = positionals;
  // Start git (rev-parse, ls-files) on the likely target first: its walk of the work tree then overlaps
  // loading the codemods. The pipeline uses it only if the directory turns out to be that one.
  const likelyDir = path.resolve(positionals.length > 1 ? positionals.at(-1)! : '.');
  const startable = existsSync(likelyDir) && statSync(likelyDir).isDirectory() && !args.force && !wholeTreeRefusal(likelyDir);
  if (command && command !== 'list' && startable) startGitDiscovery(likelyDir);
  if (command === 'check') return runCheck(args, io, rest, started); // needs no codemod
  const { codemods } = await import('../codemods/index.js');
  if (!command) throw new UsageError("a command is required: 'all', 'list' or codemod names (see --help)");
  if (command === 'list') {
    io.out.write(`${codemods.map((c) => `  ${c.name.padEnd(18)} ${c.description}`).join('\n')}\n`);
    return 0;
  }

  const { selected, target: targetArg } = selectCodemods(codemods, command, rest);
  const target = path.resolve(targetArg ?? '.');
  if (!existsSync(target)) throw new UsageError(`no such file or directory: ${targetArg ?? '.'}`);
  // A file as the target: that file alone, in the context of the repository (or folder) around it.
  const { dir, only } = statSync(target).isDirectory() ? { dir: target, only: undefined } : await fileTarget(target);
  const refusal = args.force ? undefined : (wholeTreeRefusal(dir) ?? (only === undefined ? await notAProjectRefusal(dir) : undefined));
  if (refusal) {
    io.error(`refusing to run: ${refusal} (pass --force to run anyway)`);
    return 2;
  }
  if (args.report !== undefined && args.report !== '-') checkWritable(path.resolve(args.report));
  if (args.lock && args.dry) io.warning('--lock does nothing with --dry-run: nothing is written, so nothing is locked');
  if (args.lock && !args.dry && !uvOnPath()) {
    throw new UsageError(`--lock needs uv on PATH, and it is not there: install it (${UV_INSTALLER}) or run without --lock`);
  }
  const { configExcludes } = await import('./config.js');
  const exclude = [...args.exclude, ...(await configExcludes(dir))];

  const options: RunOptions = {
    dir,
    dry: args.dry,
    force: args.force,
    lock: args.lock,
    strict: args.strict !== undefined,
    keepConda: args.keepConda,
    uvVersion: args.uvVersion,
    setupUvVersion: SETUP_UV_VERSION,
    verbose: args.verbose,
    ...(exclude.length > 0 ? { exclude } : {}),
    ...(only !== undefined ? { only } : {}),
  };
  // Writing runs only: the lock and the writer load the file-system modules, which a dry run loads later.
  const writer = options.dry ? undefined : await import('./write.js');
  const lock = writer && (await import('./lock.js')).takeLock(dir);
  if (lock && 'heldBy' in lock) {
    io.error(`refusing to run: another geist-codemods run (pid ${lock.heldBy}) is migrating ${dir} (if none is, delete ${lock.file})`);
    return 2;
  }
  if (lock?.recovered) io.warning(lock.recovered);
  const { runPipeline } = await import('./pipeline.js');
  const { progressLine } = await import('./progress.js');
  const line = args.quiet ? undefined : progressLine(io.err, started);
  let result;
  try {
    result = await runPipeline(selected, codemods, options, undefined, line?.progress);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    line?.clear();
    io.error(`${error.message}; nothing was changed: the run needs git to work in this repository`);
    return 2;
  }
  line?.clear();
  const { renderDiff, renderJson, renderMarkdown, renderPlan, renderText } = await import('./report.js');

  if (!options.dry && result.inGit && !options.force) {
    const touched = result.changes.flatMap((c) => (c.from ? [c.from, c.path] : [c.path]));
    let dirty;
    try {
      dirty = dirtyPaths(dir, touched);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      io.error(`${error.message}; nothing was written: the uncommitted-changes check needs git`);
      return 2;
    }
    if (dirty.length > 0) {
      io.error(`refusing to run: these files have uncommitted changes and would be changed (commit or stash them, or pass --force): ${dirty.join(', ')}`);
      return 2;
    }
  }

  let failedWrite = false;
  if (!options.dry && result.changes.length > 0) {
    try {
      writer!.applyChanges(dir, result.changes, writer!.diskOps, lock?.journal);
    } catch (error) {
      // A WriteError says what state the tree is in; anything else came before the first write.
      io.error(error instanceof writer!.WriteError ? error.message : `nothing was written: ${(error as Error).message}`);
      failedWrite = true;
    }
  }

  const errors = result.files.filter((f) => f.status === 'error');
  for (const e of errors) io.error(e.message ?? e.path);
  if (only !== undefined && result.stats.every((s) => s.ok + s.unchanged + s.skipped + s.errors === 0)) {
    io.warning(`no ${selected.length === 1 ? `${selected[0]!.name} codemod` : 'selected codemod'} migrates ${only}: nothing to do`);
  }
  const report = args.report !== undefined && !failedWrite ? renderMarkdown(result, { dry: options.dry }) : undefined;
  if (report !== undefined && args.report !== '-') {
    try {
      writeFileSync(path.resolve(args.report!), report);
    } catch (error) {
      io.error(`the report was not written: ${(error as Error).message}`);
      failedWrite = true;
    }
  }

  const elapsedMs = performance.now() - started;
  if (options.verbose) {
    const stages = Object.entries(result.timings).map(([name, ms]) => `${name} ${ms} ms`);
    io.err.write(`Stages: ${stages.join(', ')}; total ${Math.round(elapsedMs)} ms\n`);
  }
  if (args.json) {
    io.out.write(`${renderJson(result, { version: version(), dir, dry: options.dry, elapsedMs })}\n`);
  } else if (args.report === '-') {
    io.out.write(report ?? '');
  } else if (!args.quiet) {
    io.out.write(renderPlan(result));
    if (options.dry) io.out.write(renderDiff(result, io.out.paint));
    io.out.write(renderText(result, elapsedMs, { dry: options.dry, verbose: options.verbose, paint: io.out.paint, ...(args.report ? { report: args.report } : {}) }));
  }
  if (failedWrite) return 1;

  if (options.lock && !options.dry && result.ctx.migrating && !(await runUvLock(dir, args.quiet, io))) return 1;

  if (errors.length > 0) return 1;
  if (args.strict) return strictGate(args.strict, result.followUps, io);
  return 0;
}

/** `check [path]`: the findings on a repository, changing nothing; exit 1 with --strict when some are gated. */
async function runCheck(args: CliArgs, io: Console, rest: string[], started: number): Promise<number> {
  if (rest.length > 1) throw new UsageError(`'check' takes one path, got: ${rest.join(' ')}`);
  const unused = [args.dry && '--dry-run', args.report !== undefined && '--report', args.lock && '--lock', args.keepConda && '--keep-conda'].filter(Boolean);
  if (unused.length > 0) throw new UsageError(`'check' changes nothing: ${unused.join(', ')} does not apply to it`);
  const dir = path.resolve(rest[0] ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) throw new UsageError(`'check' takes a folder: ${rest[0] ?? '.'} is not one`);
  const refusal = args.force ? undefined : wholeTreeRefusal(dir);
  if (refusal) {
    io.error(`refusing to run: ${refusal} (pass --force to run anyway)`);
    return 2;
  }
  const { configExcludes } = await import('./config.js');
  const { checkRepository } = await import('./check.js');
  let findings;
  try {
    findings = await checkRepository(dir, [...args.exclude, ...(await configExcludes(dir))]);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    io.error(`${error.message}: the check needs git to work in this repository`);
    return 2;
  }
  const { renderCheckJson, renderCheckText } = await import('./report.js');
  const elapsedMs = performance.now() - started;
  if (args.json) io.out.write(`${renderCheckJson(findings, { version: version(), dir, elapsedMs })}\n`);
  else if (!args.quiet) io.out.write(renderCheckText(findings, elapsedMs, { verbose: args.verbose, paint: io.out.paint, dir }));
  return args.strict ? strictGate(args.strict, findings, io) : 0;
}

/** --strict: 1 (with a line that says why) when follow-ups of the gated severities remain, else 0. */
async function strictGate(strict: 'blocks' | 'actions', followUps: readonly FollowUp[], io: Console): Promise<number> {
  const gated = followUps.filter((f) => f.severity === 'blocks' || (strict === 'actions' && f.severity === 'action'));
  if (gated.length === 0) return 0;
  const { where } = await import('./followups.js');
  const what = strict === 'actions' ? 'block or need an action' : 'block the migration';
  const first = gated.slice(0, 5).map(where).join(', ');
  io.error(`--strict${strict === 'actions' ? '=actions' : ''}: ${gated.length} follow-up(s) ${what}: ${first}${gated.length > 5 ? `, and ${gated.length - 5} more` : ''}`);
  return 1;
}

function selectCodemods(codemods: readonly Codemod[], command: string, rest: string[]): { selected: readonly Codemod[]; target?: string } {
  const names = codemods.map((c) => c.name);
  if (command === 'all') {
    if (rest.length > 1) throw new UsageError(`'all' takes one path, got: ${rest.join(' ')}`);
    return { selected: codemods, ...(rest[0] !== undefined ? { target: rest[0] } : {}) };
  }
  const asked = [command, ...rest];
  const known = new Set(names);
  // The last positional is the path when it is not a codemod name.
  let target: string | undefined;
  if (asked.length > 1 && !known.has(asked.at(-1)!)) target = asked.pop();
  const unknown = asked.find((n) => !known.has(n));
  if (unknown !== undefined) throw new UsageError(`unknown codemod '${unknown}'${suggestion(unknown, [...names, 'all', 'list'])} ('geist-codemods list' shows them)`);
  return { selected: codemods.filter((c) => asked.includes(c.name)), ...(target !== undefined ? { target } : {}) };
}

/**
 * A file target: its repository's root and its path from there. Outside git, the nearest folder above
 * it (below the home folder) that holds a conda env file is the context, else the file's own folder.
 */
async function fileTarget(file: string): Promise<{ dir: string; only: string }> {
  const folder = path.dirname(file);
  let dir: string | undefined;
  try {
    dir = gitSync(folder, ['rev-parse', '--show-toplevel']).trim();
  } catch {
    const { migrationLikely } = await import('./pipeline.js');
    // Never up to the home folder or the root: a run there would walk far more than a project.
    for (let up = folder; dir === undefined; up = path.dirname(up)) {
      if (up === homedir() || path.dirname(up) === up) dir = folder;
      else if (migrationLikely(up)) dir = up;
    }
  }
  return { dir, only: path.relative(dir, file).split(path.sep).join('/') };
}

/** Why `dir` is no place to run without --force: the file system's root or the home directory (a walk of everything). */
function wholeTreeRefusal(dir: string): string | undefined {
  const real = realOrSelf(dir);
  if (real === path.parse(real).root) return `${dir} is the root of the file system`;
  if (real === realOrSelf(homedir())) return `${dir} is your home directory`;
  return undefined;
}

/** The real path of `p`, or `p` itself when it does not exist (a HOME that is not there). */
function realOrSelf(p: string): string {
  try {
    return realpathSync(p);
  } catch {
    return p;
  }
}

/** Why `dir` is not a project to migrate: outside any git work tree with no conda env file at its top. */
async function notAProjectRefusal(dir: string): Promise<string | undefined> {
  if (insideGitWorkTree(dir)) return undefined;
  const { migrationLikely } = await import('./pipeline.js');
  if (migrationLikely(dir)) return undefined;
  return `${dir} is neither in a git repository nor holds a conda env file (environment.yml) at its top`;
}

/** --report FILE must be writable before anything is written: a file (new, or writable) in an existing folder. */
function checkWritable(file: string): void {
  const problem = (() => {
    if (existsSync(file)) {
      if (statSync(file).isDirectory()) return 'it is a folder';
      try {
        accessSync(file, constants.W_OK);
      } catch {
        return 'it is not writable';
      }
      return undefined;
    }
    const parent = path.dirname(file);
    if (!existsSync(parent) || !statSync(parent).isDirectory()) return `there is no folder ${parent}`;
    try {
      accessSync(parent, constants.W_OK);
    } catch {
      return `the folder ${parent} is not writable`;
    }
    return undefined;
  })();
  if (problem) throw new UsageError(`--report ${file}: cannot write the report there: ${problem}`);
}

function uvOnPath(): boolean {
  try {
    execFileSync('uv', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Runs `uv lock` in `dir`; false when it failed, told as uv's line, the dependency it names and what to change. */
async function runUvLock(dir: string, quiet: boolean, io: Console): Promise<boolean> {
  const { lockWithUv } = await import('./uv-lock.js');
  if (!quiet) io.err.write('Running uv lock...\n'); // stderr: stdout may be --json's
  const outcome = lockWithUv(dir);
  if (outcome.status === 'locked') return true;
  if (outcome.status === 'no-uv') {
    io.error('uv lock: uv is no longer on PATH, uv.lock was not written');
    return false;
  }
  if (!quiet && outcome.output) io.err.write(outcome.output.replace(/\n?$/, '\n'));
  io.error(`uv lock failed${outcome.package ? ` on ${outcome.package}` : ''}: ${outcome.reason}\n  what to change: ${outcome.advice}`);
  return false;
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = process.exitCode || code;
  },
  (error: unknown) => {
    process.stderr.write(`error: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
