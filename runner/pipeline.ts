// The pipeline: discover, inventory, plan, transform, verify, leftovers, check. Nothing is written here.
import path, { join } from 'node:path';
import { CodemodError, formatError } from '../contract/errors.js';
import { checkTree, mergeFindings, startCheckGrep } from './check.js';
import { emptyContext, type MigrationContext } from '../contract/context.js';
import { readerKind } from '../codemods/lib/readers.js';
import { discoverFiles, discoverGitFiles, grepFiles } from './discover.js';
import { globMatcher } from './globs.js';
import { followUp, isVendored, tidyFollowUps } from './followups.js';
import { findLeftovers } from './leftovers.js';
import { gitTopLevel } from './git.js';
import { LOCK_NAME } from './lock.js';
import { buildPlan, pyprojectOf, settleDeletions, withholdDeletions, type Outside } from './plan.js';
import { PreFilter, walkOutlastsWarmUp, warmingUpUntil } from './prefilter.js';
export { migrationLikely } from './prefilter.js'; // the CLI's guess at which folder is the project
import { credentialFollowUps } from './secrets.js';
import { startShellchecks, verifyWrites, type VerifyTarget } from './verify/index.js';
import type { Api, Codemod, CodemodStats, Decision, FileResult, FollowUp, FollowUpInput, InventoryApi, RunOptions } from '../contract/types.js';
import { MAX_FILE_BYTES, MemoryFs, type Change } from './vfs.js';

export interface RunResult {
  ctx: MigrationContext;
  fs: MemoryFs;
  inGit: boolean;
  stats: CodemodStats[];
  files: FileResult[];
  followUps: FollowUp[];
  decisions: Decision[];
  changes: Change[];
  /**
   * Milliseconds per stage (discover, inventory and transform each without its pre-pass wait, the
   * pre-pass wait, verify, leftovers, check),
   * and the parsers' warm-up during discover when there was one, for --verbose.
   */
  timings: Record<string, number>;
}

/**
 * Run `codemods` (already in run order) over `options.dir`; `all` is every codemod, for inventories.
 * Tests may pass a prepared file system and a hook that adjusts the context.
 */
export async function runPipeline(
  codemods: readonly Codemod[],
  all: readonly Codemod[],
  options: RunOptions,
  given?: { fs: MemoryFs; ctx?: (ctx: MigrationContext) => void; unit?: boolean },
  progress?: Progress,
): Promise<RunResult> {
  const run = await discover(codemods, all, options, given, progress);
  await inventory(run, given?.ctx);
  await plan(run);
  await transform(run);
  const checking = () => checkDue(run, given?.unit ?? false);
  // check's git grep reads the files as they are on disk, so it runs beside the verification step; git's
  // ignore rules, asked with it, answer both.
  const grepped = run.discovered && checking() ? startCheckGrep(run.fs, options.dir, (p) => !run.discovered!.untracked.has(p)) : undefined;
  await verify(run, grepped?.ignoredByGit);
  await leftovers(run);
  if (checking()) await check(run, grepped);
  run.stage('check');
  return result(run);
}

/** What the stages of one run share. */
interface Run {
  codemods: readonly Codemod[];
  all: readonly Codemod[];
  options: RunOptions;
  progress: Progress | undefined;
  fs: MemoryFs;
  ctx: MigrationContext;
  preFilter: PreFilter;
  discovered: Awaited<ReturnType<typeof discoverGitFiles>>;
  /** The files of reader kinds that --exclude leaves alone, read only to see which env files they name. */
  leftAlone: MemoryFs | undefined;
  inGit: boolean;
  stats: CodemodStats[];
  followUps: FollowUp[];
  decisions: Decision[];
  failed: Map<string, FileResult>;
  /** path -> codemod that looked at it and left it unchanged */
  looked: Map<string, string>;
  /** Changes kept in memory but not written (a rename whose file failed verification with pyproject.toml). */
  withheld: Set<string>;
  api(codemod: Codemod): Api;
  sink(codemod: string): Pick<Api, 'report' | 'decide'>;
  timings: Record<string, number>;
  /** Close the stage `name`: its milliseconds since the previous one. */
  stage(name: string): void;
}

