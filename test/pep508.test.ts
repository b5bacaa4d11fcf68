// The PEP 508 parser against `packaging`'s verdicts (test/data/pep508-cases.json, written by
// scripts/pep508-cases.py; the tests need no python).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseRequirement } from '../codemods/lib/pep508.js';

interface Case {
  text: string;
  valid: boolean;
  name?: string;
  extras?: string[];
  specifier?: string[];
  url?: string | null;
  marker?: string | null;
}

const { cases } = JSON.parse(readFileSync(path.join(import.meta.dirname, 'data/pep508-cases.json'), 'utf8')) as { cases: Case[] };

/** Where this parser is stricter than `packaging`, on purpose. */
const STRICTER: Record<string, string> = {
  'requests>=1.0,': "PEP 508's grammar has no trailing comma",
  'pkg @ example.com/p.whl': 'a URL needs a scheme',
  'pkg @ https:///p.whl': 'a network URL needs a host',
};

/** A marker compared without whitespace or quote style (packaging prints its own normal form). */
const markerKey = (m: string) => m.replace(/\s+/g, '').replace(/'/g, '"').replace(/\bos\.name\b/g, 'os_name');

describe('parseRequirement agrees with packaging', () => {
  expect(cases.length).toBeGreaterThan(90);
  for (const c of cases) {
    const strict = STRICTER[c.text];
    it(`${JSON.stringify(c.text)} is ${c.valid && !strict ? 'valid' : `invalid${strict ? ` (${strict})` : ''}`}`, () => {
      const parsed = parseRequirement(c.text);
      if (!c.valid || strict) {
        expect('error' in parsed, JSON.stringify(parsed)).toBe(true);
        if ('error' in parsed) expect(parsed.column).toBeGreaterThanOrEqual(1);
        return;
      }
      if ('error' in parsed) throw new Error(`col ${parsed.column}: ${parsed.error}`);
      expect(parsed.name).toBe(c.name);
      expect([...parsed.extras].sort()).toEqual(c.extras);
      expect(parsed.specifier ? parsed.specifier.split(',').sort() : []).toEqual(c.specifier);
      expect(parsed.url ?? null).toBe(c.url);
      expect(parsed.marker === undefined ? null : markerKey(parsed.marker)).toBe(c.marker ? markerKey(c.marker) : null);
    });
  }
});

describe('parseRequirement errors', () => {
  it('points at the column where the requirement goes wrong', () => {
    expect(parseRequirement('requests; $(touch x)')).toEqual({ error: expect.stringContaining('marker variable'), column: 11 });
    expect(parseRequirement('requests>=abc')).toEqual({ error: 'not a valid version for >=: abc', column: 9 });
    expect(parseRequirement('requests[sec')).toEqual({ error: 'expected `,` or `]` in the extras', column: 13 });
    expect(parseRequirement('x$(touch /tmp/p)')).toEqual({ error: expect.stringContaining('expected'), column: 2 });
  });
});
