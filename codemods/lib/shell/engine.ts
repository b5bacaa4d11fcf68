// The rewriting walk: finds conda-shaped commands in the full mvdan/sh tree and turns them into edits
// (string splices into the original text; the printer is never used).
import { applyEdits, byteIndexer, outermostEdits, type Edit } from '../text.js';
import { CONDA_TOOLS, condaSpecToPep508, ENV_COMMANDS, hasOption, parseConda, type ParsedConda } from './commands.js';
import { literal, parseShell, sh, unquoted, type ShNode } from './parser.js';
import type { ShellOptions } from './index.js';
import { UV_INSTALLER } from '../versions.js';

export interface Scope {
  /** Commands run inside the activated conda env. */
  activated: boolean;
  /** Env commands get `uv run ` (uv-run policy, and not already inside `uv run bash -c`). */
  prefix: boolean;
  /** The activated env is this project's, in a repository of several (ShellOptions.projects). */
  project?: string;
}

export interface RawNote {
  index: number; // string index in the rewriter's text
  message: string;
}

/** How a statement list may end up when every statement in it goes. */
type ListMode = 'top' | 'removable' | 'body';

const WRAPPERS = new Set(['exec', 'nohup', 'time', 'env', 'srun', 'mpirun', 'xvfb-run']);
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);
/**
 * Where pip's own arguments start in `words` (a command's words from `k`): 0 for `pip`/`pip3`, 2 for
 * `python -m pip`; -1 when the command is not pip.
 */
function pipCommand(words: readonly (string | undefined)[], k = 0): number {
  const command = words[k] ?? '';
  if (/^pip3?$/.test(command)) return 0;
  return /^python[\d.]*$/.test(command) && words[k + 1] === '-m' && words[k + 2] === 'pip' ? 2 : -1;
}
/** A path that only exists in a conda install. */
const CONDA_PATH = /\/(?:opt\/conda|miniconda3?|miniforge3?|mambaforge|micromamba)\b|\/envs\/[\w.-]+\/bin\b/i;
/** The Miniconda/Miniforge/micromamba installer: its download, run and clean-up. */
const INSTALLER = /\b(?:mini|ana)conda\d*\b|\bminiforge\d*\b|\bmambaforge\b|micro\.mamba\.pm|\bmicromamba[-.]/i;
/** A conda env's (or base's) own bin/ path used as a command: `/opt/conda/envs/geist/bin/python`. */
const CONDA_BIN_COMMAND = /^\S*\/(?:envs\/[\w.-]+\/)?bin\/([\w.-]+)$/;
/** Shell start-up files that `conda init` and `echo "conda activate x" >> ~/.bashrc` write to. */
const RC_FILE = /(?:^|\/)\.(?:bashrc|zshrc|profile|bash_profile)$|^\/etc\/(?:profile|bash\.bashrc)/;

/** How many known env commands the activated part of a snippet may run before activation beats `uv run` on each. */
export const ACTIVATED_COMMANDS = 3;

/** Commands that never needed the conda env (shell builtins, file and text tools, VCS, network, uv itself). */
const OUTSIDE_ENV = new Set([
  'cd', 'pushd', 'popd', 'echo', 'printf', 'export', 'unset', 'set', 'shift', 'local', 'read', 'source', '.', 'eval', 'exit', 'return',
  'true', 'false', ':', 'test', '[', '[[', 'trap', 'wait', 'sleep', 'kill', 'ps', 'pwd', 'command', 'which', 'type', 'hash', 'ulimit',
  'mkdir', 'rm', 'rmdir', 'cp', 'mv', 'ln', 'ls', 'cat', 'touch', 'chmod', 'chown', 'find', 'xargs', 'tee', 'head', 'tail', 'grep',
  'sed', 'awk', 'sort', 'uniq', 'wc', 'cut', 'tr', 'date', 'basename', 'dirname', 'realpath', 'readlink', 'hostname', 'whoami',
  'nproc', 'nvidia-smi', 'git', 'curl', 'wget', 'tar', 'unzip', 'zip', 'gzip', 'rsync', 'ssh', 'scp', 'docker', 'sudo', 'apt-get',
  'module', 'uv', 'uvx', 'deactivate',
]);

/** A statement that is a conda activation, by its text. */
const ACTIVATION_TEXT = /^(?:(?:conda|mamba|micromamba)\s+activate|(?:source|\.)\s+activate)\b/;

/** `source activate`, `. /opt/conda/bin/activate`; a plain venv's bin/activate is not conda. */
const CONDA_ACTIVATE_SCRIPT = /^(?:activate|(?:\S*(?:conda|mamba|miniforge|CONDA)\S*\/)?bin\/activate)$/;

export class Rewriter {
  readonly edits: Edit[] = [];
  readonly notes: RawNote[] = [];
  /** A conda activation was met (so `venvActivation` has a line to replace). */
  sawActivation = false;
  /** Commands run in the activated env that got `uv run`, and those uv run is not known to cover. */
  private envCommands = 0;
  private uncovered = 0;
  /** How many folders below the snippet's start `cd` went (undefined: somewhere unknown): `.` is the project there only. */
  private cwdDepth: number | undefined = 0;
  private readonly idx: (byte: number) => number;

  constructor(
    /** The text that was parsed (host syntax masked). */
    readonly src: string,
    /** The same text unmasked, same length: copied spans come from here. */
    readonly orig: string,
    readonly options: ShellOptions,
    public scope: Scope,
  ) {
    this.idx = byteIndexer(src);
  }

  pos(node: ShNode): number {
    return this.idx(node.Pos().Offset());
  }

  end(node: ShNode): number {
    return this.idx(node.End().Offset());
  }

  private note(node: ShNode, message: string): void {
    this.notes.push({ index: this.pos(node), message });
  }

  private raw(node: ShNode): string {
    return this.orig.slice(this.pos(node), this.end(node));
  }

  private type(node: ShNode): string {
    return sh().NodeType(node);
  }