/** List the files (git, else the folder), in a big repository likely to migrate loading the parsers meanwhile. */
async function discover(codemods: readonly Codemod[], all: readonly Codemod[], options: RunOptions, given: { fs: MemoryFs } | undefined, progress: Progress | undefined): Promise<Run> {
  const timings: Record<string, number> = {};
  let lap = performance.now();
  const discovering = given ? undefined : discoverGitFiles(options.dir);
  const preFilter = new PreFilter(options.dir, codemods, all, discovering !== undefined);
  // In a big repository where a migration is likely, load the parsers while git walks the tree (the main
  // thread would only wait).
  const warm = preFilter.likely && walkOutlastsWarmUp(options.dir) ? await warmingUpUntil(discovering!, codemods) : undefined;
  const discovered = warm ? warm.value : await discovering;
  // Vendored folders are other people's code, and --exclude names what the user wants left alone; the
  // lock file of a writing run (this one's, or another's that is refused) is never the run's to read.
  const excluded = options.exclude?.length ? globMatcher(options.exclude) : undefined;
  const found = given ? [] : (discovered?.paths ?? (await discoverFiles(options.dir)));
  const fs = given?.fs ?? new MemoryFs(options.dir, found.filter((p) => !isVendored(p) && !excluded?.(p) && p !== LOCK_NAME));
  // What --exclude leaves alone still reads what it names: the plan keeps an env file such a file reads.
  const leftAlone = excluded ? found.filter((p) => excluded(p) && !isVendored(p) && readerKind(p) !== undefined) : [];
  preFilter.discovered(discovered, fs);
  const ctx = emptyContext(options.dir, options.uvVersion, options.setupUvVersion);
  const followUps: FollowUp[] = [];
  const decisions: Decision[] = [];
  const sink = (codemod: string) => ({
    report: (f: FollowUpInput) => void followUps.push(followUp(f, codemod)),
    decide: (message: string, path?: string) => void decisions.push({ message, codemod, ...(path ? { path } : {}) }),
  });
  // Each codemod's state and the parse memo live as long as this run, and no longer.
  const states = new Map<Codemod, unknown>();
  const stateOf = (codemod: Codemod) => {
    if (!states.has(codemod)) states.set(codemod, codemod.createState?.());
    return states.get(codemod);
  };
  const parses = new Map<string, Map<string, unknown>>();
  const parseOnce = <T>(kind: string, text: string, parse: (text: string) => T): T => {
    let byText = parses.get(kind);
    if (!byText) parses.set(kind, (byText = new Map()));
    if (!byText.has(text)) byText.set(text, parse(text));
    return byText.get(text) as T;
  };
  const run: Run = {
    codemods,
    all,
    options,
    progress,
    fs,
    ctx,
    preFilter,
    discovered,
    leftAlone: leftAlone.length > 0 ? new MemoryFs(options.dir, leftAlone) : undefined,
    inGit: discovered !== undefined,
    stats: [],
    followUps,
    decisions,
    failed: new Map(),
    looked: new Map(),
    withheld: new Set(),
    api: (codemod) => ({ ctx, fs, options, state: stateOf(codemod), parseOnce, ...sink(codemod.name) }),
    sink,
    timings,
    stage(name) {
      const now = performance.now();
      timings[name] = Math.round(now - lap);
      lap = now;
    },
  };
  run.stage('discover');
  if (warm) timings['warm-up'] = warm.ms;
  return run;
}

