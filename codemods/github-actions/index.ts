// GitHub Actions workflows and composite actions: conda setup steps become setup-uv + `uv sync --locked`,
// login shells that only served activation go, conda caches go, run: blocks go through the shell engine.
import path from 'node:path';
import type { Api, Codemod, FileInfo, InventoryApi } from '../../contract/types.js';
import { HOSTS, loadShellParser, maskGithubExpressions, rewriteShell } from '../lib/shell/index.js';
import { applyEdits, collapsingBlank, type Edit } from '../lib/text.js';
import {
  columnOf,
  isMap,
  isScalar,
  isSeq,
  lineOf,
  pairOf,
  parseYaml,
  quoteLike,
  removeLinesEdit,
  scalarString,
  scalarValueEdit,
  seqItemStart,
  valueFirstLine,
  withCommentsAbove,
  type Node,
  type Pair,
  type ParsedYaml,
} from '../lib/yaml.js';
import { CONDA_IMAGE, envFileInfo, hashFilesEdits, isEnvFileName, uvImage } from '../lib/ci.js';
import { TALKS_CONDA } from '../lib/conda/vocabulary.js';
import { loginlessShell } from './shell-flags.js';

/** Actions that install conda and activate an env (any version). */
const CONDA_ACTIONS = 'conda-incubator/setup-miniconda|mamba-org/setup-micromamba|mamba-org/provision-with-micromamba|s-weigand/setup-conda|goanpeca/setup-miniconda|matthewrmshin/conda-action';
const CONDA_SETUP = new RegExp(`^(?:${CONDA_ACTIONS})(?:@|$)`, 'i');
const USES_CONDA_SETUP = new RegExp(`^\\s*-?\\s*uses:\\s*['"]?(?:${CONDA_ACTIONS})(?:@|['"\\s]|$)`, 'im');
const CACHE_ACTION = /^actions\/cache(?:\/restore|\/save)?@/i;
/** Paths only conda uses: package dirs and env prefixes. */
const CONDA_CACHE_PATH = /conda|mamba|conda_pkgs|\/envs\b/i;
const DOCKER_BUILD = /\bdocker(?:\s+buildx)?\s+build\b|\bdocker[- ]compose\b.*\bbuild\b/;
/** Step keys a conda setup step keeps on its setup-uv replacement. */
const KEPT_KEYS = new Set(['id', 'if', 'continue-on-error', 'timeout-minutes']);

interface Context {
  source: string;
  parsed: ParsedYaml;
  edits: Edit[];
  api: Api<ActionsState>;
  path: string;
  composite: boolean;
  /** Source ranges left alone (jobs that build images, jobs kept on conda for their matrix). */
  untouched: [number, number][];
}

/** The run's state: directories of local composite actions that set up conda, found before any file changed. */
interface ActionsState {
  condaActions: Set<string>;
}

interface JobResult {
  hadConda: boolean;
  /** The job stays on conda (its env was not migrated): shared login shells must stay. */
  keptConda?: boolean;
}

