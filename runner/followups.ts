// Follow-ups as a person acts on them: each with a severity, deduplicated, several lines of one file
// with the same message folded into one, none from data files, sorted by path and line.
//
// Severity, the one rule: a creator that knows says it (`blocks` when the build, CI or lock fails until
// a person acts; `info` when nothing has to change); a follow-up whose creator says nothing is an
// `action`. The leftovers pass (runner/leftovers.ts) always says, by the kind of file (leftoverSeverity).
import { DOCKERFILE_NAME } from '../codemods/lib/dockerfiles.js';
import path from 'node:path';
import type { FollowUp, FollowUpInput, Severity } from '../contract/types.js';

/** A follow-up as the run keeps it: the creator's severity, else an action. */
export function followUp(input: FollowUpInput, codemod: string): FollowUp {
  const { severity, ...rest } = input;
  return { ...rest, codemod, severity: severity ?? 'action' };
}

/** The base names of build, CI and script files other than Dockerfiles, matched from the base name's start. */
const BUILD_NAME = /(?:(?:docker-)?compose[^/]*\.ya?ml|(?:GNU)?[Mm]akefile|[^/]*\.mk|[^/]*\.(?:sh|bash|zsh)|\.gitlab-ci\.ya?ml|azure-pipelines[^/]*\.ya?ml|tox\.ini|noxfile\.py|\.readthedocs\.ya?ml)$/y;
/** Folders of CI configuration: every file there runs. */
const CI_FOLDER = /^(?:\.github\/workflows|\.circleci|\.devcontainer)\//;

/**
 * Files that build, test or run the project: a line there that still runs conda, or names a file the
 * migration deleted, fails once conda is gone.
 */
export function isBuildFile(file: string): boolean {
  return DOCKERFILE_NAME.test(file) || isOtherBuildFile(file);
}

/**
 * isBuildFile for a file whose name is no Dockerfile's. The name is tried at the base name only (a sticky
 * match), not at every position of the path: the check asks it of every path.
 */
export function isOtherBuildFile(file: string): boolean {
  BUILD_NAME.lastIndex = file.lastIndexOf('/') + 1;
  return BUILD_NAME.test(file) || CI_FOLDER.test(file);
}
/** Prose for people: a line there is read, not run. */
export const DOC_FILE = /\.(?:md|markdown|mdx|rst|txt|adoc|asciidoc)$|(?:^|\/)README[^/]*$/i;
/** A line in a doc that tells the reader to run a conda command (not prose that names conda). */
export const CONDA_COMMAND = /\b(?:conda|mamba|micromamba)\s+(?:activate|create|env|install|run|update|remove|init)\b|\bsource\s+activate\b/i;
/** A line that is only a comment (#, //, --, <!--, ;, REM), or a CI step's or job's label. */
export const COMMENT_LINE = /^\s*(?:#|\/\/|<!--|;|--|REM\b|::|-?\s*(?:name|description|title):)/i;

/**
 * The severity of a leftover line: in a build or CI file it blocks (unless it is a comment or a
 * label); in a doc, a conda command to run is an action and prose is worth knowing; in code and
 * config a deleted file's name is an action and a conda word worth knowing.
 */
export function leftoverSeverity(file: string, line: string, namesGoneFile: boolean): Severity {
  if (COMMENT_LINE.test(line)) return 'info';
  if (isBuildFile(file)) return 'blocks';
  if (DOC_FILE.test(file)) return namesGoneFile || CONDA_COMMAND.test(line) ? 'action' : 'info';
  return namesGoneFile ? 'action' : 'info';
}

/** Folders of other people's code, copied in: not the project's to migrate (the run leaves them out). */
const VENDORED = /(?:^|\/)(?:vendor|vendored|_vendor|third[_-]party|external|externals|node_modules|site-packages)\//i;

export function isVendored(file: string): boolean {
  return VENDORED.test(file);
}

/** Tabular and record data, and lock files: conda words there are data or generated, not instructions. */
const DATA_OR_LOCK =
  /\.(?:csv|tsv|psv|jsonl|ndjson|geojson|parquet|lock)$|(?:^|\/)(?:[^/]*-lock\.[^/]+|[^/]*\.lock\.[^/]+|conda-[^/]*\.lock|Pipfile\.lock|uv\.lock|pixi\.lock)$/i;
/** Folders that hold data, fixtures or samples: JSON there is data, not configuration. */
const DATA_FOLDER = /(?:^|\/)(?:data|datasets?|fixtures|testdata|test_data|samples|examples?\/data)\//i;
/** A JSON file this big is data, whatever its folder. */
const BIG_JSON_BYTES = 100_000;

/**
 * Files whose conda mentions are data, not instructions: CSV/TSV and JSON data (in a data folder, or
 * big), lock files, vendored folders. Notebooks are read for their code only (notebookSourceLines).
 */
export function isDataFile(file: string, text: string): boolean {
  if (isVendored(file) || DATA_OR_LOCK.test(file)) return true;
  if (path.posix.extname(file).toLowerCase() === '.json') return DATA_FOLDER.test(file) || text.length > BIG_JSON_BYTES;
  return false;
}

/**
 * The 1-based lines of a notebook's text that hold its cells' source (not their outputs or metadata),
 * or undefined when it is not an nbformat notebook as Jupyter writes it (one source line per JSON line).
 */
export function notebookSourceLines(text: string): Set<number> | undefined {
  if (!/"cells"\s*:/.test(text)) return undefined;
  const lines = text.split('\n');
  const source = new Set<number>();
  let end: string | undefined; // the line that closes the "source" array being read
  lines.forEach((line, i) => {
    if (end !== undefined) {
      if (line.trimEnd() === end || line.trimEnd() === `${end},`) end = undefined;
      else source.add(i + 1);
      return;
    }
    const open = /^(\s*)"source"\s*:\s*(\[)?\s*("(?:[^"\\]|\\.)*")?/.exec(line);
    if (!open) return;
    if (open[2] && !/\]\s*,?\s*$/.test(line)) end = `${open[1]}]`;
    else source.add(i + 1); // "source": "one string" or a one-line array
  });
  return source;
}

