// The mvdan/sh parser (GopherJS build, CommonJS), loaded once and only when a snippet needs it.
//
// Speed: the package's own JS API wraps every Go value it hands out in a fresh "full wrapper" object
// (each field access and each Walk callback builds one, with every method and field defined on it),
// which made reading a tree cost more than parsing it. So only Parse goes through that API; the tree
// is then read from the Go objects underneath (`__internal_object__`) through thin cached views with
// the same field names and methods (Pos().Offset(), Semicolon.IsValid()...), and NodeType and Walk
// are done here on those views.
import { createRequire } from 'node:module';
import { remembered } from '../memo.js';

/** A syntax node of mvdan/sh: fields as in https://pkg.go.dev/mvdan.cc/sh/v3/syntax. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ShNode = any;

interface GoSyntax {
  NewParser(...options: unknown[]): { Parse(src: string, name: string): ShNode };
  Variant(lang: unknown): unknown;
  LangBash: unknown;
}

/** What the engine uses of mvdan/sh's syntax package, on node views. */
interface Syntax {
  NodeType(node: ShNode): string;
  /** syntax.Walk's order and children; unlike it, never calls `fn(null)` after a node's children. */
  Walk(node: ShNode, fn: (node: ShNode) => boolean): void;
}

let goSyntax: GoSyntax | undefined;
/** One parser, reused: creating one costs more than parsing a short script. */
let parser: { Parse(src: string, name: string): ShNode } | undefined;

function mvdan(): GoSyntax {
  if (!goSyntax) {
    const require = createRequire(import.meta.url);
    // The GopherJS runtime sets Error.stackTraceLimit to Infinity for the whole process as it loads:
    // every error after it would capture its whole stack. Go errors from the parser are values, not
    // JS stacks, so the process keeps its own limit.
    const limit = Error.stackTraceLimit;
    goSyntax = (require('mvdan-sh') as { syntax: GoSyntax }).syntax;
    Error.stackTraceLimit = limit;
  }
  return goSyntax;
}

const RAW = Symbol('go object');
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Go = any;

const views = new WeakMap<object, ShNode>();
const viewHandler: ProxyHandler<Go> = {
  get(raw, prop) {
    if (prop === RAW) return raw;
    const value = raw[prop];
    // Go methods (Pos, End, Offset, Line, IsValid...) run on the Go object; their results are viewed too.
    if (typeof value === 'function') return (...args: unknown[]) => view(value.apply(raw, args));
    return view(value);
  },
  // Parses are shared (parseShell's cache): a tree is read, never changed.
  set() {
    throw new TypeError('a parsed shell tree is read-only');
  },
};

/** A Go value as the engine reads it: strings decoded from UTF-8, slices as arrays, nil as null, structs as views. */
function view(value: Go): ShNode {
  if (value === null || value === undefined) return null;
  switch (typeof value) {
    case 'string':
      // GopherJS strings hold one UTF-8 byte per char.
      return /[\x80-\xff]/.test(value) ? Buffer.from(value, 'latin1').toString('utf8') : value;
    case 'object':
      break;
    default:
      return value;
  }
  if (value.$array !== undefined && value.$length !== undefined) {
    // The engine reads Stmts, Args and Parts again and again: one frozen array per slice.
    let array = views.get(value);
    if (!array) {
      const out = new Array(value.$length);
      for (let i = 0; i < value.$length; i++) out[i] = view(value.$array[value.$offset + i]);
      views.set(value, (array = Object.freeze(out)));
    }
    return array;
  }
  if (value.$high !== undefined && value.$low !== undefined) return value.$high * 4294967296 + value.$low; // 64-bit ints
  // A nil pointer is its type's `nil` object; a nil interface, GopherJS's $ifaceNil, a plain object with no Go type.
  if (value.constructor?.nil === value || typeof value.constructor?.string !== 'string') return null;
  let v = views.get(value);
  if (!v) {
    v = new Proxy(value, viewHandler);
    views.set(value, v);
  }
  return v;
}

const typeNames = new Map<unknown, string>();
function nodeType(node: ShNode): string {
  const ctor = (node[RAW] ?? node).constructor;
  let name = typeNames.get(ctor);
  if (name === undefined) {
    const full = String(ctor.string); // "*syntax.CallExpr"
    name = full.slice(full.lastIndexOf('.') + 1);
    typeNames.set(ctor, name);
  }
  return name;
}