  /** The rule of HostPolicy.venvActivation: what ran activated needs the activation kept. */
  needsActivation(trailing: boolean): boolean {
    // A trailing activation is kept only where the rest of the snippet moved to uv (no conda left with a note).
    const kept = trailing && this.sawActivation && this.envCommands === 0 && this.scope.activated && this.notes.length === 0;
    return this.uncovered > 0 || this.envCommands > ACTIVATED_COMMANDS || kept;
  }

  /**
   * A conda activation met: goes (returns true), or becomes the venv's (`source .venv/bin/activate`) when
   * the host chose that; commands after it then run as they are.
   */
  private activate(stmtStart: ShNode, stmtEnd: ShNode, env?: string | true): boolean {
    this.sawActivation = true;
    const project = this.projectOf(env);
    if (this.options.useVenvActivation && this.options.host.venvActivation) {
      const text = project ? this.options.host.venvActivation.replace('.venv/', `${project}/.venv/`) : this.options.host.venvActivation;
      this.edits.push({ start: this.pos(stmtStart), end: this.end(stmtEnd), text });
      this.scope = { activated: true, prefix: false, project };
      return false;
    }
    this.scope = { ...this.scope, activated: true, project };
    return true;
  }

  /** The project (folder) whose env a conda env name or env file is, in a repository of several. */
  private projectOf(env: string | true | undefined): string | undefined {
    return typeof env === 'string' ? this.options.projects?.get(env.replace(/^\.\//, '')) : undefined;
  }

  /** `uv SUB`, for the activated env's project when it is one of several (`uv run --project app`). */
  private uv(sub: string, project = this.scope.project): string {
    return project ? `uv ${sub} --project ${project}` : `uv ${sub}`;
  }

  private get syncCommand(): string {
    const sync = this.options.host.sync;
    return this.scope.project ? `${sync} --project ${this.scope.project}` : sync;
  }

  /** Rewrite a statement list. Returns true when every statement in it is to be removed (by the caller). */
  list(stmts: readonly ShNode[], mode: ListMode): boolean {
    if (stmts.length === 0) return false;
    const removed = stmts.map((s) => this.stmt(s));
    this.dropSetPairs(stmts, removed);
    if (removed.every(Boolean)) {
      if (mode === 'removable') return true;
      if (mode === 'body') {
        this.emptyBody(stmts);
        return false;
      }
    }
    for (let i = 0; i < stmts.length; i++) {
      if (!removed[i]) continue;
      let j = i;
      while (j + 1 < stmts.length && removed[j + 1]) j++;
      this.removeRun(stmts, i, j);
      i = j;
    }
    return false;
  }

  /** A body whose every command went (`then conda activate x; fi`) must keep one: `:`. */
  private emptyBody(stmts: readonly ShNode[]): void {
    this.edits.push({ start: this.pos(stmts[0]), end: this.cutEnd(stmts[stmts.length - 1]), text: ':' });
  }

  /** `set +euo pipefail` ... `set -euo pipefail` that only wrapped removed (conda) statements go too. */
  private dropSetPairs(stmts: readonly ShNode[], removed: boolean[]): void {
    for (let i = 0; i < stmts.length; i++) {
      if (removed[i] || !isSet(stmts[i], '+')) continue;
      let j = i + 1;
      while (j < stmts.length && removed[j]) j++;
      if (j > i + 1 && j < stmts.length && isSet(stmts[j], '-')) {
        removed[i] = true;
        removed[j] = true;
      }
    }
  }

  /** End of a statement without its `;`. */
  private cutEnd(stmt: ShNode): number {
    return stmt.Semicolon.IsValid() ? this.idx(stmt.Semicolon.Offset()) : this.end(stmt);
  }

  /** Remove statements i..j of a list, with their glue, their lines when they had them alone, and a comment that explained them. */
  private removeRun(stmts: readonly ShNode[], i: number, j: number): void {
    const src = this.src;
    const start = this.pos(stmts[i]);
    const end = this.end(stmts[j]);
    const lineStart = src.lastIndexOf('\n', start - 1) + 1;
    const nl = src.indexOf('\n', end);
    const lineEnd = nl === -1 ? src.length : nl;
    if (/^[ \t]*$/.test(src.slice(lineStart, start)) && /^[ \t;]*(?:#.*)?$/.test(src.slice(end, lineEnd))) {
      let from = this.explainingComment(lineStart);
      let to = nl === -1 ? src.length : nl + 1;
      // Do not leave two blank lines where there was one on each side.
      const before = src.slice(src.lastIndexOf('\n', from - 2) + 1, from);
      const afterEnd = src.indexOf('\n', to);
      const after = src.slice(to, afterEnd === -1 ? src.length : afterEnd + 1);
      if ((from === 0 || /^[ \t]*\n$/.test(before)) && /^[ \t]*\n?$/.test(after) && after !== '') to += after.length;
      else if (to === src.length && from > 0 && nl === -1) from = Math.max(0, from - 1); // last line without newline: drop the newline before it
      this.removeKeepingComments(stmts, i, j, from, to);
      return;
    }
    const next = stmts[j + 1];
    if (next && !src.slice(end, this.pos(next)).includes('\n')) {
      this.edits.push({ start, end: this.pos(next), text: '' });
      return;
    }
    const prev = stmts[i - 1];
    if (prev && !src.slice(this.end(prev), start).includes('\n')) {
      this.edits.push({ start: this.cutEnd(prev), end: this.cutEnd(stmts[j]), text: '' });
      return;
    }
    const spaces = /[ \t]*$/.exec(src.slice(lineStart, start))![0].length;
    this.removeKeepingComments(stmts, i, j, start - spaces, this.cutEnd(stmts[j]));
  }

  /** Remove [from, to) except the comment blocks between statements i..j that are not about the env. */
  private removeKeepingComments(stmts: readonly ShNode[], i: number, j: number, from: number, to: number): void {
    let at = from;
    for (let k = i; k < j; k++) {
      for (const block of this.commentBlocks(this.end(stmts[k]), this.pos(stmts[k + 1]))) {
        if (this.aboutEnv(this.src.slice(block.start, block.end))) continue;
        if (block.start > at) this.edits.push({ start: at, end: block.start, text: '' });
        at = block.end;
      }
    }
    if (to > at) this.edits.push({ start: at, end: to, text: '' });
  }

  /** The runs of whole comment lines in the gap [gapStart, gapEnd) between two statements. */
  private commentBlocks(gapStart: number, gapEnd: number): { start: number; end: number }[] {
    const blocks: { start: number; end: number }[] = [];
    // The gap's first line is the rest of the previous statement's line: its trailing comment goes with it.
    for (let line = this.src.indexOf('\n', gapStart) + 1; line > 0 && line < gapEnd; ) {
      const nl = this.src.indexOf('\n', line);
      const next = nl === -1 ? this.src.length : nl + 1;
      if (next > gapEnd) break;
      if (/^[ \t]*#/.test(this.src.slice(line, next))) {
        const last = blocks[blocks.length - 1];
        if (last && last.end === line) last.end = next;
        else blocks.push({ start: line, end: next });
      }
      line = next;
    }
    return blocks;
  }

  /** A comment block that talks about the conda env, so it goes with the step it explained. */
  private aboutEnv(block: string): boolean {
    // Every line must be about the env: a block that also says something else stays.
    const everyLine = block.split('\n').filter(Boolean).every((line) => /conda|mamba|activat|environment|\benv\b/i.test(line));
    return /conda|mamba|activat/i.test(block) && everyLine;
  }

  /** The start of the comment block right above `lineStart` when it only explains a conda step (never the file header). */
  private explainingComment(lineStart: number): number {
    let from = lineStart;
    while (from > 0) {
      const prevStart = this.src.lastIndexOf('\n', from - 2) + 1;
      if (!/^[ \t]*#(?!!)/.test(this.src.slice(prevStart, from))) break;
      from = prevStart;
    }
    if (from === lineStart) return lineStart;
    const block = this.src.slice(from, lineStart);
    const header = from === 0 || (this.src.startsWith('#!') && this.src.indexOf('\n') + 1 === from);
    return !header && this.aboutEnv(block) ? from : lineStart;
  }

  /** Rewrite one statement. Returns true when the whole statement is to be removed. */
  stmt(stmt: ShNode): boolean {
    for (const redirect of stmt.Redirs as ShNode[]) {
      if (redirect.Hdoc && /conda|mamba/.test(this.raw(redirect.Hdoc))) this.note(redirect.Hdoc, 'a heredoc mentions conda: left as is (heredoc bodies are not rewritten)');
    }
    const cmd = stmt.Cmd;
    if (!cmd) return false;
    switch (this.type(cmd)) {
      case 'CallExpr':
        return this.call(stmt, cmd);
      case 'BinaryCmd':
        return this.binary(cmd);
      case 'Subshell':
        return this.isolated(() => this.list(cmd.Stmts, 'removable'));
      case 'Block':
        return this.list(cmd.Stmts, 'removable');
      case 'IfClause':
        return this.ifClause(cmd);
      case 'WhileClause':
        this.list(cmd.Cond, 'body');
        this.list(cmd.Do, 'body');
        return false;
      case 'ForClause':
        this.scan(cmd.Loop);
        this.list(cmd.Do, 'body');
        return false;
      case 'CaseClause':
        this.scan(cmd.Word);
        for (const item of cmd.Items) this.list(item.Stmts, 'top');
        return false;
      case 'FuncDecl': {
        const body = cmd.Body?.Cmd;
        if (body && this.type(body) === 'Block') this.list(body.Stmts, 'body');
        else if (cmd.Body) this.stmt(cmd.Body);
        return false;
      }
      case 'TimeClause':
        return cmd.Stmt ? this.stmt(cmd.Stmt) : false;
      case 'DeclClause':
        return this.decl(cmd);
      default:
        this.scan(cmd);
        return false;
    }
  }

  /** Run `fn` in a child process's scope: activation inside does not leak out. */
  private isolated<T>(fn: () => T): T {
    const saved = { ...this.scope };
    try {
      return fn();
    } finally {
      this.scope = saved;
    }
  }

  /** An `if` whose every branch only did conda things (e.g. picked a Miniconda installer by arch) goes whole. */
  private ifClause(clause: ShNode): boolean {
    const branches: ShNode[][] = [];
    const emptied: boolean[] = [];
    for (let c = clause; c; c = c.Else) {
      if (c.Cond.length > 0) this.list(c.Cond, 'body');
      branches.push(c.Then);
      emptied.push(c.Then.length > 0 && this.list(c.Then, 'removable'));
    }
    if (emptied.every(Boolean)) return true;
    branches.forEach((branch, i) => emptied[i] && this.emptyBody(branch));
    return false;
  }

  private binary(cmd: ShNode): boolean {
    const op = this.src.slice(this.idx(cmd.OpPos.Offset()), this.idx(cmd.OpPos.Offset()) + 2);
    if (op.startsWith('|') && op !== '||') {
      // `curl -L micro.mamba.pm/install.sh | bash`, `curl ... | tar -xvj bin/micromamba`: installing conda.
      const into = literal(cmd.Y.Cmd?.Args?.[0]) ?? '';
      if (this.isInstallerDownload(cmd.X) && (SHELLS.has(into) || into === 'tar')) {
        if (this.options.host.installer === 'remove') return true;
        this.edits.push({ start: this.pos(cmd.X), end: this.end(cmd.Y), text: UV_INSTALLER });
        return false;
      }
      const left = this.isolated(() => this.stmt(cmd.X));
      const right = this.isolated(() => this.stmt(cmd.Y));
      if (left || right) this.note(left ? cmd.X : cmd.Y, 'a conda command inside a pipeline: left as is');
      return false;
    }
    // `source activate x || conda activate x`: two ways to one activation, which stays one.
    if (op === '||' && ACTIVATION_TEXT.test(this.raw(cmd.X)) && ACTIVATION_TEXT.test(this.raw(cmd.Y))) {
      if (this.stmt(cmd.X)) return true;
      this.edits.push({ start: this.end(cmd.X), end: this.end(cmd.Y), text: '' });
      return false;
    }
    const left = this.stmt(cmd.X);
    const right = this.stmt(cmd.Y);
    if (left && right) return true;
    if (left) {
      if (op === '||') return true; // the right side only handled the conda command failing
      this.edits.push({ start: this.pos(cmd.X), end: this.pos(cmd.Y), text: '' });
    } else if (right) {
      this.edits.push({ start: this.end(cmd.X), end: this.end(cmd.Y), text: '' });
    }
    return false;
  }

  /** `export CONDA_X=...` goes; other declarations are scanned. */
  private decl(cmd: ShNode): boolean {
    const assigns: ShNode[] = cmd.Args;
    if (assigns.length > 0 && assigns.every((a) => a.Name && this.condaOnlyAssign(a))) return true;
    this.scan(cmd);
    return false;
  }

  /** `CONDA_X=...`, `MINICONDA=Miniconda3-latest-Linux-x86_64.sh`, `PATH=/opt/conda/bin:$PATH`: only served conda. */
  private condaOnlyAssign(assign: ShNode): boolean {
    const name: string = assign.Name.Value;
    if (this.options.keepAssigned?.has(name)) return false;
    const value = assign.Value ? this.raw(assign.Value) : '';
    if (/^(?:CONDA|MAMBA)_/.test(name)) return true;
    if (name === 'PATH') return /^["']?(?:[^:"']*(?:conda|mamba)[^:"']*:)+\$\{?PATH\}?["']?$/.test(value);
    return INSTALLER.test(value);
  }

  /** The Miniconda installer's download (-> the uv installer, or nothing in Docker), its run and its clean-up (removed). */
  private installer(call: ShNode, args: ShNode[], texts: (string | undefined)[]): 'remove' | 'replaced' | undefined {
    const command = texts[0] ?? '';
    const operands = args.slice(1).filter((_, i) => !(texts[i + 1] ?? '').startsWith('-'));
    const named = (a: ShNode) => INSTALLER.test(this.raw(a)) || CONDA_PATH.test(this.raw(a));
    if (command === 'curl' || command === 'wget') {
      if (!args.slice(1).some((a) => INSTALLER.test(this.raw(a)))) return undefined;
      if (this.options.host.installer === 'remove') return 'remove';
      this.edits.push({ start: this.pos(args[0]), end: this.end(call), text: UV_INSTALLER });
      return 'replaced';
    }
    if ((SHELLS.has(command) || command === 'rm' || command === 'chmod') && operands.length > 0 && operands.every(named) && !texts.includes('-c')) return 'remove';
    return undefined;
  }

  /** An env the migration keeps on conda (an R env, say): its activation and `conda run` stay, with a note. */
  private keptEnv(name: string | undefined, at: ShNode): boolean {
    const kept = name !== undefined && (this.options.ctx?.conda.envFiles ?? []).some((e) => e.name === name && e.role === 'unmigratable');
    if (kept) this.note(at, `the conda env ${name} is not migrated to uv: left as is`);
    return kept;
  }

  private isInstallerDownload(stmt: ShNode): boolean {
    const cmd = stmt.Cmd;
    if (!cmd || this.type(cmd) !== 'CallExpr' || cmd.Args.length === 0) return false;
    const command = literal(cmd.Args[0]);
    return (command === 'curl' || command === 'wget') && (cmd.Args as ShNode[]).slice(1).some((a) => INSTALLER.test(this.raw(a)));
  }

  private call(stmt: ShNode, call: ShNode): boolean {
    const args: ShNode[] = call.Args;
    if (args.length === 0) {
      const assigns: ShNode[] = call.Assigns;
      if (assigns.length > 0 && assigns.every((a) => this.condaOnlyAssign(a))) return true;
      this.scan(call);
      return false;
    }
    const texts = args.map((a) => unquoted(a));
    let k = 0;
    while (k < texts.length - 1 && WRAPPERS.has(texts[k] ?? '')) {
      k++;
      while (k < texts.length - 1 && /^(?:--[\w-]+=|[A-Za-z_]\w*=)/.test(texts[k] ?? '')) k++; // srun --ntasks=4 python, env A=1 python
    }
    const command = texts[k];
    if (command === 'cd' && k === 0) this.cd(texts[1]);

    if ((command === 'source' || command === '.') && args.length > k + 1) {
      const target = unquoted(args[k + 1]) ?? this.raw(args[k + 1]).replace(/^["']|["']$/g, '');
      if (/profile\.d\/(?:conda|mamba|micromamba)\.sh$/.test(target)) return true;
      if (CONDA_ACTIVATE_SCRIPT.test(target)) {
        if (this.keptEnv(texts[k + 2], args[k])) return false;
        return this.activate(args[k], call, texts[k + 2]);
      }
      if (target === 'deactivate' || /conda\S*\/bin\/deactivate$/.test(target)) {
        this.scope.activated = false;
        return true;
      }
      // `source venv/bin/activate`: another venv is active from here on; nothing gets `uv run`.
      if (/(?:^|\/)bin\/activate$/.test(target)) {
        this.scope = { activated: false, prefix: false };
        return false;
      }
    }
    // HPC: `module load anaconda3` only brought conda onto PATH.
    if (command === 'module' && (texts[k + 1] === 'load' || texts[k + 1] === 'add') && texts.slice(k + 2).every((t) => t !== undefined && /conda|mamba|miniforge/i.test(t))) return true;
    if (command === 'eval') {
      const evaluated = args.slice(k + 1).map((a) => this.raw(a)).join(' ');
      // `eval "$(conda shell.bash activate x)"` activates; `eval "$(conda shell.bash hook)"` only loads conda.
      if (/\b(?:conda|mamba|micromamba)\b[^)]*\bshell\S*\s+activate\b/.test(evaluated)) {
        const name = /\bactivate\s+["']?([\w.-]+)/.exec(evaluated)?.[1];
        if (this.keptEnv(name, args[k])) return false;
        return this.activate(args[k], call, name);
      }
      if (/\b(?:conda|mamba|micromamba)\b[^)]*\b(?:shell|hook)\b/.test(evaluated)) return true;
    }

    const conda = parseConda(texts.slice(k));
    if (conda) return this.conda(stmt, call, args.slice(k), conda);

    // `"${SHELL}" <(curl -L micro.mamba.pm/install.sh)`: micromamba's own install line.
    if ((SHELLS.has(command ?? '') || /^"?\$\{?SHELL\}?"?$/.test(this.raw(args[k]))) && args.length === k + 2) {
      const part = args[k + 1].Parts[0];
      if (args[k + 1].Parts.length === 1 && this.type(part) === 'ProcSubst' && part.Stmts.length === 1 && this.isInstallerDownload(part.Stmts[0])) {
        if (this.options.host.installer === 'remove') return true;
        this.edits.push({ start: this.pos(args[k]), end: this.end(call), text: UV_INSTALLER });
        return false;
      }
    }
    const installer = k === 0 ? this.installer(call, args, texts) : undefined;
    if (installer === 'remove') return true;
    if (installer === 'replaced') return false;
    // `echo "conda activate x" >> ~/.bashrc`: the start-up file only served conda.
    if ((command === 'echo' || command === 'printf') && /conda|mamba/.test(args.map((a) => this.raw(a)).join(' '))) {
      if ((stmt.Redirs as ShNode[]).some((r) => RC_FILE.test(unquoted(r.Word)?.replace(/^(?:~|\$HOME|\$\{HOME\})/, '') ?? ''))) return true;
    }
    // `/opt/conda/envs/x/bin/python` -> `python` (venv on PATH) or `uv run python`.
    const binCommand = command !== undefined && CONDA_PATH.test(command) ? CONDA_BIN_COMMAND.exec(command)?.[1] : undefined;
    if (binCommand) {
      const runs = this.options.host.reach === 'uv-run' && this.scope.prefix;
      this.edits.push({ start: this.pos(args[k]), end: this.end(args[k]), text: runs ? `uv run ${binCommand}` : binCommand });
      this.scanAll(call.Assigns);
      this.scanAll(args.slice(k + 1));
      return false;
    }

    if (['command', 'which', 'type', 'hash'].includes(command ?? '')) {
      for (const arg of args.slice(k + 1)) {
        if (CONDA_TOOLS.has(unquoted(arg) ?? '')) this.edits.push({ start: this.pos(arg), end: this.end(arg), text: 'uv' });
      }
      return false;
    }
    const pip = pipCommand(texts, k);
    if (pip >= 0 && this.scope.activated) {
      const done = this.pip(call, args.slice(k), texts.slice(k), pip);
      if (done === 'remove') return true;
      if (done) return false;
      this.note(args[k], `pip in the conda env (\`${this.raw(call).replace(/\s+/g, ' ')}\`): add packages to pyproject.toml with \`uv add\`, or use \`uv pip\``);
      this.scanAll(args);
      return false;
    }
    if (this.scope.activated && this.setupPy(call, args.slice(k), texts.slice(k))) return false;
    if (SHELLS.has(command ?? '')) {
      const script = shellScriptWord(texts, k);
      if (script !== undefined) {
        this.scanAll(args.slice(0, script));
        const rewritten = this.isolated(() => this.nested(args[script]));
        // `bash -lc '...'`: the login shell only served conda activation (~/.bashrc from conda init).
        if (rewritten !== undefined && !/conda|mamba/.test(rewritten)) this.dropLoginFlag(args.slice(k + 1, script), texts.slice(k + 1, script));
        this.scanAll(args.slice(script + 1));
        this.scanAll(call.Assigns);
        return false;
      }
    }
    if (this.scope.activated && this.scope.prefix && command !== undefined && this.isEnvCommand(command)) {
      this.edits.push({ start: this.pos(args[k]), end: this.pos(args[k]), text: `${this.uv('run')} ` });
      this.envCommands++;
    } else if (this.scope.activated && this.scope.prefix && (command !== undefined || !this.options.host.expansionsCovered)) {
      // `"$@"`, `$CMD`: whatever it runs ran in the env.
      if (!OUTSIDE_ENV.has(command?.slice(command.lastIndexOf('/') + 1) ?? '')) this.uncovered++;
    }
    this.scanAll(call.Assigns);
    this.scanAll(args);
    return false;
  }

  private dropLoginFlag(flags: ShNode[], texts: (string | undefined)[]): void {
    flags.forEach((flag, i) => {
      const text = texts[i] ?? '';
      if (text === '-l' || text === '--login') {
        const spaces = /^[ \t]*/.exec(this.src.slice(this.end(flag)))![0].length;
        this.edits.push({ start: this.pos(flag), end: this.end(flag) + spaces, text: '' });
      } else if (/^-[a-z]*l[a-z]*$/.test(text)) {
        this.edits.push({ start: this.pos(flag), end: this.end(flag), text: text.replace('l', '') });
      }
    });
  }

  private isEnvCommand(command: string): boolean {
    const base = command.slice(command.lastIndexOf('/') + 1);
    if (command.includes('/') && !CONDA_PATH.test(command)) return false; // ./script.py, /usr/bin/python
    return ENV_COMMANDS.has(base) || /^python3\.\d+$/.test(base) || (this.options.ctx?.conda.consoleScripts.includes(base) ?? false);
  }

  /** A conda/mamba/micromamba command (args[0] is the tool). Returns true when it is removed. */
  private conda(stmt: ShNode, call: ShNode, args: ShNode[], parsed: ParsedConda): boolean {
    const [sub, sub2] = parsed.sub;
    const whole = (text: string) => this.edits.push({ start: this.pos(args[0]), end: this.end(call), text });
    // The env's project, in a repository of several: by its file (`-f app/environment.yml`) or its name.
    const named = this.projectOf(parsed.options.get('-f') ?? parsed.options.get('--file')) ?? this.projectOf(parsed.options.get('-n') ?? parsed.options.get('--name'));
    const sync = named ? `${this.syncCommand} --project ${named}` : this.syncCommand;
    const files = hasOption(parsed, '-f', '--file');
    const unhandled = (why: string) => {
      this.note(args[0], `\`${this.raw(call).replace(/\s+/g, ' ')}\`: ${why}`);
      this.scanAll(args);
      return false;
    };
    switch (sub) {
      case 'activate':
        if (this.keptEnv(parsed.positionals[0]?.text, args[0])) return false;
        return this.activate(args[0], call, parsed.positionals[0]?.text ?? parsed.options.get('-n') ?? parsed.options.get('--name'));
      case 'deactivate':
        if (this.options.useVenvActivation && this.scope.activated && !this.scope.prefix) {
          whole('deactivate');
          this.scope = { activated: false, prefix: this.options.host.reach === 'uv-run' };
          return false;
        }
        this.scope.activated = false;
        return true;
      case 'init':
      case 'config':
      case 'tos':
      case 'shell.bash':
      case 'shell.zsh':
      case 'shell.posix':
        return true;
      case 'shell':
        if (sub2 === 'init' || sub2 === 'hook' || sub2 === 'activate') return true;
        return unhandled('no uv equivalent; left as is');
      case 'run':
        return this.condaRun(call, args, parsed);
      case 'env':
        switch (sub2) {
          case 'create':
          case 'update':
            whole(sync);
            return false;
          case 'remove':
            whole('rm -rf .venv');
            return false;
          case 'export':
            return this.exportTo(stmt, args);
          default:
            return unhandled('no uv equivalent; left as is');
        }
      case 'create':
        if (files) {
          whole(sync);
          return false;
        }
        return unhandled('creates an env from a package list: add the packages to pyproject.toml (`uv add`) and run `uv sync`');
      case 'install':
      case 'update':
      case 'upgrade':
        // `conda update -n base conda`: updating conda itself, which uv does not need.
        if (parsed.positionals.length > 0 && parsed.positionals.every((p) => CONDA_TOOLS.has(p.text ?? ''))) return true;
        if (files) {
          whole(sync);
          return false;
        }
        return this.addPackages(call, args, parsed) ? false : unhandled('installs into the conda env: add the packages to pyproject.toml with `uv add`');
      case 'remove':
      case 'uninstall':
        if (hasOption(parsed, '--all')) {
          whole('rm -rf .venv');
          return false;
        }
        return unhandled('removes packages from the conda env: use `uv remove`');
      case 'list':
        if (hasOption(parsed, '--export', '-e', '--explicit')) return this.exportTo(stmt, args);
        whole('uv pip list');
        return false;
      case 'info':
        if (parsed.options.size === 0 && parsed.positionals.length === 0) {
          whole('uv --version');
          return false;
        }
        return unhandled('no uv equivalent; left as is');
      case '--version':
      case '-V':
        whole('uv --version');
        return false;
      case 'develop':
        // `conda develop .` put the source tree on the env's path: the project installed editable.
        if (parsed.positionals.length === 1 && /^\.\/?$/.test(parsed.positionals[0]!.text ?? '') && [...parsed.options.keys()].every((o) => o === '-n' || o === '--name')) {
          whole(this.installSelf(true));
          return false;
        }
        return unhandled('adds a path to the conda env: install it into the venv with `uv pip install -e PATH`');
      case 'clean':
        if (this.options.host.condaClean === 'remove') return true;
        whole('uv cache clean');
        return false;
      default:
        return unhandled('no uv rule for this conda command; left as is');
    }
  }

  /** `conda run -n X [--no-capture-output] CMD...` -> `uv run CMD...` (uv-run) or `CMD...` (venv on PATH). */
  private condaRun(call: ShNode, args: ShNode[], parsed: ParsedConda): boolean {
    const first = parsed.positionals[0];
    if (!first) {
      this.note(args[0], '`conda run` without a command: left as is');
      return false;
    }
    const name = parsed.options.get('-n') ?? parsed.options.get('--name');
    if (typeof name === 'string' && this.keptEnv(name, args[0])) return false;
    const project = this.projectOf(name);
    // `conda run -n x pip install -e .` is pip in the env: the pip rules decide (`uv sync`, `uv add`...).
    const command = args.slice(first.index).map((a) => unquoted(a));
    const pip = pipCommand(command);
    const done = this.isolated(() => {
      this.scope.project = project;
      return pip >= 0 ? this.pip(call, args.slice(first.index), command, pip) : this.setupPy(call, args.slice(first.index), command);
    });
    if (done === 'remove') return true;
    if (done) {
      this.edits.push({ start: this.pos(args[0]), end: this.pos(args[first.index]), text: '' });
      return false;
    }
    const runs = this.options.host.reach === 'uv-run' && this.scope.prefix;
    const lastOption = this.end(args[first.index - 1]);
    if (this.src.slice(lastOption, this.pos(args[first.index])).includes('\n')) {
      // `conda run -n x \` + newline + `  CMD`: keep the continuation and the command's line.
      const spaces = runs ? 0 : /^[ \t]*/.exec(this.src.slice(lastOption))![0].length;
      this.edits.push({ start: this.pos(args[0]), end: lastOption + spaces, text: runs ? this.uv('run', project) : '' });
    } else {
      this.edits.push({ start: this.pos(args[0]), end: this.pos(args[first.index]), text: runs ? `${this.uv('run', project)} ` : '' });
    }
    // The command runs in the env: `bash -c '...'` inside is rewritten as already activated, without `uv run`.
    const rest = args.slice(first.index);
    const texts = rest.map((a) => unquoted(a));
    const script = SHELLS.has(texts[0] ?? '') ? shellScriptWord(texts, 0) : undefined;
    this.isolated(() => {
      this.scope = { activated: true, prefix: false };
      if (script !== undefined) this.nested(rest[script]);
      this.scanAll(rest.filter((_, i) => i !== script));
    });
    return false;
  }

  /** `conda env export > F` / `conda list --export > F` -> `uv lock`, or `uv export` into a requirements file. */
  private exportTo(stmt: ShNode, args: ShNode[]): boolean {
    const out = (stmt.Redirs as ShNode[]).find((r) => this.src.slice(this.idx(r.OpPos.Offset()), this.idx(r.OpPos.Offset()) + 1) === '>');
    const target = out ? unquoted(out.Word) : undefined;
    const text = target && /\.txt$/.test(target) ? `uv export --format requirements-txt -o ${this.raw(out.Word)}` : 'uv lock';
    this.edits.push({ start: this.pos(args[0]), end: this.cutEnd(stmt), text });
    return false;
  }

  /** `conda install P...` in docs or a Makefile -> `uv add P...`; this project's own published package is its users' business. */
  private addPackages(call: ShNode, args: ShNode[], parsed: ParsedConda): boolean {
    if (!this.options.host.addPackages) return false;
    const packages = parsed.positionals.map((p) => p.text);
    if (packages.length === 0 || packages.some((p) => p === undefined)) return false;
    const project = this.options.ctx?.plan?.projectName;
    const normal = (name: string) => name.toLowerCase().replace(/[-_.]+/g, '-');
    if (project && packages.some((p) => normal(/^[\w.-]+/.exec(p!.replace(/^[\w-]+::/, ''))?.[0] ?? '') === normal(project))) {
      // Never `uv add` the project to itself: installing the published package is for its users.
      this.note(args[0], `installs this project's published package (${project}) with conda, for its users: left as is (\`pip install ${project}\` where it is on PyPI)`);
      return true;
    }
    this.edits.push({ start: this.pos(args[0]), end: this.end(call), text: `${this.uv('add')} ${packages.map((p) => condaSpecToPep508(p!)).join(' ')}` });
    return true;
  }

  /**
   * pip in the activated env (`pip ...` or `python -m pip ...`; `pip` is the index of the word pip):
   * `install -e .` and `install -r F` (F, repository-relative, merged into pyproject) install the project
   * (installSelf); packages in docs or a Makefile -> `uv add`; any other install -> `uv pip install`, into
   * the active venv (a uv venv has no pip), without pip itself; `list`/`freeze`/`show`/`check` -> `uv pip
   * ...`. Returns 'remove' when nothing is left to install, false when no rule fits.
   */
  private pip(call: ShNode, args: ShNode[], texts: (string | undefined)[], pip: number): boolean | 'remove' {
    const sub = texts[pip + 1];
    const uvPip = () => this.edits.push({ start: this.pos(args[0]), end: this.end(args[pip]), text: 'uv pip' });
    if (sub === 'list' || sub === 'freeze' || sub === 'show' || sub === 'check') {
      uvPip();
      return true;
    }
    if (sub !== 'install') return false;
    const all = texts.slice(pip + 2);
    // Flags that change nothing about what a self-install means (`pip install --no-deps -e .`).
    const rest = all.filter((t) => !/^(?:--no-deps|--no-build-isolation|-q+|-v+|--quiet|--verbose)$/.test(t ?? ''));
    const merged = (this.options.ctx?.conda.dependencies ?? []).flatMap((d) => d.sources);
    const isSelf = (t: string | undefined) => t === '.' || t === './';
    const editableSelf = rest.length === 2 && (rest[0] === '-e' || rest[0] === '--editable') && isSelf(rest[1]);
    const file = rest[1]?.replace(/^\.\//, '');
    const mergedRequirements =
      rest.length === 2 && (rest[0] === '-r' || rest[0] === '--requirement') && file !== undefined && merged.includes(file);
    if (editableSelf || (rest.length === 1 && isSelf(rest[0])) || mergedRequirements) {
      this.edits.push({ start: this.pos(args[0]), end: this.end(call), text: mergedRequirements ? this.syncCommand : this.installSelf(editableSelf) });
      return true;
    }
    const packages = rest.length > 0 && rest.every((t) => t !== undefined && !t.startsWith('-'));
    if (this.options.host.addPackages && packages) {
      this.edits.push({ start: this.pos(args[0]), end: this.end(call), text: `${this.uv('add')} ${rest.join(' ')}` });
      return true;
    }
    // Docs tell a reader to set the project up (`uv sync`), not to install into a venv by hand: a note there.
    if (this.options.host.pipInstall === 'note') return false;
    // `pip install -U pip`: pip is not in a uv venv, and uv needs none.
    const words = args.slice(pip + 2);
    const pipItself = words.filter((_, i) => /^pip(?:[<>=!~].*)?$/.test(all[i] ?? ''));
    const named = all.filter((t) => t !== undefined && !t.startsWith('-'));
    if (pipItself.length > 0 && pipItself.length === named.length && all.every((t) => t !== undefined && (!t.startsWith('-') || /^-(?:U|-upgrade|q+|-quiet|-no-cache-dir)$/.test(t)))) return 'remove';
    uvPip();
    for (const word of pipItself) {
      const spaces = /^[ \t]*/.exec(this.src.slice(this.end(word)))![0].length;
      this.edits.push({ start: this.pos(word), end: this.end(word) + spaces, text: '' });
    }
    return true;
  }

  /**
   * The project itself into the env: `uv sync` for a package (uv installs it, editable); for what the plan
   * calls an application (uv sync does not install it) `uv pip install`.
   */
  private installSelf(editable: boolean): string {
    // After `cd vendor/lib`, `.` is another package: it goes into the venv as it is.
    if (this.cwdDepth !== 0) return editable ? 'uv pip install -e .' : 'uv pip install .';
    if (this.options.ctx?.plan?.kind !== 'application') return this.syncCommand;
    return editable ? 'uv pip install -e .' : 'uv pip install .';
  }

  /** Follow `cd`: relative moves are counted, anything else (a variable, an absolute path, `cd -`) is unknown. */
  private cd(target: string | undefined): void {
    if (this.cwdDepth === undefined) return;
    if (target === undefined || target === '-' || target.startsWith('/') || target.startsWith('~') || target.includes('$')) {
      this.cwdDepth = undefined;
      return;
    }
    for (const part of target.split('/')) {
      if (part === '..') this.cwdDepth--;
      else if (part !== '' && part !== '.') this.cwdDepth++;
    }
  }

  /** `python setup.py develop|install` in the env installs the project (installSelf). */
  private setupPy(call: ShNode, args: ShNode[], texts: (string | undefined)[]): boolean {
    if (!/^python[\d.]*$/.test(texts[0] ?? '') || texts[1] !== 'setup.py' || texts.length !== 3) return false;
    if (texts[2] !== 'develop' && texts[2] !== 'install') return false;
    this.edits.push({ start: this.pos(args[0]), end: this.end(call), text: this.installSelf(texts[2] === 'develop') });
    return true;
  }

  /** Rewrite the script of `bash -c WORD`, keeping its quoting valid. */
  /** Returns the script's new text when it was rewritten. */
  private nested(word: ShNode): string | undefined {
    const parts: ShNode[] = word.Parts;
    const part = parts.length === 1 ? parts[0] : undefined;
    const type = part ? this.type(part) : '';
    let map: number[];
    let at: number[];
    let escape: (text: string) => string | undefined;
    if (type === 'SglQuoted' && !part.Dollar) {
      const start = this.pos(part) + 1;
      const end = this.end(part) - 1;
      map = Array.from({ length: end - start + 1 }, (_, i) => start + i);
      at = map.slice(0, -1);
      escape = (text) => (text.includes("'") ? undefined : text);
    } else if (type === 'DblQuoted' && !part.Dollar) {
      // `$VAR` and `$(...)` inside are read as the inner script's own: they expand the same either way.
      ({ map, at } = unescapeMap(this.src, this.pos(part) + 1, this.end(part) - 1));
      escape = (text) => text.replace(/[\\"$`]/g, '\\$&');
    } else {
      if (/conda|mamba|activate/.test(this.raw(word))) this.note(word, 'a conda command in a shell string that is not one quoted word: left as is');
      this.scan(word);
      return undefined;
    }
    const innerSrc = at.map((i) => this.src[i]).join('');
    const innerOrig = at.map((i) => this.orig[i]).join('');
    let file: ShNode;
    try {
      file = parseShell(innerSrc);
    } catch {
      if (/conda|mamba|activate/.test(innerSrc)) this.note(word, 'a shell string that does not parse: left as is');
      return undefined;
    }
    const inner = new Rewriter(innerSrc, innerOrig, this.options, { ...this.scope });
    inner.list(file.Stmts, 'top');
    for (const n of inner.notes) this.notes.push({ index: map[n.index]!, message: n.message });
    const edits = inner.finalEdits();
    const outer: Edit[] = [];
    for (const edit of edits) {
      const text = escape(edit.text);
      if (text === undefined) {
        this.note(word, 'the rewrite would need a quote inside a single-quoted string: left as is');
        return undefined;
      }
      outer.push({ start: map[edit.start]!, end: map[edit.end]!, text });
    }
    this.edits.push(...outer);
    return edits.length > 0 ? applyEdits(innerOrig, edits) : undefined;
  }

  /** Look inside a node for `$(...)` and `$CONDA_PREFIX` (heredoc bodies are not shell: never entered). */
  scan(node: ShNode | undefined): void {
    if (!node) return;
    let conda = false;
    sh().Walk(node, (n: ShNode) => {
      if (!n) return true;
      switch (this.type(n)) {
        case 'CmdSubst':
        case 'ProcSubst':
          this.isolated(() => this.list(n.Stmts, 'top'));
          return false;
        case 'ParamExp':
          if (n.Param?.Value === 'CONDA_PREFIX') this.edits.push({ start: this.pos(n.Param), end: this.end(n.Param), text: 'VIRTUAL_ENV' });
          else if (/^CONDA_|^MAMBA_/.test(n.Param?.Value ?? '')) this.note(n, `$${n.Param.Value}: no uv equivalent; left as is`);
          return true;
        case 'Lit':
          this.renamed(n);
          if (!conda && CONDA_PATH.test(n.Value)) {
            conda = true;
            this.note(n, `a conda path (${n.Value.replace(/\s+/g, ' ')}): point it at the project venv (.venv/bin)`);
          }
          return true;
        case 'Redirect':
          this.scan(n.Word);
          return false;
        default:
          return true;
      }
    });
  }

  /** A word naming a renamed file (`./conda-install.sh`) names the new one (`./uv-install.sh`). */
  private renamed(lit: ShNode): void {
    for (const [from, to] of this.options.renames ?? []) {
      const oldName = from.slice(from.lastIndexOf('/') + 1);
      const value: string = lit.Value;
      if (value === oldName || value.endsWith(`/${oldName}`)) {
        const at = this.pos(lit) + value.length - oldName.length;
        this.edits.push({ start: at, end: at + oldName.length, text: to.slice(to.lastIndexOf('/') + 1) });
        return;
      }
    }
  }

  private scanAll(nodes: readonly ShNode[] | undefined): void {
    for (const node of nodes ?? []) this.scan(node);
  }

  /** The edits, without those inside a larger edit (a removed or replaced statement's own rewrites). */
  finalEdits(): Edit[] {
    return outermostEdits(this.edits);
  }
}

/** `set +e...` (sign '+') or `set -e...` (sign '-'). */
function isSet(stmt: ShNode, sign: '+' | '-'): boolean {
  const cmd = stmt.Cmd;
  if (!cmd || sh().NodeType(cmd) !== 'CallExpr' || cmd.Args.length < 2) return false;
  return literal(cmd.Args[0]) === 'set' && (literal(cmd.Args[1]) ?? '').startsWith(sign) && /^[+-][a-z]+$/.test(literal(cmd.Args[1]) ?? '');
}

/** Index of the script word of `bash [-flags] -c SCRIPT`, or undefined. */
function shellScriptWord(texts: readonly (string | undefined)[], shellAt: number): number | undefined {
  for (let i = shellAt + 1; i < texts.length; i++) {
    const t = texts[i];
    if (t === undefined || !t.startsWith('-')) return undefined;
    if (/^-[a-z]*c[a-z]*$/.test(t)) return i + 1 < texts.length ? i + 1 : undefined;
  }
  return undefined;
}

/**
 * The body of a double-quoted string src[start, end) unescaped: for each char, where its escape
 * sequence starts in src (`map`, plus `end`) and where the char itself is (`at`).
 */
function unescapeMap(src: string, start: number, end: number): { map: number[]; at: number[] } {
  const map: number[] = [];
  const at: number[] = [];
  for (let i = start; i < end; i++) {
    if (src[i] === '\\' && i + 1 < end && '\\"$`\n'.includes(src[i + 1]!)) {
      if (src[i + 1] !== '\n') {
        map.push(i);
        at.push(i + 1);
      }
      i++;
      continue;
    }
    map.push(i);
    at.push(i);
  }
  map.push(end);
  return { map, at };
}

