// ignoredByGitLater: git asked early about a guess answers later asks as ignoredByGit would, and an ask
// beyond the guess (or after the early ask failed) goes to git itself.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ignoredByGit, ignoredByGitLater } from '../runner/git.js';
import { makeRepo } from './cli-helpers.js';

describe('ignoredByGitLater', () => {
  const dir = makeRepo({ '.gitignore': '*.log\nbuild/\n', 'sub/.gitignore': 'secret.txt\n', 'app.py': '' });

  it('answers any subset of the guess, in the order asked, as ignoredByGit does', async () => {
    const ask = ignoredByGitLater(dir, ['a.log', 'app.py', 'build/x', 'sub/secret.txt', 'uv.lock']);
    for (const paths of [['sub/secret.txt', 'a.log'], ['app.py', 'uv.lock'], ['a.log', 'a.log', 'build/x'], []]) {
      const now = await ask(paths);
      expect([...now]).toEqual([...ignoredByGit(dir, paths)]);
    }
    expect([...(await ask(['sub/secret.txt', 'a.log'])).keys()]).toEqual(['sub/secret.txt', 'a.log']);
  });

  it('a path outside the guess is asked then, with the rules as they are then', async () => {
    const ask = ignoredByGitLater(dir, ['a.log']);
    await ask(['a.log']);
    writeFileSync(path.join(dir, '.gitignore'), '*.log\nbuild/\n.python-version\n');
    expect([...(await ask(['a.log', '.python-version'])).keys()]).toEqual(['a.log', '.python-version']);
  });

  it('an early ask git refuses (a path outside the repository) leaves each later ask to git itself', async () => {
    const ask = ignoredByGitLater(dir, ['../outside', 'a.log']);
    expect([...(await ask(['a.log'])).keys()]).toEqual(['a.log']);
    await expect(ask(['../outside'])).rejects.toThrow(/git check-ignore failed/);
  });
});
