// The migration plan: one decision over the whole repository, made after the inventories and before any
// file changes. It says what kind of project this is (or why it is not migrated at all), what each env
// file is for and what happens to it, and who reads each env file. Codemods read it from ctx.plan; after
// the transforms, settleDeletions keeps every deleted file that a reader still names.
import { posix } from 'node:path';
import { CONDA_NAME, FROM_CHANNEL } from '../codemods/lib/conda/vocabulary.js';
import { PLACE_WHY } from '../codemods/lib/conda/roles.js';
import { declaredName } from '../codemods/lib/conda/setup.js';
import { linesNaming, namedLike, readerKind } from '../codemods/lib/readers.js';
import { andList } from '../codemods/lib/text.js';
import type { EnvFileInfo, MigrationContext, MigrationPlan, PlanEnvFile, PlanReader, PlanRename } from '../contract/context.js';
import type { FollowUpInput } from '../contract/types.js';
import type { MemoryFs } from './vfs.js';

/** Those of `paths` that may hold any of `needles`: a superset, from one git grep where it pays (see InventoryApi.mentioning). */
export type Mentioning = (paths: readonly string[], needles: readonly string[]) => Promise<string[]>;

const CONDA_NEEDLES = ['conda', 'mamba'];

/** Why a reader the run does not change holds on to the file it names (`verb`: reads, runs). */
function heldBy(reader: PlanReader, verb: 'reads' | 'runs'): string {
  if (reader.kind === SYMLINK) return `${reader.path} is a symlink to it (delete both once nothing reads the link)`;
  if (reader.kind === EXCLUDED) return `${reader.path}:${reader.line} ${verb} it, and --exclude leaves that file as it is`;
  if (reader.kind === OUTSIDE) return `${reader.path}:${reader.line} ${verb} it, outside the folder this run changes`;
  return `${reader.path}:${reader.line} ${verb} it (a ${reader.kind}, which this tool does not migrate)`;
}

/** The kind of a symlink to an env file, as its reader. */
const SYMLINK = 'symlink';
/** The kind of a reader --exclude leaves alone. */
const EXCLUDED = 'file --exclude leaves alone';
/** The kind of a reader outside the folder the run was given. */
const OUTSIDE = 'file outside the target';

/** A run on a folder inside a repository: the repository's files outside it are read, never changed. */
export interface Outside {
  /** The folder, relative to the repository's top (`services/api`). */
  folder: string;
  /** The repository's files outside the folder that may name one of `names` (paths from the top). */
  naming(names: readonly string[]): Promise<MemoryFs>;
}

/**
 * The readers of the env file `target` outside the folder, their paths relative to it (`../../ci.yml`).
 * Only a path with a folder in it counts there: a bare `environment.yml` elsewhere names another file.
 */
function outsideReaders(fs: MemoryFs, outside: MemoryFs, folder: string, target: string): PlanReader[] {
  const base = posix.basename(target);
  const live = [...namedLike(fs.paths(), base).map((p) => `${folder}/${p}`), ...namedLike(outside.paths(), base)];
  return readersOf(fs, `${folder}/${target}`, outside.paths(), { source: outside, live, qualified: true }).map((r) => ({ ...r, path: posix.relative(folder, r.path), kind: OUTSIDE, migrated: false }));
}

/**
 * The YAML-named symlinks that lead to an env file, by the file they lead to (Binder's
 * `binder/environment.yml` often is one): whatever reads the link reads the env file.
 */
function symlinksTo(fs: MemoryFs, envFiles: readonly EnvFileInfo[]): Map<string, PlanReader[]> {
  const links = new Map<string, PlanReader[]>();
  if (envFiles.length === 0) return links;
  const envPaths = new Set(envFiles.map((e) => e.path));
  for (const path of fs.paths()) {
    if (!/\.ya?ml$/i.test(path) || envPaths.has(path)) continue;
    const target = fs.linkTarget(path);
    if (target === undefined || !envPaths.has(target)) continue;
    links.set(target, [...(links.get(target) ?? []), { path, line: 1, kind: SYMLINK, migrated: false }]);
  }
  return links;
}

