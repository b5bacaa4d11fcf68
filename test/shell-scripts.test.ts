// The shell-scripts codemod: fixtures, plus every fixture output checked by bash -n (and shellcheck when installed).
import { execFileSync, spawnSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeFixtures, FIXTURES } from './harness.js';

describeFixtures('shell-scripts');

/** Every fixture output that is a shell script (by extension or shebang). */
function shellOutputs(): string[] {
  const dir = path.join(FIXTURES, 'shell-scripts');
  const found: string[] = [];
  const walk = (sub: string, inOutput: boolean) => {
    for (const entry of readdirSync(path.join(dir, sub), { withFileTypes: true })) {
      const rel = path.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel, inOutput || entry.name === 'output');
      else if ((inOutput || /\.output\./.test(entry.name)) && readFileSync(path.join(dir, rel), 'utf8').startsWith('#!')) found.push(path.join(dir, rel));
    }
  };
  walk('', false);
  return found.sort();
}

const hasShellcheck = spawnSync('shellcheck', ['--version']).status === 0;

describe('fixture outputs are valid shell', () => {
  const outputs = shellOutputs();
  it('finds the outputs', () => expect(outputs.length).toBeGreaterThan(4));
  for (const file of outputs) {
    it(`bash -n ${path.relative(FIXTURES, file)}`, () => {
      execFileSync('bash', ['-n', file]);
    });
    it.runIf(hasShellcheck)(`shellcheck ${path.relative(FIXTURES, file)}`, () => {
      execFileSync('shellcheck', ['-S', 'error', file]);
    });
  }
});
