// The plan of edits: which stage creates the env and where its venv goes, then each instruction
// through the rule for its kind (rules/index.ts), then the whole-file rules. Rules record edits on
// the model's steps; emit.ts writes them.
import path from 'node:path';
import { lineColAt } from '../lib/text.js';
import { UV_IMAGE } from '../lib/versions.js';
import type { Api, FileInfo, MigrationContext, Severity } from '../../contract/types.js';
import { CONDA_IMAGE, CONDA_WORD } from '../lib/conda/vocabulary.js';
import { classify, keptEnvWords, namesWord, splitCommands, type Segment } from '../lib/shell/snippets.js';
import { argumentsOf, builtOn, CONDA_PREFIX, DEFAULT_PYTHON, imageName, MANAGED_PYTHON_DIR, imageUser, INSTALLER, isMambaUser, isUnder, MAMBA_USER, oncePerStep, PYTHON_IMAGE, shellBody, stageByRef, textOf, type Model, type Stage, type Step } from './model.js';
import { isEnvFileSource } from './rules/copy.js';
import { RULES, FILE_RULES } from './rules/index.js';

/** The run's state: the last answer of installScripts, for the same file list and renames (paths() keeps its array until a file is added or removed). */
export interface DockerfileState {
  installScripts?: { paths: readonly string[]; renames: number; names: string[] };
  /** The models the inventory built, by path: the transform takes its file's (once: it records edits on it). */
  models?: Map<string, Model>;
}

/** What every rule works with: the model, the run, and the facts decided once per file. */
export interface Migration {
  model: Model;
  file: FileInfo;
  api: Api<DockerfileState>;
  ctx: MigrationContext;
  /** Script names that create the env. */
  scripts: string[];
  python: string;
  /** Words naming envs kept on conda. */
  kept: string[];
  /** Container paths that compose bind-mounts over this Dockerfile's image. */
  bindTargets: string[];
  /** ` --no-dev` when the image is a runtime image and the project has a dev group. */
  noDev: string;
  hasPythonVersionFile: boolean;
  /** Where the file downloads conda installers to (`wget ... Miniconda3-... -O /tmp/m.sh`), and installer-named scripts. */
  installerFiles: Set<string>;
  report(at: number, message: string, severity?: Severity): void;
}

/** Where a stage's walk is: rules that depend on what came before in the stage read it. */
export interface Walk {
  /** The first `COPY . <dir>` of the stage. */
  sourceCopied?: Step;
  /** The env step has been passed. */
  afterEnv: boolean;
}

/** A rule for one kind of instruction: records its edits on the step, answers whether it changed anything. */
export type Rule = (m: Migration, step: Step, walk: Walk) => boolean;

/** A conda-like shell script's path; SCRIPT first, as it is cheaper and most paths fail it. */
const CONDA_SCRIPT = /(?:conda|mamba)[^/]*\.(?:sh|bash)$/i;
const SCRIPT = /\.(?:sh|bash)$/i;
/** `.sh` and `.bash` end in h: one character read turns most paths away before SCRIPT scans them. */
const endsWithH = (p: string) => (p.charCodeAt(p.length - 1) | 0x20) === 0x68;

/** Script names that create the env: conda-like *.sh in the repository, and what this run renamed them to. */
function installScripts(api: Api<DockerfileState>): string[] {
  const paths = api.fs.paths();
  const memo = api.state.installScripts;
  if (memo?.paths === paths && memo.renames === api.fs.renames.size) return memo.names;
  const names = new Set<string>();
  for (const [from, to] of api.fs.renames) {
    if (/\.(?:sh|bash)$/.test(from)) {
      names.add(path.posix.basename(from));
      names.add(path.posix.basename(to));
    }
  }
  for (const p of paths) if (endsWithH(p) && SCRIPT.test(p) && CONDA_SCRIPT.test(p)) names.add(path.posix.basename(p));
  api.state.installScripts = { paths, renames: api.fs.renames.size, names: [...names] };
  return api.state.installScripts.names;
}

/** A RUN's shell body split into commands (findEnvStages asks twice a step, installerFiles once). */
const segmentsOf = oncePerStep((model, step): Segment[] | undefined => {
  const body = step.keyword === 'RUN' ? shellBody(model, step) : undefined;
  return body && splitCommands(model.masked.slice(body.start, body.end));
});