/**
 * Every reader of `target` among `candidates`, with its line: read from `source` (the run's file system
 * by default), `live` the paths named like the target, `qualified` as linesNaming takes it.
 */
function readersOf(fs: MemoryFs, target: string, candidates: readonly string[], how: { source?: MemoryFs; live?: readonly string[]; qualified?: boolean } = {}): PlanReader[] {
  const { source = fs, live = namedLike(fs.paths(), posix.basename(target)), qualified = false } = how;
  const readers: PlanReader[] = [];
  for (const path of candidates) {
    if (path === target) continue;
    const kind = readerKind(path);
    const text = kind && source.textToSearch(path);
    if (!kind || text === undefined) continue;
    for (const line of linesNaming(text, path, target, live, qualified)) readers.push({ path, line, kind: kind.kind, migrated: kind.migrated });
  }
  return readers;
}

/** Why an env file of this role is not merged. */
const NOT_MERGED: Partial<Record<EnvFileInfo['role'], string>> = {
  'ci-matrix': 'a CI matrix env: its job keeps it',
  lock: 'a conda lock of the env files: uv.lock takes its place once the project is locked',
  unmigratable: 'no Python dependencies to migrate',
  ...PLACE_WHY,
};

function roleOf(info: EnvFileInfo): string {
  switch (info.role) {
    case 'main':
      return 'project';
    case 'group':
      return `${info.group ?? 'extra'} group`;
    case 'unmigratable':
      return info.broken ? 'unreadable' : 'not Python';
    default:
      return info.role;
  }
}

function partOf(info: EnvFileInfo): string | undefined {
  if (!info.migrated) return undefined;
  if (info.role === 'group') return `[dependency-groups] ${info.group}`;
  return '[project].dependencies';
}

