// The one shell engine every host calls (DESIGN.md "One shell engine, many hosts").
import type { MigrationContext } from '../../../runner/context.js';
import { applyEdits, lineColAt } from '../text.js';
import { Rewriter } from './engine.js';
import { parseShell, ShellParseError } from './parser.js';

export { maskGithubExpressions, maskMakefile } from './mask.js';

/**
 * How the environment is reached in the host:
 * - `uv-run`: developer-facing places (Makefile, docs, CI, scripts): a command that ran inside the
 *   activated env becomes `uv run CMD`.
 * - `venv-on-path`: inside an image whose PATH holds the venv: activation is dropped, commands stay.
 */
export type ShellPolicy = 'uv-run' | 'venv-on-path';

/** Where the snippet lives: decides details such as `uv sync --locked` (docker, ci) or `uv add` (docs). */
export type ShellHost = 'dockerfile' | 'compose' | 'makefile' | 'ci' | 'docs' | 'script' | 'package-json' | 'js';

export interface ShellOptions {
  policy: ShellPolicy;
  host: ShellHost;
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
}

/** Cheap pre-filter: a snippet that mentions none of these has nothing for the engine (unless it starts activated). */
const CONDA_SHAPED = /conda|mamba|activate|CONDA_/;

/** Rewrite conda commands in a shell snippet. Never throws: a snippet that does not parse comes back unchanged with a note. */
export function rewriteShell(text: string, options: ShellOptions): ShellResult {
  const activated = options.activated ?? false;
  const unchanged = (notes: ShellNote[], activatedAfter = activated): ShellResult => ({ text, changed: false, notes, activatedAfter });
  const namesRenamed = [...(options.renames?.keys() ?? [])].some((from) => text.includes(from.slice(from.lastIndexOf('/') + 1)));
  if (!activated && !namesRenamed && !CONDA_SHAPED.test(text)) return unchanged([]);
  const masked = options.mask ? options.mask(text) : text;
  if (masked.length !== text.length) throw new Error('a shell mask must keep the text length');
  let file;
  try {
    file = parseShell(masked);
  } catch (error) {
    if (!(error instanceof ShellParseError)) throw error;
    return unchanged([{ line: error.line, col: error.col, message: `does not parse as shell (${error.message}): left unchanged` }]);
  }
  const rewriter = new Rewriter(masked, text, options, { activated, prefix: options.policy === 'uv-run' });
  try {
    rewriter.list(file.Stmts, 'top');
  } catch (error) {
    // A rule bug must not cost the host its file: leave the snippet as it is and say so.
    return unchanged([{ line: 1, col: 1, message: `the shell engine failed (${(error as Error).message}): left unchanged` }]);
  }
  const notes = rewriter.notes
    .sort((a, b) => a.index - b.index)
    .map((n) => ({ ...lineColAt(text, n.index), message: n.message }));
  const activatedAfter = rewriter.scope.activated;
  const edits = rewriter.finalEdits();
  if (edits.length === 0) return unchanged(notes, activatedAfter);
  let out: string;
  try {
    out = applyEdits(text, edits);
    parseShell(options.mask ? options.mask(out) : out); // the re-parse guard
  } catch (error) {
    const why = error instanceof ShellParseError ? `the rewrite would not parse (${error.message})` : `the rewrite failed (${(error as Error).message})`;
    return unchanged([...notes, { line: 1, col: 1, message: `${why}: left unchanged` }], activated);
  }
  return { text: out, changed: out !== text, notes, activatedAfter };
}
