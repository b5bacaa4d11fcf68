// Properties of the shell engine over generated scripts: the output parses, a second run changes
// nothing, no activation is left, and every line without conda survives byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { assignmentLines, HOSTS, keptLines, plainCommands, rewriteShell, type ShellOptions } from '../codemods/lib/shell/index.js';
import { parseShell, sh, type ShNode } from '../codemods/lib/shell/parser.js';

const conda = [
  'conda activate geist',
  'source activate geist',
  'conda deactivate',
  'source "$(conda info --base)/etc/profile.d/conda.sh"',
  'eval "$(conda shell.bash hook)"',
  'conda env create -f environment.yml',
  'conda run -n geist --no-capture-output python app.py',
  "bash -c 'conda activate geist && pytest -q'",
  'conda clean -afy',
];
const plain = ['echo "héllo wörld"', 'cd /srv/app', 'ls -la | grep x', 'make build', 'export FOO=1', 'test -f x || exit 1'];
const line = fc.oneof(fc.constantFrom(...conda), fc.constantFrom(...plain));

/** A statement: a plain or conda line, or a few joined by `&&`/`;`, or wrapped in a nesting form. */
const stmt: fc.Arbitrary<string> = fc.oneof(
  line,
  fc.tuple(line, fc.constantFrom(' && ', '; ', ' || '), line).map(([a, op, b]) => a + op + b),
  fc.tuple(line, line).map(([a, b]) => `if [ -n "$X" ]; then\n  ${a}\n  ${b}\nfi`),
  fc.tuple(line, line).map(([a, b]) => `(${a}; ${b})`),
  fc.tuple(line, line).map(([a, b]) => `run() {\n  ${a}\n  ${b}\n}`),
  line.map((a) => `for f in a b; do ${a}; done`),
);
const script = fc.array(fc.oneof(stmt, fc.constant(''), fc.constant('# a comment')), { minLength: 1, maxLength: 8 }).map((lines) => lines.join('\n') + '\n');

describe.each<ShellOptions>([
  { host: HOSTS.script },
  { host: HOSTS.dockerfile },
])('generated scripts ($policy)', (options) => {
  it('parse after the rewrite, are idempotent, keep plain lines, and lose every activation', () => {
    fc.assert(
      fc.property(script, (input) => {
        const result = rewriteShell(input, options);
        expect(result.notes.filter((n) => /parse|failed/.test(n.message))).toEqual([]);
        expect(() => parseShell(result.text)).not.toThrow();
        expect(rewriteShell(result.text, options).text).toBe(result.text);
        expect(result.text).not.toMatch(/conda activate|source activate|profile\.d\/conda/);
        for (const l of input.split('\n')) if (plain.includes(l)) expect(result.text.split('\n')).toContain(l);
      }),
      { numRuns: 300, seed: 4 },
    );
  });
});

// The re-parse guard skips texts of plain commands: each such text must parse, and hold no assignment
// (the guard's tree also finds variables the rewrite left unused).
describe('plain command texts', () => {
  const assigns = (text: string) => {
    let found = 0;
    sh().Walk(parseShell(text), (node: ShNode) => {
      if (sh().NodeType(node) === 'Assign') found++;
      return true;
    });
    return found;
  };

  it('are told apart by example', () => {
    for (const text of ['uv run pytest -q tests', 'uv sync --locked\nuv run python -m app.main --port=8000', '', '  make  build\t', '% : , + - . / @ x=y']) {
      expect(plainCommands(text), text).toBe(true);
    }
    for (const text of ['FOO=1 make', 'fi', 'let a+', 'do x', 'echo "a"', 'echo $HOME', 'a && b', 'ls *.py', 'echo x # note', 'a \\\nb', 'cmd\r']) {
      expect(plainCommands(text), text).toBe(false);
    }
  });

  it('parse, and hold no assignment', () => {
    const words = ['uv', 'run', 'pytest', '-q', 'x=y', '--a=b', 'fi', 'then', 'done', 'let', 'a+', 'export', 'function', 'select', 'coproc',
      'time', 'in', '%1', '.', ':', ',', '+', '@', '-', '/srv/app', 'a.b', '1', '"x"', '$X', '*', '{', '}', '!', '#', '(', ';', '&', '\\', '=', 'a=(b)'];
    const text = fc.array(fc.array(fc.constantFrom(...words), { maxLength: 6 }).map((w) => w.join(' ')), { minLength: 1, maxLength: 4 }).map((l) => l.join('\n'));
    let plain = 0;
    fc.assert(
      fc.property(text, (input) => {
        if (!plainCommands(input)) return;
        plain++;
        expect(assigns(input)).toBe(0);
      }),
      { numRuns: 2000, seed: 7 },
    );
    expect(plain).toBeGreaterThan(200); // the property saw plain texts, not only rejected ones
  });
});

// The re-parse guard also skips a rewrite made of the snippet's own lines and plain commands, when every
// line of the snippet holds whole statements: such a rewrite must parse, with the assignments it reports.
describe('rewrites made of kept lines', () => {
  const lines = [
    'set -euo pipefail', 'ENV_NAME=geist', 'export LOG_LEVEL=${LOG_LEVEL:-info}', 'eval "$(conda shell.bash hook)"', 'conda activate geist',
    'if [ -n "$X" ]; then echo x; fi', 'for f in a b; do echo "$f"; done', '# a comment', '', 'echo "a b" # note', 'A=1; B=2',
    'if true; then', 'fi', 'echo a \\', 'cat <<EOF', 'EOF', 'echo "multi', 'line"', 'case "$1" in a) echo a;; esac', 'f() { echo f; }',
  ];
  const plain = ['uv run pytest -q', 'uv sync --locked', 'python -m app', 'fi', 'A=1', ''];
  it('parse, with the assignments a parse finds', () => {
    let kept = 0;
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...lines), { minLength: 1, maxLength: 6 }),
        fc.array(fc.oneof(fc.nat(5), fc.constantFrom(...plain)), { maxLength: 6 }),
        (beforeLines, picks) => {
          const before = beforeLines.join('\n');
          let file;
          try {
            file = parseShell(before);
          } catch {
            return; // only snippets that parse are rewritten
          }
          const after = picks.map((p) => (typeof p === 'number' ? beforeLines[p % beforeLines.length]! : p)).join('\n');
          const found = keptLines(before, file, after);
          if (found === undefined) return;
          kept++;
          expect(found).toEqual(assignmentLines(parseShell(after)));
        },
      ),
      { numRuns: 3000, seed: 11 },
    );
    expect(kept).toBeGreaterThan(300);
  });

  it('are refused when a line of the snippet is part of a statement on other lines', () => {
    const before = 'if true; then\n  conda activate geist\n  echo a\nfi';
    expect(keptLines(before, parseShell(before), 'if true; then\n  echo a\nfi')).toBeUndefined();
    const continued = 'echo a \\\n  b\nconda activate geist';
    expect(keptLines(continued, parseShell(continued), 'echo a \\\n  b')).toBeUndefined();
    const heredoc = 'cat <<EOF\nfi\nEOF\nconda activate geist';
    expect(keptLines(heredoc, parseShell(heredoc), 'fi')).toBeUndefined();
    const flat = 'set -e\nENV=geist\nconda activate $ENV\npython app.py';
    expect(keptLines(flat, parseShell(flat), 'set -e\nENV=geist\nuv run python app.py')).toEqual([{ line: 1, name: 'ENV' }]);
  });
});
