// codemods/lib/shell/parser.ts reads mvdan-sh's trees from the GopherJS objects under its public API
// (the public wrappers cost more than the parse: bench/README.md). Here every node of a few scripts is
// read both ways, so a mvdan-sh whose objects differ fails here rather than in a rewrite.
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { parseShell, sh, type ShNode } from '../codemods/lib/shell/parser.js';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
const mvdan = (createRequire(import.meta.url)('mvdan-sh') as { syntax: any }).syntax;

const SCRIPTS = [
  'conda activate app && python -m app "$@" > out.log 2>&1\n',
  'if [ -f environment.yml ]; then\n  conda env create -f environment.yml || exit 1\nfi\nfor f in *.py; do echo "${f%.py}"; done\n',
  "case \"$1\" in\n  dev) x=$(conda run -n app python -c 'print(1)');;\n  *) echo ünïcödé; arr=(a b c);;\nesac\nf() { (( n += 1 )); cat <<EOF\nhere $n\nEOF\n}\n",
];

/** Each node in Walk's order: its type, its byte offsets and, for a literal, its value. */
function readPublic(src: string): string[] {
  const out: string[] = [];
  const file = mvdan.NewParser(mvdan.Variant(mvdan.LangBash)).Parse(src, 'sh');
  mvdan.Walk(file, (node: ShNode) => {
    if (node === null) return true;
    const type = mvdan.NodeType(node);
    out.push(`${type} ${node.Pos().Offset()}-${node.End().Offset()}${type === 'Lit' ? ` ${node.Value}` : ''}`);
    return true;
  });
  return out;
}

function readViews(src: string): string[] {
  const out: string[] = [];
  sh().Walk(parseShell(src), (node: ShNode) => {
    const type = sh().NodeType(node);
    out.push(`${type} ${node.Pos().Offset()}-${node.End().Offset()}${type === 'Lit' ? ` ${node.Value}` : ''}`);
    return true;
  });
  return out;
}

describe("the parser's views of mvdan-sh's trees", () => {
  it.each(SCRIPTS)('read every node as the public API does: %j', (src) => {
    const views = readViews(src);
    expect(views.length).toBeGreaterThan(10);
    expect(views).toEqual(readPublic(src));
  });

  it('are read-only (parses are shared)', () => {
    const file = parseShell('echo hi\n');
    expect(() => {
      file.Stmts = [];
    }).toThrow(TypeError);
  });
});
