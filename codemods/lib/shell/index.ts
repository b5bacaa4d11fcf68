// The one shell engine every host calls (docs/design.md, the shell engine).
import type { MigrationContext } from '../../../contract/context.js';
import { applyEdits, lineColAt } from '../text.js';
import { remembered } from '../memo.js';
import { Walker } from './engine.js';
import type { HostPolicy } from './hosts.js';
import { parseShell, sh, ShellParseError, unquoted, type ShNode } from './parser.js';

export { maskGithubExpressions, maskMakefile } from './mask.js';
export { loadShellParser } from './parser.js';
export { envProjects } from './projects.js';
export { HOSTS, type HostPolicy, type ShellHost, type ShellPolicy } from './hosts.js';
export { ACTIVATED_COMMANDS } from './engine.js';

export interface ShellOptions {
  /** What differs between hosts (HOSTS.x, or one derived from it). */
  host: HostPolicy;
  /** The snippet starts inside the activated env (a CI step after a conda setup step, a recipe that used the activation macro). */
  activated?: boolean;
  /** The migration context: env names and files, console scripts, renames (through `renames`). */
  ctx?: MigrationContext;
  /** Original path -> new path of files renamed in this run (e.g. conda-install.sh -> uv-install.sh). */
  renames?: ReadonlyMap<string, string>;
  /**
   * Makes the host's own syntax parse as shell without moving offsets (`maskMakefile`,
   * `maskGithubExpressions`). The engine parses the masked text and splices into the original one.
   */
  mask?: (text: string) => string;
  /** Variables whose assignments stay, because a line the rewrite keeps still reads them (set by rewriteShell). */
  keepAssigned?: ReadonlySet<string>;
  /**
   * In a repository of several projects (run at its top): conda env name or env file -> the project's
   * folder, so commands that used that env work on that project (`uv run --project app`, `uv sync --project app`).
   */
  projects?: ReadonlyMap<string, string>;
  /** Write `venvActivation` for every conda activation, whatever the snippet runs (the host decided; set by rewriteShell). */
  useVenvActivation?: boolean;
}

export interface ShellNote {
  line: number; // 1-based, in the snippet
  col: number; // 1-based
  message: string;
}

export interface ShellResult {
  text: string;
  changed: boolean;
  notes: ShellNote[];
  /** The snippet leaves the env activated (a following snippet in the same host starts activated). */
  activatedAfter: boolean;
  /** The parser's error when the snippet does not parse (also given as a note): a host whose whole file is the snippet refuses the file. */
  parseError?: ShellNote;
  /**
   * What ran in the activated env needs the activation (the rule of `venvActivation`): a host that decides
   * over several snippets (a GitLab job, a Makefile recipe's macro) writes the venv's activation then.
   */
  needsActivation?: boolean;
}

/** Cheap pre-filter: a snippet that mentions none of these has nothing for the engine (unless it starts activated). */
const CONDA_SHAPED = /conda|mamba|activate|CONDA_/;

/**
 * The rewrites of a run (by its context), by text and options: the same snippet recurs across a
 * repository's files (each service's README, scripts and recipes) and its rewrite is a function of
 * both. The engine reads only the context's conda facts and plan, which are settled before any
 * transform. Results are frozen: every caller shares them.
 */
const rewrites = new WeakMap<MigrationContext, Map<string, ShellResult>>();
const REWRITES_KEPT = 1000;
/** Longer snippets (whole scripts) seldom recur: not kept, as parses are not (parser.ts). */
const REWRITE_MAX_CHARS = 16 * 1024;
const maskIds = new WeakMap<(text: string) => string, number>();
let masksSeen = 0;

/** The memo key of a rewrite: every option but the context, which picks the memo; undefined when it cannot be kept. */
function rewriteKey(text: string, options: ShellOptions): string | undefined {
  const { host, activated, ctx, renames, mask, keepAssigned, projects, useVenvActivation, ...unknown } = options;
  if (!ctx || text.length > REWRITE_MAX_CHARS || Object.keys(unknown).length > 0) return undefined;
  let maskId = 0;
  if (mask) {
    if (!maskIds.has(mask)) maskIds.set(mask, ++masksSeen);
    maskId = maskIds.get(mask)!;
  }
  const list = (entries: Iterable<unknown> | undefined) => (entries ? [...entries] : null);
  return JSON.stringify([text, host, activated ?? false, list(renames), maskId, list(keepAssigned), list(projects), useVenvActivation ?? false]);
}

function frozen(result: ShellResult): ShellResult {
  for (const note of result.notes) Object.freeze(note);
  Object.freeze(result.notes);
  if (result.parseError) Object.freeze(result.parseError);
  return Object.freeze(result);
}

