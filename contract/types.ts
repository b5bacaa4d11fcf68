// The codemod contract and what the runner hands a codemod (docs/design.md, "The contract").
import type { MigrationContext } from './context.js';

export type { MigrationContext } from './context.js';

/** One file as a codemod sees it: text with a BOM stripped and CRLF folded to LF (restored on write). */
export interface FileInfo {
  path: string; // repository-relative, forward slashes
  source: string;
}

/**
 * How much a follow-up matters: `blocks` (the build, CI or lock fails until a person acts), `action`
 * (a change a person should make), `info` (worth knowing). The rule for one its creator leaves out is
 * in runner/followups.ts.
 */
export type Severity = 'blocks' | 'action' | 'info';

export interface FollowUp {
  path: string;
  line?: number;
  /** Every line of `path` this follow-up stands for, when it stands for several (sorted; `line` is the first). */
  lines?: number[];
  message: string;
  codemod: string;
  severity: Severity;
}

/** What a codemod hands `report()`: a follow-up, its severity optional (see runner/followups.ts). */
export interface FollowUpInput {
  path: string;
  line?: number;
  message: string;
  severity?: Severity;
}

/** A decision a codemod took, for the migration report ("every decision"). */
export interface Decision {
  path?: string;
  message: string;
  codemod: string;
}

export interface RunOptions {
  dir: string; // absolute target directory
  dry: boolean;
  force: boolean;
  lock: boolean;
  strict: boolean;
  keepConda: boolean;
  uvVersion: string;
  setupUvVersion: string;
  verbose: boolean;
  /** Paths (picomatch patterns) the run neither reads, changes nor reports: --exclude and the config file. */
  exclude?: readonly string[];
  /** A single file to migrate (repository-relative) when the target was a file, not a folder. */
  only?: string;
}

/** The in-memory file system every codemod reads and writes through. Paths are repository-relative. */
export interface VirtualFs {
  /** Current text of a file (after earlier codemods), or undefined if missing, deleted, binary or unreadable. */
  read(path: string): string | undefined;
  exists(path: string): boolean;
  /** Every live path (discovered, created or renamed-to), sorted. */
  paths(): readonly string[];
  /** The live paths matching any of these picomatch patterns (`dot: true`), sorted. */
  matching(patterns: readonly string[]): readonly string[];
  /**
   * Why `path` cannot be written as a text file, or undefined when it can: a symlink, a folder, a file
   * git ignores (an existing file is only ever edited, never replaced unseen), or one that is not text.
   */
  unwritable(path: string): string | undefined;
  /** Create or replace a file's text. `mode` is only used for a new file. Throws where `unwritable` says why. */
  write(path: string, source: string, mode?: number): void;
  delete(path: string): void;
  /** Move a file (its current text and mode) to a new path; recorded in `renames`. */
  rename(from: string, to: string): void;
  /** Original path -> new path, for every rename done in this run. */
  readonly renames: ReadonlyMap<string, string>;
  /** Original paths deleted in this run (renames excluded). */
  readonly deleted: ReadonlySet<string>;
}

/** What every hook of a codemod receives for one run. */
interface RunApi<State> {
  /** The migration context; its `plan` (set before any transform) is the run's one decision. */
  ctx: MigrationContext;
  fs: VirtualFs;
  options: RunOptions;
  /** The codemod's own state for this run (from its `createState`), the same object in every hook. */
  state: State;
  /** `parse(text)` once per run and kind of parse (an inventory and a transform often parse the same text); do not mutate the result. */
  parseOnce<T>(kind: string, text: string, parse: (text: string) => T): T;
  /** A follow-up for a person: something the codemod could not or would not do. */
  report(followUp: FollowUpInput): void;
  /** A decision taken, listed in the migration report. */
  decide(message: string, path?: string): void;
}

export type Api<State = unknown> = RunApi<State>;

export type TransformResult = string | null | undefined;

// State is `any` by default so that one registry holds codemods with different states.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export interface Codemod<State = any> {
  name: string;
  description: string;
  /** picomatch patterns matched against the repository-relative path (with `dot: true`). */
  files: string[];
  /** Cheap pre-filter on the text: files that do not match are skipped unread by the parser. */
  mentions?: RegExp;
  /** Run only when the repository is being migrated (it has conda env files). */
  onlyWhenMigrating?: boolean;
  /**
   * In a repository of several projects (the plan's units, each migrated on its own), also runs on the
   * files outside them: it knows which project each env file belongs to.
   */
  projectAware?: boolean;
  /**
   * Optional inventory step, run for every codemod before any transform, to add repository facts to
   * the migration context (e.g. Dockerfile WORKDIRs, compose bind mounts). Must not modify files.
   */
  inventory?(api: InventoryApi<State>): void | Promise<void>;
  /** Makes the codemod's per-run state (what its inventory learns for its transforms, its memos): once per run. */
  createState?(): State;
  /**
   * The inventory reads only those of its files that hold its `mentions` words (it asks `mentioning`
   * for them): the runner then asks git which files those are early, while git still lists the rest.
   */
  inventoryByMentions?: boolean;
  /**
   * Loads the parsers its transforms are likely to need, so that a run can do it while git still walks
   * the work tree (only when a migration is likely: an env file at the top). Reads no file; a failure
   * is ignored (the transform loads the parser again and fails there).
   */
  warmUp?(): void | Promise<void>;
  /** Return the new source; the same string or null/undefined means unchanged/skipped. Throw to fail the file. */
  transform(file: FileInfo, api: Api<State>): TransformResult | Promise<TransformResult>;
  /** Optional step run once after every file of this codemod was transformed (e.g. to create a file). */
  finish?(api: Api<State>): void | Promise<void>;
}

export interface InventoryApi<State = unknown> extends RunApi<State> {
  /** The paths this codemod's `files` patterns match (pre-filter not applied). */
  matching(): string[];
  /**
   * Those of `paths` whose text may hold `needle` (ASCII case ignored): inside git one `git grep` over
   * the tracked ones spares reading the rest; untracked, changed or unknown paths are always kept.
   */
  mentioning(paths: readonly string[], needle: string): Promise<string[]>;
}

export type FileStatus = 'modified' | 'created' | 'deleted' | 'renamed' | 'unchanged' | 'error';

export interface FileResult {
  path: string;
  codemod: string;
  status: FileStatus;
  from?: string;
  message?: string;
}

export interface CodemodStats {
  name: string;
  ok: number;
  unchanged: number;
  skipped: number;
  errors: number;
  ms: number;
}