/** Every codemod's inventory, so a partial run (`geist-codemods dockerfile`) sees the same facts as `all`. */
async function inventory(run: Run, adjust: ((ctx: MigrationContext) => void) | undefined): Promise<void> {
  const { fs, ctx, preFilter } = run;
  run.progress?.('inventory', fs.paths().length);
  fs.matchAhead(run.all.map((c) => c.files)); // every codemod asks which files are its own
  for (const codemod of run.all) {
    preFilter.migrationKnown(ctx);
    if (!codemod.inventory) continue;
    const api: InventoryApi = { ...run.api(codemod), matching: () => fs.matching(codemod.files).slice(), mentioning: preFilter.mayMention };
    try {
      await codemod.inventory(api);
    } catch (error) {
      // A failed inventory fails that codemod's run, not the whole run.
      run.failed.set(`(${codemod.name} inventory)`, { path: '', codemod: codemod.name, status: 'error', message: formatError(codemod.name, error) });
    }
  }
  adjust?.(ctx); // tests may adjust the facts the inventories found
}

/**
 * One decision over the whole repository before any file changes: a refused repository changes nothing,
 * and says why in one sentence instead of a list of follow-ups.
 */
async function plan(run: Run): Promise<void> {
  const { ctx, preFilter } = run;
  const plan = (ctx.plan = await buildPlan(run.fs, ctx, preFilter.mayMentionAny, run.leftAlone, outsideOf(run)));
  if (plan.refusal) {
    ctx.migrating = false;
    run.followUps.length = 0;
    run.decisions.length = 0;
  }
  run.stage('inventory');
  run.timings.inventory! -= Math.round(preFilter.waited.plan);
  preFilter.schedule(run.codemods, ctx.migrating);
}

/** On a folder inside a git repository: the rest of the repository, whose files the plan reads (never changes). */
function outsideOf(run: Run): Outside | undefined {
  const top = run.inGit ? gitTopLevel(run.options.dir) : undefined;
  const folder = top && path.relative(top, path.resolve(run.options.dir)).split(path.sep).join('/');
  if (!top || !folder || folder.startsWith('..')) return undefined;
  return {
    folder,
    naming: async (names) => {
      const hits = await grepFiles(top, names).catch(() => new Set<string>());
      return new MemoryFs(top, [...hits].filter((p) => !p.startsWith(`${folder}/`) && !isVendored(p) && readerKind(p) !== undefined));
    },
  };
}

/** Each codemod in run order over its files, then each project of several as a repository of its own. */
async function transform(run: Run): Promise<void> {
  const { fs, ctx, options, preFilter } = run;
  const plan = ctx.plan!;
  let transformed = 0;
  /** A file of one of several projects: its project's own run takes it. */
  const inUnit = (p: string) => plan.units?.some((u) => p.startsWith(`${u}/`)) ?? false;
  for (const codemod of run.codemods) {
    const started = performance.now();
    const stat: CodemodStats = { name: codemod.name, ok: 0, unchanged: 0, skipped: 0, errors: 0, ms: 0 };
    run.stats.push(stat);
    const byName = globMatcher(codemod.files.filter((p) => !/[*?[\]{}()!]/.test(p.slice(p.lastIndexOf('/') + 1))));
    const targets = fs.matching(codemod.files).filter((p) => !run.failed.has(p) && (options.only === undefined || p === options.only) && !inUnit(p));
    // A codemod that does not run looks at no file: nothing to count.
    if ((codemod.onlyWhenMigrating && !ctx.migrating) || plan.refusal || (plan.units && !codemod.projectAware)) {
      stat.ms = performance.now() - started;
      continue;
    }
    fs.current = codemod.name;
    const api = run.api(codemod);
    const skip = await preFilter.skipping(codemod, targets);
    for (const path of targets) {
      run.progress?.(codemod.name, ++transformed);
      // A file whose disk text holds none of the words `mentions` needs cannot pass it: skip it unread.
      if (skip(path)) {
        stat.skipped++;
        continue;
      }
      await transformFile(run, codemod, api, stat, path, byName(path));
    }
    if (codemod.finish) {
      try {
        await codemod.finish(api);
      } catch (error) {
        stat.errors++;
        const path = error instanceof CodemodError ? error.path : undefined;
        if (path) fs.revert(path);
        run.failed.set(path ?? `(${codemod.name})`, { path: path ?? '', codemod: codemod.name, status: 'error', message: formatError(path ?? codemod.name, error) });
      }
    }
    fs.current = '';
    stat.ms = performance.now() - started;
    // shellcheck of the scripts written so far runs beside the rest of the transform, not after it.
    if (stat.ok > 0) startShellchecks(fs);
    // Let the event loop drain git's output, so a full pipe does not stall the pre-pass.
    if (preFilter.pending) await new Promise((resolve) => setImmediate(resolve));
  }
  // Several projects: each folder is migrated as a repository of its own, its changes taken into this run.
  for (const unit of plan.units ?? []) {
    const sub = await runUnit(unit, run.codemods, run.all, options, fs, ctx);
    for (const s of sub.stats) {
      const stat = run.stats.find((t) => t.name === s.name);
      if (stat) for (const k of ['ok', 'unchanged', 'skipped', 'errors', 'ms'] as const) stat[k] += s[k];
    }
    run.followUps.push(...sub.followUps.map((f) => ({ ...f, path: `${unit}/${f.path}` })));
    run.decisions.push(...sub.decisions.map((d) => ({ ...d, message: `${unit}/: ${d.message}`, ...(d.path ? { path: `${unit}/${d.path}` } : {}) })));
    for (const f of sub.files) if (f.status === 'error') run.failed.set(`${unit}/${f.path}`, { ...f, path: `${unit}/${f.path}` });
  }
  await preFilter.finish();
  run.timings['pre-pass wait'] = Math.round(preFilter.waited.plan + preFilter.waited.transforms);
  run.stage('transform');
  run.timings.transform! -= Math.round(preFilter.waited.transforms);
  if (ctx.migrating) settleUntaken(run);
  if (ctx.migrating && !options.keepConda) settleDeletions(fs, plan, run.sink('plan').report);
}

