// codemods/lib/memo.ts: the bounded memo behind the shell parser's, the shell engine's and the
// Dockerfile reader's per-text answers.
import { describe, expect, it } from 'vitest';
import { remembered } from '../codemods/lib/memo.js';

describe('remembered', () => {
  it('computes an answer once, then gives it back', () => {
    const memo = new Map<string, number>();
    let calls = 0;
    const ask = (k: string) => remembered(memo, k, 10, () => (calls++, k.length));
    expect([ask('ab'), ask('ab'), ask('abc')]).toEqual([2, 2, 3]);
    expect(calls).toBe(2);
  });

  it('keeps at most `limit` answers, forgetting the oldest first', () => {
    const memo = new Map<string, string>();
    for (const k of ['a', 'b', 'c', 'd']) remembered(memo, k, 3, () => k.toUpperCase());
    expect([...memo.keys()]).toEqual(['b', 'c', 'd']);
    let recomputed = false;
    expect(remembered(memo, 'a', 3, () => ((recomputed = true), 'A'))).toBe('A');
    expect(recomputed).toBe(true);
  });

  it('keeps nothing when the computation throws', () => {
    const memo = new Map<string, string>();
    expect(() => remembered(memo, 'x', 3, () => { throw new Error('bad'); })).toThrow('bad');
    expect(memo.size).toBe(0);
  });
});
