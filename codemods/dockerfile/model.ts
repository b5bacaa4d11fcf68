// The Dockerfile model: parsed once into stages of steps, with what each stage knows of itself
// (base image and distro family, user, variables, WORKDIR, what it copies in and creates). plan.ts
// and the rules read it and record their decisions and edits on it; emit.ts turns those into
// splices of the original text.
import type { Instruction } from 'dockerfile-ast';
import path from 'node:path';
import { applyEdits, type Edit } from '../lib/text.js';
import type { Api } from '../../contract/types.js';

type DockerfileAst = typeof import('dockerfile-ast');
let astModule: Promise<DockerfileAst> | undefined;
/** dockerfile-ast is loaded only when a Dockerfile needs parsing. */
// `.default`: Node hands a CommonJS module's exports over as the default export (and so does the bundle).
export const loadAst = () => (astModule ??= import('dockerfile-ast').then((m) => m.default));
export type Dockerfile = ReturnType<DockerfileAst['DockerfileParser']['parse']>;
/** The inventory and the transform both parse a Dockerfile: once. */
export async function parseDockerfile(text: string, api: Pick<Api, 'parseOnce'>): Promise<Dockerfile> {
  const { DockerfileParser } = await loadAst();
  return api.parseOnce('dockerfile', text, (t) => DockerfileParser.parse(t));
}

export const PYTHON_IMAGE = /^(?:docker\.io\/)?(?:library\/)?python$/;
/** Downloading or copying in a conda installer: the stage gets its conda from us, not from its base. */
export const INSTALLER = /Miniconda3-|Miniforge3-|Mambaforge-|Anaconda3-|anaconda\.com\/miniconda|micro\.mamba\.pm|mamba-org\/micromamba-releases|mambaorg\/micromamba/i;
export const DEFAULT_PYTHON = '3.12';
/** Where a uv-managed Python goes when a later stage needs the same interpreter as the venv it copies. */
export const MANAGED_PYTHON_DIR = '/opt/python';
/** A COPY/ADD of the whole build context: the project source. */
export const CONTEXT_SOURCE = /^\.\/?$/;

/** A conda installation or one of its envs, as a later stage copies it (`/opt/conda/envs/app`, `$HOME/micromamba`). */
export const CONDA_PREFIX = /^(?:\/opt\/(?:conda|(?:mini|ana)conda3|miniforge3|mambaforge)|(?:~|\$HOME|\$\{HOME\}|\/root|\/home\/[\w.$\{\}-]+)\/(?:micromamba|(?:mini|ana)conda3|miniforge3|mambaforge|\.conda))(?:\/envs\/[\w.-]+)?\/?$/;
/** The conda or micromamba binary itself (`COPY --from=build /bin/micromamba /bin/micromamba`). */
export const CONDA_BINARY = /(?:^|\/)(?:conda|mamba|micromamba)$/;

/** `[ -f x ] && ...`, `[[ -d x ]] || ...`: a shell command that starts with a test, not a JSON array. */
export const SHELL_TEST = /^\[\[?\s[^]*\s\]\]?(?:\s|;|&|\||$)/;

export type Distro = 'debian' | 'alpine' | 'rhel' | 'unknown';

export interface Step {
  node: Instruction;
  keyword: string;
  start: number; // instruction start
  end: number; // instruction end (before the newline)
  lineEnd: number; // after the newline
  stage: Stage;
  /** The WORKDIR in effect at this step (resolved; undefined: the base image's). */
  workdir?: string;
  /** The USER in effect at this step: as written in its stage, resolved when inherited from a parent stage (undefined: the base image's own, root for most). */
  user?: string;
  /** ARG/ENV values known at this step (literal, or built from known ones). */
  vars: ReadonlyMap<string, string>;
  // The plan's edits: the step goes, lines go before or after it, or splices inside it.
  removed: boolean;
  before: string[];
  after: string[];
  edits: Edit[];
}