/** Rewrite conda commands in a shell snippet. Never throws: a snippet that does not parse comes back unchanged with a note. */
export function rewriteShell(text: string, options: ShellOptions): ShellResult {
  const activated = options.activated ?? false;
  const namesRenamed = [...(options.renames?.keys() ?? [])].some((from) => text.includes(from.slice(from.lastIndexOf('/') + 1)));
  if (!activated && !namesRenamed && !CONDA_SHAPED.test(text)) return { text, changed: false, notes: [], activatedAfter: activated };
  const key = rewriteKey(text, options);
  if (key === undefined) return rewriteParsed(text, options);
  let memo = rewrites.get(options.ctx!);
  if (!memo) rewrites.set(options.ctx!, (memo = new Map()));
  return remembered(memo, key, REWRITES_KEPT, () => frozen(rewriteParsed(text, options)));
}

/** rewriteShell past its pre-filter: parse, walk, splice, check. */
function rewriteParsed(text: string, options: ShellOptions): ShellResult {
  const activated = options.activated ?? false;
  const unchanged = (notes: ShellNote[], activatedAfter = activated): ShellResult => ({ text, changed: false, notes, activatedAfter });
  const masked = options.mask ? options.mask(text) : text;
  if (masked.length !== text.length) throw new Error('a shell mask must keep the text length');
  let file;
  try {
    file = parseShell(masked);
  } catch (error) {
    if (!(error instanceof ShellParseError)) throw error;
    const note = { line: error.line, col: error.col, message: `does not parse as shell (${error.message}): left unchanged` };
    return { ...unchanged([note]), parseError: { line: error.line, col: error.col, message: error.message } };
  }
  const walker = new Walker(masked, text, options, { activated, prefix: options.host.reach === 'uv-run' });
  try {
    walker.list(file.Stmts, 'top');
  } catch (error) {
    // A rule bug must not cost the host its file: leave the snippet as it is and say so.
    return unchanged([{ line: 1, col: 1, message: `the shell engine failed (${(error as Error).message}): left unchanged` }]);
  }
  const needsActivation = walker.needsActivation(options.host.keepTrailingActivation ?? false) || undefined;
  if (options.host.venvActivation && !options.useVenvActivation && options.host.reach === 'uv-run' && needsActivation && walker.seen.activation) {
    return { ...rewriteShell(text, { ...options, useVenvActivation: true }), needsActivation };
  }
  const notes = walker.notes
    .sort((a, b) => a.index - b.index)
    .map((n) => ({ ...lineColAt(text, n.index), message: n.message }));
  const activatedAfter = walker.scope.activated;
  const edits = walker.finalEdits();
  if (edits.length === 0) return { ...unchanged(notes, activatedAfter), needsActivation };
  let out: string;
  let assignments: Assignment[];
  try {
    out = applyEdits(text, edits);
    // The re-parse guard, unless the rewrite surely parses: plain commands only, or lines of the
    // snippet and plain commands (a parse costs more than this check).
    const shell = options.mask ? options.mask(out) : out;
    assignments = plainCommands(shell) ? [] : (keptLines(masked, file, shell) ?? assignmentLines(parseShell(shell)));
  } catch (error) {
    const why = error instanceof ShellParseError ? `the rewrite would not parse (${error.message})` : `the rewrite failed (${(error as Error).message})`;
    return unchanged([...notes, { line: 1, col: 1, message: `${why}: left unchanged` }], activated);
  }
  out = dropOrphanedVariables(text, out, assignments);
  // A conda variable (`CONDA_BASE=$(conda info --base)`) goes only when no kept line still reads it:
  // otherwise the rewrite runs again, keeping those assignments.
  let assignedAfter: Set<string> | undefined; // once, and only when a name is asked about
  const stillRead = [...assignedNames(text)].filter((name) => !options.keepAssigned?.has(name) && !(assignedAfter ??= assignedNames(out)).has(name) && reads(out, name));
  if (stillRead.length > 0) return rewriteShell(text, { ...options, keepAssigned: new Set([...(options.keepAssigned ?? []), ...stillRead]) });
  return { text: out, changed: out !== text, notes, activatedAfter, needsActivation };
}

