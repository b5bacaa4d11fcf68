// Dockerfile: Miniconda/Miniforge/micromamba images and steps -> uv (uv's Docker guide, DESIGN.md "Targets").
// dockerfile-ast finds positions; every change is a splice into the original text.
import type { Instruction } from 'dockerfile-ast';
import path from 'node:path';
import { CodemodError } from '../lib/errors.js';
import { loadShellParser } from '../lib/shell/index.js';
import { applyEdits, lineColAt, type Edit } from '../lib/text.js';
import { UV_IMAGE } from '../lib/versions.js';
import type { Api, Codemod, FileInfo, InventoryApi, MigrationContext, Severity } from '../../runner/types.js';
import { CONDA_BIN, CONDA_IMAGE, CONDA_WORD } from '../lib/conda/vocabulary.js';
import { classify, condaRunTarget, keptEnvWords, namesWord, rewriteSnippet, splitCommands, type Word } from '../lib/shell/snippets.js';

type DockerfileAst = typeof import('dockerfile-ast');
let astModule: Promise<DockerfileAst> | undefined;
/** dockerfile-ast is loaded only when a Dockerfile needs parsing. */
// `.default`: Node hands a CommonJS module's exports over as the default export (and so does the bundle).
const loadAst = () => (astModule ??= import('dockerfile-ast').then((m) => m.default));
type Dockerfile = ReturnType<DockerfileAst['DockerfileParser']['parse']>;
/** The inventory and the transform both parse a Dockerfile: once. */
async function parseDockerfile(text: string, api: Pick<Api, 'parseOnce'>): Promise<Dockerfile> {
  const { DockerfileParser } = await loadAst();
  return api.parseOnce('dockerfile', text, (t) => DockerfileParser.parse(t));
}

const PYTHON_IMAGE = /^(?:docker\.io\/)?(?:library\/)?python$/;
/** Downloading or copying in a conda installer: the stage gets its conda from us, not from its base. */
const INSTALLER = /Miniconda3-|Miniforge3-|Mambaforge-|Anaconda3-|anaconda\.com\/miniconda|micro\.mamba\.pm|mamba-org\/micromamba-releases|mambaorg\/micromamba/i;
const DISTRO = /\b(bookworm|bullseye|buster|trixie)\b/;
/** Words of a comment that talks about the env (with CONDA_WORD): `# Make RUN commands use the new environment:`. */
const ENV_TALK = /environment|activat|\b(?:v?env)\b/i;
const DEFAULT_PYTHON = '3.12';
const UV_CACHE_MOUNT = '--mount=type=cache,target=/root/.cache/uv';
/** A COPY/ADD of the whole build context: the project source. */
const CONTEXT_SOURCE = /^\.\/?$/;

interface Step {
  node: Instruction;
  keyword: string;
  start: number; // instruction start
  end: number; // instruction end (before the newline)
  lineEnd: number; // after the newline
  stage: Stage;
  removed: boolean;
  /** Comment lines above a removed instruction that only talked about conda. */
  removeFrom?: number;
  before: string[];
  after: string[];
  edits: Edit[];
}

interface Stage {
  index: number;
  name?: string;
  steps: Step[];
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
  pathSet?: boolean;
  gainsUv?: boolean;
}

function lineStarts(source: string): number[] {
  const starts = [0];
  for (let i = source.indexOf('\n'); i !== -1; i = source.indexOf('\n', i + 1)) starts.push(i + 1);
  return starts;
}

type JsonForm = import('dockerfile-ast').JSONInstruction;
const JSON_FORM = new Set(['RUN', 'CMD', 'ENTRYPOINT', 'SHELL']);
/** `[ -f x ] && ...`: a shell command that starts with a test, not a JSON array. */
const SHELL_TEST = /^\[\s[^]*\s\](?:\s|;|&|\||$)/;

/**
 * `# escape=\``: lines continue with a backtick and a backslash is a plain character, which the shell
 * engine (POSIX shell) would misread, and half a RUN would change. Refused whole, at the directive.
 */
function refuseOtherEscape(df: Dockerfile, source: string): void {
  const escape = df.getEscapeCharacter();
  if (escape === '\\') return;
  const directive = /^#[ \t]*escape[ \t]*=/im.exec(source);
  const { line, col } = lineColAt(source, directive?.index ?? 0);
  throw new CodemodError(`the escape directive makes ${escape} the line continuation: such a Dockerfile is not migrated (left untouched)`, line, col);
}

/**
 * An instruction that opens a JSON array it does not close (dockerfile-ast finds an opening bracket
 * but no closing one) was meant as exec form, but Docker would run it as a shell command: rewriting
 * it would only hide the typo, so it is refused at the place the JSON breaks. `[ -f x ] && ...` is
 * a shell test, not JSON.
 */
