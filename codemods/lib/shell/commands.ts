// What a conda-shaped command is, from its words (the rewrite table: docs/design.md).
import { pypiName } from '../conda/names.js';
import { parseCondaSpec, SpecError } from '../conda/spec.js';
import { CONDA_TOOLS } from '../conda/vocabulary.js';

export { CONDA_TOOLS };

/** Console scripts that live in the env: they become `uv run CMD` after activation (uv-run policy). */
export const ENV_COMMANDS = new Set([
  'python', 'python3', 'pytest', 'py.test',
  'alembic', 'uvicorn', 'gunicorn', 'celery', 'flask', 'django-admin', 'jupyter', 'jupyter-lab', 'ipython',
  'black', 'ruff', 'mypy', 'flake8', 'isort', 'pre-commit', 'sphinx-build', 'mkdocs', 'streamlit', 'torchrun',
  'accelerate', 'huggingface-cli', 'hypercorn', 'daphne', 'coverage', 'tox', 'nox', 'pylint', 'dvc', 'mlflow',
]);

/** `/opt/conda/bin/conda` -> `conda`; other words -> undefined. */
export function condaTool(word: string | undefined): string | undefined {
  if (word === undefined) return undefined;
  const base = word.slice(word.lastIndexOf('/') + 1);
  return CONDA_TOOLS.has(base) ? base : undefined;
}

/** Options of conda/mamba/micromamba that take a value (so the next word is not a package or command). */
const VALUE_OPTIONS = new Set([
  '-n', '--name', '-p', '--prefix', '-f', '--file', '-c', '--channel', '--cwd', '-r', '--root-prefix',
  '--override-channels-with', '--platform', '--subdir', '--solver', '--rc-file', '--env',
]);

/**
 * `conda run`'s own options (conda, mamba, micromamba): whether one takes a value, and whether `uv run`
 * needs nothing in its place (it chooses the env or the output mode). The one table every host reads.
 */
const RUN_OPTIONS = new Map<string, { value: boolean; covered: boolean }>([
  ...['-n', '--name', '-p', '--prefix'].map((o) => [o, { value: true, covered: true }] as const),
  ...['--cwd', '-r', '--root-prefix', '-a', '--attach', '-e', '--env', '--label'].map((o) => [o, { value: true, covered: false }] as const),
  ...['--no-capture-output', '--live-stream', '-s', '--no-banner'].map((o) => [o, { value: false, covered: true }] as const),
]);

export interface CondaOption {
  /** Index (in args) of the option's word. */
  index: number;
  name: string;
  /** Words it takes: 2 for `-n x`, 1 for a flag or `--name=x`. */
  words: 1 | 2;
}

export interface ParsedConda {
  tool: string;
  /** Subcommand words (`env create` -> ['env', 'create']). */
  sub: string[];
  /** Index (in args) of the first word after the subcommand. */
  restAt: number;
  options: Map<string, string | true>;
  /** The options after the subcommand, in order, with where they stand. */
  optionWords: CondaOption[];
  /** Positional words after the subcommand (packages, or the command of `conda run`), with their index. */
  positionals: { index: number; text: string | undefined }[];
}

/** Split `conda [global flags] SUB [SUB2] [options] [positionals]`; `texts[i]` is a word's literal text or undefined. */
export function parseConda(texts: readonly (string | undefined)[]): ParsedConda | undefined {
  const tool = condaTool(texts[0]);
  if (!tool) return undefined;
  let i = 1;
  while (i < texts.length && texts[i]?.startsWith('-') && !['--version', '-V', '--help', '-h'].includes(texts[i]!)) i++;
  const sub: string[] = [];
  if (i < texts.length && texts[i] !== undefined) sub.push(texts[i++]!);
  if (sub[0] === 'env' || sub[0] === 'shell') if (i < texts.length && texts[i] !== undefined && !texts[i]!.startsWith('-')) sub.push(texts[i++]!);
  const options = new Map<string, string | true>();
  const optionWords: CondaOption[] = [];
  const positionals: ParsedConda['positionals'] = [];
  const restAt = i;
  const takesValue = (option: string) => (sub[0] === 'run' ? RUN_OPTIONS.get(option)?.value === true : VALUE_OPTIONS.has(option));
  for (; i < texts.length; i++) {
    const word = texts[i];
    if (word?.startsWith('-')) {
      const eq = word.indexOf('=');
      const name = eq > 0 ? word.slice(0, eq) : word;
      optionWords.push({ index: i, name, words: eq <= 0 && takesValue(word) && i + 1 < texts.length ? 2 : 1 });
      if (eq > 0) options.set(name, word.slice(eq + 1));
      else if (takesValue(word) && i + 1 < texts.length) options.set(word, texts[++i] ?? '');
      else options.set(word, true);
      continue;
    }
    positionals.push({ index: i, text: word });
    if (sub[0] === 'run') break; // the rest is the command conda runs
  }
  return { tool, sub, restAt, options, optionWords, positionals };
}

/** `conda run [options] CMD...`: its options and the index of CMD (texts.length when there is none); undefined for another command. */
export function parseCondaRun(texts: readonly (string | undefined)[]): { options: (CondaOption & { covered: boolean })[]; command: number } | undefined {
  const parsed = parseConda(texts);
  if (parsed?.sub[0] !== 'run') return undefined;
  const options = parsed.optionWords.map((o) => ({ ...o, covered: RUN_OPTIONS.get(o.name)?.covered === true }));
  return { options, command: parsed.positionals[0]?.index ?? texts.length };
}

/** The options of a parsed `conda run` that `uv run` does not stand in for (`--cwd`, `-e`, `--attach`...). */
export function uncoveredRunOptions(parsed: ParsedConda): string[] {
  return parsed.optionWords.filter((o) => RUN_OPTIONS.get(o.name)?.covered !== true).map((o) => o.name);
}

export function hasOption(parsed: ParsedConda, ...names: string[]): boolean {
  return names.some((n) => parsed.options.has(n));
}

/**
 * A conda package spec as an argument of `uv add`, read as the env codemod reads it (`numpy=1.26` ->
 * `'numpy==1.26.*'`, `conda-forge::pytorch=2.5.1` -> `torch==2.5.1`), quoted where the shell would
 * read `*`, `<` or `>`. A spec conda itself would reject is passed on as written.
 */
export function condaSpecToPep508(spec: string): string {
  let parsed;
  try {
    parsed = parseCondaSpec(spec);
  } catch (error) {
    if (error instanceof SpecError) return spec;
    throw error;
  }
  const requirement = `${pypiName(parsed.name)}${parsed.extras ? `[${parsed.extras}]` : ''}${parsed.specifier}`;
  return /^[\w.=-]+$/.test(requirement) ? requirement : `'${requirement}'`;
}
