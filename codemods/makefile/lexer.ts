// A small GNU Makefile lexer (no library exists): logical lines with their kinds and offsets into the
// original text, so the codemod can splice. It follows GNU make's reading rules closely enough for
// rewriting: `\` continuations, comments, every assignment flavour, rules (`:`, `::`, `;` recipes),
// recipe lines (TAB or .RECIPEPREFIX), conditionals, define/endef and include.
import { CodemodError } from '../../contract/errors.js';

export type AssignOp = '=' | ':=' | '::=' | ':::=' | '?=' | '+=' | '!=';

export interface Assignment {
  name: string;
  op: AssignOp;
  /** export / override / private / unexport, in order written. */
  modifiers: string[];
  /** Targets of a target-specific assignment (`test: ENV = x`). */
  targets?: string[];
  valueStart: number;
  valueEnd: number;
}

interface Base {
  start: number; // index of the first character of the logical line
  end: number; // index just past its last character (before the final newline)
  line: number; // 1-based physical line where it starts
}

export type LogicalLine =
  | (Base & { kind: 'blank' | 'comment' | 'other' })
  | (Base & { kind: 'assignment'; assign: Assignment })
  /** `define NAME [op]` ... `endef`: the whole block; the body is [bodyStart, bodyEnd). */
  | (Base & { kind: 'define'; assign: Assignment })
  | (Base & { kind: 'rule'; targets: string[]; doubleColon: boolean; inlineRecipe?: number })
  /** `body` is the index after the recipe prefix; `rule` the index (in lines) of the rule it belongs to. */
  | (Base & { kind: 'recipe'; body: number; rule: number })
  | (Base & { kind: 'conditional'; keyword: string })
  | (Base & { kind: 'include' | 'export'; words: string });

export interface Makefile {
  lines: LogicalLine[];
  recipePrefix: string;
  oneShell: boolean;
}

const ASSIGN = /^((?:(?:export|override|private|unexport)[ \t]+)*)([^\s:#=$()]*(?:\$[({][^)}]*[)}][^\s:#=$()]*)*)[ \t]*(:::=|::=|:=|\?=|\+=|!=|=)/;
const CONDITIONAL = /^[ \t]*(ifeq|ifneq|ifdef|ifndef|else|endif)(?=[\s(]|$)/;
const DEFINE = /^[ \t]*((?:(?:export|override|private)[ \t]+)*)define[ \t]+(\S+)(?:[ \t]+(:::=|::=|:=|\?=|\+=|!=|=))?[ \t]*$/;
const INCLUDE = /^[ \t]*(-?include|sinclude)[ \t]+/;
const EXPORT = /^[ \t]*(export|unexport)(?:[ \t]+|$)/;

/** Index of the end of the logical line starting at `start` (continuations followed), before its newline. */
function logicalEnd(source: string, start: number): number {
  let at = start;
  for (;;) {
    const nl = source.indexOf('\n', at);
    if (nl === -1) return source.length;
    let slashes = 0;
    for (let i = nl - 1; i >= at && source[i] === '\\'; i--) slashes++;
    if (slashes % 2 === 0) return nl;
    at = nl + 1;
  }
}

/** Index of the first unescaped `#` outside make references, or -1. */
export function commentStart(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '\\') i++;
    else if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
      depth++;
      i++;
    } else if (depth > 0 && (c === '(' || c === '{')) depth++;
    else if (depth > 0 && (c === ')' || c === '}')) depth--;
    else if (c === '#' && depth === 0) return i;
  }
  return -1;
}

/** Index of the rule's separating `:` (outside references, not part of `:=`), or -1. */
function ruleColon(text: string): number {
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '$' && (text[i + 1] === '(' || text[i + 1] === '{')) {
      depth++;
      i++;
    } else if (depth > 0 && (c === '(' || c === '{')) depth++;
    else if (depth > 0 && (c === ')' || c === '}')) depth--;
    else if (depth === 0 && c === ':') {
      if (/^:{1,3}=/.test(text.slice(i))) return -1; // :=, ::=, :::= assign
      return i;
    } else if (depth === 0 && c === '=') return -1;
  }
  return -1;
}