function refuseBrokenJsonForm(df: Dockerfile, source: string, parser: DockerfileAst['DockerfileParser']): void {
  for (const node of df.getInstructions()) {
    const keyword = node.getKeyword();
    let ins: JsonForm | undefined;
    let text = source;
    let base = 0; // where `text` starts in `source`
    if (JSON_FORM.has(keyword)) ins = node as JsonForm;
    else if (keyword === 'HEALTHCHECK') {
      // dockerfile-ast does not scan HEALTHCHECK CMD's JSON: scan it as a CMD of its own.
      const sub = (node as import('dockerfile-ast').Healthcheck).getSubcommand();
      if (sub?.getValue().toUpperCase() !== 'CMD') continue;
      const end = lineStarts(source)[sub.getRange().end.line]! + sub.getRange().end.character;
      base = end - 'CMD'.length;
      text = `CMD${source.slice(end, lineStarts(source)[node.getRange().end.line]! + node.getRange().end.character)}`;
      ins = parser.parse(text).getInstructions()[0] as JsonForm | undefined;
    }
    const open = ins?.getOpeningBracket();
    if (!ins || !open || ins.getClosingBracket()) continue;
    const starts = lineStarts(text);
    const at = (p: { line: number; character: number }) => starts[p.line]! + p.character;
    const args = ins.getArgumentsRange()!;
    if (SHELL_TEST.test(text.slice(at(args.start), at(args.end)))) continue;
    // dockerfile-ast stops at the first character after the last complete string (or the bracket) that does not fit.
    const strings = ins.getJSONStrings();
    let stop = at((strings.length > 0 ? strings[strings.length - 1]! : open).getRange().end);
    const skip = () => {
      while (stop < at(args.end) && /[\s\\]/.test(text[stop]!)) stop++;
    };
    skip();
    if (text[stop] === ',') {
      stop++;
      skip();
    }
    const { line, col } = lineColAt(source, base + stop);
    throw new CodemodError(`${keyword} starts a JSON array that is not valid JSON (Docker would run it as a shell command): fix it, then run again`, line, col);
  }
}

/** The WORKDIR in effect after each WORKDIR instruction, resolved against the one before. */
function resolveWorkdir(current: string | undefined, value: string): string {
  return value.startsWith('/') ? path.posix.normalize(value) : path.posix.join(current ?? '/', value);
}

function isUnder(child: string, parent: string): boolean {
  const p = parent.replace(/\/+$/, '') || '/';
  return child === p || child.startsWith(p === '/' ? '/' : `${p}/`);
}

/** The run's state: the last answer of installScripts, for the same file list and renames (paths() keeps its array until a file is added or removed). */
interface DockerfileState {
  installScripts?: { paths: readonly string[]; renames: number; names: string[] };
}

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
  for (const p of paths) if (/(?:conda|mamba)[^/]*\.(?:sh|bash)$/i.test(p)) names.add(path.posix.basename(p));
  api.state.installScripts = { paths, renames: api.fs.renames.size, names: [...names] };
  return api.state.installScripts.names;
}

function isEnvFileSource(source: string, ctx: MigrationContext, scripts: readonly string[]): boolean {
  const base = path.posix.basename(source);
  if (ctx.conda.envFiles.some((e) => path.posix.basename(e.path) === base)) return true;
  if (scripts.includes(base) || base === '.condarc' || /^conda-.*\.lock$/.test(base)) return true;
  return /(?:^|[_.-])env(?:ironment)?(?:[_.-][^/]*)?\.ya?ml$/i.test(base); // not envoy.yaml
}

export default {
  name: 'dockerfile',
  description: 'Dockerfile: Miniconda/micromamba images and steps to uv',
  files: ['**/Dockerfile', '**/Dockerfile.*', '**/*.Dockerfile', '**/Dockerfile_*'],
  mentions: /conda|mamba|\bactivate\b|\.ya?ml\b/i,
  onlyWhenMigrating: true,
  async warmUp() {
    loadShellParser();
    await loadAst();
  },
  createState: (): DockerfileState => ({}),
  async inventory(api: InventoryApi<DockerfileState>) {
    if (!api.ctx.migrating) return; // the env files' inventory runs first; without them nothing here is needed
    for (const file of api.matching()) {
      const text = api.fs.read(file);
      if (text === undefined || !/^\s*WORKDIR\s/im.test(text)) continue;
      let workdir: string | undefined;
      for (const ins of (await parseDockerfile(text, api)).getInstructions()) {
        const keyword = ins.getKeyword();
        if (keyword === 'FROM') workdir = undefined;
        else if (keyword === 'WORKDIR') {
          const value = ins.getArgumentsContent()?.trim();
          if (value) workdir = resolveWorkdir(workdir, value);
        }
      }
      if (workdir) api.ctx.docker.workdirs.set(file, workdir);
    }
  },
  async transform(file: FileInfo, api: Api<DockerfileState>) {
    const df = await parseDockerfile(file.source, api);
    refuseOtherEscape(df, file.source);
    refuseBrokenJsonForm(df, file.source, (await loadAst()).DockerfileParser);
    return migrateDockerfile(df, file, api);
  },
} satisfies Codemod<DockerfileState>;