/** Paths a conda installer is downloaded to, and `.sh` files named like one (`/tmp/miniforge.sh`). */
function installerFiles(model: Model): Set<string> {
  const files = new Set<string>();
  for (const step of model.stages.flatMap((s) => s.steps)) {
    if (step.keyword === 'ADD' || step.keyword === 'COPY') {
      const args = argumentsOf(model, step).map((a) => a.value);
      if (args.length >= 2 && args.slice(0, -1).every((a) => INSTALLER.test(a))) files.add(args[args.length - 1]!);
    }
    for (const seg of segmentsOf(model, step) ?? []) {
      const words = seg.words.map((w) => w.value);
      words.forEach((w, i) => {
        if (/\.sh$/.test(w) && /mini(?:conda|forge)|mambaforge|anaconda|micromamba|conda/i.test(w.replace(/^.*\//, ''))) files.add(w);
        if (/^(?:-O|-o|--output(?:-document)?)$/.test(words[i - 1] ?? '') && INSTALLER.test(seg.text)) files.add(w);
      });
    }
  }
  return files;
}

export function newMigration(model: Model, file: FileInfo, api: Api<DockerfileState>): Migration {
  const ctx = api.ctx;
  const bindTargets = ctx.compose.bindMounts.filter((m) => m.dockerfile === file.path).map((m) => m.target);
  // Dockerfile.dev, dev.Dockerfile, .devcontainer/Dockerfile: a development image keeps the dev group.
  const devImage = /dev/i.test(path.posix.basename(file.path)) || /(?:^|\/)\.?devcontainer\//.test(file.path) || bindTargets.length > 0;
  return {
    model,
    file,
    api,
    ctx,
    scripts: installScripts(api),
    python: ctx.conda.pythonVersion ?? DEFAULT_PYTHON,
    kept: keptEnvWords(ctx),
    bindTargets,
    noDev: ctx.conda.groups.includes('dev') && !devImage ? ' --no-dev' : '',
    hasPythonVersionFile: api.fs.exists('.python-version'),
    installerFiles: installerFiles(model),
    report: (at, message, severity) => api.report({ path: file.path, line: lineColAt(model.source, at).line, message, ...(severity ? { severity } : {}) }),
  };
}

/** Plans every edit on the model's steps; false when the file has nothing to migrate. */
export function planEdits(m: Migration): boolean {
  const { model } = m;
  findEnvStages(m);
  keepUsers(m);
  placeVenvs(m);
  matchInterpreters(m);
  let touched = false;
  for (const stage of model.stages) {
    if (!migratesStage(m, stage)) continue;
    // A stage built on the env's stage starts with the env made (its `pip install -e .` is the sync's job).
    const walk: Walk = { afterEnv: model.stages.some((s) => s.envStep !== undefined && builtOn(stage, s)) };
    for (const step of stage.steps) {
      const rule = RULES[step.keyword];
      if (rule) touched = rule(m, step, walk) || touched;
    }
    if (stage.syncAt && stage.venv && !stage.pathSet) {
      stage.syncAt.after.push(`ENV VIRTUAL_ENV=${stage.venv} PATH="${stage.venv}/bin:$PATH"`);
      stage.pathSet = true;
    }
    if (stage.venvCopy && stage.venv && !stage.pathSet) {
      stage.venvCopy.after.push(`ENV PATH="${stage.venv}/bin:$PATH"`);
      stage.pathSet = true;
    }
    if (stage.venvCopy && stage.builder?.managedPython) {
      const from = (stage.venvCopy.node as import('dockerfile-ast').Copy).getFromFlag()!.getValue();
      stage.venvCopy.before.push(`COPY --from=${from} ${MANAGED_PYTHON_DIR} ${MANAGED_PYTHON_DIR}`);
      stage.venvCopy.after.push('ENV UV_PYTHON_DOWNLOADS=0');
    }
  }
  if (!touched) return false;
  for (const rule of FILE_RULES) rule(m);
  for (const stage of model.stages) {
    const hasUv = stage.steps.some((s) => textOf(model, s).includes(UV_IMAGE));
    if (stage.gainsUv && !hasUv) stage.afterFrom.uv.push(`COPY --from=${UV_IMAGE}:${m.ctx.uvVersion} /uv /uvx /bin/`);
    const { uv, packages, user } = stage.afterFrom;
    stage.steps[0]!.after.unshift(...uv, ...packages, ...user);
  }
  return true;
}

/** Whether the stage's instructions go through the rules: not when it keeps conda, or its conda is its base image's own. */
function migratesStage(m: Migration, stage: Stage): boolean {
  const { model } = m;
  const from = stage.steps[0]!.node as import('dockerfile-ast').From;
  const image = imageName(stage);
  if (stage.keepsConda) {
    m.report(stage.steps[0]!.start, `this stage uses an env the migration keeps on conda (${m.kept.join(', ')}): left as it is`, 'info');
    return false;
  }
  // A base image we do not know may bring its own conda (jupyter/*, a company base): its conda
  // commands are left alone unless the stage installs conda itself or creates the env.
  const installsConda = stage.steps.some((s) => INSTALLER.test(textOf(model, s)));
  if (!CONDA_IMAGE.test(image) && !PYTHON_IMAGE.test(image) && !stageByRef(model, image) && !installsConda && !stage.envStep && !stage.receivesVenv) {
    const conda = stage.steps.find((s) => s !== stage.steps[0] && CONDA_WORD.test(textOf(model, s)));
    if (conda) m.report(conda.start, `${from.getImage()} may bring its own conda: this stage's conda commands are left as they are`, 'info');
    return false;
  }
  return true;
}

/** Which stage creates the env, and which copies a conda env out of another stage. */
function findEnvStages(m: Migration): void {
  const { model, scripts } = m;
  // A stage that uses an env the migration keeps on conda (an R env) keeps its conda whole.
  const keepsConda = (stage: Stage) => stage.steps.some((s) => m.kept.some((name) => namesWord(textOf(model, s), name)));
  const createsEnv = (step: Step, kind: 'env' | 'install') => {
    return segmentsOf(model, step)?.some((s) => classify(s, scripts) === kind) ?? false;
  };
  for (const stage of model.stages) {
    stage.keepsConda = keepsConda(stage);
    if (stage.keepsConda) continue;
    stage.envStep = stage.steps.find((step) => createsEnv(step, 'env'));
    for (const { step, from: builder, sources } of stage.copies) {
      const src = sources[0]!;
      if (step.keyword !== 'COPY' || !builder || builder === stage || builder.copiedEnv) continue;
      // The env the builder made: a conda prefix, or where conda-pack unpacked it (`/venv`).
      const condaPrefix = CONDA_PREFIX.test(src);
      const packed = builder.steps.some((s) => s.keyword === 'RUN' && /conda-(?:un)?pack/.test(s.node.getRawArgumentsContent() ?? '') && (s.node.getRawArgumentsContent() ?? '').includes(src));
      if (condaPrefix || packed) {
        builder.copiedEnv = condaPrefix ? '/opt/venv' : src;
        stage.receivesVenv = builder.copiedEnv;
        stage.venvCopy = step;
      }
    }
  }
  // A conda image whose stage only `conda install`s packages into base: that step becomes the env step.
  for (const stage of model.stages) {
    const image = imageName(stage);
    if (stage.envStep || stage.keepsConda || !CONDA_IMAGE.test(image)) continue;
    stage.envStep = stage.steps.find((step) => createsEnv(step, 'install'));
  }
}

/** micromamba's image ran as its user: a stage that still runs as it at its end keeps it (and so do stages built on it). */
function keepUsers(m: Migration): void {
  for (const stage of m.model.stages) {
    const last = stage.steps[stage.steps.length - 1]!;
    const base = stage.parent ? stage.parent.keptUser : imageUser(stage.image) && MAMBA_USER;
    if (base && !stage.keepsConda && isMambaUser(last.user)) stage.keptUser = base;
  }
}

/**
 * The step the sync block follows: the env step, or the last WORKDIR after it (before anything runs
 * or the source comes in), so `uv sync` runs where the project is.
 */
function syncAnchor(m: Migration, stage: Stage, envStep: Step): Step {
  let anchor = envStep;
  for (const step of stage.steps.slice(stage.steps.indexOf(envStep) + 1)) {
    if (step.keyword === 'RUN') break;
    if ((step.keyword === 'COPY' || step.keyword === 'ADD') && !(step.node as import('dockerfile-ast').Copy).getFromFlag()) {
      const sources = argumentsOf(m.model, step).map((a) => a.value).slice(0, -1);
      if (!sources.every((s) => isEnvFileSource(s, m.ctx, m.scripts))) break;
    }
    if (step.keyword === 'WORKDIR') anchor = step;
  }
  return anchor;
}

/** Where each env stage's venv goes: `<WORKDIR>/.venv`, or /opt/venv when it is copied out or a bind mount would hide it. */
function placeVenvs(m: Migration): void {
  const { model, bindTargets } = m;
  for (const stage of model.stages) {
    if (!stage.envStep) {
      if (stage.receivesVenv && model.stages.some((s) => s.envStep && s.copiedEnv === stage.receivesVenv)) stage.venv = stage.receivesVenv;
      else stage.receivesVenv = undefined;
      if (!stage.venv && stage.parent?.venv) {
        // Built on the env's stage: the same venv, already on PATH.
        stage.venv = stage.parent.venv;
        stage.pathSet = true;
      }
      continue;
    }
    stage.gainsUv = true;
    stage.syncAt = syncAnchor(m, stage, stage.envStep);
    const workdir = stage.syncAt.workdir;
    if (stage.keptUser && isMambaUser(stage.syncAt.user) && !stage.copiedEnv) {
      stage.venv = '/opt/venv';
      stage.projectEnv = true;
    } else if (stage.copiedEnv) {
      stage.venv = stage.copiedEnv;
      stage.projectEnv = !(workdir && stage.venv === `${workdir}/.venv`);
    } else if (workdir && workdir !== '/' && !bindTargets.some((t) => isUnder(`${workdir}/.venv`, t))) {
      stage.venv = `${workdir}/.venv`;
    } else {
      stage.venv = '/opt/venv';
      stage.projectEnv = true;
      const hidden = workdir && bindTargets.find((t) => isUnder(`${workdir}/.venv`, t));
      if (hidden) m.api.decide(`UV_PROJECT_ENVIRONMENT=/opt/venv: a compose bind mount over ${hidden} would hide ${workdir}/.venv at run time`, m.file.path);
      if (bindTargets.some((t) => isUnder('/opt/venv', t))) m.report(stage.envStep.start, 'a compose bind mount also covers /opt/venv: the venv is hidden at run time');
    }
  }
}

/**
 * A venv copied into another stage needs the same interpreter at the same path: a `python:X.Y` base
 * in both (a conda base becomes one; a Debian/Ubuntu consumer too), or else a uv-managed Python that
 * the builder installs in MANAGED_PYTHON_DIR and the consumer copies with the venv.
 */
function matchInterpreters(m: Migration): void {
  const systemPython = (stage: Stage) => {
    const image = imageName(stage);
    return PYTHON_IMAGE.test(image) || CONDA_IMAGE.test(image) || /^(?:docker\.io\/)?(?:library\/)?(?:debian|ubuntu)$/.test(image);
  };
  for (const stage of m.model.stages) {
    if (!stage.receivesVenv || !stage.venvCopy) continue;
    const builder = m.model.stages.find((s) => s.envStep && s.copiedEnv === stage.receivesVenv);
    if (!builder) continue;
    stage.builder = builder;
    if (stage.distro === 'alpine' && builder.distro !== 'alpine') {
      m.report(stage.venvCopy.start, `the venv built on ${builder.image} (glibc) is copied into an Alpine image (musl): build both stages on the same distro`, 'blocks');
      continue;
    }
    const builderImage = imageName(builder);
    if (systemPython(stage) && (PYTHON_IMAGE.test(builderImage) || CONDA_IMAGE.test(builderImage))) continue;
    builder.managedPython = true;
    m.api.decide(`${builder.name ?? `stage ${builder.index}`} syncs with a uv-managed Python in ${MANAGED_PYTHON_DIR}, copied with the venv: ${builder.image} and ${stage.image} do not share a python:${m.python} image`, m.file.path);
  }
}