function compare(a: FollowUp, b: FollowUp): number {
  return (
    (a.path < b.path ? -1 : a.path > b.path ? 1 : 0) ||
    (a.line ?? 0) - (b.line ?? 0)
  );
}

/**
 * One follow-up per file, message and severity: repeats go, and the lines of one that recurs in a file
 * (a Windows script's every conda line) are folded into `lines`. Sorted by path and line, otherwise in
 * the order they came (the renderers group them by severity).
 */
export function tidyFollowUps(followUps: readonly FollowUp[]): FollowUp[] {
  const byKey = new Map<string, { first: FollowUp; lines: Set<number> }>();
  for (const f of followUps) {
    const key = `${f.severity}\0${f.path}\0${f.message}\0${f.codemod}`;
    const seen = byKey.get(key);
    const lines = f.lines ?? (f.line !== undefined ? [f.line] : []);
    if (seen) for (const l of lines) seen.lines.add(l);
    else byKey.set(key, { first: f, lines: new Set(lines) });
  }
  const tidy = [...byKey.values()].map(({ first, lines }): FollowUp => {
    const sorted = [...lines].sort((a, b) => a - b);
    const { path, message, codemod, severity } = first;
    const at = sorted.length === 0 ? {} : sorted.length === 1 ? { line: sorted[0]! } : { line: sorted[0]!, lines: sorted };
    return { path, ...at, message, codemod, severity };
  });
  return tidy.sort(compare);
}

/** `path:line`, `path:3,7,12` for folded lines, or the path alone. */
export function where(f: FollowUp): string {
  if (f.lines && f.lines.length > 1) return `${f.path}:${f.lines.length > 6 ? `${f.lines.slice(0, 5).join(',')},…(${f.lines.length} lines)` : f.lines.join(',')}`;
  return f.line !== undefined ? `${f.path}:${f.line}` : f.path;
}

/** How many follow-ups of each severity. */
export function countBySeverity(followUps: readonly FollowUp[]): Record<Severity, number> {
  const counts: Record<Severity, number> = { blocks: 0, action: 0, info: 0 };
  for (const f of followUps) counts[f.severity]++;
  return counts;
}