/**
 * Some codemods only (`geist-codemods dockerfile`), or one file: a partial run, asked for to review a
 * migration in parts. Its changes assume the rest (Docker and CI point at pyproject.toml); what it did
 * not do is told: an env file it did not merge stays and says so, and a pyproject.toml it does not
 * write, which its changes point at, is a follow-up that blocks.
 */
function settleUntaken(run: Run): void {
  const { fs, ctx, options } = run;
  const plan = ctx.plan!;
  const envCodemod = () => run.all.find((c) => plan.envFiles.some((f) => fs.matching(c.files).includes(f.path)))?.name ?? 'the env codemod';
  // The pyproject.toml files the plan merges into (asked before an env file left alone is taken off them).
  const projects = new Set(plan.envFiles.map(pyprojectOf).filter((p) => p !== undefined));
  for (const file of plan.envFiles) {
    if (file.action !== 'merge' || options.keepConda || !fs.exists(file.path)) continue;
    Object.assign(file, { action: 'keep', why: run.failed.has(file.path) ? 'it failed (see its error)' : `not migrated in this run (${envCodemod()} did not run on it)` });
    delete file.part; // merged nowhere: neither the plan's lines nor the settle step may say it was
    const info = ctx.conda.envFiles.find((e) => e.path === file.path);
    if (info) info.migrated = false;
  }
  // Written: there before, or made by this run (on one file, only what belongs to that file is written).
  const written = (p: string) => fs.exists(p) && (options.only === undefined || fs.originalMode(p) !== undefined || withinOnly({ kind: 'created', path: p }, options.only, fs));
  const missing = [...projects].find((p) => !written(p));
  if (missing === undefined || fs.changes().length === 0) return;
  const { only } = options;
  run.sink('plan').report({
    path: only ?? missing,
    message: only
      ? `points at ${missing}, which does not exist yet and a run on this file alone does not write: run ${envCodemod()} (or every codemod: \`geist-codemods all\`) before building`
      : `does not exist yet, and this run does not write it (${envCodemod()} did not run on the env files), but the files it changed point at it: run ${envCodemod()} (or every codemod: \`geist-codemods all\`) before building`,
    severity: 'blocks',
  });
}