/** Names a snippet assigns (`NAME=...`, `export NAME=...`, `local NAME=...`). */
function assignedNames(text: string): Set<string> {
  return new Set(Array.from(text.matchAll(/(?:^|[;&|({]|\b(?:export|local|declare|readonly))\s*([A-Za-z_]\w*)=/gm), (m) => m[1]!));
}

/** Whether a snippet reads `$NAME` or `${NAME...}`. */
function reads(text: string, name: string): boolean {
  return new RegExp(`\\$\\{?${name}\\b`).test(text);
}

/** A top-level `NAME=value` statement alone on its line (0-based), with a plain literal value. */
export interface Assignment {
  line: number;
  name: string;
}

/** The top-level assignments of a parsed snippet that dropOrphanedVariables may remove. */
export function assignmentLines(file: ShNode): Assignment[] {
  const found: Assignment[] = [];
  for (const stmt of file.Stmts as ShNode[]) {
    const cmd = stmt.Cmd;
    if (!cmd || sh().NodeType(cmd) !== 'CallExpr' || cmd.Args.length > 0 || cmd.Assigns.length !== 1 || stmt.Redirs.length > 0) continue;
    const assign = cmd.Assigns[0];
    if (assign.Value && unquoted(assign.Value) === undefined) continue;
    if (stmt.Pos().Line() !== stmt.End().Line()) continue;
    found.push({ line: Number(stmt.Pos().Line()) - 1, name: assign.Name.Value });
  }
  return found;
}

/**
 * The rewrite `after` parses without parsing it when `before` (whose tree is `file`) holds whole
 * statements on every line (none spans lines: no continuation, heredoc or multi-line compound) and each
 * line of `after` is a line of `before` or plain commands: such lines parse in any order. Then the
 * top-level assignments of `after` (as assignmentLines), else undefined.
 */
export function keptLines(before: string, file: ShNode, after: string): Assignment[] | undefined {
  if (before.includes('<<') || /\\\r?$/m.test(before)) return undefined;
  if ((file.Stmts as ShNode[]).some((stmt) => stmt.Pos().Line() !== stmt.End().Line())) return undefined;
  const lines = before.split('\n');
  const known = new Set(lines);
  const byLine = new Map<number, string[]>();
  for (const { line, name } of assignmentLines(file)) byLine.set(line, [...(byLine.get(line) ?? []), name]);
  const assigned = new Map([...byLine].map(([line, names]) => [lines[line]!, names])); // the same text assigns the same names
  const found: Assignment[] = [];
  const out = after.split('\n');
  for (let i = 0; i < out.length; i++) {
    if (!known.has(out[i]!)) {
      if (!plainCommands(out[i]!)) return undefined;
      continue;
    }
    for (const name of assigned.get(out[i]!) ?? []) found.push({ line: i, name });
  }
  return found;
}

/** Words the parser reads specially at the start of a command (bash's reserved words, declaration builtins). */
const SPECIAL_COMMAND_WORDS = new Set([
  'case', 'coproc', 'do', 'done', 'elif', 'else', 'esac', 'fi', 'for', 'function', 'if', 'in', 'select', 'then', 'time', 'until', 'while',
  'declare', 'export', 'let', 'local', 'nameref', 'readonly', 'typeset',
]);
const PLAIN_LINE = /^[ \t]*(?:([\w./:@%+,-]+)(?:[ \t]+[\w./:@%+,=-]+)*)?[ \t]*$/;

/**
 * Whether every line of `text` is a simple command of plain words (`uv run pytest -q tests`): no quote,
 * expansion, operator, glob, comment or assignment, and no reserved word first. Such a text always
 * parses, and most rewritten snippets are like this.
 */
export function plainCommands(text: string): boolean {
  for (const line of text.split('\n')) {
    const match = PLAIN_LINE.exec(line);
    if (!match || (match[1] !== undefined && SPECIAL_COMMAND_WORDS.has(match[1]))) return false;
  }
  return true;
}

/**
 * `ENV_NAME=geist` on a line of its own at the top level, used before the rewrite and unused after it
 * (it only fed conda commands), goes too. Only plain literal values: nothing with a side effect.
 */
function dropOrphanedVariables(before: string, after: string, assignments: readonly Assignment[]): string {
  const used = (text: string, name: string) => new RegExp(`\\$\\{?${name}\\b`).test(text);
  const orphans = new Set<number>(); // 0-based lines
  for (const { line, name } of assignments) if (used(before, name) && !used(after, name)) orphans.add(line);
  if (orphans.size === 0) return after;
  const lines = after.split('\n');
  const kept: string[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!orphans.has(i) || !/^[ \t]*[A-Za-z_]\w*=\S*[ \t]*$/.test(lines[i]!)) {
      kept.push(lines[i]!);
      continue;
    }
    // No blank line left at the top, nor two where the variable stood between blank lines.
    const blankBefore = kept.length === 0 || kept[kept.length - 1]!.trim() === '';
    if (blankBefore && i + 1 < lines.length - 1 && lines[i + 1]!.trim() === '') i++;
  }
  return kept.join('\n');
}

/** The command names a script runs (every simple command, nested ones too), or undefined when it does not parse. */
export function commandNames(text: string): string[] | undefined {
  let file: ShNode;
  try {
    file = parseShell(text);
  } catch {
    return undefined;
  }
  const names: string[] = [];
  sh().Walk(file, (node: ShNode) => {
    if (node && sh().NodeType(node) === 'CallExpr' && node.Args.length > 0) names.push(unquoted(node.Args[0]) ?? '?');
    return true;
  });
  return names;
}
