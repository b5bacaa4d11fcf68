#!/usr/bin/env node
// geist-codemods: move a Python project from Conda to uv. `geist-codemods --help` for usage.
import { codeCacheHits } from './code-cache.js'; // first: in place before any CommonJS package loads
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, realpathSync, statSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Codemod, RunOptions } from './types.js';
import { SETUP_UV_VERSION, UV_INSTALLER, UV_VERSION } from '../codemods/lib/versions.js';
import { startGitDiscovery } from './discover.js';
import { dirtyPaths, GitError, insideGitWorkTree } from './git.js';
import { redactSecrets } from './secrets.js';
// The codemods, the pipeline and the report are imported in main(), once git has been started.

const USAGE = `Usage: geist-codemods <command> [options] [dir]

Commands:
  list                      every codemod in run order
  all [dir]                 run every codemod on dir (default: .)
  <name> [<name>...] [dir]  run only the named codemods, still in run order

Options:
  --dry               write nothing; print a unified diff of every change
  --json              print one JSON object instead of text
  --report FILE       also write a Markdown migration report to FILE
  --force             run even when files to be changed have uncommitted changes
  --lock              after writing, run \`uv lock\` (when uv is on PATH)
  --keep-conda        keep the conda env files after migrating them
  --uv-version X      the uv version pinned into Docker and CI (default ${UV_VERSION})
  --strict            exit 1 when follow-ups remain
  --quiet             print only errors
  --verbose           also list unchanged files and timings
  --help, --version`;

