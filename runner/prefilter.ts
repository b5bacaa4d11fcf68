// The pre-filter: which files a run can skip unread because a `git grep` showed they hold none of the
// words a codemod (or the plan, or the leftovers pass) looks for, and when those greps run. Only
// scheduling: with or without it a run's result is the same (test/reliability-prefilter.test.ts).
//
// - At the start, an inventory that reads only files holding its word asks git for them at once, and an
//   env file at the top of the repository (a migration is likely) starts the pre-pass: one git grep over
//   every tracked file for every codemod's words and the env files' names known then.
// - The inventories' and the plan's questions ("which of these files may mention X?") are answered from
//   those greps when they cover them, else by a grep of their own when reading the files would cost more.
// - After the plan, the pre-pass starts if it has not (a migration: the leftovers pass reads every text
//   file; no migration: only when the codemods that still run have hundreds of files to read).
// - A codemod waits for it only when it has hundreds of unread files; the others read theirs meanwhile.
import { readdirSync, statSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import type { MigrationContext } from '../contract/context.js';
import { grepFiles, grepPaths, literalNeedles, type GitFiles } from './discover.js';
import type { Codemod } from '../contract/types.js';
import type { MemoryFs } from './vfs.js';

type Hits = Promise<Set<string> | undefined>;

/**
 * Every word the leftovers pass looks for contains one of these (its CONDA_WORD: conda, mamba,
 * micromamba, miniconda, anaconda, miniforge, mambaforge, CONDA_*).
 */
const LEFTOVER_NEEDLES = ['conda', 'mamba', 'miniforge'];

/** Below this many files to read, reading them is cheaper than a git grep over the repository. */
const PRE_PASS_MIN_FILES = 300;

export class PreFilter {
  /** Whether a migration is likely from the start (an env file at the top). */
  readonly likely: boolean;
  /** Milliseconds the plan and the transforms waited for the pre-pass. */
  readonly waited = { plan: 0, transforms: 0 };
  private readonly needles: Map<Codemod, string[] | undefined>;
  private readonly allNeedles: Set<string>;
  /** The inventories' greps started at once, by needle: the extensions they covered and their answer. */
  private readonly early = new Map<string, { extensions: string[]; hits: Hits }>();
  /** What the inventories' questions learned: per needle, the tracked files searched and those holding it. */
  private readonly searched = new Map<string, { paths: ReadonlySet<string>; hits: ReadonlySet<string> }>();
  /** The whole-repository pre-pass, once started, and the words it looks for (lower case). */
  private grepping: Hits | undefined;
  private grepNeedles: string[] = [];
  private listing: GitFiles | undefined;
  private fs: MemoryFs | undefined;
  /** The pre-pass the transforms use, if any, and whether it has answered. */
  private prePass: Hits | undefined;
  private prePassDone = true;
  /** Whether a file's text may hold one of the pre-pass's words (untracked files are not grepped), once it answered. */
  private mentioning: { has(path: string): boolean } | undefined;
  /** The tracked files the pre-pass found a word in, once it answered. */
  private grepHits: ReadonlySet<string> | undefined;

  /** `inGit`: whether git is listing the files (outside git, or with a given file system, nothing is grepped). */
  constructor(
    private readonly dir: string,
    codemods: readonly Codemod[],
    all: readonly Codemod[],
    inGit: boolean,
  ) {
    this.needles = new Map(codemods.map((c) => [c, c.mentions && literalNeedles(c.mentions)]));
    this.allNeedles = new Set([...LEFTOVER_NEEDLES, ...[...this.needles.values()].flatMap((n) => n ?? [])]);
    // An inventory that reads only files holding its word, in files named `**/*.ext`: ask git which those
    // are at once, while it still walks the work tree for untracked files.
    for (const codemod of inGit ? all : []) {
      const words = codemod.inventoryByMentions && codemod.mentions ? literalNeedles(codemod.mentions) : undefined;
      const extensions = codemod.files.map((p) => /^\*\*\/\*(\.[^*?[\]{}()!+@\\/]+)$/.exec(p)?.[1]);
      if (words?.length !== 1 || this.early.has(words[0]!.toLowerCase()) || extensions.some((e) => e === undefined)) continue;
      const hits = grepFiles(dir, words, extensions.map((e) => `*${e}`)).catch(() => undefined);
      this.early.set(words[0]!.toLowerCase(), { extensions: extensions as string[], hits });
    }
    const topEnvFiles = inGit ? likelyEnvFiles(dir) : [];
    this.likely = topEnvFiles.length > 0;
    if (this.likely) this.startGrep(topEnvFiles);
  }

  /**
   * The pre-pass (git grep) runs in a child process: once a migration is known (the env inventory comes
   * first) it always pays, so it starts then and overlaps the other inventories instead of waiting for
   * them. It is needed only after the inventories, so it leaves one core to what the run waits for first
   * (git's walk of the work tree, and the main thread): on 2 cores, one grep thread, where git would
   * start one per core. It also looks for the env files' names known when it starts, so that the plan's
   * question "who names this env file?" needs no git grep of its own (the plan then reads a few more
   * files, never fewer).
   */
  private startGrep(envNames: Iterable<string> = []): Hits {
    if (this.grepping) return this.grepping;
    const lower = [...new Set([...this.allNeedles, ...envNames].map((n) => n.toLowerCase()))];
    // A word holding another (`environment.yml`, `environment`) finds no file the other misses.
    this.grepNeedles = lower.filter((n) => !lower.some((m) => m !== n && n.includes(m)));
    const threads = Math.max(1, availableParallelism() - 1);
    return (this.grepping = grepFiles(this.dir, this.grepNeedles, ['.'], threads).catch(() => undefined));
  }

  /** Once the files are known: git's listing (undefined outside git) and the run's file system. */
  discovered(listing: GitFiles | undefined, fs: MemoryFs): void {
    this.listing = listing;
    this.fs = fs;
    // A file named like a conda env file makes a migration likely: start at once, overlapping the env inventory.
    const envLike = listing?.paths.filter((p) => YAML_NAME.test(p) && LIKELY_ENV_FILE.test(p)) ?? [];
    if (envLike.length > 0) this.startGrep(envLike.map(baseName));
  }

  /** Before each inventory: once a migration is known, the pre-pass always pays. */
  migrationKnown(ctx: MigrationContext): void {
    if (this.listing && ctx.migrating) this.startGrep(ctx.conda.envFiles.map((e) => baseName(e.path)));
  }

  /** A file a git grep can answer for: tracked, not yet read, and still as on disk. */
  private greppable = (p: string): boolean => this.listing !== undefined && !this.listing.untracked.has(p) && this.fs!.unread(p);

  /**
   * Those of `paths` that may hold any of `needles` (a superset): a git grep over the unread tracked ones,
   * or `answered` (a grep already under way that covered them); every path when reading a few files
   * beats starting git, or when git fails. `searched`: what the grep looked at, and what it found.
   */
  private async narrow(paths: readonly string[], needles: readonly string[], answered?: Hits) {
    const unread = paths.filter(this.greppable);
    if (unread.length === 0 || (!answered && unread.length <= PRE_PASS_MIN_FILES)) return { kept: [...paths] };
    const hits = await (answered ?? grepPaths(this.dir, needles, unread).catch(() => undefined));
    if (!hits) return { kept: [...paths] };
    const searchedPaths = new Set(unread);
    return { kept: paths.filter((p) => !searchedPaths.has(p) || hits.has(p)), searched: { paths: searchedPaths, hits } };
  }

  /** InventoryApi.mentioning: those of `paths` that may hold `needle`. */
  mayMention = async (paths: readonly string[], needle: string): Promise<string[]> => {
    if (!this.listing) return [...paths];
    // The early grep answers when it covered every such file.
    const prior = this.early.get(needle.toLowerCase());
    const answered = prior && paths.filter(this.greppable).every((p) => prior.extensions.some((e) => p.endsWith(e))) ? prior.hits : undefined;
    const { kept, searched } = await this.narrow(paths, [needle], answered);
    if (searched) this.searched.set(needle.toLowerCase(), searched);
    return kept;
  };

  /** The same for several needles at once (the plan's questions): one git grep for them all. */
  mayMentionAny = async (paths: readonly string[], needles: readonly string[]): Promise<string[]> => {
    if (needles.length === 0) return [];
    if (!this.listing) return [...paths];
    // A file holding one of these needles holds a word of the whole-repository pre-pass when each needle
    // contains one: its answer is then a superset, and no other git grep reads the repository again.
    const grepping = this.grepping;
    const covered = grepping !== undefined && needles.every((n) => this.grepNeedles.some((g) => n.toLowerCase().includes(g)));
    if (!covered) return (await this.narrow(paths, needles)).kept;
    const start = performance.now();
    const { kept } = await this.narrow(paths, needles, grepping);
    this.waited.plan += performance.now() - start;
    return kept;
  };

  /** Whether a grep showed `path` (while still as on disk) holds none of the words `codemod.mentions` needs. */
  private ruledOut(codemod: Codemod, path: string): boolean {
    return (
      this.needles.get(codemod)?.every((n) => {
        const known = this.searched.get(n.toLowerCase());
        return known !== undefined && known.paths.has(path) && !known.hits.has(path);
      }) === true
    );
  }

  /**
   * After the inventories and the plan. Without a migration the pre-pass starts only now, when the
   * inventories tell whether it can pay: most codemods do not run, and what the rest need is usually
   * read already (it would only compete for the CPU with discovery), and only the prefiltered codemods'
   * targets matter, so the grep covers only their kinds of file. If git grep fails, every file is read.
   */
  schedule(codemods: readonly Codemod[], migrating: boolean): void {
    const listing = this.listing;
    if (!listing) return;
    const targets = this.prefilteredTargets(codemods, migrating);
    const grepTargets = () => this.grepping ?? grepPaths(this.dir, [...this.allNeedles], targets.paths).catch(() => undefined);
    this.prePass = targets.all ? this.startGrep() : targets.unread > PRE_PASS_MIN_FILES ? grepTargets() : undefined;
    this.prePassDone = this.prePass === undefined;
    // Its answer once git is done. Until then a codemod with few files to read reads them instead of waiting.
    void this.prePass?.then((grepped) => {
      this.prePassDone = true;
      if (!grepped) return;
      this.grepHits = grepped;
      this.mentioning = { has: (p: string) => grepped.has(p) || listing.untracked.has(p) };
    });
  }

  /**
   * The files prefiltered transforms would look at, and how many of them are still unread (the pre-pass
   * may spare those); `all` when migrating, since the leftovers pass then reads every text file.
   */
  private prefilteredTargets(codemods: readonly Codemod[], migrating: boolean): { all: boolean; paths: string[]; unread: number } {
    if (migrating) return { all: true, paths: [], unread: Number.MAX_SAFE_INTEGER };
    const paths = new Set<string>();
    const unread = new Set<string>();
    for (const codemod of codemods) {
      if (codemod.onlyWhenMigrating || !this.needles.get(codemod)) continue;
      for (const p of this.fs!.matching(codemod.files)) {
        paths.add(p);
        if (!this.fs!.isLoaded(p) && !this.ruledOut(codemod, p)) unread.add(p);
      }
    }
    return { all: false, paths: [...paths], unread: unread.size };
  }

  /** Whether the pre-pass is still running (the pipeline then lets the event loop drain git's output). */
  get pending(): boolean {
    return !this.prePassDone;
  }

  private async wait(): Promise<void> {
    const start = performance.now();
    await this.prePass;
    this.waited.transforms += performance.now() - start;
  }

  /**
   * Before a codemod transforms `targets`: waits for the pre-pass when it has more of them to read than
   * reading beats, then tells which files it can skip unread (their disk text holds none of the words its
   * `mentions` needs).
   */
  async skipping(codemod: Codemod, targets: readonly string[]): Promise<(path: string) => boolean> {
    const needles = this.needles.get(codemod);
    if (!this.prePassDone && needles && targets.filter((p) => this.greppable(p) && !this.ruledOut(codemod, p)).length > PRE_PASS_MIN_FILES) await this.wait();
    const known = needles ? this.mentioning : undefined;
    return (path) => (known?.has(path) === false || this.ruledOut(codemod, path)) && this.fs!.pristine(path);
  }

  /** After the transforms: the pre-pass's answer, for the leftovers pass (git runs to its end anyway). */
  async finish(): Promise<void> {
    if (!this.prePassDone) await this.wait();
  }

  /**
   * The paths the leftovers pass must read, sorted as fs.paths() is; undefined: every path. The rest are
   * files it could find nothing in: unchanged on disk, holding no needle and not the stem of a deleted or
   * renamed file's name. Stems, not paths: a gone file may be named by its base name, or regex-escaped
   * (`linux_environment\.yml`), and each holds the stem.
   */
  async leftoverPaths(fs: MemoryFs, migrating: boolean): Promise<string[] | undefined> {
    const { grepHits, listing } = this;
    if (!migrating || !grepHits || !listing) return undefined;
    const stems = [...fs.deleted, ...fs.renames.keys()].map((g) => {
      const base = baseName(g);
      return base.replace(/\.[^.]*$/, '') || base;
    });
    const lowNeedles = [...this.allNeedles].map((n) => n.toLowerCase());
    const uncovered = [...new Set(stems.filter((stem) => !lowNeedles.some((n) => stem.toLowerCase().includes(n))))];
    const naming = uncovered.length > 0 ? await grepFiles(this.dir, uncovered).catch(() => undefined) : new Set<string>();
    if (!naming) return undefined;
    const paths = new Set<string>();
    for (const group of [grepHits, listing.untracked, naming]) for (const p of group) if (fs.exists(p)) paths.add(p);
    for (const change of fs.changes()) if (change.kind !== 'deleted') paths.add(change.path);
    return [...paths].sort();
  }
}

/** environment.yml, linux_environment.yml, conda-env.yaml... (a guess for timing, and for which names the pre-pass also looks for: a run's result is the same either way). */
const LIKELY_ENV_FILE = /(?:^|\/)[^/]*(?:environment|conda)[^/]*\.ya?ml$/i;
/** What every LIKELY_ENV_FILE ends with: a cheaper test, first (most of 20,000 paths fail it). */
const YAML_NAME = /\.ya?ml$/i;

const baseName = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** The names of the conda env files at the top of `dir` (a guess for timing only, like LIKELY_ENV_FILE). */
function likelyEnvFiles(dir: string): string[] {
  try {
    return readdirSync(dir).filter((name) => LIKELY_ENV_FILE.test(name));
  } catch {
    return [];
  }
}

/** A conda env file at the top of `dir`. */
export function migrationLikely(dir: string): boolean {
  return likelyEnvFiles(dir).length > 0;
}

/**
 * From an index this big (~10,000 tracked files) on, git's walk outlasts loading mvdan-sh with room to
 * spare; in smaller ones a warm-up only competes with git for the CPU.
 */
const WARM_UP_MIN_INDEX_BYTES = 1_000_000;

/** Whether git's walk of `dir` is likely to outlast the warm-ups (its index is that big). */
export function walkOutlastsWarmUp(dir: string): boolean {
  try {
    return statSync(join(dir, '.git', 'index')).size >= WARM_UP_MIN_INDEX_BYTES;
  } catch {
    return false; // no index, or a worktree or submodule (.git is a file): a guess anyway
  }
}

/**
 * `pending`'s value, and the milliseconds spent in warm-ups: until it settles, the codemods' warm-ups run
 * one at a time, each only while `pending` is not yet seen settled.
 */
export async function warmingUpUntil<T>(pending: Promise<T>, codemods: readonly Codemod[]): Promise<{ value: T; ms: number }> {
  let settled = false;
  const settle = () => (settled = true);
  pending.then(settle, settle);
  let ms = 0;
  for (const codemod of codemods) {
    if (!codemod.warmUp) continue;
    await new Promise((resolve) => setImmediate(resolve)); // git's answer, if it came, is seen first
    if (settled) break;
    const started = performance.now();
    try {
      await codemod.warmUp();
    } catch {
      // The transform loads the parser again, and fails there with the file's path.
    }
    ms += performance.now() - started;
  }
  return { value: await pending, ms: Math.round(ms) };
}
