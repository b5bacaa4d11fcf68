// YAML reading for splices: parse once for positions, edit the original text (docs/design.md, "The contract").
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';
import type { Alias, Document, Node, Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import { CodemodError } from '../../contract/errors.js';
import { explainingComment, wholeLines, type Edit, type ExplainingComment } from './text.js';

export type { Document, Node, Pair };

// The yaml library is loaded on the first parse (synchronously, through its CommonJS build), so that
// importing a codemod costs nothing on a repository with no YAML to migrate. The type guards below are
// only ever given nodes from a parse; they tell nodes of any yaml copy apart (yaml marks them with
// Symbol.for keys).
let yamlLib: typeof Yaml | undefined;
const yaml = (): typeof Yaml => (yamlLib ??= createRequire(import.meta.url)('yaml') as typeof Yaml);

export const isMap = <K = unknown, V = unknown>(node: unknown): node is YAMLMap<K, V> => yaml().isMap(node);
export const isSeq = <T = unknown>(node: unknown): node is YAMLSeq<T> => yaml().isSeq(node);
export const isPair = <K = unknown, V = unknown>(node: unknown): node is Pair<K, V> => yaml().isPair(node);
export const isScalar = <T = unknown>(node: unknown): node is Scalar<T> => yaml().isScalar(node);
export const isAlias = (node: unknown): node is Alias => yaml().isAlias(node);
const isNode = (node: unknown): node is Node => yaml().isNode(node);

/** More aliases than this in one document is treated as an alias bomb and refused. */
const MAX_ALIASES = 100;

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: Yaml.LineCounter;
}

/** Parse a YAML document with source ranges. Throws a CodemodError (line:col) on any YAML error or an alias bomb. */
export function parseYaml(source: string): ParsedYaml {
  const { LineCounter, parseDocument, visit } = yaml();
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    throw new CodemodError(`invalid YAML: ${error.message.split('\n')[0]}`, line, col);
  }
  if (!source.includes('*')) return { doc, lines }; // an alias is `*name`: none here, nothing to count
  let aliases = 0;
  visit(doc, {
    Alias(_, node) {
      if (++aliases > MAX_ALIASES) {
        const { line, col } = lines.linePos(node.range?.[0] ?? 0);
        throw new CodemodError(`more than ${MAX_ALIASES} YAML aliases: refusing a possible alias bomb`, line, col);
      }
    },
  });
  return { doc, lines };
}

/** The plain JS value of a node, resolving aliases (guarded by parseYaml's alias limit). */
export function toJs(doc: Document.Parsed, node: unknown): unknown {
  return isNode(node) ? node.toJS(doc, { maxAliasCount: MAX_ALIASES }) : node;
}

/** A node's string value if it is a scalar (or an alias to one), else undefined. */
export function scalarString(doc: Document.Parsed, node: unknown): string | undefined {
  const resolved = isAlias(node) ? node.resolve(doc) : node;
  return isScalar(resolved) && resolved.value !== null && resolved.value !== undefined ? String(resolved.value) : undefined;
}

/** The pair of a map node whose key is `key`. */
export function pairOf(map: unknown, key: string): Pair<Node, Node> | undefined {
  if (!isMap(map)) return undefined;
  return map.items.find((p) => isScalar(p.key) && p.key.value === key) as Pair<Node, Node> | undefined;
}

/** 1-based line of a string index. */
export function lineOf(parsed: ParsedYaml, index: number): number {
  return parsed.lines.linePos(index).line;
}

/** An edit that removes whole lines: a sequence item or a map pair with everything it owns, comment lines above kept. */
export function removeLinesEdit(source: string, node: Node | Pair): Edit {
  const start = isPair(node) ? (node.key as Node).range![0] : node.range![0];
  const valueEnd = isPair(node) ? ((node.value as Node | null)?.range?.[1] ?? (node.key as Node).range![1]) : node.range![1];
  // A sequence item starts at its `- ` marker, which sits before the node's own range.
  let itemStart = start;
  const before = source.slice(source.lastIndexOf('\n', start - 1) + 1, start);
  if (/^[ \t]*(?:-[ \t]+)+$/.test(before)) itemStart = start - before.length + (before.length - before.trimStart().length);
  const span = wholeLines(source, itemStart, trimTrailingBlank(source, valueEnd));
  return { start: span.start, end: span.end, text: '' };
}

/**
 * Widen a whole-line edit upwards over the comment lines directly above it (they described what goes);
 * `accept` narrows which (only those that talk about conda, above a step that is replaced).
 */
export function withCommentsAbove(source: string, edit: Edit, accept?: ExplainingComment): Edit {
  return { ...edit, start: explainingComment(source, edit.start, accept) };
}

