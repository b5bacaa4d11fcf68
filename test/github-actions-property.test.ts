// Property: any workflow built from conda-era steps migrates to a valid workflow, and a second run is a no-op.
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { transformText } from './harness.js';

const STEPS: Array<(i: string) => string[]> = [
  (i) => [`- uses: actions/checkout@v4`],
  (i) => [`- uses: conda-incubator/setup-miniconda@v3`, `${i}with:`, `${i}${i}environment-file: environment.yml`, `${i}${i}python-version: 3.10`],
  (i) => [`- name: Micromamba`, `${i}id: mm`, `${i}if: always()`, `${i}uses: mamba-org/setup-micromamba@v2`, `${i}with:`, `${i}${i}create-args: >-`, `${i}${i}${i}python=\${{ matrix.py }}`],
  (i) => [`- uses: actions/cache@v4`, `${i}with:`, `${i}${i}path: ~/conda_pkgs_dir`, `${i}${i}key: k-\${{ hashFiles('environment.yml') }}`],
  (i) => [`- run: pytest -q`, `${i}shell: bash -el {0}`],
  (i) => [`- name: Many`, `${i}shell: bash -l {0}`, `${i}run: |`, `${i}${i}conda info`, `${i}${i}python -m app --x "\${{ github.sha }}"`],
  (i) => [`- run: conda activate base`],
  (i) => [`# a comment about the next step`, `- run: echo hi`],
  (i) => [`- run: >-`, `${i}${i}python`, `${i}${i}-c 'print(1)'`],
];

function workflow(indent: string, jobs: number[][], windows: boolean, defaults: boolean): string {
  const lines = ['on: push'];
  if (defaults) lines.push('defaults:', `${indent}run:`, `${indent}${indent}shell: bash -el {0}`);
  lines.push('jobs:');
  jobs.forEach((steps, j) => {
    lines.push(`${indent}job${j}:`, `${indent}${indent}runs-on: ${windows ? '${{ matrix.os }}' : 'ubuntu-latest'}`);
    lines.push(`${indent}${indent}strategy:`, `${indent}${indent}${indent}matrix:`, `${indent}${indent}${indent}${indent}py: ["3.11"]`);
    if (windows) lines.push(`${indent}${indent}${indent}${indent}os: [windows-latest]`);
    lines.push(`${indent}${indent}steps:`);
    const base = indent.repeat(3);
    for (const s of steps) {
      const [first, ...rest] = STEPS[s]!('  ');
      lines.push(...(first!.startsWith('#') ? [base + first!, ...rest.map((l, k) => (k === 0 ? base + l : `${base}  ${l}`))] : [base + first!, ...rest.map((l) => `${base}${l}`)]));
    }
  });
  return `${lines.join('\n')}\n`;
}

describe('github-actions property', () => {
  it('migrates any mix of conda-era steps into a valid workflow, idempotently', async () => {
    const context = { migrating: true, conda: { pythonVersion: '3.12', envFiles: [{ path: 'environment.yml', role: 'main', migrated: true }] } };
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('  ', '    '),
        fc.array(fc.array(fc.nat(STEPS.length - 1), { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 3 }),
        fc.boolean(),
        fc.boolean(),
        async (indent, jobs, windows, defaults) => {
          const input = workflow(indent, jobs, windows, defaults);
          const before = parseWorkflow({ name: 'in.yml', content: input }, new NoOperationTraceWriter());
          expect(before.context.errors.getErrors().map((e) => e.message)).toEqual([]);
          const { text } = await transformText('github-actions', '.github/workflows/ci.yml', input, { context });
          const after = parseWorkflow({ name: 'out.yml', content: text! }, new NoOperationTraceWriter());
          expect(after.context.errors.getErrors().map((e) => e.message), text).toEqual([]);
          expect(text).not.toMatch(/setup-miniconda|setup-micromamba/);
          // Login shells served activation only where conda was set up.
          if (jobs.every((steps) => steps.some((s) => s === 1 || s === 2))) expect(text).not.toMatch(/bash -e?l/);
          const again = await transformText('github-actions', '.github/workflows/ci.yml', text!, { context });
          expect(again.text).toBe(text);
        },
      ),
      { numRuns: 100 },
    );
  });
});