/** One file through one codemod: a failure reverts the file and is recorded; later codemods skip it. */
async function transformFile(run: Run, codemod: Codemod, api: Api, stat: CodemodStats, path: string, named: boolean): Promise<void> {
  const { fs } = run;
  const loaded = fs.load(path);
  if (!loaded) return;
  if (!('text' in loaded)) {
    const problem = unreadableProblem(path, loaded, codemod, named, fs);
    if (problem) {
      stat.errors++;
      run.failed.set(path, { path, codemod: codemod.name, status: 'error', message: problem });
    } else {
      stat.skipped++;
    }
    return;
  }
  if (codemod.mentions && !codemod.mentions.test(loaded.text)) {
    stat.skipped++;
    return;
  }
  try {
    const result = await codemod.transform({ path, source: loaded.text }, api);
    if (result === null || result === undefined) {
      // null after the codemod deleted or renamed the file is a change, not a skip.
      if (fs.exists(path)) stat.skipped++;
      else stat.ok++;
    } else if (result === loaded.text) {
      stat.unchanged++;
      if (!run.looked.has(path)) run.looked.set(path, codemod.name);
    } else {
      fs.write(path, result);
      stat.ok++;
    }
  } catch (error) {
    stat.errors++;
    fs.revert(path);
    run.failed.set(path, { path, codemod: codemod.name, status: 'error', message: formatError(path, error) });
  }
}

/**
 * Verified before written: a file that would not parse again, or breaks a rule of its ecosystem, stays as
 * it was, and so does a file its owner protects (no write bit); then the plan keeps any env file such a
 * file still reads, or whose pyproject.toml it was.
 */
async function verify(run: Run, ignoredByGit: VerifyTarget['ignoredByGit']): Promise<void> {
  const { fs, ctx, options } = run;
  const plan = ctx.plan!;
  /** The files put back, each with why it was not written. */
  const rejected = new Map<string, string>();
  /** Each file put back, and the codemod that rewrote it. */
  const rewrittenBy = new Map<string, string>();
  const reject = (path: string, codemod: string, message: string, why: string) => {
    rejected.set(path, why);
    rewrittenBy.set(path, codemod);
    const stat = run.stats.find((s) => s.name === codemod);
    if (stat) stat.errors++;
    run.failed.set(path, { path, codemod, status: 'error', message });
  };
  // A renamed file stays renamed in memory (the file system cannot take a rename back); its change is
  // dropped in the result with the other failures, so on disk it keeps its name and text.
  for (const change of fs.changes()) {
    const original = change.from ?? (change.kind === 'created' ? undefined : change.path);
    const mode = original === undefined ? undefined : fs.originalMode(original);
    if (mode === undefined || (mode & 0o200) !== 0 || run.failed.has(original!)) continue;
    const codemod = fs.touchedBy.get(change.path) ?? '';
    if (change.kind === 'modified') fs.revert(change.path);
    else if (change.kind === 'deleted') fs.restore(change.path);
    reject(original!, codemod, `${original}: read-only file (left untouched; make it writable to migrate it)`, 'is read-only');
  }
  for (const problem of await verifyWrites(fs, { dir: options.dir, inGit: run.inGit, ...(ignoredByGit ? { ignoredByGit } : {}) })) {
    const codemod = fs.touchedBy.get(problem.path) ?? '';
    const renamed = [...fs.renames.values()].includes(problem.path);
    if (!renamed && fs.originalMode(problem.path) === undefined) fs.delete(problem.path);
    else if (!renamed) fs.revert(problem.path);
    const what = problem.rule ? `would break a rule of its kind (${problem.message})` : `would not parse (${problem.message})`;
    reject(problem.path, codemod, `${problem.path}:${problem.line}:${problem.col}: the migrated file ${what}: left as it was`, 'failed verification');
  }
  // What a codemod said of a file put back is about a text that is not written.
  const kept = run.followUps.filter((f) => rewrittenBy.get(f.path) !== f.codemod);
  run.followUps.splice(0, run.followUps.length, ...kept);
  if (rejected.size > 0 && ctx.migrating) {
    if (!options.keepConda) settleDeletions(fs, plan, run.sink('plan').report);
    withholdDeletions(fs, plan, rejected, run.sink('plan').report);
    // Consistent, or unchanged: without the project's pyproject.toml, every other change would point at
    // a uv project that is not there, so none is written.
    if (rejected.has('pyproject.toml')) {
      for (const change of fs.changes()) {
        if (change.kind === 'created') fs.delete(change.path);
        else if (change.kind === 'modified') fs.revert(change.path);
        else if (change.kind === 'deleted') fs.restore(change.path);
        else run.withheld.add(change.path);
      }
    }
  }
  run.stage('verify');
}

