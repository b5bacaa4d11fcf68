// Properties of the shell engine over generated scripts: the output parses, a second run changes
// nothing, no activation is left, and every line without conda survives byte for byte.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rewriteShell, type ShellOptions } from '../codemods/lib/shell/index.js';
import { parseShell } from '../codemods/lib/shell/parser.js';

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
  { policy: 'uv-run', host: 'script' },
  { policy: 'venv-on-path', host: 'dockerfile' },
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