export default {
  name: 'github-actions',
  description: 'GitHub Actions: setup-miniconda to setup-uv, run steps through uv',
  files: ['.github/workflows/*.yml', '.github/workflows/*.yaml', '**/action.yml', '**/action.yaml'],
  // Conda words, env files in keys and filters, and local actions (which may have set up conda).
  mentions: /conda|mamba|environment|activate|uses:\s*['"]?\.\//i,
  onlyWhenMigrating: true,
  projectAware: true,
  warmUp() {
    loadShellParser();
  },
  createState: (): ActionsState => ({ condaActions: new Set() }),
  inventory(api: InventoryApi<ActionsState>) {
    if (!api.ctx.migrating) return; // the env files' inventory runs first; without them nothing here is needed
    for (const file of api.matching()) {
      if (!/(?:^|\/)action\.ya?ml$/.test(file)) continue;
      const text = api.fs.read(file);
      if (text !== undefined && USES_CONDA_SETUP.test(text)) api.state.condaActions.add(path.posix.dirname(file));
    }
  },
  transform(file: FileInfo, api: Api<ActionsState>) {
    const parsed = parseYaml(file.source);
    const root = parsed.doc.contents;
    if (!isMap(root)) return file.source;
    const composite = /(?:^|\/)action\.ya?ml$/.test(file.path);
    const c: Context = { source: file.source, parsed, edits: [], api, path: file.path, composite, untouched: [] };
    let anyConda = false;
    let anyKept = false;
    let anyWindows = false;
    if (composite) {
      const steps = pairOf(pairOf(root, 'runs')?.value, 'steps')?.value;
      if (isSeq(steps)) anyConda = migrateSteps(c, steps.items as Node[], true, false).hadConda;
    } else {
      const jobs = pairOf(root, 'jobs')?.value;
      if (isMap(jobs)) {
        for (const jobPair of jobs.items) {
          const job = jobPair.value as Node;
          const windows = mayRunOnWindows(file.source, job);
          anyWindows ||= windows;
          const result = migrateJob(c, job, windows);
          anyConda ||= result.hadConda;
          anyKept ||= result.keptConda === true;
        }
      }
      if (anyConda && !anyKept) fixDefaultsShell(c, root, anyWindows);
      fixPathFilters(c, pairOf(root, 'on')?.value);
      if (anyConda) {
        // A job kept on conda may still read the workflow's conda variables; its own stay with it.
        if (!anyKept) removeCondaEnv(c, root);
        const kept = (job: Node) => c.untouched.some(([s, t]) => job.range![0] >= s && job.range![1] <= t);
        if (isMap(jobs)) for (const jobPair of jobs.items) if (!kept(jobPair.value as Node)) removeCondaEnv(c, jobPair.value as Node);
      }
    }
    // Cache keys anywhere else (not in removed steps, not in image jobs) hash uv.lock.
    const free = (e: Edit) => ![...c.edits.map((d) => [d.start, d.end] as const), ...c.untouched].some(([s, t]) => e.start < t && s < e.end);
    c.edits.push(...hashFilesEdits(file.source, api.ctx).filter(free));
    return applyEdits(file.source, c.edits);
  },
} satisfies Codemod<ActionsState>;

/** Runs-on or the job's matrix names Windows, where a step without `shell:` runs in pwsh. */
function mayRunOnWindows(source: string, job: Node): boolean {
  return job.range !== undefined && job.range !== null && /windows/i.test(source.slice(job.range[0], job.range[1]));
}

function isDockerJob(steps: readonly Node[]): boolean {
  return steps.some((step) => {
    const uses = stepUses(step);
    const run = pairOf(step, 'run')?.value;
    return /^docker\//i.test(uses) || (isScalar(run) && DOCKER_BUILD.test(String(run.value)));
  });
}

function migrateJob(c: Context, job: Node, windows: boolean): JobResult {
  const steps = pairOf(job, 'steps')?.value;
  if (!isSeq(steps)) return { hadConda: false };
  const items = steps.items as Node[];
  const hasCondaSetup = items.some((s) => CONDA_SETUP.test(stepUses(s)));
  // A job that builds an image gets its environment from the Dockerfile: leave it to that codemod.
  if (!hasCondaSetup && isDockerJob(items)) {
    c.untouched.push([job.range![0], job.range![1]]);
    return { hadConda: false };
  }
  if (keptForMatrix(c, job, items)) return { hadConda: false, keptConda: true };
  const condaContainer = migrateContainer(c, job);
  const runsOn = pairOf(job, 'runs-on')?.value;
  const linux = isScalar(runsOn) && /ubuntu|linux/i.test(String(runsOn.value));
  const editsBefore = c.edits.length;
  const result = migrateSteps(c, items, windows, linux, condaContainer, matrixPython(c, job));
  if (!result.keptConda && !condaContainer) installUv(c, items, c.edits.slice(editsBefore)); // uv's image has uv
  if (result.hadConda) fixShellPair(c, pairOf(pairOf(pairOf(job, 'defaults')?.value, 'run')?.value, 'shell'), windows, pairOf(job, 'defaults'));
  return result;
}

/**
 * A job whose matrix chooses its conda env file (minimal, latest...) stays on conda as it is, byte for byte:
 * one `uv sync` would collapse the variants. One follow-up names the files it chooses between.
 */
function keptForMatrix(c: Context, job: Node, steps: readonly Node[]): boolean {
  const step = steps.find((s) => CONDA_SETUP.test(stepUses(s)) && /\$\{\{/.test(scalarString(c.parsed.doc, pairOf(pairOf(s, 'with')?.value, 'environment-file')?.value) ?? ''));
  if (!step) return false;
  const envFile = scalarString(c.parsed.doc, pairOf(pairOf(step, 'with')?.value, 'environment-file')?.value)!;
  const files = matrixChoices(c, job, envFile);
  c.untouched.push([job.range![0], job.range![1]]);
  c.api.report({ path: c.path, line: lineOf(c.parsed, step.range![0]), message: `the job's matrix chooses its conda env file (${files.join(', ')}): kept on conda; express the variants with uv (\`uv sync --resolution lowest-direct\`, groups, extras) by hand` });
  return true;
}

/** The values `text` takes over the job's matrix (its one `${{ matrix.X }}` read from the axis and `include:`), else `text`. */
function matrixChoices(c: Context, job: Node, text: string): string[] {
  const refs = [...text.matchAll(/\$\{\{\s*matrix\.([\w-]+)\s*\}\}/g)];
  if (refs.length !== 1 || text.replace(refs[0]![0], '').includes('${{')) return [text];
  const axis = refs[0]![1]!;
  const matrix = pairOf(pairOf(job, 'strategy')?.value, 'matrix')?.value;
  const values: string[] = [];
  const add = (node: unknown) => {
    const value = scalarString(c.parsed.doc, node);
    if (value !== undefined && !values.includes(value)) values.push(value);
  };
  const list = pairOf(matrix, axis)?.value;
  if (isSeq(list)) list.items.forEach(add);
  const include = pairOf(matrix, 'include')?.value;
  if (isSeq(include)) for (const entry of include.items) add(pairOf(entry, axis)?.value);
  return values.length > 0 ? values.map((v) => text.replace(refs[0]![0], v)) : [text];
}

/**
 * A job whose steps now run uv before anything installs it (a `conda run` on a runner's own conda, say,
 * or a conda step above the setup step) gets setup-uv before the first of them: no job runs uv without it.
 */
function installUv(c: Context, steps: readonly Node[], edits: readonly Edit[]): void {
  const first = steps.findIndex((s) => edits.some((e) => /(?:^|[\s;&|(])uv [a-z-]/.test(e.text) && e.start >= s.range![0] && e.start < s.range![1]));
  if (first < 0 || steps.slice(0, first).some((s) => installsUv(c, s))) return;
  const itemStart = seqItemStart(c.source, steps[first]!);
  const dash = ' '.repeat(columnOf(c.source, itemStart));
  const key = ' '.repeat(columnOf(c.source, steps[first]!.range![0]));
  const at = c.source.lastIndexOf('\n', itemStart - 1) + 1;
  const text = `${dash}- name: Set up uv\n${key}uses: astral-sh/setup-uv@${c.api.ctx.setupUvVersion}\n${key}with:\n${key}  version: ${JSON.stringify(c.api.ctx.uvVersion)}\n${key}  enable-cache: true\n`;
  c.edits.push({ start: at, end: at, text });
  c.api.decide(`added setup-uv before line ${lineOf(c.parsed, itemStart)}: the job's steps now run uv`, c.path);
}

/** A step after which the job has uv: setup-uv, uv's installer, or a conda setup step (it becomes setup-uv). */
function installsUv(c: Context, step: Node): boolean {
  const uses = stepUses(step);
  if (/^astral-sh\/setup-uv@/i.test(uses) || CONDA_SETUP.test(uses)) return true;
  if (uses.startsWith('./') && c.api.state.condaActions.has(path.posix.normalize(uses).replace(/\/$/, ''))) return true;
  return /astral\.sh\/uv/.test(scalarString(c.parsed.doc, pairOf(step, 'run')?.value) ?? '');
}

/** A job container on a conda image runs on Astral's uv image instead; its steps start with conda's base env on PATH. */
function migrateContainer(c: Context, job: Node): boolean {
  const container = pairOf(job, 'container')?.value;
  const node = (isMap(container) ? pairOf(container, 'image')?.value : container) as Node | undefined;
  const name = scalarString(c.parsed.doc, node);
  if (!node || name === undefined || !CONDA_IMAGE.test(name)) return false;
  const image = uvImage(c.api.ctx, name);
  c.edits.push({ start: node.range![0], end: node.range![1], text: quoteLike(node, image) });
  c.api.decide(`job container ${name} -> ${image}`, c.path);
  return true;
}

function stepUses(step: Node): string {
  const uses = pairOf(step, 'uses')?.value;
  return isScalar(uses) ? String(uses.value ?? '') : '';
}

/** The job's matrix axis of Python versions (`python-version`, `python`...), as the expression that reads it. */
function matrixPython(c: Context, job: Node): string | undefined {
  const matrix = pairOf(pairOf(job, 'strategy')?.value, 'matrix')?.value;
  if (!isMap(matrix)) return undefined;
  const axis = matrix.items.map((p) => scalarString(c.parsed.doc, p.key) ?? '').find((k) => /^(?:python(?:[-_]?version)?|py)$/i.test(k));
  return axis ? `\${{ matrix.${axis} }}` : undefined;
}

/** `source venv/bin/activate` (not conda's): a step of the job runs in a venv of its own. */
const OTHER_VENV = /(?:^|[\s;&|(])(?:source|\.)[ \t]+["']?(?![^\s"']*(?:conda|mamba|miniforge))[^\s"';&|]*bin\/activate\b/m;

/**
 * Migrate a list of steps (a job's, or a composite action's). `keepShell`: a run step must keep a `shell:`.
 * After setup-uv has activated the project venv (activate-environment), later steps run as they did: the
 * venv is on PATH, so nothing gets `uv run`; nor in a job that activates a venv of its own.
 */
function migrateSteps(c: Context, steps: readonly Node[], keepShell: boolean, linux: boolean, startActivated = false, python?: string): JobResult {
  const hasSetupPython = steps.some((s) => /^actions\/setup-python@/i.test(stepUses(s)));
  const removedIds: string[] = [];
  const removals: number[] = []; // indexes in c.edits of whole-step removals
  let activated = startActivated;
  let hadConda = startActivated; // a conda container's login shells served activation too
  let venvOnPath = steps.some((s) => OTHER_VENV.test(scalarString(c.parsed.doc, pairOf(s, 'run')?.value) ?? ''));
  const shells: Pair[] = [];
  for (const step of steps) {
    if (!isMap(step)) continue;
    const uses = stepUses(step);
    // `uses: ./.github/actions/setup-env`, a local action that set up conda: later steps ran in its env.
    if (uses.startsWith('./') && c.api.state.condaActions.has(path.posix.normalize(uses).replace(/\/$/, ''))) {
      activated = true;
      hadConda = true;
      venvOnPath = true; // its setup-uv activates the venv for the job's later steps
      continue;
    }
    if (CONDA_SETUP.test(uses)) {
      const env = envFileInfo(c.api.ctx, scalarString(c.parsed.doc, pairOf(pairOf(step, 'with')?.value, 'environment-file')?.value) ?? '');
      if (env?.role === 'unmigratable') {
        // An R (or other non-Python) env stays on conda: its job keeps its setup and shells.
        c.api.report({ path: c.path, line: lineOf(c.parsed, step.range![0]), message: `${env.path} was not migrated, so this conda setup step stays`, severity: 'info' });
        return { hadConda: false, keptConda: true };
      }
      const envFile = scalarString(c.parsed.doc, pairOf(pairOf(step, 'with')?.value, 'environment-file')?.value) ?? '';
      if (/\$\{\{/.test(envFile)) {
        // A composite action's env file chosen by its caller: one `uv sync` would collapse the choices.
        c.api.report({ path: c.path, line: lineOf(c.parsed, step.range![0]), message: `the conda env file is chosen by an expression (${envFile}): kept on conda; express the variants with uv (\`uv sync --resolution lowest-direct\`, groups, extras) by hand` });
        return { hadConda: false, keptConda: true };
      }
      if (env?.role === 'ci-matrix') c.api.report({ path: c.path, line: lineOf(c.parsed, step.range![0]), message: `${env.path} was a CI matrix env, not merged into pyproject.toml: check that uv sync installs what this job needs` });
      c.edits.push(setupUvEdit(c, step, uses, hasSetupPython, linux, python, steps));
      activated = true;
      hadConda = true;
      venvOnPath = true;
      continue;
    }
    if (CACHE_ACTION.test(uses) && isCondaCache(step)) {
      removals.push(c.edits.length);
      c.edits.push(collapsingBlank(c.source, withCommentsAbove(c.source, removeLinesEdit(c.source, step))));
      const id = scalarString(c.parsed.doc, pairOf(step, 'id')?.value);
      if (id) removedIds.push(id);
      c.api.decide(`removed the conda cache step at line ${lineOf(c.parsed, step.range![0])}: setup-uv's enable-cache caches uv`, c.path);
      continue;
    }
    const run = pairOf(step, 'run');
    const editsBefore = c.edits.length;
    const removed = run ? migrateRun(c, step, run, activated, venvOnPath) === 'removed' : false;
    if (removed) removals.push(editsBefore);
    const shell = pairOf(step, 'shell');
    if (shell && !removed) shells.push(shell);
  }
  // A job needs a step: when every one went, the last stays as it was, for a person to decide.
  if (removals.length > 0 && removals.length === steps.filter((s) => isMap(s)).length) {
    const last = c.edits.splice(removals.at(-1)!, 1)[0]!;
    c.api.report({ path: c.path, line: lineOf(c.parsed, last.start), message: 'every step of this job only did conda work: remove the job or give it a uv step' });
  }
  if (hadConda) for (const shell of shells) fixShellPair(c, shell, keepShell);
  if (hadConda) egressAllowList(c, steps);
  for (const id of removedIds) {
    const use = new RegExp(`steps\\.${id.replace(/[-.]/g, '\\$&')}\\.`).exec(c.source);
    if (use) c.api.report({ path: c.path, line: lineOf(c.parsed, use.index), message: `refers to the removed conda cache step "${id}"` });
  }
  return { hadConda };
}

/** Conda's download hosts, as an egress allow-list names them. */
const CONDA_HOST = /\b(?:conda\.anaconda\.org|repo\.anaconda\.com|anaconda\.org|conda-forge\.org|conda\.(?:io|org)|prefix\.dev)\b/;

/**
 * A job that limits its network (step-security/harden-runner's allowed-endpoints) and now gets uv from
 * GitHub and packages from PyPI: its allow-list must let those through, or the job fails at setup-uv.
 */
function egressAllowList(c: Context, steps: readonly Node[]): void {
  for (const step of steps) {
    if (!/^step-security\/harden-runner@/i.test(stepUses(step))) continue;
    const list = pairOf(pairOf(step, 'with')?.value, 'allowed-endpoints')?.value;
    const hosts = scalarString(c.parsed.doc, list) ?? '';
    if (!CONDA_HOST.test(hosts)) continue;
    // setup-uv downloads uv from GitHub's releases (which redirect to their asset hosts); uv sync fetches from PyPI.
    const needed = ['pypi.org:443', 'files.pythonhosted.org:443', 'github.com:443', 'objects.githubusercontent.com:443', 'release-assets.githubusercontent.com:443'];
    const missing = needed.filter((h) => !hosts.includes(h.split(':')[0]!));
    const needs = missing.length > 0 ? `add ${missing.join(', ')} (setup-uv gets uv from GitHub's releases, uv sync gets packages from PyPI)` : 'it already lets PyPI and GitHub through';
    c.api.report({ path: c.path, line: lineOf(c.parsed, list!.range![0]), message: `harden-runner's allowed-endpoints still list conda's hosts: ${needs}, and drop the conda hosts once nothing uses them`, severity: missing.length > 0 ? 'blocks' : 'info' });
  }
}

function isCondaCache(step: Node): boolean {
  const path = pairOf(pairOf(step, 'with')?.value, 'path')?.value;
  return isScalar(path) && CONDA_CACHE_PATH.test(String(path.value));
}

/** Send a run: block through the shell engine; a block left empty takes its step with it. */
function migrateRun(c: Context, step: Node, run: Pair, activated: boolean, venvOnPath: boolean): 'removed' | undefined {
  const node = run.value;
  if (!isScalar(node) || typeof node.value !== 'string') return undefined;
  const host = venvOnPath ? { ...HOSTS.ci, reach: 'venv-on-path' as const } : HOSTS.ci;
  const result = rewriteShell(node.value, { host, activated, ctx: c.api.ctx, renames: c.api.fs.renames, mask: maskGithubExpressions });
  const firstLine = valueFirstLine(c.parsed, c.source, node as Node);
  for (const note of result.notes) c.api.report({ path: c.path, line: firstLine + note.line - 1, message: note.message });
  if (!result.changed) return undefined;
  if (result.text.trim() === '') {
    c.edits.push(collapsingBlank(c.source, withCommentsAbove(c.source, removeLinesEdit(c.source, step))));
    c.api.decide(`removed the step at line ${lineOf(c.parsed, step.range![0])}: it only did conda work`, c.path);
    return 'removed';
  }
  const edit = scalarValueEdit(c.source, run, result.text);
  if (edit) c.edits.push(edit);
  else c.api.report({ path: c.path, line: firstLine, message: 'run: block has a form the codemod cannot rewrite; migrate it by hand', severity: 'blocks' });
  return undefined;
}

/** The Python version a conda setup step gave the job: its python-version input or a `python=X` spec. */
function stepPython(c: Context, withMap: unknown): string | undefined {
  // The written text, not the value: an unquoted 3.10 reads as the number 3.1.
  const explicit = pairOf(withMap, 'python-version')?.value;
  if (isScalar(explicit) && explicit.range) return c.source.slice(explicit.range[0], explicit.range[1]).replace(/^(['"])(.*)\1$/, '$2');
  for (const key of ['create-args', 'extra-specs', 'packages']) {
    const text = scalarString(c.parsed.doc, pairOf(withMap, key)?.value);
    const spec = text && /(?:^|\s)python\s*={1,2}\s*(\$\{\{[^}]*\}\}|\d+(?:\.\d+)*)/.exec(text);
    if (spec) return spec[1];
  }
  return undefined;
}

/**
 * Replace a conda setup step by a setup-uv step and an install step, in the step's own indentation.
 * setup-uv pins the uv of the Docker image (`version`), sets the job's Python (`python-version`: the step's,
 * the matrix's, the env's) and activates the project venv (`activate-environment`), which `uv sync --locked`
 * then fills: later steps find every tool on PATH, as they did in the activated conda env.
 */
function setupUvEdit(c: Context, step: Node, uses: string, hasSetupPython: boolean, linux: boolean, matrix: string | undefined, steps: readonly Node[]): Edit {
  const { source, api } = c;
  const withMap = pairOf(step, 'with')?.value;
  const envFile = scalarString(c.parsed.doc, pairOf(withMap, 'environment-file')?.value);
  const env = envFile ? envFileInfo(api.ctx, envFile) : undefined;
  const python = hasSetupPython ? undefined : (stepPython(c, withMap) ?? matrix ?? env?.python ?? api.ctx.conda.pythonVersion);

  const itemStart = seqItemStart(source, step);
  const dash = ' '.repeat(columnOf(source, itemStart));
  const key = ' '.repeat(columnOf(source, step.range![0]));
  const withItems = isMap(withMap) ? withMap.items : [];
  const childCol = withItems[0] ? columnOf(source, (withItems[0].key as Node).range![0]) : -1;
  const unit = childCol > key.length ? ' '.repeat(childCol - key.length) : '  ';

  const kept = (name: string) => {
    const pair = pairOf(step, name);
    if (!pair) return '';
    const span = removeLinesEdit(source, pair);
    return key + source.slice((pair.key as Node).range![0], span.end);
  };
  const keptPairs = (isMap(step) ? step.items : [])
    .map((p) => scalarString(c.parsed.doc, p.key))
    .filter((name): name is string => name !== undefined && KEPT_KEYS.has(name))
    .map(kept)
    .join('');

  // In a repository of several projects, the env file's project is where uv syncs (and its venv is).
  const project = envFile ? api.ctx.plan?.units?.find((u) => envFile.replace(/^\.\//, '').startsWith(`${u}/`)) : undefined;
  let setup = `${dash}- name: Set up uv\n${keptPairs}${key}uses: astral-sh/setup-uv@${api.ctx.setupUvVersion}\n${key}with:\n`;
  setup += `${key}${unit}version: ${JSON.stringify(api.ctx.uvVersion)}\n${key}${unit}enable-cache: true\n`;
  if (python) setup += `${key}${unit}python-version: ${/^\$\{\{/.test(python) ? python : JSON.stringify(python.replace(/\.\*$/, ''))}\n`;
  setup += `${key}${unit}activate-environment: true\n`;
  if (project) setup += `${key}${unit}working-directory: ${project}\n`;
  // A job that has an "Install dependencies" step of its own (a Poetry install) gets no second one of that name.
  const named = (s: Node) => scalarString(c.parsed.doc, pairOf(s, 'name')?.value)?.trim().toLowerCase();
  const installName = steps.some((s) => s !== step && named(s) === 'install dependencies') ? 'Install dependencies with uv' : 'Install dependencies';
  let install = `${dash}- name: ${installName}\n${kept('if')}`;
  if (c.composite) install += `${key}shell: bash\n`;
  install += `${key}run: ${project ? 'uv sync --locked' : syncCommand(env, api.ctx.conda.groups)}\n`;
  if (project) install += `${key}working-directory: ${project}\n`;

  const line = lineOf(c.parsed, step.range![0]);
  // Conda also installed system tools (ffmpeg...): on a Linux runner apt-get gives them back.
  const system = systemPackages(api, env?.path);
  let apt = '';
  if (system.length > 0 && linux) {
    apt = `${dash}- name: Install system packages\n${kept('if')}${key}run: sudo apt-get update && sudo apt-get install -y --no-install-recommends ${system.join(' ')}\n`;
    api.decide(`added an apt-get step for ${system.join(', ')}, which the conda env provided`, c.path);
  } else if (system.length > 0) {
    api.report({ path: c.path, line, message: `the conda env also provided ${system.join(', ')}: install them on this job's runners if its steps need them` });
  }
  const inline = inlinePackages(c, withMap);
  if (inline.length > 0) api.report({ path: c.path, line, message: `the step also installed ${inline.join(', ')}: add what the job needs to pyproject.toml (uv add --dev ...)` });
  api.decide(`replaced ${uses.split('@')[0]} (line ${line}) by astral-sh/setup-uv@${api.ctx.setupUvVersion} (uv ${api.ctx.uvVersion}, enable-cache, the project venv activated for later steps) and a \`${syncCommand(env, api.ctx.conda.groups)}\` step`, c.path);
  // Every input of a conda setup action configures conda (channels, solver, caches); only python-version carries over.
  const dropped = withItems.map((p) => scalarString(c.parsed.doc, p.key)).filter((k) => k && k !== 'python-version');
  if (dropped.length > 0) api.decide(`dropped the conda-only inputs of ${uses.split('@')[0]} (line ${line}): ${dropped.join(', ')}`, c.path);
  // A comment above the step that talks about conda described what this replaces.
  const span = withCommentsAbove(source, removeLinesEdit(source, step), TALKS_CONDA);
  return { start: span.start, end: span.end, text: apt + setup + install };
}

/** Packages a setup step installed by name (create-args, extra-specs), python and channel flags aside. */
function inlinePackages(c: Context, withMap: unknown): string[] {
  const names: string[] = [];
  for (const key of ['create-args', 'extra-specs', 'packages']) {
    const text = scalarString(c.parsed.doc, pairOf(withMap, key)?.value) ?? '';
    const words = text.replace(/\$\{\{.*?\}\}/g, 'X').split(/\s+/).filter(Boolean);
    for (let i = 0; i < words.length; i++) {
      const word = words[i]!;
      if (/^-(?:c|-channel|n|-name)$/.test(word)) i++; // the flag's value
      else if (!word.startsWith('-') && !/^python(?:[=<>~!]|$)/.test(word)) names.push(word.replace(/^['"]|['"]$/g, ''));
    }
  }
  return names;
}

/** Debian names of the system packages the env file (or, unknown, any env file) provided. */
function systemPackages(api: Api, envPath: string | undefined): string[] {
  const all = api.ctx.conda.systemPackages;
  const mine = all.filter((p) => p.envFile === envPath);
  // An env file of one project says nothing of the others' tools; otherwise its job may need them all.
  const several = api.ctx.plan?.units !== undefined;
  return [...new Set((mine.length > 0 || several ? mine : all).map((p) => p.debian))].sort();
}

/**
 * `uv sync --locked`, with the dependency group when the env file was a group env other than dev (synced
 * by default), and only a group the written pyproject.toml has.
 */
function syncCommand(env: ReturnType<typeof envFileInfo>, groups: readonly string[]): string {
  const group = env?.role === 'group' && env.group && env.group !== 'dev' && groups.includes(env.group) ? ` --group ${env.group}` : '';
  return `uv sync --locked${group}`;
}

/**
 * A `shell:` that only served activation: a login bash goes (GitHub's default bash fails fast), or
 * becomes plain `bash` where a default would not be bash (Windows, composite actions) or pipefail was asked.
 * `owner`: the `defaults:` pair, removed as well when the shell was all it held.
 */
function fixShellPair(c: Context, shell: Pair | undefined, keepBash: boolean, owner?: Pair): void {
  if (!shell) return;
  const value = scalarString(c.parsed.doc, shell.value);
  if (value === undefined) return;
  const replacement = loginlessShell(value);
  if (replacement === undefined) return;
  const text = replacement ?? (keepBash ? 'bash' : null);
  if (text !== null) {
    c.edits.push({ start: (shell.value as Node).range![0], end: (shell.value as Node).range![1], text: quoteLike(shell.value, text) });
    return;
  }
  // Remove the innermost map that holds nothing else: shell, then run:, then defaults:.
  const run = owner ? pairOf(owner.value, 'run') : undefined;
  const runOnly = run && isMap(run.value) && run.value.items.length === 1;
  const defaultsOnly = owner && isMap(owner.value) && owner.value.items.length === 1;
  c.edits.push(collapsingBlank(c.source, removeLinesEdit(c.source, runOnly ? (defaultsOnly ? owner : run) : shell)));
}

function fixDefaultsShell(c: Context, root: Node, windows: boolean): void {
  const defaults = pairOf(root, 'defaults');
  fixShellPair(c, pairOf(pairOf(defaults?.value, 'run')?.value, 'shell'), windows, defaults);
}

/** CONDA_ and MAMBA_ variables in a workflow's or job's `env:` configured conda; they go unless something reads them. */
function removeCondaEnv(c: Context, map: Node): void {
  const env = pairOf(map, 'env');
  if (!env || !isMap(env.value) || env.value.flow) return;
  const items = env.value.items;
  const unused = items.filter((p) => {
    const name = scalarString(c.parsed.doc, p.key) ?? '';
    if (!/^(?:CONDA|MAMBA)_/.test(name)) return false;
    return c.source.split(name).length === 2; // named only by its own key
  });
  if (unused.length === 0) return;
  c.edits.push(removeLinesEdit(c.source, unused.length === items.length ? env : unused[0]!));
  for (const p of unused.length === items.length ? [] : unused.slice(1)) c.edits.push(removeLinesEdit(c.source, p));
  c.api.decide(`removed the conda variables ${unused.map((p) => scalarString(c.parsed.doc, p.key)).join(', ')}`, c.path);
}

/** `paths:` / `paths-ignore:` filters naming env files name pyproject.toml and uv.lock instead. */
function fixPathFilters(c: Context, on: unknown): void {
  if (!isMap(on)) return;
  for (const event of on.items) {
    for (const key of ['paths', 'paths-ignore']) {
      const list = pairOf(event.value, key)?.value;
      if (!isSeq(list)) continue;
      const items = list.items as Node[];
      const named = items.filter((n) => isScalar(n) && isEnvFileName(c.api.ctx, String(n.value)));
      if (named.length === 0) continue;
      const present = new Set(items.map((n) => (isScalar(n) ? String(n.value) : '')));
      const wanted = ['pyproject.toml', 'uv.lock'].filter((p) => !present.has(p));
      named.forEach((node, i) => {
        if (i > 0 || wanted.length === 0) {
          // A flow item goes with the comma before it; a block item with its line.
          const comma = c.source.lastIndexOf(',', node.range![0]);
          c.edits.push(list.flow ? { start: comma, end: node.range![1], text: '' } : removeLinesEdit(c.source, node));
          return;
        }
        if (list.flow) {
          c.edits.push({ start: node.range![0], end: node.range![1], text: wanted.map((p) => quoteLike(node, p)).join(', ') });
          return;
        }
        const itemStart = seqItemStart(c.source, node);
        const prefix = c.source.slice(c.source.lastIndexOf('\n', itemStart - 1) + 1, node.range![0]);
        const text = wanted.map((p, k) => (k === 0 ? '' : prefix) + quoteLike(node, p)).join('\n');
        c.edits.push({ start: node.range![0], end: node.range![1], text });
      });
      c.api.decide(`${key} filter: env files replaced by pyproject.toml and uv.lock`, c.path);
    }
  }
}