/** What still names conda where no codemod looked (files of kinds this tool does not rewrite). */
async function leftovers(run: Run): Promise<void> {
  run.progress?.('leftovers', run.fs.paths().length);
  const paths = await run.preFilter.leftoverPaths(run.fs, run.ctx.migrating);
  for (const leftover of findLeftovers(run.fs, run.ctx, run.followUps, paths)) run.followUps.push(leftover);
  run.stage('leftovers');
}

/**
 * Whether the run ends with `check` on its result: after a migration, and in a uv project with no env file
 * left (a migration committed before); not where conda stays (conda is the product, an env file is kept for
 * its role, or uv is not in use), nor per project of several (the whole repository is checked once).
 */
function checkDue(run: Run, unit: boolean): boolean {
  const plan = run.ctx.plan!;
  return !unit && plan.kind !== 'not-migratable' && (run.ctx.migrating || (plan.envFiles.length === 0 && usesUv(run.fs)));
}

/** `check` on the run's result, its findings merged into the follow-ups as one list. */
async function check(run: Run, grepped: ReturnType<typeof startCheckGrep> | undefined): Promise<void> {
  const { fs, ctx, discovered } = run;
  const tracked = discovered ? (p: string) => !discovered.untracked.has(p) && fs.pristine(p) : undefined;
  const findings = await checkTree(fs, { dir: run.options.dir, inGit: run.inGit, migrationPending: ctx.migrating, ...(tracked ? { tracked } : {}), ...(grepped ? { grepped } : {}) });
  run.followUps.push(...mergeFindings(run.followUps, findings));
}

/** The run's result: the changes to write (failed files left out), every file's status, the follow-ups. */
function result(run: Run): RunResult {
  const { fs, options, failed, stats } = run;
  const changes = fs.changes().filter((c) => !failed.has(c.path) && !run.withheld.has(c.path) && !(c.from && failed.has(c.from)) && withinOnly(c, options.only, fs));
  const followUps = [...run.followUps, ...credentialFollowUps(changes, fs.touchedBy)];
  const files: FileResult[] = [];
  for (const change of changes) {
    files.push({
      path: change.path,
      codemod: fs.touchedBy.get(change.path) ?? fs.touchedBy.get(change.from ?? '') ?? '',
      status: change.kind,
      ...(change.from ? { from: change.from } : {}),
    });
  }
  const changed = new Set(changes.map((c) => c.path));
  for (const [path, codemod] of run.looked) if (!changed.has(path) && !failed.has(path)) files.push({ path, codemod, status: 'unchanged' });
  files.push(...failed.values());
  files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const kept = new Set(options.only === undefined ? [] : [options.only, ...changes.map((c) => c.path)]);
  const reported = options.only === undefined ? followUps : followUps.filter((f) => kept.has(f.path));
  return { ctx: run.ctx, fs, inGit: run.inGit, stats, files, followUps: tidyFollowUps(reported), decisions: run.decisions, changes, timings: run.timings };
}

