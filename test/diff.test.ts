// The --dry diff (runner/diff.ts): the library's own diff for files up to 1,000 lines, and a
// diff that applies back to the new text for longer ones.
import { applyPatch, createTwoFilesPatch } from 'diff';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { unifiedDiff } from '../runner/diff.js';

/** createTwoFilesPatch as renderDiff printed it before: without the Index and underline lines. */
const libraryDiff = (before: string, after: string) =>
  createTwoFilesPatch('a/f', 'b/f', before, after, undefined, undefined, { context: 3 }).replace(/^Index: .*\n/m, '').replace(/^=+\n/m, '');

/** A text of lines drawn from a few (so that lines repeat), with or without a final newline. */
const text = (maxLines: number) =>
  fc.tuple(fc.array(fc.constantFrom('a', 'b', 'c', 'conda activate x', 'python app.py', '', 'é'), { maxLength: maxLines }), fc.boolean()).map(([lines, final]) => lines.join('\n') + (final && lines.length > 0 ? '\n' : ''));

/** `base` with some lines replaced, dropped or added. */
function edited(base: string[], edits: [number, number][]): string[] {
  const out = [...base];
  for (const [at, kind] of edits) {
    const i = at % (out.length + 1);
    if (kind === 0) out.splice(i, 1);
    else if (kind === 1) out.splice(i, 0, `added ${at}`);
    else out.splice(i, 1, `changed ${at}`);
  }
  return out;
}

describe('unifiedDiff', () => {
  it('is the library diff for files up to 1,000 lines', () => {
    fc.assert(
      fc.property(text(30), text(30), (before, after) => {
        expect(unifiedDiff('a/f', 'b/f', before, after)).toBe(libraryDiff(before, after));
      }),
      { numRuns: 500 },
    );
  });

  it('applies back to the new text for longer files', () => {
    const lines = fc.array(fc.oneof(fc.constantFrom('same', 'x = 1', ''), fc.nat(5000).map((n) => `line ${n}`)), { minLength: 600, maxLength: 1500 });
    const edits = fc.array(fc.tuple(fc.nat(3000), fc.nat(2)), { minLength: 1, maxLength: 300 });
    fc.assert(
      fc.property(lines, edits, fc.boolean(), (base, changes, final) => {
        const nl = final ? '\n' : '';
        const before = base.join('\n') + nl;
        const after = edited(base, changes).join('\n') + nl;
        const patch = unifiedDiff('a/f', 'b/f', before, after);
        expect(applyPatch(before, patch)).toBe(after);
      }),
      { numRuns: 40 },
    );
  });

  it('diffs a 25,000-line script changed every few lines into small hunks', () => {
    const before = Array.from({ length: 25_000 }, (_, i) => (i % 3 === 0 ? 'conda activate app' : `python -m app.worker --n ${i}`)).join('\n') + '\n';
    const after = before.replace(/conda activate app\n/g, '');
    const patch = unifiedDiff('a/run.sh', 'b/run.sh', before, after);
    expect(applyPatch(before, patch)).toBe(after);
    // Every removal stands alone with its context, as git shows it: no line kept is shown as changed.
    expect(patch.split('\n').filter((l) => l.startsWith('+'))).toEqual(['+++ b/run.sh']);
    expect(patch.split('\n').filter((l) => l.startsWith('-') && !l.startsWith('---'))).toHaveLength(8334);
  });

  it('still applies when a long middle has no line that occurs once on each side', () => {
    const before = 'a\nb\n'.repeat(700);
    const after = 'b\na\n'.repeat(700);
    expect(applyPatch(before, unifiedDiff('a/f', 'b/f', before, after))).toBe(after);
  });

  it('marks a last line without a newline, as the library does', () => {
    expect(unifiedDiff('a/f', 'b/f', 'x\ny', 'x\nz\n')).toBe('--- a/f\n+++ b/f\n@@ -1,2 +1,2 @@\n x\n-y\n\\ No newline at end of file\n+z\n');
    expect(unifiedDiff('/dev/null', 'b/f', '', 'new\n')).toBe('--- /dev/null\n+++ b/f\n@@ -0,0 +1,1 @@\n+new\n');
  });
});