function migrateDockerfile(df: Dockerfile, file: FileInfo, api: Api<DockerfileState>): string {
  const source = file.source;
  const starts = lineStarts(source);
  const offset = (p: { line: number; character: number }) => (starts[p.line] ?? source.length) + p.character;
  const ctx = api.ctx;
  const scripts = installScripts(api);
  const python = ctx.conda.pythonVersion ?? DEFAULT_PYTHON;
  const report = (at: number, message: string, severity?: Severity) => api.report({ path: file.path, line: lineColAt(source, at).line, message, ...(severity ? { severity } : {}) });

  // Masks comment lines inside `\`-continued instructions (with their newline), so shell parsing sees one command.
  const masked = source.split('');
  for (const comment of df.getComments()) {
    const start = offset(comment.getRange().start);
    const lineStart = source.lastIndexOf('\n', start - 1) + 1;
    const nl = source.indexOf('\n', start);
    const end = nl === -1 ? source.length : nl + 1;
    for (let i = lineStart; i < end; i++) masked[i] = ' ';
  }
  const maskedText = masked.join('');

  // 1. Stages and steps.
  const stages: Stage[] = [];
  const globalSteps: Step[] = [];
  for (const node of df.getInstructions()) {
    const keyword = node.getKeyword();
    if (keyword === 'FROM') {
      const nameMatch = /\s+AS\s+(\S+)\s*$/i.exec(node.getArgumentsContent() ?? '');
      stages.push({ index: stages.length, ...(nameMatch ? { name: nameMatch[1]!.toLowerCase() } : {}), steps: [] });
    }
    const range = node.getRange();
    const start = offset(range.start);
    const end = offset(range.end);
    const nl = source.indexOf('\n', end);
    const stage = stages[stages.length - 1];
    const step: Step = { node, keyword, start, end, lineEnd: nl === -1 ? source.length : nl + 1, stage: stage!, removed: false, before: [], after: [], edits: [] };
    if (stage) stage.steps.push(step);
    else globalSteps.push(step);
  }
  const stageByRef = (ref: string) => stages.find((s) => s.name === ref.toLowerCase()) ?? (/^\d+$/.test(ref) ? stages[Number(ref)] : undefined);
  const argsOf = (step: Step) => {
    const r = step.node.getArgumentsRange();
    return r ? { start: offset(r.start), end: offset(r.end) } : { start: step.end, end: step.end };
  };
  /** The shell text of a RUN/CMD/ENTRYPOINT after its flags (and HEALTHCHECK's `CMD`). */
  const shellBody = (step: Step): { start: number; end: number } | undefined => {
    const node = step.node as Instruction & { getFlags?: () => { getRange(): { end: { line: number; character: number } } }[] };
    let start = argsOf(step).start;
    const flags = node.getFlags?.() ?? [];
    if (flags.length > 0) start = offset(flags[flags.length - 1]!.getRange().end);
    if (step.keyword === 'HEALTHCHECK') {
      const sub = (step.node as import('dockerfile-ast').Healthcheck).getSubcommand();
      if (!sub || sub.getValue().toUpperCase() !== 'CMD') return undefined;
      start = offset(sub.getRange().end);
    }
    while (start < step.end && /\s/.test(maskedText[start]!)) start++;
    const jsonForm = maskedText[start] === '[' && !SHELL_TEST.test(maskedText.slice(start, step.end));
    if (jsonForm || maskedText.startsWith('<<', start)) return undefined; // JSON form or heredoc
    return { start, end: step.end };
  };
  const jsonStrings = (step: Step) => {
    const node = step.node as Instruction & { getJSONStrings?: () => import('dockerfile-ast').JSONArgument[] };
    return (node.getJSONStrings?.() ?? []).map((s) => ({ value: s.getJSONValue(), start: offset(s.getRange().start), end: offset(s.getRange().end) }));
  };
  const remove = (step: Step) => void (step.removed = true);

  // 2. Which stage creates the env, and which copies a conda env out of another stage.
  // A stage that uses an env the migration keeps on conda (an R env) keeps its conda whole.
  const kept = keptEnvWords(ctx);
  const keepsConda = (stage: Stage) => stage.steps.some((s) => kept.some((name) => namesWord(maskedText.slice(s.start, s.end), name)));
  let touched = false;
  for (const stage of stages) {
    stage.keepsConda = keepsConda(stage);
    if (stage.keepsConda) continue;
    for (const step of stage.steps) {
      if (step.keyword === 'RUN' && !stage.envStep) {
        const body = shellBody(step);
        if (body && splitCommands(maskedText.slice(body.start, body.end)).some((s) => classify(s, scripts) === 'env')) stage.envStep = step;
      }
      if (step.keyword === 'COPY') {
        const from = (step.node as import('dockerfile-ast').Copy).getFromFlag()?.getValue();
        const builder = from ? stageByRef(from) : undefined;
        const args = step.node.getArguments().map((a) => a.getValue());
        const src = args[0]?.replace(/(.)\/+$/, '$1');
        if (builder && src && args.length >= 2 && builder !== stage && !builder.copiedEnv) {
          // The env the builder made: a conda prefix, or where conda-pack unpacked it (`/venv`).
          const condaPrefix = CONDA_WORD.test(src) || /\/opt\/conda|miniforge|miniconda/.test(src);
          const packed = builder.steps.some((s) => s.keyword === 'RUN' && /conda-(?:un)?pack/.test(s.node.getRawArgumentsContent() ?? '') && (s.node.getRawArgumentsContent() ?? '').includes(src));
          if (condaPrefix || packed) {
            builder.copiedEnv = condaPrefix ? '/opt/venv' : src;
            stage.receivesVenv = builder.copiedEnv;
            stage.venvCopy = step;
          }
        }
      }
    }
  }
  // A conda image whose stage only `conda install`s packages into base: that step becomes the env step.
  for (const stage of stages) {
    const image = (stage.steps[0]!.node as import('dockerfile-ast').From).getImageName() ?? '';
    if (stage.envStep || stage.keepsConda || !CONDA_IMAGE.test(image)) continue;
    stage.envStep = stage.steps.find((step) => {
      const body = step.keyword === 'RUN' ? shellBody(step) : undefined;
      return body && splitCommands(maskedText.slice(body.start, body.end)).some((s) => classify(s, scripts) === 'install');
    });
  }
  const bindTargets = ctx.compose.bindMounts.filter((m) => m.dockerfile === file.path).map((m) => m.target);
  for (const stage of stages) {
    if (!stage.envStep) {
      if (stage.receivesVenv && stages.some((s) => s.envStep && s.copiedEnv === stage.receivesVenv)) stage.venv = stage.receivesVenv;
      else stage.receivesVenv = undefined;
      continue;
    }
    stage.gainsUv = true;
    let workdir: string | undefined;
    for (const step of stage.steps) {
      if (step === stage.envStep) break;
      if (step.keyword === 'WORKDIR') workdir = resolveWorkdir(workdir, step.node.getArgumentsContent()?.trim() ?? '/');
    }
    if (stage.copiedEnv) {
      stage.venv = stage.copiedEnv;
      stage.projectEnv = !(workdir && stage.venv === `${workdir}/.venv`);
    } else if (workdir && workdir !== '/' && !bindTargets.some((t) => isUnder(`${workdir}/.venv`, t))) {
      stage.venv = `${workdir}/.venv`;
    } else {
      stage.venv = '/opt/venv';
      stage.projectEnv = true;
      const hidden = workdir && bindTargets.find((t) => isUnder(`${workdir}/.venv`, t));
      if (hidden) api.decide(`UV_PROJECT_ENVIRONMENT=/opt/venv: a compose bind mount over ${hidden} would hide ${workdir}/.venv at run time`, file.path);
      if (bindTargets.some((t) => isUnder('/opt/venv', t))) report(stage.envStep.start, 'a compose bind mount also covers /opt/venv: the venv is hidden at run time');
    }
  }

  // 3. Instruction by instruction.
  const devImage = /dev/i.test(path.posix.basename(file.path)) || bindTargets.length > 0;
  const noDev = ctx.conda.groups.includes('dev') && !devImage ? ' --no-dev' : '';
  const hasPythonVersionFile = api.fs.exists('.python-version');

  for (const stage of stages) {
    // A base image we do not know may bring its own conda (jupyter/*, a company base): its conda
    // commands are left alone unless the stage installs conda itself or creates the env.
    const from = stage.steps[0]!.node as import('dockerfile-ast').From;
    const image = from.getImageName() ?? '';
    const installsConda = stage.steps.some((s) => INSTALLER.test(maskedText.slice(s.start, s.end)));
    if (stage.keepsConda) {
      report(stage.steps[0]!.start, `this stage uses an env the migration keeps on conda (${kept.join(', ')}): left as it is`, 'info');
      continue;
    }
    if (!CONDA_IMAGE.test(image) && !PYTHON_IMAGE.test(image) && !stageByRef(image) && !installsConda && !stage.envStep && !stage.receivesVenv) {
      const conda = stage.steps.find((s) => s !== stage.steps[0] && CONDA_WORD.test(maskedText.slice(s.start, s.end)));
      if (conda) report(conda.start, `${from.getImage()} may bring its own conda: this stage's conda commands are left as they are`, 'info');
      continue;
    }
    let sourceCopied: Step | undefined;
    let afterEnv = false;
    for (const step of stage.steps) {
      const venv = stage.venv;
      switch (step.keyword) {
        case 'FROM':
          touched = migrateFrom(step, stage) || touched;
          break;
        case 'RUN': {
          const result = rewriteShellStep(step, stage, afterEnv);
          if (step === stage.envStep) {
            afterEnv = true;
            touched = true;
            placeSync(stage, step, sourceCopied);
          }
          touched = result || touched;
          break;
        }
        case 'CMD':
        case 'ENTRYPOINT':
        case 'HEALTHCHECK':
          touched = rewriteShellStep(step, stage, true) || touched;
          break;
        case 'SHELL': {
          const words = jsonStrings(step).map((s) => s.value);
          const login = /^(?:\/bin\/|\/usr\/bin\/)?(?:ba)?sh$/.test(words[0] ?? '') && words.some((w) => w === '--login' || w === '-l');
          if (login || condaRunTarget(words.map((value) => ({ value }))) >= 0 || CONDA_WORD.test(words.join(' '))) {
            remove(step);
            touched = true;
          }
          break;
        }
        case 'ENV':
          touched = migrateEnv(step, stage, venv) || touched;
          break;
        case 'ARG': {
          const name = step.node.getArgumentsContent()?.split('=')[0]?.trim() ?? '';
          if (/^(?:CONDA_|MAMBA_)/.test(name)) {
            remove(step);
            touched = true;
          }
          break;
        }
        case 'USER':
          if (/MAMBA_USER|mambauser/.test(step.node.getArgumentsContent() ?? '')) {
            remove(step);
            touched = true;
            report(step.start, 'the micromamba user is gone with its image: the container now runs as root; add a user if it needs one');
          }
          break;
        case 'COPY':
        case 'ADD': {
          const copy = step.node as import('dockerfile-ast').Copy;
          const paths = copy.getArguments().map((a) => ({ value: a.getValue(), start: offset(a.getRange().start), end: offset(a.getRange().end) }));
          const flags = copy.getFlags().map((f) => ({ value: `--${f.getName()}=${f.getValue() ?? ''}`, start: offset(f.getRange().start), end: offset(f.getRange().end) }));
          const from = flags.find((f) => f.value.startsWith('--from='));
          if (from && CONDA_IMAGE.test(from.value.slice(7).split(/[:@]/)[0]!)) {
            remove(step); // micromamba's binary copied from its image
            touched = true;
            break;
          }
          for (const flag of flags) {
            if (/MAMBA_USER/.test(flag.value)) {
              step.edits.push({ start: flag.start, end: flag.end + (/\s/.test(source[flag.end]!) ? 1 : 0), text: '' });
              touched = true;
            }
          }
          if (step === stage.venvCopy && stage.receivesVenv) {
            for (const p of paths) {
              if (p.value.replace(/\/+$/, '') !== stage.receivesVenv && (CONDA_WORD.test(p.value) || /\/opt\/conda/.test(p.value))) {
                step.edits.push({ start: p.start, end: p.end, text: stage.receivesVenv });
                touched = true;
              }
            }
            break;
          }
          const sources = paths.slice(0, -1);
          if (sources.length > 0 && CONTEXT_SOURCE.test(sources[0]!.value) && sources.length === 1 && !from) sourceCopied ??= step;
          const envSources = sources.filter((s) => isEnvFileSource(s.value, ctx, scripts));
          if (envSources.length > 0 && (stage.envStep || sources.length === envSources.length)) {
            touched = true;
            if (envSources.length === sources.length) remove(step);
            else for (const s of envSources) step.edits.push({ start: s.start - 1, end: s.end, text: '' });
          }
          break;
        }
      }
    }
    if (stage.envStep && stage.venv && !stage.pathSet) {
      stage.envStep.after.push(`ENV VIRTUAL_ENV=${stage.venv} PATH="${stage.venv}/bin:$PATH"`);
      stage.pathSet = true;
    }
    if (stage.venvCopy && stage.venv && !stage.pathSet) {
      stage.venvCopy.after.push(`ENV PATH="${stage.venv}/bin:$PATH"`);
      stage.pathSet = true;
    }
  }
  if (!touched) return source;

  addSystemPackages();
  removeUnusedArgs();
  for (const stage of stages) {
    const hasUv = stage.steps.some((s) => maskedText.slice(s.start, s.end).includes(UV_IMAGE));
    if (stage.gainsUv && !hasUv) stage.steps[0]!.after.unshift(`COPY --from=${UV_IMAGE}:${ctx.uvVersion} /uv /uvx /bin/`);
  }

  // 4. Everything to edits.
  const edits: Edit[] = [];
  const allSteps = [...globalSteps, ...stages.flatMap((s) => s.steps)];
  for (const step of allSteps) {
    const atEof = step.lineEnd === source.length && !source.endsWith('\n');
    const lines = (list: string[]) => (list.length === 0 ? '' : atEof ? `\n${list.join('\n')}` : `${list.join('\n')}\n`);
    if (step.removed) {
      let start = source.lastIndexOf('\n', step.start - 1) + 1;
      let end = step.lineEnd;
      // The comment block right above documents the removed instruction and goes with it when it talks
      // about conda or the env; a plain one (`# build stage`) always stays. When it heads a group that
      // goes on (the next line is an instruction that stays or is replaced), only its conda lines go.
      // Parser directives always stay.
      const next = allSteps.find((s) => s.start === step.lineEnd);
      const heading = next !== undefined && (!next.removed || next.before.length + next.after.length > 0);
      let blockStart = start;
      for (;;) {
        const prevStart = source.lastIndexOf('\n', blockStart - 2) + 1;
        const prev = source.slice(prevStart, blockStart - 1);
        if (blockStart === 0 || !/^\s*#/.test(prev) || /^#\s*(?:syntax|escape|check)\s*=/i.test(prev)) break;
        if (heading && !CONDA_WORD.test(prev)) break;
        blockStart = prevStart;
      }
      const block = source.slice(blockStart, start);
      if (heading || CONDA_WORD.test(block) || ENV_TALK.test(block)) start = blockStart;
      const text = step.before.length + step.after.length > 0 ? `${[...step.before, ...step.after].join('\n')}\n` : '';
      const blankBefore = start === 0 || /^[ \t]*$/.test(source.slice(source.lastIndexOf('\n', start - 2) + 1, start - 1));
      const nextNl = source.indexOf('\n', end);
      if (!text && blankBefore && end < source.length && /^[ \t]*$/.test(source.slice(end, nextNl === -1 ? source.length : nextNl))) end = nextNl === -1 ? source.length : nextNl + 1;
      if (!text && end === source.length && !source.endsWith('\n') && start > 0) start -= 1; // keep the file's missing final newline
      edits.push({ start, end, text });
      continue;
    }
    if (step.before.length > 0) edits.push({ start: source.lastIndexOf('\n', step.start - 1) + 1, end: source.lastIndexOf('\n', step.start - 1) + 1, text: lines(step.before) });
    edits.push(...step.edits);
    if (step.after.length > 0) edits.push({ start: step.lineEnd, end: step.lineEnd, text: lines(step.after) });
  }
  return applyEdits(source, edits);

  // --- rules ---------------------------------------------------------------------------------

  function migrateFrom(step: Step, stage: Stage): boolean {
    const node = step.node as import('dockerfile-ast').From;
    const range = node.getImageRange();
    const image = node.getImage();
    if (!range || !image) return false;
    const start = offset(range.start);
    const end = offset(range.end);
    const [, name = '', tag = ''] = /^([^:@]+)(?::([^@]+))?/.exec(image) ?? [];
    const distro = DISTRO.exec(tag)?.[1];
    let replacement: string | undefined;
    if (CONDA_IMAGE.test(name)) {
      replacement = `python:${python}-slim${distro ? `-${distro}` : ''}`;
      stage.gainsUv = true;
      api.decide(`${image} -> ${replacement}: Python ${python} ${ctx.conda.pythonVersion ? 'from the env' : '(assumed)'}`, file.path);
    } else if (PYTHON_IMAGE.test(name) && (stage.gainsUv || stage.receivesVenv)) {
      const version = /^(\d+\.\d+)/.exec(tag)?.[1];
      if (version && version !== python) {
        replacement = image.replace(`:${version}`, `:${python}`);
        api.decide(`${image} -> ${replacement}: aligned with the env's Python ${python}`, file.path);
      }
    } else if (stage.receivesVenv && /^(?:docker\.io\/)?(?:library\/)?(?:debian|ubuntu)$/.test(name)) {
      // A venv from the builder needs the same Python at the same path, which conda-pack carried itself.
      replacement = `python:${python}-slim${distro ? `-${distro}` : ''}`;
      api.decide(`${image} -> ${replacement}: the venv copied from the builder needs the builder's Python`, file.path);
    }
    if (replacement && replacement !== image) step.edits.push({ start, end, text: replacement });
    else if (stage.gainsUv && !PYTHON_IMAGE.test(name)) {
      api.decide(`${image} has no Python of its own to rely on: uv sync installs a managed Python ${python} into the image`, file.path);
    }
    if (!ctx.conda.pythonVersion && (replacement || stage.gainsUv)) report(step.start, `no Python version known from the env files: python:${DEFAULT_PYTHON} assumed`);
    return Boolean(replacement);
  }

  /** RUN/CMD/ENTRYPOINT/HEALTHCHECK: drop conda commands, keep the rest (the shell engine rewrites what is left). */
  function rewriteShellStep(step: Step, stage: Stage, afterEnv: boolean): boolean {
    const venv = stage.venv;
    if (step.keyword !== 'RUN' && step.keyword !== 'HEALTHCHECK') {
      const strings = jsonStrings(step);
      if (strings.length > 0) return rewriteJsonForm(step, strings, venv);
    }
    const body = shellBody(step);
    if (!body && step.keyword === 'HEALTHCHECK') {
      // `HEALTHCHECK CMD ["conda", "run", ...]`: dockerfile-ast gives no JSON strings for it.
      const sub = (step.node as import('dockerfile-ast').Healthcheck).getSubcommand();
      const open = sub ? source.indexOf('[', offset(sub.getRange().end)) : -1;
      if (open !== -1 && open < step.end) {
        const strings = [...source.slice(open, step.end).matchAll(/"(?:[^"\\\n]|\\.)*"/g)].map((m) => ({ value: JSON.parse(m[0]) as string, start: open + m.index, end: open + m.index + m[0].length }));
        if (strings.length > 0) return rewriteJsonForm(step, strings, venv);
      }
    }
    if (!body) {
      if (CONDA_WORD.test(source.slice(step.start, step.end))) report(step.start, `${step.keyword} in JSON or heredoc form still uses conda: rewrite it by hand`);
      return false;
    }
    const text = maskedText.slice(body.start, body.end);
    const rewritten = rewriteCommands(text, source.slice(body.start, body.end), venv, afterEnv && step.keyword === 'RUN', body.start);
    if (!rewritten) return false;
    if (rewritten.allRemoved) {
      if (step.keyword === 'HEALTHCHECK') {
        report(step.start, 'HEALTHCHECK only ran conda commands: check it by hand');
        return false;
      }
      remove(step);
      return true;
    }
    step.edits.push({ start: body.start, end: body.end, text: rewritten.text });
    return true;
  }

  /** `["conda", "run", "-n", "x", "python", "app.py"]` -> `["python", "app.py"]`; micromamba's entrypoint goes. */
  function rewriteJsonForm(step: Step, strings: { value: string; start: number; end: number }[], venv: string | undefined): boolean {
    if (step.keyword === 'ENTRYPOINT' && /_entrypoint\.sh$/.test(strings[0]!.value)) {
      remove(step);
      return true;
    }
    const target = condaRunTarget(strings);
    if (target === strings.length) {
      remove(step);
      return true;
    }
    let changed = false;
    if (target > 0) {
      step.edits.push({ start: strings[0]!.start, end: strings[target]!.start, text: '' });
      changed = true;
    }
    for (let i = Math.max(target, 0); i < strings.length; i++) {
      const s = strings[i]!;
      let value = s.value;
      const isScript = i > 0 && strings[i - 1]!.value === '-c' && /^(?:.*\/)?(?:ba)?sh$/.test(strings[Math.max(target, 0)]!.value);
      if (isScript) {
        const r = rewriteCommands(value, value, venv, false, s.start);
        if (r && !r.allRemoved) value = r.text;
      } else if (venv) value = value.replace(CONDA_BIN, `${venv}/bin`);
      if (value !== s.value) {
        step.edits.push({ start: s.start, end: s.end, text: JSON.stringify(value) });
        changed = true;
      }
    }
    return changed;
  }

  function rewriteCommands(maskedSnippet: string, snippet: string, venv: string | undefined, afterEnv: boolean, at: number) {
    return rewriteSnippet(maskedSnippet, snippet, {
      venv,
      scripts,
      ctx,
      renames: api.fs.renames,
      host: 'dockerfile',
      dropAlso: (words, afterEnvHere) => (afterEnv || afterEnvHere) && pipIntoEnv(words),
      onNote: (message) => report(at, message),
      onInstall: (seg) => report(at + seg.start, `removed \`${seg.text.replace(/\s*\\\n\s*/g, ' ')}\`: add what it installed with \`uv add\` if the env files lack it`),
    });
  }

  /** `pip install -e .` and `pip install -r F` with F merged into pyproject are the sync steps' job now. */
  function pipIntoEnv(segmentWords: readonly Word[]): boolean {
    const words = segmentWords.map((w) => w.value);
    const at = words[0] === 'pip' || words[0] === 'pip3' ? 1 : words[0]?.startsWith('python') && words[1] === '-m' && words[2] === 'pip' ? 3 : -1;
    if (at < 0 || words[at] !== 'install') return false;
    const args = words.slice(at + 1);
    const editableSelf = args.some((a, k) => (a === '.' || a === './') && (k === 0 || args[k - 1] === '-e' || !args[k - 1]!.startsWith('-')));
    const merged = args.some((a, k) => args[k - 1] === '-r' && ctx.conda.dependencies.some((d) => d.sources.some((s) => path.posix.basename(s) === path.posix.basename(a))));
    return editableSelf || merged;
  }

  function placeSync(stage: Stage, step: Step, sourceCopied: Step | undefined): void {
    const envLine = `ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1${stage.projectEnv ? ` UV_PROJECT_ENVIRONMENT=${stage.venv}` : ''}`;
    const copyLine = `COPY pyproject.toml uv.lock${hasPythonVersionFile ? ' .python-version' : ''} ./`;
    const depsLine = `RUN ${UV_CACHE_MOUNT} uv sync --locked --no-install-project${noDev}`;
    const projectLine = `RUN ${UV_CACHE_MOUNT} uv sync --locked${noDev}`;
    const block = [envLine, copyLine, depsLine];
    if (ctx.conda.groups.includes('dev')) {
      api.decide(noDev ? 'the image installs without the dev group (uv sync --no-dev)' : 'the image keeps the dev group: it is a development image (bind-mounted source or a dev Dockerfile)', file.path);
    }
    if (!api.fs.exists('uv.lock') && !api.options.lock) report(step.start, 'the image copies uv.lock, which does not exist yet: run `uv lock` and commit it before building', 'blocks');
    if (sourceCopied) {
      // The source is already in: put the dependency layer before it so source edits do not rebuild it.
      sourceCopied.before.push(...block);
      if (ctx.conda.isPackage) (step.removed ? step.before : step.after).push(projectLine);
      return;
    }
    (step.removed ? step.before : step.after).push(...block);
    if (ctx.conda.isPackage) {
      const later = stage.steps.slice(stage.steps.indexOf(step) + 1).find((s) => (s.keyword === 'COPY' || s.keyword === 'ADD') && CONTEXT_SOURCE.test(s.node.getArguments().map((a) => a.getValue()).filter((a) => !a.startsWith('--'))[0] ?? ''));
      if (later) later.after.push(projectLine);
    }
  }

  function migrateEnv(step: Step, stage: Stage, venv: string | undefined): boolean {
    const node = step.node as import('dockerfile-ast').Env;
    const props = node.getProperties();
    let changed = false;
    const keep = props.filter((p) => !/^(?:CONDA_|MAMBA_)/.test(p.getName()));
    if (keep.length === 0) {
      remove(step);
      return true;
    }
    for (const p of props) {
      const name = p.getName();
      const nameStart = offset(p.getNameRange().start);
      const valueRange = p.getValueRange();
      if (!keep.includes(p)) {
        const end = valueRange ? offset(valueRange.end) : offset(p.getNameRange().end);
        let start = nameStart;
        while (start > 0 && /[ \t]/.test(source[start - 1]!)) start--;
        step.edits.push({ start, end, text: '' });
        changed = true;
        continue;
      }
      const value = p.getValue() ?? '';
      if (!valueRange) continue;
      if (name === 'PATH') {
        const parts = value.split(':');
        const condaParts = parts.filter((part) => CONDA_WORD.test(part) || /\/opt\/conda|miniconda|miniforge/.test(part));
        if (condaParts.length === 0) continue;
        const target = venv ?? stage.receivesVenv;
        const kept = parts.filter((part) => !condaParts.includes(part));
        const first = parts.findIndex((part) => condaParts.includes(part));
        if (target && !stage.pathSet) kept.splice(first, 0, `${target}/bin`);
        const newValue = kept.join(':');
        const quoted = source[offset(valueRange.start)] === '"';
        if (newValue === '$PATH' || newValue === '${PATH}' || newValue === '') {
          if (props.length === 1) {
            remove(step);
            return true;
          }
          let start = nameStart;
          while (start > 0 && /[ \t]/.test(source[start - 1]!)) start--;
          step.edits.push({ start, end: offset(valueRange.end), text: '' });
          changed = true;
          continue;
        }
        const hasVirtualEnv = props.some((q) => q.getName() === 'VIRTUAL_ENV');
        const assignment = p.getAssignmentOperator() === '=';
        const prefix = target && !stage.pathSet && !hasVirtualEnv ? `VIRTUAL_ENV=${target} ` : '';
        if (assignment) {
          step.edits.push({ start: offset(valueRange.start), end: offset(valueRange.end), text: quoted ? `"${newValue}"` : newValue });
          if (prefix) step.edits.push({ start: nameStart, end: nameStart, text: prefix });
        } else {
          step.edits.push({ start: nameStart, end: offset(valueRange.end), text: `${prefix}PATH=${quoted ? `"${newValue}"` : newValue}` });
        }
        if (target) stage.pathSet = true;
        changed = true;
      } else if (venv && new RegExp(CONDA_BIN.source).test(value)) {
        const raw = source.slice(offset(valueRange.start), offset(valueRange.end));
        step.edits.push({ start: offset(valueRange.start), end: offset(valueRange.end), text: raw.replace(CONDA_BIN, `${venv}/bin`) });
        changed = true;
      } else if (CONDA_WORD.test(value) || /\/opt\/conda/.test(value)) {
        report(step.start, `ENV ${name} still points into conda: ${value}`, 'blocks');
      }
    }
    return changed;
  }

  /** System packages the env got from conda (ffmpeg, git...) join the final stage's apt-get install. */
  function addSystemPackages(): void {
    const wanted = [...new Set(ctx.conda.systemPackages.map((p) => p.debian))];
    const stage = stages[stages.length - 1];
    if (wanted.length === 0 || !stage || !(stage.gainsUv || stage.receivesVenv)) return;
    for (const step of stage.steps) {
      if (step.keyword !== 'RUN' || step.removed) continue;
      const body = shellBody(step);
      if (!body) continue;
      // The body as it will be written: an earlier rule may have rewritten it already.
      const rewritten = step.edits.find((e) => e.start === body.start && e.end === body.end);
      const text = rewritten ? rewritten.text : source.slice(body.start, body.end);
      const added = addToAptInstall(text, rewritten ? text : maskedText.slice(body.start, body.end), wanted);
      if (added === undefined) continue;
      if (added.missing.length > 0) {
        if (rewritten) rewritten.text = added.text;
        else step.edits.push({ start: body.start, end: body.end, text: added.text });
        api.decide(`system packages from the env added to apt-get install: ${added.missing.join(', ')}`, file.path);
      }
      return;
    }
    const base = (stage.steps[0]!.node as import('dockerfile-ast').From).getImage() ?? '';
    if (/alpine/i.test(base)) {
      report(stage.steps[0]!.start, `the env's system packages need installing in this Alpine image: ${wanted.join(' ')} (Debian names)`, 'blocks');
      return;
    }
    const anchor = stage.envStep ?? stage.steps[0]!;
    const line = `RUN apt-get update && apt-get install -y --no-install-recommends ${wanted.join(' ')} && rm -rf /var/lib/apt/lists/*`;
    if (anchor === stage.steps[0]) anchor.after.push(line);
    else anchor.before.unshift(line);
    api.decide(`system packages from the env installed with apt-get: ${wanted.join(', ')}`, file.path);
  }

  /** An ARG that only removed instructions used (e.g. TARGETARCH picking the Miniconda installer) goes with them. */
  function removeUnusedArgs(): void {
    const all = [...globalSteps, ...stages.flatMap((s) => s.steps)];
    for (const arg of all.filter((s) => s.keyword === 'ARG' && !s.removed)) {
      const name = arg.node.getArgumentsContent()?.split('=')[0]?.trim();
      if (!name) continue;
      const uses = new RegExp(`\\$\\{?${name}\\b`);
      const users = all.filter((s) => s !== arg && uses.test(maskedText.slice(s.start, s.end)));
      if (users.length > 0 && users.every((s) => s.removed)) {
        arg.removed = true;
        api.decide(`ARG ${name} removed: only the removed conda steps used it`, file.path);
      }
    }
  }
}

/** `apt-get install` in a shell snippet with `wanted` packages added after its last one (one a line when it lists one a line). */
function addToAptInstall(text: string, masked: string, wanted: readonly string[]): { text: string; missing: string[] } | undefined {
  for (const seg of splitCommands(masked)) {
    const words = seg.words;
    const at = words.findIndex((w) => w.value === 'install');
    if (!/^apt(?:-get)?$/.test(words[0]?.value ?? '') || at < 0) continue;
    const present = new Set(words.slice(at + 1).map((w) => w.value));
    const missing = wanted.filter((p) => !present.has(p));
    if (missing.length === 0) return { text, missing };
    const last = words[words.length - 1]!;
    const lineStart = text.lastIndexOf('\n', last.start - 1) + 1;
    const indent = text.slice(lineStart, last.start);
    const continuation = /^([ \t]*)\\\n/.exec(text.slice(last.end));
    if (/^[ \t]+$/.test(indent) && continuation) {
      const at = last.end + continuation[0].length;
      return { text: text.slice(0, at) + missing.map((p) => `${indent}${p}${continuation[1]}\\\n`).join('') + text.slice(at), missing };
    }
    return { text: `${text.slice(0, last.end)} ${missing.join(' ')}${text.slice(last.end)}`, missing };
  }
  return undefined;
}