export interface Stage {
  index: number;
  name?: string;
  steps: Step[];
  /** The image the stage starts from, variables resolved; `parent` when it is an earlier stage. */
  image: string;
  parent?: Stage;
  distro: Distro;
  /** ARG/ENV values with a literal value (after resolving the ones they use), in effect at the stage's end. */
  vars: Map<string, string>;
  /** What the stage's COPY/ADD bring in: from the context, another stage (`from`) or an image (`image`). */
  copies: CopyIn[];
  /** Paths the stage creates: its WORKDIRs and COPY/ADD destinations (resolved; variables expanded). */
  creates: string[];

  // The plan's decisions (plan.ts, then the rules).
  /** The stage creates its env (the uv sync step goes here). */
  envStep?: Step;
  venv?: string;
  /** UV_PROJECT_ENVIRONMENT must point at the venv (it is not `<WORKDIR>/.venv`). */
  projectEnv?: boolean;
  /** A conda stage's env path that a later stage copies (`COPY --from=build /venv /venv`). */
  copiedEnv?: string;
  receivesVenv?: string;
  /** The stage uses an env that stays on conda (role unmigratable): nothing in it changes. */
  keepsConda?: boolean;
  /** The `COPY --from=<builder>` that brings the venv in. */
  venvCopy?: Step;
  /** The stage that made the venv this stage copies in. */
  builder?: Stage;
  /** The venv is on PATH already (a PATH line was rewritten or written, or a parent stage did). */
  pathSet?: boolean;
  /** The stage gets uv's binary. */
  gainsUv?: boolean;
  /** The step the uv sync block follows: the env step, or a WORKDIR right after it that the project lives in. */
  syncAt?: Step;
  /** The stage's uv sync uses a uv-managed Python in /opt/python, which the stages it hands its venv to copy too. */
  managedPython?: boolean;
  /** The non-root user the old base image ran as (micromamba's), kept with a useradd. */
  keptUser?: { name: string; id: string };
  /** COPY steps that lost an env file but still copy other files (maybe only for the removed installer). */
  envFileCopies: Step[];
  /** Lines that go right after FROM, in this order: the uv binary, package installs, the kept user. */
  afterFrom: { uv: string[]; packages: string[]; user: string[] };
}

export interface CopyIn {
  step: Step;
  /** The stage it copies from (`--from=builder`), or the image (`--from=ghcr.io/astral-sh/uv:0.5`). */
  from?: Stage;
  image?: string;
  /** Source paths, variables expanded where known and a trailing slash dropped. */
  sources: string[];
  /** The destination, resolved against the WORKDIR. */
  dest: string;
}

export interface Model {
  source: string;
  /** The source with comment lines inside `\`-continued instructions blanked, so shell parsing sees one command. */
  masked: string;
  stages: Stage[];
  /** ARGs before the first FROM. */
  globalSteps: Step[];
  offset(p: { line: number; character: number }): number;
}

export function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

/** The WORKDIR in effect after a WORKDIR instruction, resolved against the one before. */
export function resolveWorkdir(current: string | undefined, value: string): string {
  const resolved = value.startsWith('/') ? path.posix.normalize(value) : path.posix.join(current ?? '/', value);
  return resolved.length > 1 ? resolved.replace(/\/+$/, '') : resolved;
}

export function isUnder(child: string, parent: string): boolean {
  const p = parent.replace(/\/+$/, '') || '/';
  return child === p || child.startsWith(p === '/' ? '/' : `${p}/`);
}