/** The children syntax.Walk visits, in its order, by node type (comments are not kept by the parser). */
const CHILDREN: Record<string, readonly string[]> = {
  File: ['Stmts'],
  Stmt: ['Cmd', 'Redirs'],
  Assign: ['Name', 'Value', 'Index', 'Array'],
  Redirect: ['N', 'Word', 'Hdoc'],
  CallExpr: ['Assigns', 'Args'],
  Subshell: ['Stmts'],
  Block: ['Stmts'],
  IfClause: ['Cond', 'Then', 'Else'],
  WhileClause: ['Cond', 'Do'],
  ForClause: ['Loop', 'Do'],
  WordIter: ['Name', 'Items'],
  CStyleLoop: ['Init', 'Cond', 'Post'],
  BinaryCmd: ['X', 'Y'],
  FuncDecl: ['Name', 'Body'],
  Word: ['Parts'],
  DblQuoted: ['Parts'],
  CmdSubst: ['Stmts'],
  ArithmExp: ['X'],
  ArithmCmd: ['X'],
  BinaryArithm: ['X', 'Y'],
  BinaryTest: ['X', 'Y'],
  UnaryArithm: ['X'],
  UnaryTest: ['X'],
  ParenArithm: ['X'],
  ParenTest: ['X'],
  CaseClause: ['Word', 'Items'],
  CaseItem: ['Patterns', 'Stmts'],
  TestClause: ['X'],
  DeclClause: ['Args'],
  ArrayExpr: ['Elems'],
  ArrayElem: ['Index', 'Value'],
  ExtGlob: ['Pattern'],
  ProcSubst: ['Stmts'],
  TimeClause: ['Stmt'],
  CoprocClause: ['Name', 'Stmt'],
  LetClause: ['Exprs'],
  TestDecl: ['Description', 'Body'],
};

function walk(node: ShNode, fn: (node: ShNode) => boolean): void {
  if (!node || !fn(node)) return;
  const type = nodeType(node);
  if (type === 'ParamExp') {
    walk(node.Param, fn);
    walk(node.Index, fn);
    const repl = node.Repl;
    if (repl) {
      walk(repl.Orig, fn);
      walk(repl.With, fn);
    }
    walk(node.Exp?.Word, fn);
    return;
  }
  const children = CHILDREN[type];
  if (!children) return; // Lit, SglQuoted: leaves
  for (const field of children) {
    const child = node[field];
    if (Array.isArray(child)) for (const c of child) walk(c, fn);
    else walk(child, fn);
  }
}

const syntaxOnViews: Syntax = { NodeType: nodeType, Walk: walk };

export function sh(): Syntax {
  return syntaxOnViews;
}

export class ShellParseError extends Error {
  constructor(
    message: string,
    readonly line: number,
    readonly col: number,
  ) {
    super(message);
  }
}

/**
 * The last parses, by source text. A Parse costs much the same however short the text (the GopherJS
 * parser allocates its node batches anew), and the same snippet recurs: in a Makefile's recipes, in the
 * README and docs, in CI steps.
 */
const recentParses = new Map<string, ShNode>();
const RECENT_PARSES = 1000;
/**
 * Longer texts are not kept: a whole script seldom recurs, and its tree is big (GopherJS objects, many
 * times the script's size), so keeping it would keep the heap large for the rest of the run.
 */
const RECENT_PARSE_MAX_CHARS = 16 * 1024;

/** Parse bash; a syntax error becomes a ShellParseError with the parser's line:col. */
export function parseShell(src: string): ShNode {
  return src.length > RECENT_PARSE_MAX_CHARS ? parseUncached(src) : remembered(recentParses, src, RECENT_PARSES, () => parseUncached(src));
}

/** Loads mvdan/sh and makes the parser (a codemod's warm-up). */
export function loadShellParser(): { Parse(src: string, name: string): ShNode } {
  const s = mvdan();
  return (parser ??= s.NewParser(s.Variant(s.LangBash))); // comments are read from the text, not the tree
}

function parseUncached(src: string): ShNode {
  const shellParser = loadShellParser();
  let file: ShNode;
  try {
    file = shellParser.Parse(src, 'sh');
  } catch (error) {
    const text = typeof (error as ShNode)?.Error === 'function' ? String((error as ShNode).Error()) : String(error);
    const match = /^sh:(\d+):(\d+): (.*)$/s.exec(text);
    if (match) throw new ShellParseError(match[3]!, Number(match[1]), Number(match[2]));
    throw new ShellParseError(text.replace(/^sh: /, ''), 1, 1);
  }
  return view(file.__internal_object__);
}

/** The literal text of a word, or undefined when it has quotes or expansions. */
export function literal(word: ShNode | undefined): string | undefined {
  if (!word) return undefined;
  const parts = word.Parts;
  if (parts.length !== 1 || sh().NodeType(parts[0]) !== 'Lit') return undefined;
  return parts[0].Value as string;
}

/** The text of a word with simple quotes removed ('a', "a", a"b"); undefined when it holds expansions. */
export function unquoted(word: ShNode | undefined): string | undefined {
  if (!word) return undefined;
  let out = '';
  for (const part of word.Parts) {
    const type = sh().NodeType(part);
    if (type === 'Lit' || type === 'SglQuoted') out += part.Value;
    else if (type === 'DblQuoted' && part.Parts.every((p: ShNode) => sh().NodeType(p) === 'Lit')) out += part.Parts.map((p: ShNode) => p.Value).join('');
    else return undefined;
  }
  return out;
}