/** A uv project: a uv.lock, or a pyproject.toml with uv's settings, dependency groups or a .python-version beside it. */
function usesUv(fs: MemoryFs): boolean {
  if (fs.exists('uv.lock')) return true;
  const pyproject = fs.read('pyproject.toml');
  return pyproject !== undefined && (/^\[(?:tool\.uv\b|dependency-groups\])/m.test(pyproject) || fs.exists('.python-version'));
}

/** Told where a run is: the stage (a codemod's name while it transforms) and how many files so far. */
export type Progress = (stage: string, files: number) => void;

/**
 * Whether a change belongs to a run on one file (`only`): the file itself (changed, renamed or deleted),
 * and files created by the codemod that changed it (the env file's pyproject.toml).
 */
function withinOnly(change: Pick<Change, 'kind' | 'path' | 'from'>, only: string | undefined, fs: MemoryFs): boolean {
  if (only === undefined || change.path === only || change.from === only) return true;
  if (change.kind !== 'created') return false;
  const own = fs.touchedBy.get(only) ?? fs.touchedBy.get(fs.renames.get(only) ?? '');
  return own !== undefined && fs.touchedBy.get(change.path) === own;
}

/**
 * One project of a repository of several: the pipeline on its folder as if it were the repository, its
 * changes written into `fs` (so the plan's settle step, the verification and the leftovers pass see the
 * whole repository). Compose's bind mounts come from the whole repository, their Dockerfiles made relative.
 */
async function runUnit(unit: string, codemods: readonly Codemod[], all: readonly Codemod[], options: RunOptions, fs: MemoryFs, ctx: MigrationContext): Promise<RunResult> {
  const prefix = `${unit}/`;
  const mounts = ctx.compose.bindMounts.filter((b) => b.dockerfile?.startsWith(prefix)).map((b) => ({ ...b, dockerfile: b.dockerfile!.slice(prefix.length) }));
  const sub = await runPipeline(codemods, all, { ...options, dir: join(options.dir, unit) }, { fs: fs.subtree(unit), ctx: (c) => void (c.compose.bindMounts = mounts), unit: true });
  for (const change of sub.changes) {
    fs.current = sub.fs.touchedBy.get(change.path) ?? '';
    if (change.kind === 'renamed') fs.rename(prefix + change.from!, prefix + change.path);
    if (change.kind === 'deleted') fs.delete(prefix + change.path);
    else if (change.after !== change.before || change.kind === 'created') fs.write(prefix + change.path, change.after, change.mode);
  }
  fs.current = '';
  return sub;
}

/** A file a codemod wanted but could not read: an error when it mentions what the codemod looks for. */
function unreadableProblem(
  path: string,
  loaded: Exclude<ReturnType<MemoryFs['load']>, { text: string } | undefined>,
  codemod: Codemod,
  named: boolean,
  fs: MemoryFs,
): string | undefined {
  switch (loaded.reason) {
    case 'not-utf8':
      if (codemod.mentions && !codemod.mentions.test(loaded.latin1)) return undefined;
      return `${path}:${loaded.line}:${loaded.col}: not valid UTF-8 (left untouched; convert it to UTF-8 to migrate it)`;
    case 'too-large':
      if (codemod.mentions && loaded.latin1 !== undefined && !codemod.mentions.test(loaded.latin1)) return undefined;
      return `${path}: ${loaded.bytes} bytes is over the size limit of ${MAX_FILE_BYTES} (left untouched)`;
    case 'unreadable':
      return `${path}: cannot be read: ${loaded.message}`;
    case 'binary': {
      // A binary file named exactly like what the codemod migrates (a Dockerfile, a Makefile) that holds
      // what it looks for is a failure; binaries that a wildcard happens to match are not.
      if (!named) return undefined;
      const latin1 = codemod.mentions ? fs.latin1(path) : undefined;
      if (codemod.mentions && (latin1 === undefined || !codemod.mentions.test(latin1))) return undefined;
      return `${path}:${loaded.line}:${loaded.col}: binary content (a NUL byte) in a file named like one to migrate (left untouched)`;
    }
    case 'symlink':
      return undefined;
  }
}
