// Conda env files -> pyproject.toml and .python-version. The inventory builds the whole migration model
// (ctx.conda) and the pyproject text; the transform deletes migrated env files; finish writes the result.
import type { Api, Codemod, FileInfo, InventoryApi } from '../../contract/types.js';
import type { Model } from '../lib/conda/model.js';
import { dropReason, normalizeName, requirementName, systemPackage } from '../lib/conda/names.js';
import type { PyprojectSpec } from '../lib/conda/pyproject.js';
import { poetryProject } from '../lib/conda/poetry.js';
import { matrixEnvGlobs, placeRole } from '../lib/conda/roles.js';
import { MAPPED_CHANNELS } from '../lib/conda/vocabulary.js';
import { declaredName, readSetupMetadata } from '../lib/conda/setup.js';
import { CodemodError } from '../../contract/errors.js';
import picomatch from 'picomatch';

/** A cheap test: only YAML with a top-level `dependencies:` key can be a conda env file. */
const MAYBE_ENV_FILE = /^dependencies[ \t]*:/m;

/** Names an `@EXPLICIT` list usually has (spec-file.txt, conda-linux-64.lock, explicit.txt...). */
const EXPLICIT_NAME = /(?:^|\/)[^/]*(?:conda|explicit|spec|environment|env)[^/]*\.(?:txt|lock)$/i;
// Both name tests run on every path: a cheap necessary condition first, since most paths fail it.
const EXPLICIT_EXTENSION = /\.(?:txt|lock)$/i;
const explicitName = (path: string) => EXPLICIT_EXTENSION.test(path) && EXPLICIT_NAME.test(path);

const ENV_LIKE_NAME = /env|conda|spec|explicit/i;

interface Outcome {
  model: Model;
  /** The pyproject.toml text to write, when it changed and validated. */
  pyproject?: string;
  pythonVersion?: string;
  /** The existing pyproject.toml does not parse (thrown by finish, at its line) or cannot be written. */
  pyprojectError?: CodemodError;
}

/** The run's state: the inventory's result, for the transform and finish steps. */
interface EnvState {
  outcome?: Outcome;
}

/** Files that show which env Docker and CI use (the primary env). */
const USES_ENV = /(?:^|\/)(?:[^/]*Dockerfile[^/]*|[^/]*compose[^/]*\.ya?ml|\.gitlab-ci\.yml)$|^\.github\/workflows\/[^/]+\.ya?ml$/;
const USES_ENV_WORD = /Dockerfile|compose|\.gitlab-ci\.yml|^\.github\/workflows\//;
const usesEnv = (path: string) => USES_ENV_WORD.test(path) && USES_ENV.test(path);