/** Code that runs conda or uses it as a library: a command line, an executable name, an import, a function about it. */
const RUNS_CONDA =
  /["'](?:conda|mamba|micromamba)(?:\.exe)?["']|["'](?:conda|mamba|micromamba) (?:install|create|env|run|list|info|search|remove|update|activate)\b|^\s*(?:from|import) conda(?:_build|_libmamba_solver|_lock|_pack|_index)?\b|\bdef \w*(?:conda|mamba)\w*\s*\(/m;
/** Modules of the project's own package (not its tests, docs, examples, scripts or CI). */
const NOT_PACKAGE_CODE = /(?:^|\/)(?:tests?|testing|docs?|examples?|scripts?|ci|\.github|benchmarks?|utils|tools|installers?[^/]*|conftest\.py|setup\.py|noxfile\.py|conf\.py)(?:\/|$)/;
/** Python files that set up, test or document the project rather than being it. */
const TOOLING = /(?:^|\/)(?:tests?|testing|docs?|examples?|scripts?|ci|\.github|benchmarks?)\/|(?:^|\/)(?:setup|noxfile|conftest|conf)\.py$/;
/** From this many package modules that run conda on, conda is what the project does. */
const CONDA_MODULES = 3;
/** From this many R packages in the project env on (or r-base itself), the env is an R stack. */
const R_PACKAGES = 5;


/** Roles of env files that are never the project's: with only these, there is nothing to migrate. */
const KEPT_ROLES = new Set(['fixture', 'tutorial', 'other-tool', 'ci-matrix', 'not Python', 'lock']);
/** Workflow engines that create an env per rule or process from the env files they name. */
const WORKFLOW_ENGINE = /^(?:Snakemake|Nextflow) workflow$/;
/** How a file uses conda, in its own words, for the sentence of a run that migrates nothing. */
const CONDA_USE = /\b(?:(?:conda|mamba|micromamba)(?: env)? (?:activate|deactivate|install|update|create|run|remove|clean|init|config|list|search|build|export)|source activate)\b/g;

/** The executable and config files (Python code aside) that use conda: what a run that migrates nothing leaves on it. */
async function stillOnConda(fs: MemoryFs, mentioning: Mentioning): Promise<string[]> {
  const readers = fs.paths().filter((p) => {
    const kind = readerKind(p);
    return kind !== undefined && kind.kind !== 'Python file' && kind.kind !== 'JS/TS file';
  });
  const found = new Set(await mentioning(readers, CONDA_NEEDLES));
  const uses: string[] = [];
  for (const p of [...found].sort()) {
    const text = fs.read(p) ?? '';
    if (!CONDA_NAME.test(text)) continue;
    // How it uses conda, in its own words: `conda activate`, `source activate`, `mamba install`...
    const commands = new Set(Array.from(text.matchAll(CONDA_USE), (m) => m[0]));
    uses.push(commands.size > 0 ? `${p} (${[...commands].slice(0, 3).join(', ')})` : p);
  }
  return uses;
}

/** From this many packages of a channel the PyPI mapping does not cover on, the env is that channel's. */
const CHANNEL_PACKAGES = 3;

/** The env files merged into [project].dependencies. */
function projectEnvFiles(ctx: MigrationContext): Set<string> {
  return new Set(ctx.conda.envFiles.filter((e) => e.migrated && (e.role === 'main' || e.role === 'platform')).map((e) => e.path));
}

/** Why nothing is migrated (conda is the product, or there is nothing to migrate), or undefined. */
async function refusal(fs: MemoryFs, ctx: MigrationContext, files: readonly PlanEnvFile[], mentioning: Mentioning, packageModules: Promise<string[]>): Promise<string | undefined> {
  const kept = files.map((f) => `${f.path} (${f.role})`);
  if (!ctx.migrating) {
    if (files.length === 0) return 'Nothing to migrate: there is no conda env file (a YAML file with `dependencies:`, or an @EXPLICIT list).';
    // Only when each is kept for its role: a file that failed to parse or convert has its own error.
    if (files.every((f) => KEPT_ROLES.has(f.role))) {
      const users = await stillOnConda(fs, mentioning);
      const still = users.length > 0 ? ` Conda stays in use in ${andList(users, 5)}.` : '';
      return `Nothing to migrate: no env file here is the project's own environment (${andList(kept, 4)}).${still}`;
    }
    return undefined; // the env codemod said why in its follow-ups
  }
  // A workflow engine builds its rules' envs from these files: conda is how the pipeline runs.
  const engine = files.flatMap((f) => f.readers.filter((r) => WORKFLOW_ENGINE.test(r.kind)).map((r) => ({ file: f.path, reader: r })))[0];
  if (engine) {
    return `${engine.file} is read by a ${engine.reader.kind} (${engine.reader.path}:${engine.reader.line}), which makes a conda env for each rule from its env files: conda is how this pipeline runs, so nothing was changed.`;
  }
  // The project env is built around a conda channel that PyPI has no counterpart of.
  const projectEnvs = projectEnvFiles(ctx);
  const fromChannel = ctx.conda.dropped.filter((d) => d.reason.startsWith(FROM_CHANNEL) && d.envFiles.some((f) => projectEnvs.has(f)));
  if (fromChannel.length >= CHANNEL_PACKAGES) {
    const channel = fromChannel[0]!.reason.slice(FROM_CHANNEL.length + 1).replace(/, which .*$/, '');
    return `${andList([...new Set(fromChannel.flatMap((d) => d.envFiles))])} takes ${fromChannel.length} packages (${andList(fromChannel.map((d) => d.name), 3)}) from the conda channel ${channel}, which has no PyPI counterpart: uv cannot install them, so nothing was changed; keep conda for this environment.`;
  }
  // The project's own modules run conda: it is a conda tool, and its env needs conda.
  const candidates = new Set(await packageModules);
  const running = [...candidates].filter((p) => RUNS_CONDA.test(fs.read(p) ?? '')).sort();
  if (running.length >= CONDA_MODULES) {
    return `conda is part of what this project does: ${running.length} of its modules run conda or mamba (${andList(running, 3)}), so its environment needs conda. Nothing was changed; keep conda for it.`;
  }
  // The project env is an R stack: uv installs Python packages only.
  const r = ctx.conda.dropped.filter((d) => d.reason.startsWith('an R package') && d.envFiles.some((f) => projectEnvs.has(f)));
  if (r.some((d) => d.name === 'r-base') || r.length >= R_PACKAGES) {
    const where = [...projectEnvs].filter((p) => r.some((d) => d.envFiles.includes(p)));
    return `${andList(where)} ${where.length === 1 ? 'needs' : 'need'} R (${r.length} R packages${r.some((d) => d.name === 'r-base') ? ', r-base among them' : ''}), which uv cannot install: keep conda for this environment, or move its R part into an env of its own first. Nothing was changed.`;
  }
  // The project env is the input of the project's own code (it reads, generates or checks the file).
  for (const file of files.filter((f) => f.part === '[project].dependencies')) {
    const reader = file.readers.find((r) => r.kind === 'Python file' && !TOOLING.test(r.path));
    if (reader) {
      return `${file.path} is read by the project's own code (${reader.path}:${reader.line}), so it is part of what the project does, not only its setup: nothing was changed; change that code first if it should move to uv.`;
    }
  }
  return undefined;
}

/**
 * The folders of a repository of several projects: the merged env files sit in two or more top-level
 * folders (none at the top), each of which has its own Dockerfile or packaging metadata.
 */
function projectUnits(fs: MemoryFs, files: readonly PlanEnvFile[]): string[] {
  const folders = new Set(files.filter((f) => f.part).map((f) => (f.path.includes('/') ? f.path.slice(0, f.path.indexOf('/')) : '')));
  if (folders.has('') || folders.size < 2) return [];
  const own = (folder: string) => ['Dockerfile', 'setup.py', 'setup.cfg', 'pyproject.toml'].some((f) => fs.exists(`${folder}/${f}`));
  return [...folders].every(own) ? [...folders].sort() : [];
}

/**
 * The plan, from what the inventories found. Reads no file a codemod would not (and those through
 * `mentioning`). `leftAlone`: the reader-kind files --exclude leaves alone; `outside`: on a folder inside
 * a repository, the rest of it. An env file one of their files names is kept, and so is the name of a
 * file to rename that one of them runs.
 */
export async function buildPlan(fs: MemoryFs, ctx: MigrationContext, mentioning: Mentioning, leftAlone?: MemoryFs, outside?: Outside): Promise<MigrationPlan> {
  // One git grep for every env file's name (readersOf reads only the files it finds); without an env
  // file (most repositories) no path is looked at.
  const bases = [...new Set([...ctx.conda.envFiles.map((e) => e.path), ...ctx.renaming.map((r) => r.from)].map((p) => posix.basename(p)))];
  const candidates = bases.length > 0 ? fs.paths().filter((p) => readerKind(p) !== undefined) : [];
  // The package modules that may run conda, asked at the same time (two git processes, two cores).
  // NOT_PACKAGE_CODE is a costly test: made on the few files that may mention conda, not on every module.
  const packageModules = ctx.migrating
    ? mentioning(fs.paths().filter((p) => p.endsWith('.py')), CONDA_NEEDLES).then((found) => found.filter((p) => !NOT_PACKAGE_CODE.test(p)))
    : Promise.resolve([]);
  const naming = await mentioning(candidates, bases);
  const beyond = outside && bases.length > 0 ? await outside.naming(bases) : undefined;
  const links = symlinksTo(fs, ctx.conda.envFiles);
  /** Every reader of `target`: in the run, left alone by --exclude, and outside the run's folder. */
  const unchangedReaders = (target: string): PlanReader[] => [
    ...readersOf(fs, target, naming),
    ...(leftAlone ? readersOf(fs, target, leftAlone.paths(), { source: leftAlone }).map((r) => ({ ...r, kind: EXCLUDED, migrated: false })) : []),
    ...(beyond ? outsideReaders(fs, beyond, outside!.folder, target) : []),
  ];
  const envFiles: PlanEnvFile[] = [];
  for (const info of ctx.conda.envFiles) {
    const readers = [...(links.get(info.path) ?? []), ...unchangedReaders(info.path)];
    const part = partOf(info);
    const blocking = readers.filter((r) => !r.migrated);
    const action = part && blocking.length === 0 ? 'merge' : 'keep';
    const why = !part
      ? info.broken
        ? 'it does not read as an env file (see its error)'
        : (NOT_MERGED[info.role] ?? 'not migrated (see its follow-up)')
      : blocking.length > 0
        ? heldBy(blocking[0]!, 'reads')
        : 'no reader is left once the run is done';
    envFiles.push({ path: info.path, role: roleOf(info), action, ...(part ? { part } : {}), why, readers });
  }
  // A file a codemod renames goes from its old path as a deleted one does: what still runs it by that name keeps it.
  const renames: PlanRename[] = ctx.renaming.map(({ from, to }) => {
    const blocking = unchangedReaders(from).find((r) => !r.migrated);
    return blocking ? { from, to, action: 'keep', why: heldBy(blocking, 'runs') } : { from, to, action: 'rename', why: 'every reader of its name is rewritten to the new one' };
  });
  const planned = renames.length > 0 ? { renames } : {};
  const refused = await refusal(fs, ctx, envFiles, mentioning, packageModules);
  if (refused && ctx.migrating) return { kind: 'not-migratable', evidence: [refused], refusal: refused, envFiles };
  const units = ctx.migrating ? projectUnits(fs, envFiles) : [];
  if (units.length >= 2) {
    const evidence = `${units.length} projects (${andList(units.map((u) => `${u}/`))}), each with its own env file and its own Docker build or packaging: one pyproject.toml for each, in its folder (one at the top would sit outside their build contexts)`;
    // Each project's env files go to its own pyproject.toml (its run decides their roles there).
    for (const file of envFiles) {
      const unit = units.find((u) => file.path.startsWith(`${u}/`));
      if (unit && file.part) Object.assign(file, { role: 'project', part: `${unit}/pyproject.toml` });
    }
    return { kind: 'monorepo', evidence: [evidence], units, envFiles, ...planned };
  }
  const pyproject = fs.read('pyproject.toml');
  const metadata = ['setup.py', 'setup.cfg'].filter((p) => fs.exists(p));
  if (pyproject && /^\[(?:project|tool\.poetry)\]/m.test(pyproject)) metadata.push('pyproject.toml');
  const nothing = { ...(refused ? { refusal: refused } : {}), ...planned };
  if (metadata.length > 0 || ctx.conda.isPackage) {
    const projectName = declaredName(pyproject, fs.read('setup.py'), fs.read('setup.cfg'));
    return { kind: 'package', evidence: [`packaging metadata: ${metadata.join(', ') || 'the env installs the project itself'}`], ...(projectName ? { projectName } : {}), ...nothing, envFiles };
  }
  return { kind: envFiles.length > 0 ? 'application' : 'none', evidence: [envFiles.length > 0 ? 'no packaging metadata' : 'no conda env file'], ...nothing, envFiles };
}

/**
 * After the transforms: an env file merged into pyproject.toml that a reader still names stays (a deleted
 * one comes back), and each such reader line gets a follow-up that says why. The plan's readers are the
 * only candidates: a transform does not add a reference to a file it deleted.
 */
export function settleDeletions(fs: MemoryFs, plan: MigrationPlan, report: (f: FollowUpInput) => void): void {
  const paths = fs.paths();
  const byLine = new Map<string, { reader: PlanReader; files: string[] }>();
  for (const file of plan.envFiles) {
    if (!file.part) continue;
    const still: PlanReader[] = [];
    const live = namedLike(paths, posix.basename(file.path));
    for (const reader of new Set(file.readers.map((r) => r.path))) {
      const text = fs.textToSearch(reader);
      const kind = file.readers.find((r) => r.path === reader)!;
      if (text !== undefined) for (const line of linesNaming(text, reader, file.path, live)) still.push({ ...kind, line });
    }
    if (still.length === 0) continue;
    if (!fs.exists(file.path)) {
      if (!fs.deleted.has(file.path)) continue;
      fs.restore(file.path);
    }
    if (file.action === 'merge') {
      file.action = 'keep';
      file.why = `${still[0]!.path}:${still[0]!.line} still reads it after the run`;
    }
    for (const reader of still) {
      const key = `${reader.path}:${reader.line}`;
      const entry = byLine.get(key) ?? { reader, files: [] };
      entry.files.push(file.path);
      byLine.set(key, entry);
    }
  }
  for (const { reader, files } of byLine.values()) {
    const named = andList(files);
    const why = reader.migrated ? `this line still uses ${files.length === 1 ? 'it' : 'them'}` : `this tool does not migrate a ${reader.kind}`;
    report({
      path: reader.path,
      line: reader.line,
      message: `reads ${named}, kept (already merged into pyproject.toml) because ${why}: point it at pyproject.toml or uv.lock, then delete ${files.length === 1 ? 'it' : 'them'}`,
    });
  }
}

/**
 * After the verification step put `rejected` files back (each with why it was not written): an env file
 * merged into a pyproject.toml that was not written stays (its dependencies are nowhere else), with a
 * follow-up that says why. (The pipeline then withholds the rest of the migration too: see runPipeline.)
 */
export function withholdDeletions(fs: MemoryFs, plan: MigrationPlan, rejected: ReadonlyMap<string, string>, report: (f: FollowUpInput) => void): void {
  for (const file of plan.envFiles) {
    const pyproject = pyprojectOf(file);
    const why = pyproject && rejected.get(pyproject);
    if (why === undefined) continue;
    if (fs.deleted.has(file.path)) fs.restore(file.path);
    if (file.action !== 'merge') continue;
    file.action = 'keep';
    file.why = `${pyproject} ${why} and was not written`;
    report({ path: file.path, message: `kept, and nothing pointed at uv: ${pyproject}, which would hold its dependencies, ${why} and was not written`, severity: 'blocks' });
  }
}

/** The pyproject.toml an env file is merged into: a project's own in a repository of several (the plan names it), else the top one. */
export function pyprojectOf(file: PlanEnvFile): string | undefined {
  if (!file.part) return undefined;
  return file.part.endsWith('/pyproject.toml') ? file.part : 'pyproject.toml';
}

/** The plan as the few lines a person reads before the diff. */
export function planLines(plan: MigrationPlan): string[] {
  if (plan.refusal) return [plan.kind === 'not-migratable' || plan.kind === 'monorepo' ? `Not migrated: ${plan.refusal}` : plan.refusal];
  const lines = [`Plan: ${plan.kind === 'none' ? 'no conda env file' : `a${plan.kind === 'application' ? 'n' : ''} ${plan.kind}`} (${plan.evidence.join('; ')})`];
  for (const f of plan.envFiles) {
    const what = f.part ? `merged into ${f.part}, then ${f.action === 'merge' ? 'deleted' : 'kept'}` : 'kept';
    lines.push(`  ${f.path} (${f.role}): ${what}: ${f.why}`);
  }
  for (const r of plan.renames ?? []) if (r.action === 'keep') lines.push(`  ${r.from}: rewritten in place, not renamed to ${r.to}: ${r.why}`);
  return lines;
}
