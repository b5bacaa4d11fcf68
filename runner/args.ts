// The command line: options in uv's conventions (--dry-run, -v verbose, -V version, --color), help with
// examples, and a one-line error with a suggestion for a mistyped option or codemod.
import { parseArgs } from 'node:util';
import { UV_VERSION } from '../codemods/lib/versions.js';

export const USAGE = `Move a Python project from conda to uv.

Usage: geist-codemods <command> [options] [path]

Commands:
  list                        every codemod in run order
  all [path]                  run every codemod on path (a folder, default: .; or one file)
  <name> [<name>...] [path]   run only the named codemods, still in run order
  check [path]                audit a repository, changing nothing: conda left where it runs, readers
                              of missing env files, Docker build contexts, uv setup, uv.lock

Options:
      --dry-run         write nothing; print a unified diff of every change (also: --dry)
      --report FILE     also write a Markdown report for the pull request (- for stdout)
      --json            print one JSON object instead of text
      --strict[=WHAT]   exit 1 when follow-ups that block remain (--strict=actions: actions too)
      --exclude GLOB    leave these paths alone: not changed or reported (repeatable)
      --lock            after writing, run \`uv lock\` (uv must be on PATH)
      --keep-conda      keep the conda env files after migrating them
      --force           run even when files to be changed have uncommitted changes
      --uv-version X    the uv version pinned into Docker and CI (default ${UV_VERSION})
      --color WHEN      auto, always or never (NO_COLOR and FORCE_COLOR are honoured)
  -q, --quiet           print only errors
  -v, --verbose         also list every file, the notes and the timings
  -h, --help            print this help
  -V, --version         print the version

Examples:
  geist-codemods all --dry-run --report migration.md   see every change, and the report, first
  geist-codemods all --lock                            migrate this repository, then write uv.lock
  geist-codemods dockerfile docker/Dockerfile          migrate one file with its codemod
  geist-codemods all --dry-run --strict --quiet        a CI gate: exit 1 while something blocks
  geist-codemods check --strict                        after the migration is committed: what is left

Excludes can also live in pyproject.toml ([tool.geist-codemods] exclude = ["data/**"]) or in
.geist-codemods.json ({"exclude": ["data/**"]}).
Exit codes: 0 done; 1 a file, the write or uv lock failed, or --strict found what it gates on;
2 a usage error, or a refused run (uncommitted changes).`;

const OPTIONS = {
  'dry-run': { type: 'boolean', default: false },
  dry: { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
  report: { type: 'string' },
  force: { type: 'boolean', default: false },
  lock: { type: 'boolean', default: false },
  'keep-conda': { type: 'boolean', default: false },
  'uv-version': { type: 'string', default: UV_VERSION },
  strict: { type: 'string' },
  exclude: { type: 'string', multiple: true, default: [] as string[] },
  color: { type: 'string', default: 'auto' },
  quiet: { type: 'boolean', short: 'q', default: false },
  verbose: { type: 'boolean', short: 'v', default: false },
  help: { type: 'boolean', short: 'h', default: false },
  version: { type: 'boolean', short: 'V', default: false },
} as const;

export class UsageError extends Error {}

export interface CliArgs {
  dry: boolean;
  json: boolean;
  report?: string;
  force: boolean;
  lock: boolean;
  keepConda: boolean;
  uvVersion: string;
  /** What --strict gates on: blocks, or blocks and actions. */
  strict?: 'blocks' | 'actions';
  exclude: string[];
  color: 'auto' | 'always' | 'never';
  quiet: boolean;
  verbose: boolean;
  help: boolean;
  version: boolean;
  positionals: string[];
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  let row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const next = [i];
    for (let j = 1; j <= b.length; j++) next[j] = Math.min(row[j]! + 1, next[j - 1]! + 1, row[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    row = next;
  }
  return row[b.length]!;
}

/** The candidate nearest to `word` when it is near enough to be a typo (or a prefix of it), else undefined. */
function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { name: string; d: number } | undefined;
  for (const name of candidates) {
    const d = name.startsWith(word) && word.length >= 3 ? 0.5 : distance(word, name);
    if (!best || d < best.d) best = { name, d };
  }
  return best && best.d <= Math.max(2, Math.floor(word.length / 3)) ? best.name : undefined;
}

const LONG_NAMES = Object.keys(OPTIONS).map((name) => `--${name}`);

/** "did you mean" for a word, or nothing. */
export function suggestion(word: string, candidates: readonly string[]): string {
  const near = closest(word, candidates);
  return near ? `; did you mean '${near}'?` : '';
}

/** Parse argv; a mistake is a UsageError whose message is one line. */
export function parseCli(argv: readonly string[]): CliArgs {
  // `--strict` alone means blocks: a string option would otherwise take the next argument as its value.
  const args = argv.map((a) => (a === '--strict' ? '--strict=blocks' : a));
  let parsed;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options: OPTIONS });
  } catch (error) {
    const message = (error as Error).message;
    const unknown = /^Unknown option '([^']+)'/.exec(message)?.[1];
    if (unknown) throw new UsageError(`unexpected argument '${unknown}'${suggestion(unknown.replace(/=.*/, ''), LONG_NAMES)}`);
    const missing = /^Option '(-\w, )?(--[\w-]+)[^']*' argument missing/.exec(message)?.[2];
    if (missing) throw new UsageError(`'${missing}' needs a value (see --help)`);
    throw new UsageError(message.split('\n')[0]!);
  }
  const { values, positionals } = parsed;
  const strict = values.strict;
  if (strict !== undefined && strict !== 'blocks' && strict !== 'actions') throw new UsageError(`--strict takes blocks or actions, not '${strict}'`);
  const color = values.color;
  if (color !== 'auto' && color !== 'always' && color !== 'never') throw new UsageError(`--color takes auto, always or never, not '${color}'${suggestion(color, ['auto', 'always', 'never'])}`);
  if (!/^\d+\.\d+\.\d+$/.test(values['uv-version'])) throw new UsageError(`--uv-version wants X.Y.Z, got '${values['uv-version']}'`);
  if (values.json && values.report === '-') throw new UsageError('--report - and --json both want stdout: give --report a file');
  return {
    dry: values['dry-run'] || values.dry,
    json: values.json,
    ...(values.report !== undefined ? { report: values.report } : {}),
    force: values.force,
    lock: values.lock,
    keepConda: values['keep-conda'],
    uvVersion: values['uv-version'],
    ...(strict ? { strict } : {}),
    exclude: values.exclude,
    color,
    quiet: values.quiet,
    verbose: values.verbose,
    help: values.help,
    version: values.version,
    positionals,
  };
}
