// The rewriting walk: finds conda-shaped commands in the full mvdan/sh tree and turns them into edits
// (string splices into the original text; the printer is never used).
import { byteIndexer, type Edit } from '../text.js';
import { condaSpecToPep508, condaTool, ENV_COMMANDS, hasOption, parseConda, type ParsedConda } from './commands.js';
import { literal, parseShell, sh, unquoted, type ShNode } from './parser.js';
import type { ShellOptions } from './index.js';

export interface Scope {
  /** Commands run inside the activated conda env. */
  activated: boolean;
  /** Env commands get `uv run ` (uv-run policy, and not already inside `uv run bash -c`). */
  prefix: boolean;
}

export interface RawNote {
  index: number; // string index in the rewriter's text
  message: string;
}

/** How a statement list may end up when every statement in it goes. */
type ListMode = 'top' | 'removable' | 'body';

const WRAPPERS = new Set(['exec', 'nohup', 'time', 'sudo']);
const SHELLS = new Set(['bash', 'sh', 'zsh', 'dash', 'ksh']);
/** A path that only exists in a conda install. */
const CONDA_PATH = /\/(?:opt\/conda|miniconda3?|miniforge3?|mambaforge|micromamba)\b|\/envs\/[\w.-]+\/bin\b/i;
/** `source activate`, `. /opt/conda/bin/activate`; a plain venv's bin/activate is not conda. */
const CONDA_ACTIVATE_SCRIPT = /^(?:activate|(?:\S*(?:conda|mamba|miniforge|CONDA)\S*\/)?bin\/activate)$/;

export class Rewriter {
  readonly edits: Edit[] = [];
  readonly notes: RawNote[] = [];
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

  private get syncCommand(): string {
    return this.options.host === 'dockerfile' || this.options.host === 'ci' ? 'uv sync --locked' : 'uv sync';
  }

