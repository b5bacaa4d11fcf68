import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { describe, expect, it } from 'vitest';
import { loginlessShell } from '../codemods/github-actions/shell-flags.js';
import { describeFixtures, fileCases } from './harness.js';

describeFixtures('github-actions');

describe('github-actions outputs are valid workflows', () => {
  for (const c of fileCases('github-actions')) {
    const action = /(?:^|\/)action\.ya?ml$/.test(c.options.path ?? '');
    it(`${c.name} parses with @actions/workflow-parser without errors`, () => {
      const file = { name: path.basename(c.output), content: readFileSync(c.output, 'utf8') };
      const result = (action ? parseAction : parseWorkflow)(file, new NoOperationTraceWriter());
      expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
      expect(result.value).toBeDefined();
    });
  }
  it('the check itself catches a broken workflow', () => {
    const content = 'on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: x@v1\n        run: echo both\n';
    const result = parseWorkflow({ name: 'bad.yml', content }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });
  it('the check itself catches a composite run step without shell', () => {
    const content = 'name: a\ndescription: b\nruns:\n  using: composite\n  steps:\n    - run: echo no shell\n';
    const result = parseAction({ name: 'action.yml', content }, new NoOperationTraceWriter());
    expect(result.context.errors.getErrors().length).toBeGreaterThan(0);
  });
});

describe('loginlessShell', () => {
  it.each([
    ['bash -l {0}', null],
    ['bash -el {0}', null],
    ['bash -l -e {0}', null],
    ['bash --login {0}', null],
    ['bash -leo pipefail {0}', 'bash'],
    ['bash -elx {0}', 'bash -ex {0}'],
    ['micromamba-shell {0}', null],
    ['bash', undefined],
    ['bash -e {0}', undefined],
    ['pwsh -command ". \'{0}\'"', undefined],
  ])('%s -> %s', (shell, expected) => {
    expect(loginlessShell(shell)).toBe(expected);
  });
});
