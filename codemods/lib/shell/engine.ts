// The tree walker: walks the full mvdan/sh tree statement by statement with its scope, asks the rule
// table (rules/index.ts) about each simple command, and turns what the rules decide into edits (string
// splices into the original text; the printer is never used). Lists, removal with glue and comments,
// pipelines, `if`/loops/functions and `bash -c` scripts are the walker's; what a command becomes is a rule's.
import { applyEdits, byteIndexer, explainingComment, outermostEdits, type Edit } from '../text.js';
import { literal, parseShell, sh, unquoted, type ShNode } from './parser.js';
import type { ShellOptions } from './index.js';
import { ACTIVATION_TEXT, COMMAND_RULES, condaOnlyAssign, installerPipe, type RuleContext, type Scope, type Seen } from './rules/index.js';
import { literalPart, parameter } from './rules/words.js';

export type { Scope } from './rules/index.js';

export interface RawNote {
  index: number; // string index in the rewriter's text
  message: string;
}

/** How a statement list may end up when every statement in it goes. */
type ListMode = 'top' | 'removable' | 'body';

const WRAPPERS = new Set(['exec', 'nohup', 'time', 'env', 'srun', 'mpirun', 'xvfb-run']);

/** How many known env commands the activated part of a snippet may run before activation beats `uv run` on each. */
export const ACTIVATED_COMMANDS = 3;

/** The walk over one snippet (and, through `nested`, over each `bash -c` script in it). What rules see of it: RuleContext. */
export class Walker implements RuleContext {
  readonly edits: Edit[] = [];
  readonly notes: RawNote[] = [];
  readonly seen: Seen = { activation: false, envCommands: 0, uncovered: 0 };
  cwdDepth: number | undefined = 0;
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

  index(position: ShNode): number {
    return this.idx(position.Offset());
  }

  replace(start: number, end: number, text: string): void {
    this.edits.push({ start, end, text });
  }

  note(node: ShNode, message: string): void {
    this.notes.push({ index: this.pos(node), message });
  }

  raw(node: ShNode): string {
    return this.orig.slice(this.pos(node), this.end(node));
  }

  private type(node: ShNode): string {
    return sh().NodeType(node);
  }

  /** The rule of HostPolicy.venvActivation: what ran activated needs the activation kept. */
  needsActivation(trailing: boolean): boolean {
    const { activation, envCommands, uncovered } = this.seen;
    // A trailing activation is kept only where the rest of the snippet moved to uv (no conda left with a note).
    const kept = trailing && activation && envCommands === 0 && this.scope.activated && this.notes.length === 0;
    return uncovered > 0 || envCommands > ACTIVATED_COMMANDS || kept;
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
  cutEnd(stmt: ShNode): number {
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
    const header = (from: number) => from === 0 || (this.src.startsWith('#!') && this.src.indexOf('\n') + 1 === from);
    return explainingComment(this.src, lineStart, { comment: /^[ \t]*#(?!!)/, block: (block, from) => !header(from) && this.aboutEnv(block) });
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
  isolated<T>(fn: () => T): T {
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
    const op = this.src.slice(this.index(cmd.OpPos), this.index(cmd.OpPos) + 2);
    if (op.startsWith('|') && op !== '||') {
      const installer = installerPipe(this, cmd);
      if (installer !== undefined) return installer;
      const left = this.isolated(() => this.stmt(cmd.X));
      const right = this.isolated(() => this.stmt(cmd.Y));
      if (left || right) this.note(left ? cmd.X : cmd.Y, 'a conda command inside a pipeline: left as is');
      return false;
    }
    // `source activate x || conda activate x`: two ways to one activation, which stays one.
    if (op === '||' && ACTIVATION_TEXT.test(this.raw(cmd.X)) && ACTIVATION_TEXT.test(this.raw(cmd.Y))) {
      if (this.stmt(cmd.X)) return true;
      this.replace(this.end(cmd.X), this.end(cmd.Y), '');
      return false;
    }
    const left = this.stmt(cmd.X);
    const right = this.stmt(cmd.Y);
    if (left && right) return true;
    if (left) {
      if (op === '||') return true; // the right side only handled the conda command failing
      this.replace(this.pos(cmd.X), this.pos(cmd.Y), '');
    } else if (right) {
      this.replace(this.end(cmd.X), this.end(cmd.Y), '');
    }
    return false;
  }

  /** `export CONDA_X=...` goes; other declarations are scanned. */
  private decl(cmd: ShNode): boolean {
    const assigns: ShNode[] = cmd.Args;
    if (assigns.length > 0 && assigns.every((a) => a.Name && condaOnlyAssign(this, a))) return true;
    this.scan(cmd);
    return false;
  }

  /** A simple command: the first rule of COMMAND_RULES that knows it decides; then its words are scanned. */
  private call(stmt: ShNode, call: ShNode): boolean {
    const args: ShNode[] = call.Args;
    if (args.length === 0) {
      const assigns: ShNode[] = call.Assigns;
      if (assigns.length > 0 && assigns.every((a) => condaOnlyAssign(this, a))) return true;
      this.scan(call);
      return false;
    }
    const texts = args.map((a) => unquoted(a));
    let k = 0;
    while (k < texts.length - 1 && WRAPPERS.has(texts[k] ?? '')) {
      k++;
      while (k < texts.length - 1 && /^(?:--[\w-]+=|[A-Za-z_]\w*=)/.test(texts[k] ?? '')) k++; // srun --ntasks=4 python, env A=1 python
    }
    if (texts[k] === 'cd' && k === 0) this.cd(texts[1]);
    const command = { stmt, call, args: args.slice(k), texts: texts.slice(k), wrapped: k > 0 };
    for (const rule of COMMAND_RULES) {
      const removed = rule(this, command);
      if (removed !== undefined) return removed;
    }
    this.scanAll(call.Assigns);
    this.scanAll(args);
    return false;
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

  /** Rewrite the script of `bash -c WORD`, keeping its quoting valid; its new text when it was rewritten. */
  nested(word: ShNode): string | undefined {
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
    const inner = new Walker(innerSrc, innerOrig, this.options, { ...this.scope });
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

  /** Look inside a node: `$(...)` is walked as statements, words go to rules/words.ts (heredoc bodies are not shell: never entered). */
  scan(node: ShNode | undefined): void {
    if (!node) return;
    let noted = false;
    sh().Walk(node, (n: ShNode) => {
      if (!n) return true;
      switch (this.type(n)) {
        case 'CmdSubst':
        case 'ProcSubst':
          this.isolated(() => this.list(n.Stmts, 'top'));
          return false;
        case 'ParamExp':
          parameter(this, n);
          return true;
        case 'Lit':
          noted = literalPart(this, n, noted);
          return true;
        case 'Redirect':
          this.scan(n.Word);
          return false;
        default:
          return true;
      }
    });
  }

  scanAll(nodes: readonly ShNode[] | undefined): void {
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