  /** Rewrite a statement list. Returns true when every statement in it is to be removed (by the caller). */
  list(stmts: readonly ShNode[], mode: ListMode): boolean {
    if (stmts.length === 0) return false;
    const removed = stmts.map((s) => this.stmt(s));
    this.dropSetPairs(stmts, removed);
    if (removed.every(Boolean)) {
      if (mode === 'removable') return true;
      if (mode === 'body') {
        // `then conda activate x; fi` must keep a command: the last one becomes `:`.
        const last = stmts.length - 1;
        removed[last] = false;
        this.edits.push({ start: this.pos(stmts[last]), end: this.cutEnd(stmts[last]), text: ':' });
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
      this.edits.push({ start: from, end: to, text: '' });
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
    this.edits.push({ start: start - spaces, end: this.cutEnd(stmts[j]), text: '' });
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
    return !header && /conda|mamba|activat|environment/i.test(block) ? from : lineStart;
  }

  /** Rewrite one statement. Returns true when the whole statement is to be removed. */
  stmt(stmt: ShNode): boolean {
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
        this.ifClause(cmd);
        return false;
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

  private ifClause(clause: ShNode): void {
    for (let c = clause; c; c = c.Else) {
      if (c.Cond.length > 0) this.list(c.Cond, 'body');
      this.list(c.Then, 'body');
    }
  }

  private binary(cmd: ShNode): boolean {
    const op = this.src.slice(this.idx(cmd.OpPos.Offset()), this.idx(cmd.OpPos.Offset()) + 2);
    if (op.startsWith('|') && op !== '||') {
      const left = this.isolated(() => this.stmt(cmd.X));
      const right = this.isolated(() => this.stmt(cmd.Y));
      if (left || right) this.note(left ? cmd.X : cmd.Y, 'a conda command inside a pipeline: left as is');
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
    if (assigns.length > 0 && assigns.every((a) => a.Name && /^CONDA_|^MAMBA_/.test(a.Name.Value))) return true;
    this.scan(cmd);
    return false;
  }

  private call(stmt: ShNode, call: ShNode): boolean {
    const args: ShNode[] = call.Args;
    if (args.length === 0) {
      const assigns: ShNode[] = call.Assigns;
      if (assigns.length > 0 && assigns.every((a) => /^CONDA_|^MAMBA_/.test(a.Name.Value))) return true;
      this.scan(call);
      return false;
    }
    const texts = args.map((a) => unquoted(a));
    let k = 0;
    while (k < texts.length - 1 && WRAPPERS.has(texts[k] ?? '')) k++;
    const command = texts[k];

    if ((command === 'source' || command === '.') && args.length > k + 1) {
      const target = unquoted(args[k + 1]) ?? this.raw(args[k + 1]).replace(/^["']|["']$/g, '');
      if (/profile\.d\/(?:conda|mamba|micromamba)\.sh$/.test(target)) return true;
      if (CONDA_ACTIVATE_SCRIPT.test(target)) {
        this.scope.activated = true;
        return true;
      }
      if (target === 'deactivate' || /conda\S*\/bin\/deactivate$/.test(target)) {
        this.scope.activated = false;
        return true;
      }
    }
    if (command === 'eval' && /\b(?:conda|mamba|micromamba)\b[^)]*\b(?:shell|hook)\b/.test(args.slice(k + 1).map((a) => this.raw(a)).join(' '))) return true;

    const conda = parseConda(texts.slice(k));
    if (conda) return this.conda(stmt, call, args.slice(k), conda);

    if (['command', 'which', 'type', 'hash'].includes(command ?? '')) {
      for (const arg of args.slice(k + 1)) {
        if (condaTool(unquoted(arg)) === unquoted(arg) && condaTool(unquoted(arg))) this.edits.push({ start: this.pos(arg), end: this.end(arg), text: 'uv' });
      }
      return false;
    }
    if ((command === 'pip' || command === 'pip3') && this.scope.activated) {
      if (this.pip(stmt, call, args.slice(k), texts.slice(k))) return false;
    }
    if (SHELLS.has(command ?? '')) {
      const script = shellScriptWord(texts, k);
      if (script !== undefined) {
        this.scanAll(args.slice(0, script));
        this.isolated(() => this.nested(args[script]));
        this.scanAll(args.slice(script + 1));
        this.scanAll(call.Assigns);
        return false;
      }
    }
    if (this.scope.activated && this.scope.prefix && command !== undefined && this.isEnvCommand(command)) {
      this.edits.push({ start: this.pos(args[k]), end: this.pos(args[k]), text: 'uv run ' });
    }
    this.scanAll(call.Assigns);
    this.scanAll(args);
    return false;
  }

  private isEnvCommand(command: string): boolean {
    const base = command.slice(command.lastIndexOf('/') + 1);
    if (command.includes('/') && !CONDA_PATH.test(command)) return false; // ./script.py, /usr/bin/python
    return ENV_COMMANDS.has(base) || (this.options.ctx?.conda.consoleScripts.includes(base) ?? false);
  }

  /** A conda/mamba/micromamba command (args[0] is the tool). Returns true when it is removed. */
  private conda(stmt: ShNode, call: ShNode, args: ShNode[], parsed: ParsedConda): boolean {
    const [sub, sub2] = parsed.sub;
    const whole = (text: string) => this.edits.push({ start: this.pos(args[0]), end: this.end(call), text });
    const files = hasOption(parsed, '-f', '--file');
    const unhandled = (why: string) => {
      this.note(args[0], `\`${this.raw(call).replace(/\s+/g, ' ')}\`: ${why}`);
      this.scanAll(args);
      return false;
    };
    switch (sub) {
      case 'activate':
        this.scope.activated = true;
        return true;
      case 'deactivate':
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
            whole(this.syncCommand);
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
          whole(this.syncCommand);
          return false;
        }
        return unhandled('creates an env from a package list: add the packages to pyproject.toml (`uv add`) and run `uv sync`');
      case 'install':
      case 'update':
      case 'upgrade':
        if (files) {
          whole(this.syncCommand);
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
      case 'clean':
        if (this.options.host === 'dockerfile') return true; // the image uses a cache mount instead
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
    const runs = this.options.policy === 'uv-run' && this.scope.prefix;
    this.edits.push({ start: this.pos(args[0]), end: this.pos(args[first.index]), text: runs ? 'uv run ' : '' });
    // The command runs in the env: `bash -c '...'` inside is rewritten as already activated, without `uv run`.
    const rest = args.slice(first.index);
    const texts = rest.map((a) => unquoted(a));
    const script = SHELLS.has(texts[0] ?? '') ? shellScriptWord(texts, 0) : undefined;
    this.isolated(() => {
      this.scope = { activated: true, prefix: false };
      if (script !== undefined) this.nested(rest[script]);
      this.scanAll(rest.filter((_, i) => i !== script));
    });
    void call;
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

  /** `conda install P...` in docs or a Makefile -> `uv add P...`. */
  private addPackages(call: ShNode, args: ShNode[], parsed: ParsedConda): boolean {
    if (this.options.host !== 'docs' && this.options.host !== 'makefile') return false;
    const packages = parsed.positionals.map((p) => p.text);
    if (packages.length === 0 || packages.some((p) => p === undefined)) return false;
    this.edits.push({ start: this.pos(args[0]), end: this.end(call), text: `uv add ${packages.map((p) => condaSpecToPep508(p!)).join(' ')}` });
    return true;
  }

  /** pip in the activated env: `pip install -e .` and `-r F` (merged into pyproject) -> `uv sync`; packages in docs/Makefile -> `uv add`. */
  private pip(stmt: ShNode, call: ShNode, args: ShNode[], texts: (string | undefined)[]): boolean {
    if (texts[1] !== 'install') return false;
    const rest = texts.slice(2);
    const merged = new Set((this.options.ctx?.conda.dependencies ?? []).flatMap((d) => d.sources));
    const flags = rest.filter((t) => t?.startsWith('-'));
    const isEditableSelf = rest.length === 2 && (rest[0] === '-e' || rest[0] === '--editable') && (rest[1] === '.' || rest[1] === './');
    const isSelf = rest.length === 1 && (rest[0] === '.' || rest[0] === './');
    const requirements = rest.length === 2 && (rest[0] === '-r' || rest[0] === '--requirement') && rest[1] !== undefined && [...merged].some((s) => s === rest[1] || s.endsWith(`/${rest[1]!.replace(/^\.\//, '')}`));
    if (isEditableSelf || isSelf || requirements) {
      this.edits.push({ start: this.pos(args[0]), end: this.end(call), text: this.syncCommand });
      return true;
    }
    if ((this.options.host === 'docs' || this.options.host === 'makefile') && flags.length === 0 && rest.length > 0 && rest.every((t) => t !== undefined)) {
      this.edits.push({ start: this.pos(args[0]), end: this.end(call), text: `uv add ${rest.join(' ')}` });
      return true;
    }
    void stmt;
    return false;
  }

  /** Rewrite the script of `bash -c WORD`, keeping its quoting valid. */
  private nested(word: ShNode): void {
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
    } else if (type === 'DblQuoted' && !part.Dollar && (part.Parts as ShNode[]).every((p) => this.type(p) === 'Lit')) {
      ({ map, at } = unescapeMap(this.src, this.pos(part) + 1, this.end(part) - 1));
      escape = (text) => text.replace(/[\\"$`]/g, '\\$&');
    } else {
      if (/conda|mamba|activate/.test(this.raw(word))) this.note(word, 'a conda command in a shell string with expansions: left as is');
      this.scan(word);
      return;
    }
    const innerSrc = at.map((i) => this.src[i]).join('');
    const innerOrig = at.map((i) => this.orig[i]).join('');
    let file: ShNode;
    try {
      file = parseShell(innerSrc);
    } catch {
      if (/conda|mamba|activate/.test(innerSrc)) this.note(word, 'a shell string that does not parse: left as is');
      return;
    }
    const inner = new Rewriter(innerSrc, innerOrig, this.options, { ...this.scope });
    inner.list(file.Stmts, 'top');
    for (const n of inner.notes) this.notes.push({ index: map[n.index]!, message: n.message });
    for (const edit of inner.finalEdits()) {
      const text = escape(edit.text);
      if (text === undefined) {
        this.note(word, 'the rewrite would need a quote inside a single-quoted string: left as is');
        return;
      }
      this.edits.push({ start: map[edit.start]!, end: map[edit.end]!, text });
    }
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

  private scanAll(nodes: readonly ShNode[] | undefined): void {
    for (const node of nodes ?? []) this.scan(node);
  }

  /** The edits, without those inside a removed range (a removed statement's own rewrites). */
  finalEdits(): Edit[] {
    const deletions = this.edits.filter((e) => e.text === '' && e.end > e.start);
    const inside = (e: Edit, d: Edit) =>
      e.start === e.end ? d.start < e.start && e.start < d.end : d.start <= e.start && e.end <= d.end;
    const kept = this.edits.filter((e, i) => !deletions.some((d) => d !== e && inside(e, d) && !(d.start === e.start && d.end === e.end && this.edits.indexOf(d) > i)));
    return kept;
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

