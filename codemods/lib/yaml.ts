// YAML reading for splices: parse once for positions, edit the original text (DESIGN.md).
import { isAlias, isCollection, isMap, isNode, isPair, isScalar, isSeq, LineCounter, parseDocument, visit, type Document, type Node, type Pair } from 'yaml';
import { CodemodError } from './errors.js';
import { wholeLines, type Edit } from './text.js';

export { isMap, isPair, isScalar, isSeq, visit, type Document, type Node, type Pair };

/** More aliases than this in one document is treated as an alias bomb and refused. */
const MAX_ALIASES = 100;

export interface ParsedYaml {
  doc: Document.Parsed;
  lines: LineCounter;
}

/** Parse a YAML document with source ranges. Throws a CodemodError (line:col) on any YAML error or an alias bomb. */
export function parseYaml(source: string): ParsedYaml {
  const lines = new LineCounter();
  const doc = parseDocument(source, { keepSourceTokens: true, lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lines.linePos(error.pos[0]);
    throw new CodemodError(`invalid YAML: ${error.message.split('\n')[0]}`, line, col);
  }
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

export { isCollection };
