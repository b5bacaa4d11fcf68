// The mvdan/sh parser (GopherJS build, CommonJS), loaded once and only when a snippet needs it.
import { createRequire } from 'node:module';

/** A syntax node of mvdan/sh (Go object): fields as in https://pkg.go.dev/mvdan.cc/sh/v3/syntax. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type ShNode = any;

interface Syntax {
  NewParser(...options: unknown[]): { Parse(src: string, name: string): ShNode };
  KeepComments(on: boolean): unknown;
  Variant(lang: unknown): unknown;
  LangBash: unknown;
  NodeType(node: ShNode): string;
  Walk(node: ShNode, fn: (node: ShNode) => boolean): void;
}

let syntax: Syntax | undefined;
/** One parser, reused: creating one costs more than parsing a short script. */
let parser: { Parse(src: string, name: string): ShNode } | undefined;

export function sh(): Syntax {
  if (!syntax) {
    const require = createRequire(import.meta.url);
    syntax = (require('mvdan-sh') as { syntax: Syntax }).syntax;
  }
  return syntax;
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

/** Parse bash; a syntax error becomes a ShellParseError with the parser's line:col. */
export function parseShell(src: string): ShNode {
  const s = sh();
  try {
    parser ??= s.NewParser(s.Variant(s.LangBash)); // comments are read from the text, not the tree
    return parser.Parse(src, 'sh');
  } catch (error) {
    const text = typeof (error as ShNode)?.Error === 'function' ? String((error as ShNode).Error()) : String(error);
    const match = /^sh:(\d+):(\d+): (.*)$/s.exec(text);
    if (match) throw new ShellParseError(match[3]!, Number(match[1]), Number(match[2]));
    throw new ShellParseError(text.replace(/^sh: /, ''), 1, 1);
  }
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
