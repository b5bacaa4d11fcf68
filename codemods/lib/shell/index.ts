// The one shell engine every host calls (DESIGN.md "One shell engine, many hosts").
// TODO(issue 4): the contract below is fixed; the implementation is a pass-through until the engine lands.
import type { MigrationContext } from '../../../runner/context.js';

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

/** Rewrite conda commands in a shell snippet. Never throws: a snippet that does not parse comes back unchanged with a note. */
export function rewriteShell(text: string, options: ShellOptions): ShellResult {
  void options;
  return { text, changed: false, notes: [], activatedAfter: false };
}