function version(): string {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

class UsageError extends Error {}

export async function main(argv: string[]): Promise<number> {
  const started = performance.now();
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        dry: { type: 'boolean', default: false },
        json: { type: 'boolean', default: false },
        report: { type: 'string' },
        force: { type: 'boolean', default: false },
        lock: { type: 'boolean', default: false },
        'keep-conda': { type: 'boolean', default: false },
        'uv-version': { type: 'string', default: UV_VERSION },
        strict: { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        verbose: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
        version: { type: 'boolean', short: 'v', default: false },
      },
    });
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  if (values.version) {
    process.stdout.write(`${version()}\n`);
    return 0;
  }
  const [command, ...rest] = positionals;
  // Start git (rev-parse, ls-files) on the likely target first: its walk of the work tree then overlaps
  // loading the codemods. The pipeline uses it only if the directory turns out to be that one.
  const likelyDir = path.resolve(positionals.length > 1 ? positionals.at(-1)! : '.');
  const startable = existsSync(likelyDir) && statSync(likelyDir).isDirectory() && !values.force && !wholeTreeRefusal(likelyDir);
  if (command && command !== 'list' && startable) startGitDiscovery(likelyDir);
  const { codemods } = await import('../codemods/index.js');
  const listing = () => codemods.map((c) => `  ${c.name.padEnd(18)} ${c.description}`).join('\n');
  if (!command) {
    process.stderr.write(`${USAGE}\n`);
    return 2;
  }
  if (command === 'list') {
    process.stdout.write(`${listing()}\n`);
    return 0;
  }

  let selected;
  let dirArg: string | undefined;
  try {
    ({ selected, dirArg } = selectCodemods(codemods, command, rest));
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n\nCodemods:\n${listing()}\n`);
    return 2;
  }
  if (!/^\d+\.\d+\.\d+$/.test(values['uv-version']!)) {
    process.stderr.write(`--uv-version wants X.Y.Z, got ${values['uv-version']}\n`);
    return 2;
  }
  const dir = path.resolve(dirArg ?? '.');
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    process.stderr.write(`No such directory: ${dir}\n`);
    return 2;
  }

  const refusal = values.force ? undefined : (wholeTreeRefusal(dir) ?? (await notAProjectRefusal(dir)));
  if (refusal) {
    process.stderr.write(`Refusing to run: ${refusal}. Pass --force to run anyway.\n`);
    return 2;
  }

  const options: RunOptions = {
    dir,
    dry: values.dry!,
    force: values.force!,
    lock: values.lock!,
    strict: values.strict!,
    keepConda: values['keep-conda']!,
    uvVersion: values['uv-version']!,
    setupUvVersion: SETUP_UV_VERSION,
    verbose: values.verbose!,
  };
  // Writing runs only: the lock and the writer load the file-system modules, which a --dry run loads later.
  const writer = options.dry ? undefined : await import('./write.js');
  const lock = writer && (await import('./lock.js')).takeLock(dir);
  if (lock && 'heldBy' in lock) {
    process.stderr.write(`Refusing to run: another geist-codemods run (pid ${lock.heldBy}) is migrating ${dir}. If none is, delete ${lock.file}.\n`);
    return 2;
  }
  if (lock?.recovered) process.stderr.write(`Note: ${lock.recovered}.\n`);
  const { runPipeline } = await import('./pipeline.js');
  let result;
  try {
    result = await runPipeline(selected, codemods, options);
  } catch (error) {
    if (!(error instanceof GitError)) throw error;
    process.stderr.write(`${error.message}\nNothing was changed: the run needs git to work in this repository.\n`);
    return 2;
  }
  const { painter, renderDiff, renderJson, renderMarkdown, renderText } = await import('./report.js');
  const paint = painter(!values.json && process.stdout.isTTY === true && !('NO_COLOR' in process.env));

  if (!options.dry && result.inGit && !options.force) {
    const touched = result.changes.flatMap((c) => (c.from ? [c.from, c.path] : [c.path]));
    let dirty;
    try {
      dirty = dirtyPaths(dir, touched);
    } catch (error) {
      if (!(error instanceof GitError)) throw error;
      process.stderr.write(`${error.message}\nNothing was written: the uncommitted-changes check needs git.\n`);
      return 2;
    }
    if (dirty.length > 0) {
      process.stderr.write(
        `Refusing to run: these files have uncommitted changes and would be changed:\n${dirty.map((d) => `  ${d}`).join('\n')}\nCommit or stash them, or pass --force.\n`,
      );
      return 2;
    }
  }

  let writeError: string | undefined;
  if (!options.dry && result.changes.length > 0) {
    try {
      writer!.applyChanges(dir, result.changes, writer!.diskOps, lock?.journal);
    } catch (error) {
      // A WriteError says what state the tree is in; anything else came before the first write.
      writeError = error instanceof writer!.WriteError ? error.message : `Nothing was written: ${(error as Error).message}`;
    }
  }

  if (values.report) {
    writeFileSync(path.resolve(values.report), redactSecrets(renderMarkdown(result, { dir, dry: options.dry })));
  }

  const elapsedMs = performance.now() - started;
  if (options.verbose) {
    const stages = Object.entries(result.timings).map(([name, ms]) => `${name} ${ms} ms`);
    process.stderr.write(`Stages: ${stages.join(', ')}; total ${Math.round(elapsedMs)} ms; ${codeCacheHits()} modules from the code cache\n`);
  }
  if (values.json) {
    process.stdout.write(`${redactSecrets(renderJson(result, { version: version(), dir, dry: options.dry, elapsedMs }))}\n`);
  } else {
    if (options.dry && !values.quiet) process.stdout.write(redactSecrets(renderDiff(result, paint)));
    if (!values.quiet) process.stdout.write(redactSecrets(renderText(result, elapsedMs, { dry: options.dry, verbose: options.verbose, paint })));
  }
  const errors = result.files.filter((f) => f.status === 'error');
  if (values.quiet) for (const e of errors) process.stderr.write(redactSecrets(`error: ${e.message}\n`));
  if (writeError) {
    process.stderr.write(`${writeError}\n`);
    return 1;
  }

  if (options.lock && !options.dry && result.ctx.migrating) runUvLock(dir, values.quiet!);

  if (errors.length > 0) return 1;
  if (options.strict && result.followUps.length > 0) return 1;
  return 0;
}

/** Why `dir` is no place to run without --force: the file system's root or the home directory (a walk of everything). */
function wholeTreeRefusal(dir: string): string | undefined {
  const real = realpathSync(dir);
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

function selectCodemods(codemods: readonly Codemod[], command: string, rest: string[]) {
  if (command === 'all') {
    if (rest.length > 1) throw new UsageError(`'all' takes one directory, got: ${rest.join(' ')}`);
    return { selected: codemods, dirArg: rest[0] };
  }
  const names = [command, ...rest];
  const known = new Set(codemods.map((c) => c.name));
  // The last positional is the directory when it is not a codemod name.
  let dirArg: string | undefined;
  if (names.length > 1 && !known.has(names.at(-1)!)) dirArg = names.pop();
  const unknown = names.filter((n) => !known.has(n));
  if (unknown.length > 0) throw new UsageError(`Unknown codemod: ${unknown.join(', ')}`);
  return { selected: codemods.filter((c) => names.includes(c.name)), dirArg };
}

function runUvLock(dir: string, quiet: boolean): void {
  const found = (() => {
    try {
      execFileSync('uv', ['--version'], { stdio: 'ignore' });
      return true;
    } catch {
      return false;
    }
  })();
  if (!found) {
    process.stderr.write(`--lock: uv is not on PATH, so uv.lock was not written. Install uv (${UV_INSTALLER}), then run \`uv lock\` in ${dir}.\n`);
    return;
  }
  if (!quiet) process.stdout.write('Running uv lock...\n');
  try {
    execFileSync('uv', ['lock'], { cwd: dir, stdio: quiet ? 'ignore' : 'inherit' });
  } catch (error) {
    process.stderr.write(`uv lock failed: ${(error as Error).message}\n`);
    process.exitCode = 1;
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = process.exitCode || code;
  },
  (error: unknown) => {
    process.stderr.write(`geist-codemods: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