/** Back up over trailing blank lines and comments that a node's range may include. */
function trimTrailingBlank(source: string, end: number): number {
  let e = end;
  while (e > 0 && /\s/.test(source[e - 1]!)) e--;
  return e;
}

/** The text to write for `value` as a scalar that replaces `node`, keeping its quoting style where possible. */
export function quoteLike(node: unknown, value: string): string {
  if (isScalar(node)) {
    if (node.type === 'QUOTE_DOUBLE') return JSON.stringify(value);
    if (node.type === 'QUOTE_SINGLE') return `'${value.replace(/'/g, "''")}'`;
  }
  return needsQuotes(value) ? JSON.stringify(value) : value;
}

function needsQuotes(value: string): boolean {
  return value === '' || /^[\s\-?:,[\]{}#&*!|>'"%@`]|: | #|\s$|^(?:true|false|null|yes|no|on|off|~)$/i.test(value) || /^[\d.+-]/.test(value) && !Number.isNaN(Number(value));
}


/** Where a sequence item starts: at its `- ` marker when it has one, else at the node. */
export function seqItemStart(source: string, node: Node): number {
  const start = node.range![0];
  const before = source.slice(source.lastIndexOf('\n', start - 1) + 1, start);
  const marker = /-[ \t]+$/.exec(before);
  return marker && /^[ \t]*(?:-[ \t]+)+$/.test(before) ? start - marker[0].length : start;
}

/** The column (0-based) of a string index on its line. */
export function columnOf(source: string, index: number): number {
  return index - (source.lastIndexOf('\n', index - 1) + 1);
}

/**
 * An edit that gives a pair's scalar value a new string value, keeping the scalar's style where it can:
 * a block literal keeps its header and indentation; a one-line scalar keeps its quotes; a value that
 * gains lines becomes a `|` block. Returns undefined for what it cannot write faithfully (an explicit
 * indentation indicator, a value starting with a space in a block).
 */
export function scalarValueEdit(source: string, pair: Pair, value: string): Edit | undefined {
  return scalarNodeEdit(source, pair.value, value, columnOf(source, (pair.key as Node).range![0]));
}

/** scalarValueEdit for any scalar node; `keyCol` is the column its content must be indented past (its key's, or its `- ` marker's). */
export function scalarNodeEdit(source: string, node: unknown, value: string, keyCol: number): Edit | undefined {
  if (!isScalar(node) || !node.range) return undefined;
  const [start, valueEnd] = node.range;
  const isBlock = node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED';
  if (node.type === 'BLOCK_LITERAL') {
    const headerEnd = source.indexOf('\n', start);
    const header = source.slice(start, headerEnd === -1 ? undefined : headerEnd).replace(/\s+#.*$/, '').trim();
    if (/\d/.test(header) || headerEnd === -1) return undefined;
    const body = source.slice(headerEnd + 1, valueEnd);
    const indent = /^[ \t]*(?=\S)/m.exec(body)?.[0] ?? ' '.repeat(keyCol + 2);
    const bodyEnd = headerEnd + 1 + body.trimEnd().length;
    const rendered = renderBlockLines(value, indent);
    if (rendered === undefined) return undefined;
    return { start: headerEnd + 1, end: bodyEnd, text: rendered };
  }
  if (!isBlock && !value.includes('\n')) return { start, end: valueEnd, text: quoteLike(node, value) };
  // A folded block or a one-line scalar that gains lines: write a literal block at the next indent.
  const rendered = renderBlockLines(value, ' '.repeat(keyCol + 2));
  if (rendered === undefined) return undefined;
  const chomp = value.endsWith('\n') ? '' : '-';
  const end = isBlock ? start + source.slice(start, valueEnd).trimEnd().length : valueEnd;
  return { start, end, text: `|${chomp}\n${rendered}` };
}

/** The lines of a literal block's content, indented, without the final newline. */
function renderBlockLines(value: string, indent: string): string | undefined {
  const lines = value.replace(/\n$/, '').split('\n');
  if (/^[ \t]/.test(lines[0] ?? '')) return undefined;
  return lines.map((line) => (line === '' ? '' : indent + line)).join('\n');
}

/** The 1-based file line where the content of a pair's scalar value starts (the line after a block header). */
export function valueFirstLine(parsed: ParsedYaml, source: string, node: Node): number {
  const start = node.range![0];
  const block = isScalar(node) && (node.type === 'BLOCK_LITERAL' || node.type === 'BLOCK_FOLDED');
  return lineOf(parsed, start) + (block && source.indexOf('\n', start) !== -1 ? 1 : 0);
}
