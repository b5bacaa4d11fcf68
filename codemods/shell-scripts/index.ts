// Shell scripts: an install script that only created the conda env is replaced by uv-install.sh;
// other scripts (entrypoints, launchers, jobs) are rewritten in place by the shell engine.
import { DOCKERFILE_PATTERNS } from '../lib/dockerfiles.js';
import picomatch from 'picomatch';
import { commandNames, HOSTS, loadShellParser, rewriteShell, type ShellPolicy } from '../lib/shell/index.js';
import { CodemodError } from '../../contract/errors.js';
import { UV_INSTALLER } from '../lib/versions.js';
import type { Api, Codemod, FileInfo, InventoryApi } from '../../contract/types.js';

const SCRIPT_FILES = ['**/*.sh', '**/*.bash', '**/*.zsh', '**/!(*.*)', '**/.envrc'];
const FILES = [...SCRIPT_FILES, '**/*.bat', '**/*.cmd', '**/*.ps1'];
/** SCRIPT_FILES among FILES, which the runner matched already: no second pass over every path. */
let isScriptFile: ((path: string) => boolean) | undefined;
const SHELL_SHEBANG = /^#!\s*\S*\/(?:env\s+)?(?:ba|z|da|k)?sh\b/;
const WINDOWS = /\.(?:bat|cmd|ps1)$/i;
/** A command that creates or updates the conda env from a file. */
const CREATES_ENV = /\b(?:conda|mamba|micromamba)\s+(?:env\s+(?:create|update)\b|(?:create|install|update)\b[^\n]*\s(?:-f|--file)\b)/;
/** A script that also runs something in the env is not just an install script. */
const USES_ENV = /\b(?:conda|mamba|micromamba)\s+(?:activate|run)\b|\bsource\s+activate\b/;
const CONDA_IN_NAME = /(?:micromamba|mamba|conda)/i;
const LOGIN_SHEBANG = /^(#!\s*\S*\/(?:env\s+)?bash)\s+(?:--login|-l)[ \t]*(?=\n|$)/;

function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

function isShellScript(file: FileInfo): boolean {
  return /\.(?:sh|bash|zsh)$/.test(file.path) || basename(file.path) === '.envrc' || SHELL_SHEBANG.test(file.source);
}

/** A conda activation as direnv's .envrc writes it (the shell hook, `conda activate`, `source activate`). */
const ENVRC_ACTIVATION =
  /^([ \t]*)(?:eval\s+"\$\((?:conda|mamba|micromamba)\s+shell(?:\.\w+)?\s+(?:activate|hook)\b[^\n]*|(?:conda|mamba|micromamba)\s+activate\b[^\n]*|(?:source|\.)\s+activate\b[^\n]*)$/m;

/** direnv keeps what .envrc activates for the shell: the conda env's activation becomes the project venv's. */
function envrcActivation(source: string, api: Api, path: string): string {
  const m = ENVRC_ACTIVATION.exec(source);
  if (!m) return source;
  api.decide('direnv activates the project venv (uv sync creates it) where it activated the conda env', path);
  return source.slice(0, m.index) + `${m[1]}source .venv/bin/activate` + source.slice(m.index + m[0].length);
}

/** What an install script may run besides conda: moving around, checking, choosing an env file, talking. */
const INSTALL_SCRIPT_COMMANDS = new Set([
  'cd', 'pushd', 'popd', 'echo', 'printf', 'set', 'exit', 'return', 'command', 'which', 'type', 'hash', '[', 'test', 'true', ':',
  'source', '.', 'eval', 'uname', 'dirname', 'basename', 'realpath', 'readlink', 'pwd', 'export', 'trap', 'local',
  'conda', 'mamba', 'micromamba',
]);

/** The script only creates the conda env (Geist's conda-install.sh): nothing of it is lost by replacing it. */
export function isInstallScript(source: string): boolean {
  if (!CREATES_ENV.test(source) || USES_ENV.test(source)) return false;
  const names = commandNames(source);
  return names !== undefined && names.every((name) => INSTALL_SCRIPT_COMMANDS.has(name.slice(name.lastIndexOf('/') + 1)));
}

/** conda-install.sh -> uv-install.sh; a name without conda in it stays. */
export function installScriptName(path: string): string {
  const name = basename(path);
  return path.slice(0, path.length - name.length) + name.replace(CONDA_IN_NAME, 'uv');
}

/** The uv replacement of an install script: same project directory, same shebang family, uv sync --locked. */
export function uvInstallScript(source: string, envName: string | undefined): string {
  const shebang = /^#!\s*\/usr\/bin\/env\s+bash\b/.test(source) ? '#!/usr/bin/env bash' : '#!/bin/bash';
  const indent = /^([ \t]+)\S/m.exec(source)?.[1] ?? '    ';
  const cd = /^cd\s+.+$/m.exec(source)?.[0];
  const lines = [
    shebang,
    '# Create (or update) the project environment (.venv) from pyproject.toml and uv.lock.',
    'set -euo pipefail',
    '',
    ...(cd ? [cd, ''] : []),
    'if ! command -v uv >/dev/null 2>&1; then',
    `${indent}echo "uv not found: install it with: ${UV_INSTALLER}" >&2`,
    `${indent}exit 1`,
    'fi',
    '',
    'echo "uv sync --locked: installing the locked dependencies into .venv"',
    'uv sync --locked',
    `echo "${envName ? `${envName} environment` : 'environment'} ready in .venv"`,
  ];
  return lines.join('\n') + '\n';
}

/** Compose files (`**\/*compose*.{yml,yaml}`, by base name), which also run scripts inside an image. */
const COMPOSE_NAME = '*compose*.{yml,yaml}';
let composeName: RegExp | undefined;

/** The texts of the Dockerfiles and compose files of this run (read once, before any of them is rewritten). */
const imageTexts = new WeakMap<object, string[]>();
function imageFiles(api: Api): string[] {
  let texts = imageTexts.get(api.ctx);
  if (!texts) {
    // The Dockerfiles' list is the Dockerfile codemod's, matched already. Compose files are found by a
    // plain search for their word before the pattern: a glob match of every path costs several times more.
    const compose = (composeName ??= picomatch.makeRe(COMPOSE_NAME, { dot: true }));
    const composeFiles = api.fs.paths().filter((p) => p.includes('compose') && compose.test(basename(p)));
    const paths = new Set([...api.fs.matching(DOCKERFILE_PATTERNS), ...composeFiles]);
    texts = [...paths].map((p) => api.fs.read(p) ?? '');
    imageTexts.set(api.ctx, texts);
  }
  return texts;
}

/** A script a Dockerfile or compose file names (COPY, ENTRYPOINT, command) runs in the image: venv on PATH. */
function runsInImage(path: string, api: Api): boolean {
  const base = basename(path);
  const named = new RegExp(`(?:^|[\\s/"'\\[,])${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\w.-])`, 'm');
  // Most image files do not hold the name at all: a plain search says so before the pattern's scan.
  return imageFiles(api).some((text) => text.includes(base) && named.test(text));
}

/** The install scripts that would be renamed: original path -> new path. */
function installScriptPlan(api: Pick<Api, 'fs'>): Map<string, string> {
  const plan = new Map<string, string>();
  const isScript = (isScriptFile ??= picomatch(SCRIPT_FILES, { dot: true }));
  for (const path of api.fs.matching(FILES).filter((p) => isScript(p))) {
    const source = api.fs.read(path);
    if (source === undefined || !isShellScript({ path, source }) || !isInstallScript(source)) continue;
    const to = installScriptName(path);
    if (to !== path && !api.fs.exists(to)) plan.set(path, to);
  }
  return plan;
}

/**
 * Install scripts of this run: original path -> new path (known before any script is rewritten, so callers
 * follow). The plan decided those the inventory told it of, keeping the name of one a file this run does
 * not change runs; when the migration was known only after the inventories, they are found here.
 */
const plans = new WeakMap<object, Map<string, string>>();
function installScripts(api: Api): Map<string, string> {
  let plan = plans.get(api.ctx);
  if (!plan) {
    const decided = api.ctx.plan?.renames;
    plan = decided ? new Map(decided.filter((r) => r.action === 'rename').map((r) => [r.from, r.to])) : installScriptPlan(api);
    for (const kept of decided ?? []) if (kept.action === 'keep') api.decide(`kept the name ${kept.from}: ${kept.why}; rewritten in place`, kept.from);
    plans.set(api.ctx, plan);
  }
  return plan;
}

function replaceInstallScript(file: FileInfo, api: Api, to: string | undefined): string | null {
  // The env's name goes inside double quotes in the script: only a plain name, which the shell cannot expand.
  const named = api.ctx.conda.primary?.name ?? api.ctx.conda.envNames[0];
  const envName = named && /^[\w.+-]+$/.test(named) ? named : undefined;
  const text = uvInstallScript(file.source, envName);
  if (!to) {
    api.decide(`rewrote ${file.path} (it created the conda env) to run uv sync --locked`, file.path);
    return text;
  }
  api.fs.rename(file.path, to);
  api.fs.write(to, text);
  api.decide(`replaced ${file.path} (it created the conda env) by ${to}: checks for uv, then uv sync --locked from uv.lock`, to);
  return null;
}

export default {
  name: 'shell-scripts',
  onlyWhenMigrating: true,
  description: 'shell scripts: activation removed, install scripts replaced by uv',
  files: FILES,
  mentions: /conda|mamba|CONDA_|activate/,
  warmUp() {
    loadShellParser();
  },
  /** The install scripts to rename, told to the plan: it keeps the name of one that a file this run does not change runs. */
  inventory(api: InventoryApi) {
    if (api.ctx.migrating) for (const [from, to] of installScriptPlan(api)) api.ctx.renaming.push({ from, to });
  },
  transform(file: FileInfo, api: Api) {
    if (WINDOWS.test(file.path)) {
      file.source.split('\n').forEach((line, i) => {
        if (/conda|mamba/i.test(line)) api.report({ path: file.path, line: i + 1, message: 'a Windows script uses conda: migrate it by hand (uv sync, uv run CMD)' });
      });
      return null;
    }
    if (!isShellScript(file)) return null;
    const plan = installScripts(api);
    if (isInstallScript(file.source)) return replaceInstallScript(file, api, plan.get(file.path));

    const renames = new Map([...api.fs.renames, ...plan]);
    const policy: ShellPolicy = runsInImage(file.path, api) ? 'venv-on-path' : 'uv-run';
    const source = basename(file.path) === '.envrc' ? envrcActivation(file.source, api, file.path) : file.source;
    // A POSIX sh script has `.`, not `source`.
    const venvActivation = /^#!\s*\S*\/(?:env\s+)?(?:da)?sh\b/.test(source) ? '. .venv/bin/activate' : 'source .venv/bin/activate';
    const result = rewriteShell(source, { host: { ...HOSTS.script, reach: policy, venvActivation }, ctx: api.ctx, renames });
    // A whole script that does not parse is a broken file, not a snippet to skip: refuse it at its place.
    if (result.parseError) throw new CodemodError(`does not parse as shell: ${result.parseError.message}`, result.parseError.line, result.parseError.col);
    if (result.changed && policy === 'venv-on-path') {
      api.decide('runs inside the Docker image (a Dockerfile or compose file names it): the venv is on PATH, so commands stay as they are (no uv run)', file.path);
    }
    for (const note of result.notes) api.report({ path: file.path, line: note.line, message: note.message });
    let text = result.text;
    const commands = text.split('\n').filter((line) => !/^\s*(?:#.*|set\s+[-+]\S+.*)?$/.test(line));
    if (result.changed && commands.length === 0) {
      api.report({ path: file.path, message: 'only set up the conda env, so nothing is left in it: delete it and the lines that source or run it' });
    }
    // A login shell that only served `conda activate` (conda init lives in ~/.bashrc) is no longer needed.
    if (result.changed && LOGIN_SHEBANG.test(text) && !/conda|mamba/.test(text)) {
      text = text.replace(LOGIN_SHEBANG, '$1');
      api.decide('#!/bin/bash --login -> #!/bin/bash: the login shell only served conda activation', file.path);
    }
    return text;
  },
} satisfies Codemod;