function parseAssignment(text: string, offset: number): Assignment | undefined {
  const match = ASSIGN.exec(text);
  if (!match || match[2] === '') return undefined;
  let valueStart = match[0].length;
  while (text[valueStart] === ' ' || text[valueStart] === '\t') valueStart++;
  const comment = commentStart(text.slice(valueStart));
  const valueEnd = comment === -1 ? text.length : valueStart + comment;
  return {
    name: match[2]!,
    op: match[3] as AssignOp,
    modifiers: match[1]!.trim().split(/\s+/).filter(Boolean),
    valueStart: offset + valueStart,
    valueEnd: offset + valueEnd,
  };
}

/** Split a Makefile into logical lines. Throws CodemodError on an unterminated define or conditional. */
export function lexMakefile(source: string): Makefile {
  const lines: LogicalLine[] = [];
  let recipePrefix = '\t';
  let oneShell = false;
  let rule = -1; // index of the current rule, -1 outside one
  const conditionals: number[] = []; // lines of the open conditionals
  let lineNo = 1;
  const countLines = (from: number, to: number) => {
    for (let i = source.indexOf('\n', from); i !== -1 && i < to; i = source.indexOf('\n', i + 1)) lineNo++;
  };

  for (let start = 0; start < source.length; ) {
    const end = logicalEnd(source, start);
    const text = source.slice(start, end);
    const line = lineNo;
    const base = { start, end, line };
    const next = end + 1;

    if (rule !== -1 && text.startsWith(recipePrefix)) {
      lines.push({ ...base, kind: 'recipe', body: start + recipePrefix.length, rule });
    } else if (/^[ \t]*$/.test(text)) {
      lines.push({ ...base, kind: 'blank' });
    } else if (/^[ \t]*#/.test(text)) {
      lines.push({ ...base, kind: 'comment' });
    } else if (CONDITIONAL.test(text)) {
      const keyword = CONDITIONAL.exec(text)![1]!;
      if (keyword.startsWith('if')) conditionals.push(line);
      else if (conditionals.length === 0) throw new CodemodError(`${keyword} without a matching if`, line, 1);
      if (keyword === 'endif') conditionals.pop();
      lines.push({ ...base, kind: 'conditional', keyword });
    } else if (DEFINE.test(text)) {
      const match = DEFINE.exec(text)!;
      // The body runs to the matching endef (defines nest).
      let depth = 1;
      let bodyEnd = -1;
      let blockEnd = source.length;
      for (let at = next; at < source.length; ) {
        const nl = source.indexOf('\n', at);
        const lineEnd = nl === -1 ? source.length : nl;
        const body = source.slice(at, lineEnd);
        if (/^[ \t]*(?:(?:export|override|private)[ \t]+)*define(?:\s|$)/.test(body)) depth++;
        else if (/^[ \t]*endef(?:\s|#|$)/.test(body) && --depth === 0) {
          bodyEnd = at === next ? at : at - 1; // the body's last newline belongs to the endef line
          blockEnd = lineEnd;
          break;
        }
        at = lineEnd + 1;
      }
      if (bodyEnd === -1) throw new CodemodError(`define ${match[2]} has no endef`, line, 1);
      countLines(start, blockEnd);
      lines.push({
        start,
        end: blockEnd,
        line,
        kind: 'define',
        assign: {
          name: match[2]!,
          op: (match[3] ?? '=') as AssignOp,
          modifiers: match[1]!.trim().split(/\s+/).filter(Boolean),
          valueStart: next,
          valueEnd: bodyEnd,
        },
      });
      rule = -1;
      if (blockEnd === source.length) break;
      start = blockEnd + 1;
      lineNo++; // the endef line's newline
      continue;
    } else if (INCLUDE.test(text)) {
      lines.push({ ...base, kind: 'include', words: text.slice(INCLUDE.exec(text)![0].length) });
      rule = -1;
    } else {
      const stripped = text.replace(/^[ \t]+/, '');
      const offset = start + (text.length - stripped.length);
      const assign = parseAssignment(stripped, offset);
      const colon = ruleColon(stripped);
      if (assign && (colon === -1 || colon > assign.valueStart - offset)) {
        lines.push({ ...base, kind: 'assignment', assign });
        if (assign.name === '.RECIPEPREFIX') recipePrefix = source.slice(assign.valueStart, assign.valueEnd).trim()[0] ?? '\t';
        rule = -1;
      } else if (colon !== -1) {
        const doubleColon = stripped[colon + 1] === ':';
        const targets = stripped.slice(0, colon).trim().split(/\s+/);
        const after = stripped.slice(colon + (doubleColon ? 2 : 1));
        const afterOffset = offset + colon + (doubleColon ? 2 : 1);
        const targetAssign = parseAssignment(after.replace(/^[ \t]+/, ''), afterOffset + (after.length - after.replace(/^[ \t]+/, '').length));
        if (targetAssign && !/^\s*[^=;]*;/.test(after.slice(0, targetAssign.valueStart - afterOffset))) {
          // A target-specific variable: `test: ENV = x`. It does not open a recipe context.
          lines.push({ ...base, kind: 'assignment', assign: { ...targetAssign, targets } });
        } else {
          if (targets.includes('.ONESHELL')) oneShell = true;
          const semi = commentStart(after) === -1 ? after.indexOf(';') : after.slice(0, commentStart(after)).indexOf(';');
          lines.push({
            ...base,
            kind: 'rule',
            targets,
            doubleColon,
            ...(semi !== -1 ? { inlineRecipe: afterOffset + semi + 1 } : {}),
          });
          rule = lines.length - 1;
        }
      } else {
        // A command indented like a recipe with no rule open: make stops here too.
        if (text.startsWith(recipePrefix)) throw new CodemodError('recipe commences before first target (a recipe line outside any rule)', line, 1);
        // Any other makefile line ends a rule's recipe, as in make.
        if (EXPORT.test(text)) lines.push({ ...base, kind: 'export', words: text.slice(EXPORT.exec(text)![0].length) });
        else lines.push({ ...base, kind: 'other' });
        rule = -1;
      }
    }
    countLines(start, next);
    if (end >= source.length) break;
    start = next;
  }
  if (conditionals.length > 0) throw new CodemodError('conditional without endif', conditionals[conditionals.length - 1], 1);
  return { lines, recipePrefix, oneShell };
}

export interface MakeRef {
  start: number;
  end: number;
  /** The variable named by a plain reference (`$(NAME)`, `${NAME}`, `$(NAME:a=b)`, `$@`), else undefined. */
  name?: string;
  /** The function of a function call (`shell`, `call`, ...), else undefined. */
  fn?: string;
}

/** Every top-level `$` reference in `text` (offset by `base`), including `$$` as name '$'. Nested ones are in `inner`. */
export function findRefs(text: string, base = 0): MakeRef[] {
  const refs: MakeRef[] = [];
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '$' || i + 1 >= text.length) continue;
    const open = text[i + 1]!;
    if (open === '(' || open === '{') {
      const close = open === '(' ? ')' : '}';
      let depth = 1;
      let j = i + 2;
      for (; j < text.length && depth > 0; j++) {
        if (text[j] === open) depth++;
        else if (text[j] === close) depth--;
      }
      if (depth > 0) {
        i++;
        continue; // unterminated: make would complain; leave it alone
      }
      const inside = text.slice(i + 2, j - 1);
      const fn = /^([a-z-]+)[ \t]/.exec(inside);
      const plain = /^([^\s:$(){}=#,]+)(?::[^$]*)?$/.exec(inside);
      refs.push({
        start: base + i,
        end: base + j,
        ...(fn ? { fn: fn[1]! } : plain ? { name: plain[1]! } : {}),
      });
      i = j - 1;
    } else {
      refs.push({ start: base + i, end: base + i + 2, name: open });
      i++;
    }
  }
  return refs;
}

/** Names of every variable referenced anywhere in `text`, nested references and `$(call NAME,...)` included. */
export function referencedNames(text: string): Set<string> {
  const names = new Set<string>();
  const walk = (t: string) => {
    for (const ref of findRefs(t)) {
      if (ref.name && ref.name !== '$') names.add(ref.name);
      if (ref.fn || !ref.name) {
        const inside = t.slice(ref.start + 2, ref.end - 1);
        const called = /^(?:call|value|origin|flavor)[ \t]+([^,\s)]+)/.exec(inside);
        if (called) names.add(called[1]!);
        walk(inside);
      }
    }
  };
  walk(text);
  return names;
}
