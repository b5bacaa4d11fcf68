// The text helpers every codemod splices with: the fast lineColAt and outermostEdits against their
// plain definitions, and on texts the size where the plain ones were quadratic.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { explainingComment, lineColAt, outermostEdits, type Edit } from '../codemods/lib/text.js';

/** The definition: count the newlines before `index`. */
function plainLineColAt(source: string, index: number) {
  const before = source.slice(0, index);
  return { line: before.split('\n').length, col: index - (before.lastIndexOf('\n') + 1) + 1 };
}

/** The definition: drop every edit that another one covers. */
function plainOutermost(edits: readonly Edit[]): Edit[] {
  const covers = (d: Edit, e: Edit, dAt: number, eAt: number) =>
    d.end > d.start &&
    (e.start === e.end ? d.start < e.start && e.start < d.end : d.start <= e.start && e.end <= d.end && (d.end - d.start > e.end - e.start || dAt < eAt));
  return edits.filter((e, i) => !edits.some((d, j) => j !== i && covers(d, e, j, i)));
}

describe('lineColAt', () => {
  it('agrees with counting newlines, for texts asked about in any order', () => {
    const text = fc.array(fc.constantFrom('a', 'b', '\n', 'é'), { maxLength: 40 }).map((cs) => cs.join(''));
    fc.assert(
      fc.property(fc.array(text, { minLength: 1, maxLength: 3 }), fc.array(fc.nat(), { maxLength: 8 }), (texts, picks) => {
        for (const [k, pick] of picks.entries()) {
          const source = texts[k % texts.length]!;
          const index = pick % (source.length + 1);
          expect(lineColAt(source, index)).toEqual(plainLineColAt(source, index));
        }
      }),
    );
  });

  it('answers at the end of a newline and past the last line', () => {
    expect(lineColAt('ab\ncd\n', 2)).toEqual({ line: 1, col: 3 });
    expect(lineColAt('ab\ncd\n', 3)).toEqual({ line: 2, col: 1 });
    expect(lineColAt('ab\ncd\n', 6)).toEqual({ line: 3, col: 1 });
  });
});

describe('outermostEdits', () => {
  it('keeps exactly the edits no other edit covers, in their order', () => {
    const edit = fc.tuple(fc.nat(12), fc.nat(4), fc.boolean()).map(([start, length, empty]) => ({ start, end: empty ? start : start + length, text: `${start}` }));
    fc.assert(
      fc.property(fc.array(edit, { maxLength: 12 }), (edits) => {
        expect(outermostEdits(edits)).toEqual(plainOutermost(edits));
      }),
      { numRuns: 2000 },
    );
  });

  it('keeps the first of two edits of the same range, and drops an insertion only strictly inside', () => {
    const a = { start: 2, end: 5, text: 'a' };
    const b = { start: 2, end: 5, text: 'b' };
    const atStart = { start: 2, end: 2, text: 'i' };
    const inside = { start: 3, end: 3, text: 'j' };
    expect(outermostEdits([a, b, atStart, inside])).toEqual([a, atStart]);
  });

  it('handles the ~10,000 edits of a 25,000-line script', () => {
    // Each statement replaced, and one rewrite inside each: the rewrites go, the replacements stay.
    const edits: Edit[] = [];
    for (let i = 0; i < 10_000; i++) edits.push({ start: i * 10, end: i * 10 + 8, text: 'stmt' }, { start: i * 10 + 2, end: i * 10 + 4, text: 'word' });
    const kept = outermostEdits(edits);
    expect(kept).toHaveLength(10_000);
    expect(kept.every((e) => e.text === 'stmt')).toBe(true);
  });
});

describe('explainingComment', () => {
  const source = '#!/bin/sh\n# header\n\nset -e\n# keep me\n# conda: make the env\n# conda activate\nconda env create\n';
  const at = source.indexOf('conda env create');

  it('takes the comment lines above while each passes, and stops at a blank or code line', () => {
    expect(source.slice(explainingComment(source, at, { line: (l) => /conda/.test(l) }), at)).toBe('# conda: make the env\n# conda activate\n');
    expect(source.slice(explainingComment(source, at), at)).toBe('# keep me\n# conda: make the env\n# conda activate\n');
  });

  it('takes nothing when the whole block fails its test', () => {
    expect(explainingComment(source, at, { block: (b) => !/keep/.test(b) })).toBe(at);
    const setAt = source.indexOf('set -e');
    expect(explainingComment(source, setAt)).toBe(setAt);
  });
});
