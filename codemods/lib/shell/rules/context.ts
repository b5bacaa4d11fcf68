// What a rule sees of the walk (engine.ts): the command's words, the scope, the host's policy, and
// three things it may do: replace a span, leave a note, or ask the walker to rewrite inside a word.
import type { ShellOptions } from '../index.js';
import type { ShNode } from '../parser.js';

export interface Scope {
  /** Commands run inside the activated conda env. */
  activated: boolean;
  /** Env commands get `uv run ` (uv-run policy, and not already inside `uv run bash -c`). */
  prefix: boolean;
  /** The activated env is this project's, in a repository of several (ShellOptions.projects). */
  project?: string;
}

/** What ran in the activated env, for HostPolicy.venvActivation's rule. */
export interface Seen {
  /** A conda activation was met (so `venvActivation` has a line to replace). */
  activation: boolean;
  /** Commands run in the activated env that got `uv run`, and those uv run is not known to cover. */
  envCommands: number;
  uncovered: number;
}

export interface RuleContext {
  /** The host's policy (options.host), the migration context, renames. */
  readonly options: ShellOptions;
  /** The parsed text (host syntax masked), for the spaces and lines around a word. */
  readonly src: string;
  scope: Scope;
  readonly seen: Seen;
  /** How many folders below the snippet's start `cd` went (undefined: somewhere unknown): `.` is the project there only. */
  readonly cwdDepth: number | undefined;
  pos(node: ShNode): number;
  /** A parser position's string index (an operator's OpPos). */
  index(position: ShNode): number;
  end(node: ShNode): number;
  /** A node's original (unmasked) text. */
  raw(node: ShNode): string;
  /** End of a statement without its `;`. */
  cutEnd(stmt: ShNode): number;
  replace(start: number, end: number, text: string): void;
  note(node: ShNode, message: string): void;
  /** Rewrite what a node holds (`$(...)`, `$CONDA_PREFIX`, conda paths, renamed files), with no rule for the node itself. */
  scan(node: ShNode | undefined): void;
  scanAll(nodes: readonly ShNode[] | undefined): void;
  /** Rewrite the script of `bash -c WORD` inside its quotes; its new text when it was rewritten. */
  nested(word: ShNode): string | undefined;
  /** Rewrite a statement with every rule (a side of a pipeline); true when it is to be removed. */
  stmt(stmt: ShNode): boolean;
  /** Run `fn` in a child process's scope: activation inside does not leak out. */
  isolated<T>(fn: () => T): T;
}

/** A simple command, from its command word on (after wrappers such as `exec`, `srun --ntasks=4`). */
export interface Command {
  stmt: ShNode;
  /** The CallExpr (its Args hold the wrappers too). */
  call: ShNode;
  args: ShNode[];
  /** Each word's literal text, or undefined when it expands. */
  texts: (string | undefined)[];
  wrapped: boolean;
}

/** A rule: true when the statement is to be removed, false when handled, undefined when it is not this rule's command. */
export type CommandRule = (r: RuleContext, c: Command) => boolean | undefined;