function escapeRegExp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** The README's first paragraph (headings, badges, HTML and blank lines skipped), on one line. */
export function readmeDescription(text: string): string | undefined {
  const lines = text.split('\n');
  let i = 0;
  const skip = (l: string) => l.trim() === '' || /^\s*(?:#|<|!\[|\[!\[|=+\s*$|-+\s*$|>)/.test(l);
  while (i < lines.length && skip(lines[i]!)) i++;
  const para: string[] = [];
  while (i < lines.length && lines[i]!.trim() !== '' && !/^\s*(?:#|```)/.test(lines[i]!)) para.push(lines[i++]!.trim());
  const joined = para.join(' ').replace(/\[([^\]]*)\]\([^)]*\)/g, '$1').replace(/\s+/g, ' ').trim();
  return joined || undefined;
}

async function inventory(api: InventoryApi<EnvState>): Promise<void> {
  const { fs, ctx } = api;
  const texts: Array<{ path: string; source: string }> = [];
  const candidates: string[] = [];
  const yamlFiles = api.matching();
  for (const path of yamlFiles) {
    if (/(?:^|\/)(?:[^/]*\.)?conda-lock\.ya?ml$/.test(path)) {
      api.report({ path, message: 'a conda-lock file: not read; `uv lock` writes uv.lock instead, delete it once the migration is done' });
      continue;
    }
    candidates.push(path);
  }
  // Test data, tutorials' and other tools' envs are never the project's, nor are the envs a CI matrix
  // picks from: listed, kept, not read further.
  const matrix = matrixEnvMatcher(fs, yamlFiles);
  const byPlace = (path: string) => {
    const place = matrix(path) ? { role: 'ci-matrix' as const, why: 'a CI job picks it by a matrix expression' } : placeRole(path, (p) => fs.exists(p));
    if (place) {
      ctx.conda.envFiles.push({ path, role: place.role, migrated: false });
      api.decide(`kept: ${place.why}`, path);
    }
    return place !== undefined;
  };
  // A repository has many YAML files and few env files: read only those that may hold `dependencies:`.
  for (const path of await api.mentioning(candidates, 'dependencies')) {
    const source = fs.read(path);
    if (source !== undefined && MAYBE_ENV_FILE.test(source) && !byPlace(path)) texts.push({ path, source });
  }
  // `conda list --explicit` lists: text files whose name hints at conda, holding an @EXPLICIT line.
  const yamlEnvs = texts.length;
  for (const path of fs.paths()) {
    if (!explicitName(path)) continue;
    const source = fs.read(path);
    if (source === undefined || !/^@EXPLICIT[ \t]*$/m.test(source) || byPlace(path)) continue;
    // Beside a YAML env file, an explicit list is that env's conda lock (conda-lock, `conda list
    // --explicit`): uv.lock takes its place; only alone is it the env itself.
    if (yamlEnvs > 0) {
      ctx.conda.envFiles.push({ path, role: 'lock', migrated: false });
      api.decide('kept: a conda lock of the env files (uv.lock takes its place once the project is locked)', path);
    } else texts.push({ path, source });
  }
  if (texts.length === 0) {
    await resume(api);
    return;
  }
  // The model pulls in the PEP 440 and TOML libraries: load it only when there is an env file candidate.
  const { buildModel } = await import('../lib/conda/model.js');
  const { mergePyproject, pythonForProject, renderPyproject, validatePyproject } = await import('../lib/conda/pyproject.js');

  const users = fs.paths().filter(usesEnv).map((p) => fs.read(p) ?? '');
  const model = buildModel(texts, {
    read: (p) => fs.read(p),
    mentions: (path) => {
      const named = new RegExp(`(?<![\\w.-])(?:\\./)?${escapeRegExp(path)}(?![\\w.-])|(?<![\\w.-])${escapeRegExp(path.split('/').pop()!)}(?![\\w.-])`, 'g');
      return users.reduce((n, text) => n + (text.match(named)?.length ?? 0), 0);
    },
  });
  const conda = ctx.conda;
  for (const path of model.errors.keys()) conda.envFiles.push({ path, role: 'unmigratable', migrated: false, broken: true });
  for (const f of model.files) conda.envFiles.push(f.info);
  conda.envFiles.sort((a, b) => (a.path < b.path ? -1 : 1));
  conda.envNames = [...new Set(model.files.map((f) => f.env.name).filter((n): n is string => !!n))];
  for (const note of model.followUps) api.report(note);
  for (const d of model.decisions) api.decide(d.message, d.path);

  const merged = model.files.filter((f) => f.info.role === 'main' || f.info.role === 'platform' || f.info.role === 'group');
  const outcome: Outcome = { model };
  api.state.outcome = outcome;
  // A broken file named like an env file may be one of the envs to merge: migrate nothing until it is fixed.
  const blocking = [...model.errors.keys()].filter((p) => ENV_LIKE_NAME.test(p.split('/').pop()!));
  if (blocking.length > 0) {
    decline(api, `not written: fix ${blocking.join(', ')} (see its error) and run again, so that every env file is merged`);
    return;
  }
  if (merged.length === 0) return;
  Object.assign(conda, {
    dependencies: model.rows,
    dropped: model.dropped,
    systemPackages: model.system,
    consoleScripts: model.consoleScripts,
    groups: model.groups,
    ...(model.primary ? { primary: model.primary } : {}),
    ...(model.python ? { pythonVersion: model.python } : {}),
    ...(model.requiresPython ? { requiresPython: model.requiresPython } : {}),
    ...(model.pytorchIndex ? { pytorchIndex: model.pytorchIndex } : {}),
  });
  for (const f of merged) {
    for (const [k, v] of Object.entries(f.env.variables)) {
      api.report({ path: f.info.path, message: `env variable ${k}=${v} was set by conda activation: set it in .env, the Dockerfile or the shell` });
    }
    for (const e of f.env.conda) {
      const m = /^([^:\s]+)::([A-Za-z0-9_.-]+)/.exec(e.text);
      const channel = m?.[1];
      if (channel && !MAPPED_CHANNELS.has(channel.split('/')[0]!) && !dropReason(m[2]!) && !systemPackage(m[2]!)) {
        api.report({ path: f.info.path, line: e.line, message: `${e.text} comes from the conda channel ${channel}: check that PyPI has it under this name` });
      }
    }
  }
  if (model.system.length > 0) api.decide(`system packages (apt-get): ${model.system.map((s) => s.debian).join(', ')}`);

  // The pyproject.toml: new, or spliced into the existing one; never one that cannot be edited as text.
  const unwritable = fs.unwritable('pyproject.toml');
  if (unwritable) {
    outcome.pyprojectError = new CodemodError(`${unwritable}: no pyproject.toml can be written here`, undefined, undefined, 'pyproject.toml');
    decline(api, `not written: pyproject.toml ${unwritable}`);
    return;
  }
  const onDisk = fs.read('pyproject.toml');
  let existingText = onDisk;
  const hasBuildSystem = existingText !== undefined && /^\[build-system\]/m.test(existingText);
  if (existingText !== undefined && !/^\[project\]/m.test(existingText) && /^\[tool\.poetry\]/m.test(existingText)) {
    // Its [tool.poetry] table is the project's metadata: said again as [project] (a static one of ours
    // beside it would conflict), for uv to read; Poetry's own tables and the build backend stay.
    const converted = await fromPoetry(existingText, api);
    if (converted === undefined) {
      decline(api, 'a Poetry project whose [tool.poetry] could not be read as a [project] table: convert it first (for example with `uvx migrate-to-uv`), then run this tool again');
      return;
    }
    existingText = converted;
  }
  const hasProject = existingText !== undefined && /^\[project\]/m.test(existingText);
  const isPackage = model.isPackage || fs.exists('setup.py') || fs.exists('setup.cfg') || hasBuildSystem;
  conda.isPackage = isPackage;
  // A setuptools package's metadata stays its own: the [project] written names it and lists what setup.py
  // or setup.cfg provide as dynamic; what the env adds to its requirements becomes the dev group.
  const setup = hasProject ? undefined : readSetupMetadata(fs.read('setup.py'), fs.read('setup.cfg'));
  // An existing [project] whose dependencies are dynamic gets none written either (setuptools reads them).
  const existingDynamic = hasProject ? dynamicOf(existingText!) : [];
  const readme = ['README.md', 'README.rst', 'README.txt', 'README'].find((r) => fs.exists(r));
  const readmeText = readme && fs.read(readme);
  const description = readme === 'README.md' && readmeText ? readmeDescription(readmeText) : undefined;
  const runtime = model.rows.filter((r) => !r.group).map((r) => r.requirement).sort(byName);
  const groups = new Map(model.groups.map((g) => [g, model.rows.filter((r) => r.group === g).map((r) => r.requirement)]));
  let dependencies = runtime;
  // A package's published dependencies are its own (setup.py, a [project] with a build backend, Poetry's).
  if (setup || existingDynamic.includes('dependencies') || (hasProject && hasBuildSystem)) {
    // The env's versions stay the developer's (the lock resolves every group together), never the
    // package's published requirements.
    const required = new Set((setup?.requires ?? []).map(requirementName));
    const pinned = runtime.filter((r) => required.has(requirementName(r))).length;
    groups.set('dev', [...(groups.get('dev') ?? []), ...runtime]);
    dependencies = [];
    const source = setup
      ? `${setup.source} holds the package's metadata: [project] names ${setup.name ?? 'it'} and reads ${setup.dynamic.join(', ')} from it`
      : existingDynamic.includes('dependencies')
        ? '[project].dependencies are dynamic'
        : "pyproject.toml's [project] holds the package's published dependencies";
    api.decide(`${source}; the env's ${runtime.length} package(s) go to the dev group (${pinned} of them the package requires too: the env's versions pin the developer's env)`);
  }
  // Never a self-dependency: the project is installed as the project (its extras by `uv sync --extra`).
  const self = setup?.name ?? (hasProject ? declaredName(existingText, undefined, undefined) : undefined);
  const notSelf = (r: string) => {
    if (self === undefined || requirementName(r) !== normalizeName(self)) return true;
    const extras = /^[^[;]+\[([^\]]+)\]/.exec(r)?.[1];
    api.decide(`${r} is the project itself: not a dependency of itself${extras ? ` (its extras: \`uv sync --extra ${extras.split(',').map((x) => x.trim()).join(' --extra ')}\`)` : ''}`);
    return false;
  };
  dependencies = dependencies.filter(notSelf);
  for (const [g, items] of groups) groups.set(g, [...new Set(items.filter(notSelf))].sort(byName));
  const dynamic = setup?.dynamic ?? existingDynamic;
  const spec: PyprojectSpec = {
    name: setup?.name ?? model.projectName ?? (projectNameFrom(ctx.root) || 'app'),
    ...(dynamic.length > 0 ? { dynamic } : {}),
    ...(description && !dynamic.includes('description') ? { description } : {}),
    ...(readme && !dynamic.includes('readme') ? { readme } : {}),
    ...(model.requiresPython && !dynamic.includes('requires-python') ? { requiresPython: model.requiresPython } : {}),
    dependencies,
    groups,
    ...(isPackage
      ? hasBuildSystem
        ? {}
        : { package: true, packageWhy: 'The env installed the project itself (`pip install -e .` or setup.py): uv installs it into the venv too.' }
      : { package: false, packageWhy: 'An application, not a package (no `pip install -e .`, setup.py or [build-system]): uv installs only its dependencies.' }),
    environments: model.environments,
    indexes: model.indexes,
    sources: model.sources,
    extraBuildDependencies: model.extraBuildDependencies,
    findLinks: model.findLinks,
  };
  if (model.environments.length > 0) {
    api.report({
      path: 'pyproject.toml',
      message: `[tool.uv] environments limits uv.lock to the platforms the env files covered (${model.environments.join(', ')}): to support another, add its marker there (e.g. "sys_platform == 'win32'")`,
      severity: 'info',
    });
  }
  let text: string;
  try {
    if (existingText === undefined) text = renderPyproject(spec);
    else {
      const merged2 = mergePyproject(existingText, spec);
      text = merged2.text;
      for (const c of merged2.conflicts) api.report({ path: 'pyproject.toml', message: `conflict: ${c}`, severity: 'info' });
    }
  } catch (error) {
    if (!(error instanceof CodemodError)) throw error;
    // The existing pyproject.toml is broken: an error at its line (finish throws it), and nothing migrates.
    outcome.pyprojectError = new CodemodError(error.message, error.line, error.col, 'pyproject.toml');
    decline(api, 'not written: fix pyproject.toml (see its error) and run again');
    return;
  }
  const problems = validatePyproject(text);
  if (problems.length > 0) {
    for (const p of problems) api.report({ path: 'pyproject.toml', message: `${p}: nothing written, the env files are kept`, severity: 'blocks' });
    decline(api, 'not written: the pyproject.toml the env files make would not be valid (see above)');
    return;
  }
  if (text !== onDisk) outcome.pyproject = text;
  const pinUnwritable = fs.unwritable('.python-version');
  if (!model.python) api.report({ path: 'pyproject.toml', message: 'no env file pins python: write .python-version (`uv python pin X.Y`)' });
  else if (pinUnwritable) api.report({ path: '.python-version', message: `not written: it ${pinUnwritable}; it should hold ${model.python}` });
  else {
    outcome.pythonVersion = pythonForProject(text, model.python);
    if (outcome.pythonVersion !== model.python) {
      api.report({ path: '.python-version', message: `${outcome.pythonVersion}: the env asks for Python ${model.python}, which pyproject.toml's requires-python excludes` });
    }
  }
  for (const f of merged) f.info.migrated = true;
  // Only now is the migration on: other codemods may point Docker, CI and docs at pyproject.toml.
  ctx.migrating = true;
}

/**
 * No env file is left, but a pyproject.toml with [project] and a .python-version are: a migration already
 * done, perhaps with files that failed then. The migration is on again, with the facts those files give,
 * so a file fixed since is migrated and what still mentions conda is reported.
 */
async function resume(api: InventoryApi): Promise<void> {
  const { fs, ctx } = api;
  const text = fs.read('pyproject.toml');
  const pin = fs.read('.python-version')?.trim();
  if (text === undefined || pin === undefined || !/^\[project\][ \t]*$/m.test(text)) return;
  const { parse } = await import('smol-toml');
  let doc: Record<string, any>;
  try {
    doc = parse(text) as Record<string, any>;
  } catch {
    return; // the codemods that read it say what is wrong
  }
  const python = /^(\d+\.\d+)/.exec(pin)?.[1];
  Object.assign(ctx.conda, {
    ...(python ? { pythonVersion: python } : {}),
    ...(typeof doc.project?.['requires-python'] === 'string' ? { requiresPython: doc.project['requires-python'] } : {}),
    groups: Object.keys(doc['dependency-groups'] ?? {}),
    isPackage: 'build-system' in doc || doc.tool?.uv?.package === true,
  });
  ctx.migrating = true;
  api.decide('no conda env file, but pyproject.toml and .python-version: a migration done before, continued for the files still to migrate', 'pyproject.toml');
}

/**
 * No pyproject.toml will be written though there are env files to migrate: say why, once. `ctx.migrating`
 * stays false, so every other codemod (all run only when migrating) leaves Docker, CI, the Makefile and
 * scripts alone rather than point them at a uv project that is not there.
 */
function decline(api: InventoryApi, what: string): void {
  api.report({ path: 'pyproject.toml', message: `${what}. No other file was changed, so that nothing points at uv before pyproject.toml exists`, severity: 'blocks' });
}

/** A migrated env file goes unless --keep-conda, or the plan keeps it for a reader this tool does not migrate. */
function deletable(api: Api, path: string): boolean {
  return !api.options.keepConda && api.ctx.plan?.envFiles.find((f) => f.path === path)?.action !== 'keep';
}

/** The CI files whose matrix may pick env files: YAML files, so among the env codemod's own. */
const CI_FILES = ['.github/workflows/*.yml', '.github/workflows/*.yaml', '**/.gitlab-ci.yml'];

/** Whether a CI workflow picks an env file by a matrix expression in its path; `yamlFiles`: every YAML file. */
function matrixEnvMatcher(fs: InventoryApi['fs'], yamlFiles: readonly string[]): (path: string) => boolean {
  // A filter of the YAML files the runner matched already, not another pass over every path.
  const isCi = new RegExp(CI_FILES.map((p) => picomatch.makeRe(p, { dot: true }).source).join('|'));
  const globs = yamlFiles.filter((p) => isCi.test(p)).flatMap((p) => {
    const text = fs.read(p);
    return text?.includes('$') ? matrixEnvGlobs(text) : [];
  });
  if (globs.length === 0) return () => false;
  const re = globs.map((g) => new RegExp(`^${g.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&')).join('[^/]*')}$`));
  return (path) => re.some((r) => r.test(path));
}

/**
 * A Poetry pyproject with its [tool.poetry] said again as PEP 621 [project] (inserted before it) and its
 * groups as [dependency-groups]; undefined when it does not parse or has no name.
 */
async function fromPoetry(text: string, api: InventoryApi<EnvState>): Promise<string | undefined> {
  const { parse } = await import('smol-toml');
  let doc: Record<string, unknown>;
  try {
    doc = parse(text) as Record<string, unknown>;
  } catch {
    return undefined; // mergePyproject reports where it does not parse
  }
  const poetry = poetryProject(doc);
  if (!poetry) return undefined;
  const at = /^\[tool\.poetry\]/m.exec(text)!.index;
  let out = `${text.slice(0, at)}[project]\n${poetry.project.join('\n')}\n\n${text.slice(at)}`;
  if (poetry.groups.size > 0 && !/^\[dependency-groups\]/m.test(text)) {
    const groups = [...poetry.groups].map(([g, items]) => `${g} = [\n${items.map((r) => `    ${JSON.stringify(r)},\n`).join('')}]\n`).join('');
    out += `${out.endsWith('\n') ? '' : '\n'}\n[dependency-groups]\n${groups}`;
  }
  for (const note of poetry.notes) api.report({ path: 'pyproject.toml', message: note });
  api.report({
    path: 'pyproject.toml',
    message: "[tool.poetry] is said again as [project] and [dependency-groups] for uv; Poetry's dependency tables still list the same packages: remove them once Poetry is no longer used (the build backend stays: check `uv build`)",
  });
  api.decide('a Poetry project: [tool.poetry] converted to [project] (dependencies, requires-python, authors) and its groups to [dependency-groups]', 'pyproject.toml');
  return out;
}

/** The `dynamic` list of a pyproject's [project] table (empty when it does not parse: the merge reports that). */
function dynamicOf(text: string): string[] {
  const m = /^\[project\][^[]*?^dynamic\s*=\s*\[([^\]]*)\]/ms.exec(text);
  return m ? Array.from(m[1]!.matchAll(/["']([^"']+)["']/g), (x) => x[1]!) : [];
}

/** A valid project name from a folder name (`owner+my_app` -> `owner-my-app`). */
function projectNameFrom(root: string): string {
  return normalizeName(root.split(/[\\/]/).filter(Boolean).pop() ?? '').replace(/[^a-z0-9.-]+/g, '-').replace(/^[-.]+|[-.]+$/g, '');
}

/** Sorted by package name first, so `psycopg2` comes before `psycopg2-binary`. */
function byName(a: string, b: string): number {
  const key = (r: string) => r.toLowerCase().replace(/^([a-z0-9._-]+)/, '$1\0');
  const ka = key(a);
  const kb = key(b);
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

export default {
  name: 'env-to-pyproject',
  description: 'conda env files -> pyproject.toml and .python-version',
  files: ['**/*.yml', '**/*.yaml'],
  mentions: MAYBE_ENV_FILE,
  createState: (): EnvState => ({}),
  inventory,
  inventoryByMentions: true,
  transform(file: FileInfo, api: Api<EnvState>) {
    const outcome = api.state.outcome;
    const error = outcome?.model.errors.get(file.path);
    if (error) throw error;
    const info = api.ctx.conda.envFiles.find((e) => e.path === file.path);
    if (info?.migrated && deletable(api, file.path)) api.fs.delete(file.path);
    return null;
  },
  finish(api: Api<EnvState>) {
    const outcome = api.state.outcome;
    if (!outcome) return;
    for (const [path, error] of outcome.model.errors) {
      if (/\.ya?ml$/.test(path)) continue; // the transform throws these
      api.report({ path, ...(error.line ? { line: error.line } : {}), message: `${error.message}: the file was not migrated` });
    }
    if (outcome.pyprojectError) throw outcome.pyprojectError;
    if (!api.options.keepConda) {
      for (const info of api.ctx.conda.envFiles) if (info.migrated && !/\.ya?ml$/.test(info.path) && api.fs.exists(info.path) && deletable(api, info.path)) api.fs.delete(info.path);
    }
    if (outcome.pyproject !== undefined) api.fs.write('pyproject.toml', outcome.pyproject);
    if (outcome.pythonVersion) {
      const existing = api.fs.read('.python-version');
      if (existing === undefined) api.fs.write('.python-version', `${outcome.pythonVersion}\n`);
      else if (existing.trim() !== outcome.pythonVersion) {
        api.report({ path: '.python-version', message: `kept ${existing.trim()} (the primary env file asks for ${outcome.pythonVersion})`, severity: 'info' });
      }
    }
  },
} satisfies Codemod<EnvState>;