/** `$NAME`, `${NAME}` and `${NAME:-default}` replaced by known values; undefined when one is unknown. */
export function expandVars(value: string, vars: ReadonlyMap<string, string>): string | undefined {
  let unknown = false;
  const out = value.replace(/\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::?-([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g, (_, braced?: string, fallback?: string, bare?: string) => {
    const name = (braced ?? bare)!;
    const known = vars.get(name) ?? fallback;
    if (known === undefined) unknown = true;
    return known ?? '';
  });
  return unknown ? undefined : out;
}

const unquote = (v: string) => (/^"(.*)"$|^'(.*)'$/.exec(v)?.slice(1).find((x) => x !== undefined) ?? v);

/** The distro family a base image name says it is (a stage built on another stage inherits it). */
export function distroOf(image: string): Distro {
  if (/alpine/i.test(image)) return 'alpine';
  if (/(?:^|\/)(?:centos|fedora|rockylinux|almalinux|amazonlinux|oraclelinux)\b|\bubi\d|\brhel|\bmanylinux/i.test(image)) return 'rhel';
  if (/(?:^|\/)(?:debian|ubuntu|python|buildpack-deps)\b|(?:^|\/)(?:miniconda3|anaconda3|miniforge3|mambaforge|micromamba)\b|bookworm|bullseye|buster|trixie|jammy|focal|noble|cuda/i.test(image)) return 'debian';
  return 'unknown';
}

/** micromamba's images run as this user (mamba-org/micromamba-docker: MAMBA_USER, MAMBA_USER_ID and _GID). */
export const MAMBA_USER = { name: 'mambauser', id: '57439' };

/** The user an image runs as when the Dockerfile does not say. */
export function imageUser(image: string): string | undefined {
  return /^(?:docker\.io\/)?mambaorg\/micromamba(?:[:@]|$)/.test(image) ? MAMBA_USER.name : undefined;
}

/** Variables the base image defines that Dockerfiles use (`WORKDIR /home/$MAMBA_USER`). */
function imageVariables(image: string): [string, string][] {
  if (!imageUser(image)) return [];
  return [['MAMBA_USER', MAMBA_USER.name], ['MAMBA_USER_ID', MAMBA_USER.id], ['MAMBA_USER_GID', MAMBA_USER.id], ['MAMBA_ROOT_PREFIX', '/opt/conda']];
}

/** `$MAMBA_USER`, `mambauser`: the user micromamba's image defines. */
export const isMambaUser = (user: string | undefined) => user !== undefined && /^(?:\$\{?MAMBA_USER\}?|mambauser)(?::|$)/.test(user);

/** Parse once into the model. */
export function buildModel(df: Dockerfile, source: string): Model {
  const starts = lineStarts(source);
  const offset = (p: { line: number; character: number }) => (starts[p.line] ?? source.length) + p.character;
  const masked = source.split('');
  for (const comment of df.getComments()) {
    const start = offset(comment.getRange().start);
    const lineStart = source.lastIndexOf('\n', start - 1) + 1;
    const nl = source.indexOf('\n', start);
    const end = nl === -1 ? source.length : nl + 1;
    for (let i = lineStart; i < end; i++) masked[i] = ' ';
  }
  const model: Model = { source, masked: masked.join(''), stages: [], globalSteps: [], offset };
  const globalVars = new Map<string, string>();
  let vars = globalVars;
  let workdir: string | undefined;
  let user: string | undefined;
  for (const node of df.getInstructions()) {
    const keyword = node.getKeyword();
    // dockerfile-ast scans the instruction's text again on every call: only the keywords below read it.
    const args = keyword === 'FROM' || keyword === 'WORKDIR' || keyword === 'USER' || keyword === 'ARG' ? (node.getArgumentsContent() ?? '') : '';
    if (keyword === 'FROM') {
      const from = node as import('dockerfile-ast').From;
      const nameMatch = /\s+AS\s+(\S+)\s*$/i.exec(args);
      const written = from.getImage() ?? '';
      const image = expandVars(written, globalVars) ?? written;
      const parent = stageByRef(model, image);
      model.stages.push({
        index: model.stages.length,
        ...(nameMatch ? { name: nameMatch[1]!.toLowerCase() } : {}),
        steps: [],
        image,
        ...(parent ? { parent } : {}),
        distro: parent ? parent.distro : distroOf(image),
        vars: new Map(parent ? parent.vars : imageVariables(image)),
        afterFrom: { uv: [], packages: [], user: [] },
        copies: [],
        creates: [],
        envFileCopies: [],
      });
      vars = model.stages[model.stages.length - 1]!.vars;
      workdir = parent ? lastOf(parent, 'workdir') : undefined;
      // A stage built on another runs as its user, as the image recorded it (its ARGs are not in scope here).
      const inherited = parent ? lastOf(parent, 'user') : undefined;
      user = inherited ? (expandVars(inherited, parent!.vars) ?? inherited) : parent ? undefined : imageUser(image);
    } else if (keyword === 'WORKDIR') {
      const value = expandVars(unquote(args.trim()), vars);
      workdir = value ? resolveWorkdir(workdir, value) : undefined;
    } else if (keyword === 'USER') {
      user = args.trim();
    } else if (keyword === 'ARG') {
      const [name, value] = args.trim().split(/=(.*)/s);
      const global = model.stages.length === 0;
      if (name && value !== undefined) setVar(vars, name, unquote(value.trim()));
      else if (name && !global && globalVars.has(name)) vars.set(name, globalVars.get(name)!);
    } else if (keyword === 'ENV') {
      for (const p of (node as import('dockerfile-ast').Env).getProperties()) setVar(vars, p.getName(), p.getValue() ?? '');
    }
    const range = node.getRange();
    const start = offset(range.start);
    const end = offset(range.end);
    const nl = source.indexOf('\n', end);
    const stage = model.stages[model.stages.length - 1];
    const step: Step = {
      node,
      keyword,
      start,
      end,
      lineEnd: nl === -1 ? source.length : nl + 1,
      stage: stage!,
      ...(workdir ? { workdir } : {}),
      ...(user ? { user } : {}),
      vars: new Map(vars),
      removed: false,
      before: [],
      after: [],
      edits: [],
    };
    if (stage) {
      stage.steps.push(step);
      if (keyword === 'WORKDIR' && workdir) stage.creates.push(workdir);
      if (keyword === 'COPY' || keyword === 'ADD') recordCopy(model, stage, step, vars);
    } else model.globalSteps.push(step);
  }
  return model;
}

function recordCopy(model: Model, stage: Stage, step: Step, vars: ReadonlyMap<string, string>): void {
  const args = argumentsOf(model, step).map((a) => a.value).filter((a) => !a.startsWith('--'));
  if (args.length < 2) return;
  const fromRef = (step.node as import('dockerfile-ast').Copy).getFromFlag?.()?.getValue();
  const from = fromRef ? stageByRef(model, fromRef) : undefined;
  const written = args[args.length - 1]!;
  const dest = resolveWorkdir(step.workdir, expandVars(written, vars) ?? written);
  stage.copies.push({
    step,
    ...(from ? { from } : fromRef ? { image: fromRef } : {}),
    sources: args.slice(0, -1).map((a) => (expandVars(a, vars) ?? a).replace(/(.)\/+$/, '$1')),
    dest,
  });
  stage.creates.push(dest);
}

function setVar(vars: Map<string, string>, name: string, value: string): void {
  const expanded = expandVars(value, vars);
  if (expanded === undefined) vars.delete(name);
  else vars.set(name, expanded);
}

function lastOf(stage: Stage, key: 'workdir' | 'user'): string | undefined {
  return stage.steps[stage.steps.length - 1]?.[key];
}

/** The stage is built on `base` (`FROM base AS dev`), directly or through other stages. */
export function builtOn(stage: Stage, base: Stage): boolean {
  for (let s = stage.parent; s; s = s.parent) if (s === base) return true;
  return false;
}

/** The stage's image name without its tag or digest (`python` for `python:3.11-slim`), variables resolved. */
export const imageName = (stage: Stage) => stage.image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');

/** A stage named by `FROM <ref>` or `--from=<ref>`: its name or its index. */
export function stageByRef(model: Pick<Model, 'stages'>, ref: string): Stage | undefined {
  return model.stages.find((s) => s.name === ref.toLowerCase()) ?? (/^\d+$/.test(ref) ? model.stages[Number(ref)] : undefined);
}

export interface ArgumentAt {
  value: string;
  start: number;
  end: number;
}

/**
 * `read`, asked once a step (keyed by the step itself, so each model's steps get their own answers):
 * dockerfile-ast scans an instruction's text again on every ask, and the rules ask often.
 */
export function oncePerStep<T>(read: (model: Model, step: Step) => T): (model: Model, step: Step) => T {
  const known = new WeakMap<Step, { value: T }>();
  return (model, step) => {
    let found = known.get(step);
    if (!found) known.set(step, (found = { value: read(model, step) }));
    return found.value;
  };
}

/** An instruction's arguments (a COPY's after its flags) with their offsets. */
export const argumentsOf = oncePerStep((model, step): readonly ArgumentAt[] =>
  step.node.getArguments().map((a) => ({ value: a.getValue(), start: model.offset(a.getRange().start), end: model.offset(a.getRange().end) })),
);

/** An instruction's arguments as offsets. */
export function argsOf(model: Model, step: Step): { start: number; end: number } {
  const r = step.node.getArgumentsRange();
  return r ? { start: model.offset(r.start), end: model.offset(r.end) } : { start: step.end, end: step.end };
}

/** The shell text of a RUN/CMD/ENTRYPOINT after its flags (and HEALTHCHECK's `CMD`); undefined for JSON form or a heredoc. */
export const shellBody = oncePerStep(findShellBody);

function findShellBody(model: Model, step: Step): { start: number; end: number } | undefined {
  const node = step.node as Instruction & { getFlags?: () => { getRange(): { end: { line: number; character: number } } }[] };
  let start = argsOf(model, step).start;
  const flags = node.getFlags?.() ?? [];
  if (flags.length > 0) start = model.offset(flags[flags.length - 1]!.getRange().end);
  if (step.keyword === 'HEALTHCHECK') {
    const sub = (step.node as import('dockerfile-ast').Healthcheck).getSubcommand();
    if (!sub || sub.getValue().toUpperCase() !== 'CMD') return undefined;
    start = model.offset(sub.getRange().end);
  }
  const text = model.masked;
  while (start < step.end && /\s/.test(text[start]!)) start++;
  const jsonForm = text[start] === '[' && !SHELL_TEST.test(text.slice(start, step.end));
  if (jsonForm || text.startsWith('<<', start)) return undefined;
  return { start, end: step.end };
}

export interface JsonString {
  value: string;
  start: number;
  end: number;
}

/** The strings of an exec-form instruction, with their offsets. */
export const jsonStrings = oncePerStep(readJsonStrings);

function readJsonStrings(model: Model, step: Step): readonly JsonString[] {
  const node = step.node as Instruction & { getJSONStrings?: () => import('dockerfile-ast').JSONArgument[] };
  return (node.getJSONStrings?.() ?? []).map((s) => {
    const start = model.offset(s.getRange().start);
    const end = model.offset(s.getRange().end);
    return { value: jsonValue(model.source.slice(start, end)) ?? s.getJSONValue(), start, end };
  });
}

/** A JSON string's value (dockerfile-ast's getJSONValue drops the spaces inside it). */
function jsonValue(raw: string): string | undefined {
  try {
    const value: unknown = JSON.parse(raw);
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** The instruction's text, comment lines inside it blanked. */
export const textOf = (model: Model, step: Step) => model.masked.slice(step.start, step.end);

/** The instruction as it will be written: its planned edits applied (empty when it is removed). */
export function writtenText(model: Model, step: Step): string {
  if (step.removed) return '';
  return applyEdits(model.source.slice(step.start, step.end), step.edits.map((e) => ({ ...e, start: e.start - step.start, end: e.end - step.start })));
}
