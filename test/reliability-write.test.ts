// All-or-nothing writing: new contents are staged beside their targets first; if staging fails,
// nothing in the repository has changed and no temporary file is left.
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, lstatSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTree } from './harness.js';
import { CLI, makeDir } from './cli-helpers.js';
import type { Change } from '../runner/vfs.js';
import { LOCK_NAME } from '../runner/lock.js';
import { applyChanges, diskOps, recoverJournal, type Journal, type WriteOps } from '../runner/write.js';

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

/** One change of each kind, over `files`. */
const changes = [
  change('modified', 'a.txt', 'A2\n', { before: 'A\n' }),
  change('created', 'new/deep/b.txt', 'B\n'),
  change('modified', 'c.txt', 'C2\n', { before: 'C\n' }),
  change('deleted', 'd.txt', '', { before: 'D\n' }),
  change('renamed', 'f.txt', 'E\n', { from: 'e.txt', before: 'E\n' }),
];
const files = { 'a.txt': 'A\n', 'c.txt': 'C\n', 'd.txt': 'D\n', 'e.txt': 'E\n' };

describe('applyChanges', () => {
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
      expect(() => applyChanges(dir, changes, faulty)).toThrow(/^nothing was written: injected fault writing \.[a-z]\.txt\.geist-\d+-\d\.tmp$/);
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

describe('the commit is a transaction', () => {
  /** Ops whose `n`th rename throws (renames: 4 writes into place, then 2 removals moved aside). */
  const failingRename = (n: number): WriteOps => {
    let renames = 0;
    return {
      ...diskOps,
      rename(from, to) {
        if (++renames === n) throw new Error(`injected rename fault at ${path.basename(to)}`);
        diskOps.rename(from, to);
      },
    };
  };

  for (const [what, n] of [['the second write into place', 2], ['the last write into place', 4], ['a deletion', 5], ['the last removal', 6]] as const) {
    it(`a fault at ${what}: every original back, no temporary or kept file, and the message says so`, () => {
      const dir = makeDir(files);
      const before = snapshot(dir);
      expect(() => applyChanges(dir, changes, failingRename(n))).toThrow(/^nothing was written: injected rename fault .*\(every file already replaced was put back\)$/);
      expect(snapshot(dir)).toEqual(before);
    });
  }

  it('a folder where a file goes: nothing written, and the folder as it was', () => {
    const dir = makeDir({ ...files, 'pyproject.toml/keep.txt': 'K\n' });
    const before = snapshot(dir);
    expect(() => applyChanges(dir, [...changes, change('created', 'pyproject.toml', '[project]\n')])).toThrow(/^nothing was written: pyproject\.toml is a folder/);
    expect(snapshot(dir)).toEqual(before);
  });

  it('when putting back fails too, the message names the files in an unknown state', () => {
    const dir = makeDir(files);
    let renames = 0;
    const ops: WriteOps = {
      ...diskOps,
      rename(from, to) {
        renames++;
        if (renames === 3 || from.endsWith('.orig')) throw new Error(`injected fault at ${path.basename(to)}`);
        diskOps.rename(from, to);
      },
    };
    expect(() => applyChanges(dir, changes, ops)).toThrow(/^writing failed: injected fault .*putting back the originals failed too, so these are in an unknown state: a\.txt \(each original is beside it/);
  });

  it('root rewriting a user\'s file keeps its owner and group', () => {
    if (process.getuid?.() !== 0) return; // only root can give a file away
    const dir = makeDir(files);
    for (const f of ['a.txt', 'e.txt']) chownSync(path.join(dir, f), 12345, 23456);
    applyChanges(dir, changes);
    for (const f of ['a.txt', 'f.txt']) {
      const stat = lstatSync(path.join(dir, f));
      expect([f, stat.uid, stat.gid]).toEqual([f, 12345, 23456]);
    }
  });

  it('a run killed mid-commit is undone by the next run (its journal is the lock file)', () => {
    const dir = makeDir(files);
    const before = snapshot(dir);
    let journal: Journal | undefined;
    // "Killed" after two writes into place: later operations do nothing, so no rollback happens.
    let renames = 0;
    let killed = false;
    const dead = () => {
      if (killed) throw new Error('killed');
    };
    const ops: WriteOps = {
      ...diskOps,
      rename(from, to) {
        dead();
        if (++renames === 3) {
          killed = true;
          throw new Error('killed');
        }
        diskOps.rename(from, to);
      },
      unlink: (f) => (dead(), diskOps.unlink(f)),
      rmdir: (d) => (dead(), diskOps.rmdir(d)),
    };
    expect(() => applyChanges(dir, changes, ops, (j) => (journal = JSON.parse(JSON.stringify(j)) as Journal))).toThrow();
    expect(snapshot(dir)).not.toEqual(before); // half-written, with temporary and kept files
    expect(journal?.phase).toBe('committing');
    expect(recoverJournal(journal!)).toMatch(/stopped while writing: every file it had changed was put back/);
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('the lock, through the CLI', () => {
  const ENV = 'name: app\ndependencies:\n  - python=3.11\n';

  it('a second run while one holds the lock is refused: exit 2, nothing written', () => {
    const dir = makeDir({ 'environment.yml': ENV });
    writeFileSync(path.join(dir, LOCK_NAME), JSON.stringify({ pid: process.pid, phase: 'staging', entries: [], dirs: [] }));
    const run = spawnSync(process.execPath, [CLI, 'all', dir], { encoding: 'utf8' });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain(`another geist-codemods run (pid ${process.pid}) is migrating`);
    expect(readFileSync(path.join(dir, 'environment.yml'), 'utf8')).toBe(ENV);
    expect(existsSync(path.join(dir, 'pyproject.toml'))).toBe(false);
  });

  it('a lock left by a killed run: its temporary files are removed, the run goes on, and no lock is left', () => {
    const dir = makeDir({ 'environment.yml': ENV, '.pyproject.toml.geist-999999-0.tmp': 'half\n' });
    const stale = path.join(dir, '.pyproject.toml.geist-999999-0.tmp');
    const journal: Journal = { pid: 999999, phase: 'staging', entries: [{ kind: 'write', target: path.join(dir, 'pyproject.toml'), temp: stale, kept: `${stale}.orig` }], dirs: [] };
    writeFileSync(path.join(dir, LOCK_NAME), JSON.stringify(journal));
    const run = spawnSync(process.execPath, [CLI, 'all', dir], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stderr).toContain('a previous run (pid 999999) was stopped before writing anything: its temporary files were removed');
    expect(existsSync(stale)).toBe(false);
    expect(existsSync(path.join(dir, LOCK_NAME))).toBe(false);
    expect(existsSync(path.join(dir, 'pyproject.toml'))).toBe(true);
  });
});
