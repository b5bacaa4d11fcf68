// All-or-nothing writing: new contents are staged beside their targets first; if staging fails,
// nothing in the repository has changed and no temporary file is left.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from './harness.js';
import { CLI, makeDir } from './cli-helpers.js';
import type { Change } from '../runner/vfs.js';
import { applyChanges, diskOps, type WriteOps } from '../runner/write.js';

const change = (kind: Change['kind'], p: string, after: string, extra: Partial<Change> = {}): Change => ({
  kind,
  path: p,
  before: '',
  after,
  mode: 0o644,
  bom: false,
  crlf: false,
  ...extra,
});

/** Every path under dir, files and folders, sorted: to see that nothing appeared or vanished. */
function listing(dir: string): string[] {
  return (readdirSync(dir, { recursive: true }) as string[]).map((p) => p.split(path.sep).join('/')).sort();
}

function snapshot(dir: string) {
  return { listing: listing(dir), files: [...readTree(dir)].map(([p, f]) => [p, f.bytes.toString('base64'), f.exec]) };
}

describe('applyChanges', () => {
  const changes = [
    change('modified', 'a.txt', 'A2\n', { before: 'A\n' }),
    change('created', 'new/deep/b.txt', 'B\n'),
    change('modified', 'c.txt', 'C2\n', { before: 'C\n' }),
    change('deleted', 'd.txt', '', { before: 'D\n' }),
    change('renamed', 'f.txt', 'E\n', { from: 'e.txt', before: 'E\n' }),
  ];
  const files = { 'a.txt': 'A\n', 'c.txt': 'C\n', 'd.txt': 'D\n', 'e.txt': 'E\n' };

  it('writes, creates, deletes and renames when nothing fails', () => {
    const dir = makeDir(files);
    applyChanges(dir, changes);
    expect([...readTree(dir)].map(([p, f]) => `${p}=${f.bytes.toString()}`)).toEqual(['a.txt=A2\n', 'c.txt=C2\n', 'f.txt=E\n', 'new/deep/b.txt=B\n']);
  });

  for (const [what, failAt] of [
    ['the first staged write', 1],
    ['the second staged write (after one was staged and a folder made)', 2],
    ['the last staged write', 4],
  ] as const) {
    it(`a fault at ${what}: nothing changed, no temporary file or new folder left`, () => {
      const dir = makeDir(files);
      const before = snapshot(dir);
      let writes = 0;
      const faulty: WriteOps = {
        ...diskOps,
        writeFile(file, data, mode) {
          if (++writes === failAt) throw new Error(`injected fault writing ${path.basename(file)}`);
          diskOps.writeFile(file, data, mode);
        },
      };
      expect(() => applyChanges(dir, changes, faulty)).toThrow(/^injected fault writing \.[a-z]\.txt\.geist-\d+-\d\.tmp$/);
      expect(writes).toBe(failAt);
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it('a fault making a folder: nothing changed', () => {
    const dir = makeDir(files);
    const before = snapshot(dir);
    const faulty: WriteOps = {
      ...diskOps,
      mkdir(d) {
        if (d.endsWith('deep')) throw new Error('injected mkdir fault');
        return diskOps.mkdir(d);
      },
    };
    expect(() => applyChanges(dir, changes, faulty)).toThrow('injected mkdir fault');
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('a read-only folder through the CLI', () => {
  it('staging fails there: exit 1, "Nothing was written", every byte as it was, no temporary file', () => {
    const dir = makeDir({
      'environment.yml': 'name: app\ndependencies:\n  - python=3.11\n',
      '.gitignore': '__pycache__/\n',
      Dockerfile: 'FROM python:3.11\nCOPY . .\n',
      'docker/Dockerfile': 'FROM python:3.11\nCOPY . /app\n',
    });
    // Root ignores permissions, so as root the CLI runs as nobody, who owns the tree but not docker/'s write bit.
    const root = process.getuid?.() === 0;
    if (root) for (const p of ['', ...listing(dir)]) chownSync(path.join(dir, p), 65534, 65534);
    chmodSync(path.join(dir, 'docker'), 0o555);
    const before = snapshot(dir);
    const run = spawnSync(process.execPath, [CLI, 'all', dir], {
      encoding: 'utf8',
      env: { ...process.env, NO_COLOR: '1' },
      ...(root ? { uid: 65534, gid: 65534 } : {}),
    });
    chmodSync(path.join(dir, 'docker'), 0o755);
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/^error: nothing was written: EACCES: permission denied, open '.*\/docker\/\.\.dockerignore\.geist-\d+-\d+\.tmp'\n$/); // (index: how many were staged before)
    expect(snapshot(dir)).toEqual(before);
  });
});
