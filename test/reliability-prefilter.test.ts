// The git grep pre-pass must change no result: it only spares reading files that cannot matter.
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import picomatch from 'picomatch';
import { describe, expect, it } from 'vitest';
import { codemods } from '../codemods/index.js';
import { literalNeedles } from '../runner/discover.js';
import { globMatcher, matchAll } from '../runner/globs.js';
import { runPipeline } from '../runner/pipeline.js';
import { MemoryFs } from '../runner/vfs.js';
import type { Codemod } from '../contract/types.js';
import { makeRepo } from './cli-helpers.js';
import { comparable, runOptions } from './harness.js';

describe('literalNeedles', () => {
  it('takes the literal words a match must contain', () => {
    expect(literalNeedles(/conda|mamba|activate/i)).toEqual(['conda', 'mamba', 'activate']);
    expect(literalNeedles(/^dependencies\s*:/m)).toEqual(['dependencies']);
    expect(literalNeedles(/\bconda(?:-lock)?\b/)).toEqual(['conda']);
    expect(literalNeedles(/setup-miniconda@v\d+/)).toEqual(['setup-miniconda@v']);
    expect(literalNeedles(/colou?r/)).toEqual(['colour', 'color']);
    expect(literalNeedles(/\.ya?ml\b|pip3? install/i)).toEqual(['.yaml', '.yml', 'pip3 install', 'pip install']);
    expect(literalNeedles(/ab?c*d/)).toEqual(['ab', 'a']);
    expect(literalNeedles(/colou??r/)).toEqual(['colo']);
    expect(literalNeedles(/x{2,3}yz/)).toEqual(['yz']);
    expect(literalNeedles(/CONDA_[A-Z_]+|\.condarc/)).toEqual(['CONDA_', '.condarc']);
  });

  it('says nothing when an alternative has no literal, or case folding is Unicode-wide', () => {
    expect(literalNeedles(/conda|\d+/)).toBeUndefined();
    expect(literalNeedles(/[cC]onda/)).toEqual(['onda']);
    expect(literalNeedles(/(conda|mamba)/)).toBeUndefined();
    expect(literalNeedles(/(c)onda\1/)).toBeUndefined();
    expect(literalNeedles(/conda/iu)).toBeUndefined();
    expect(literalNeedles(/caf\u00e9/)).toBeUndefined();
  });

  it('every match of every codemod pattern contains one of its needles (ASCII case aside)', () => {
    const fragments = ['conda', 'CONDA', 'Mamba', 'activate', 'environment', 'dependencies:', 'dependencies  :', 'language', 'x', ' ', '\n', 'env', '-', 'ä'];
    const regexes = codemods.flatMap((c) => (c.mentions ? [c.mentions] : []));
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...fragments), { maxLength: 8 }), fc.string(), (parts, noise) => {
        const text = parts.join('') + noise;
        for (const re of regexes) {
          const needles = literalNeedles(re);
          if (!needles || !re.test(text)) continue;
          expect(needles.some((n) => text.toLowerCase().includes(n.toLowerCase()))).toBe(true);
        }
      }),
    );
  });
});

describe('globMatcher', () => {
  it('agrees with picomatch on every codemod pattern', () => {
    const segment = fc.constantFrom('a', '.github', 'workflows', 'Dockerfile', 'Dockerfile.dev', 'x.Dockerfile', '.Dockerfile', 'Makefile', 'ci.yml', '.yml', 'a.b.yml', 'env.yaml', '.gitignore', 'README.md', 'run.sh', '.sh', 'package.json', 'docker-compose.yml', 'action.yml', '.gitlab-ci.yml', 'b.tsx', 'x.d.ts', 'run', 'setup', 'GNUmakefile', 'rules.mk', 'dependabot.yml', '.pre-commit-config.yaml', 'Dockerfile_prod', 'compose.yml', 'x.gitlab-ci.yml', 'foo.', 'run.ps1');
    fc.assert(
      fc.property(fc.array(segment, { minLength: 1, maxLength: 4 }), (parts) => {
        const p = parts.join('/');
        for (const c of codemods) expect(globMatcher(c.files)(p), `${c.name} ${p}`).toBe(picomatch(c.files, { dot: true })(p));
      }),
    );
  });

  it('matchAll gives each list of patterns what picomatch gives it', () => {
    const segment = fc.constantFrom('a', '.github', 'workflows', 'Dockerfile', 'Dockerfile.dev', 'Makefile', 'ci.yml', '.yml', 'x.gitlab-ci.yml', 'run.sh', 'run', 'compose.yaml', 'rules.mk', 'package.json', 'dependabot.yml', 'foo.', '.gitlab-ci.yml');
    const paths = fc.uniqueArray(fc.array(segment, { minLength: 1, maxLength: 3 }).map((parts) => parts.join('/')), { maxLength: 20 });
    fc.assert(
      fc.property(paths, (list) => {
        const found = matchAll(list, codemods.map((c) => c.files));
        codemods.forEach((c, i) => {
          expect(found[i]!.paths, c.name).toEqual(list.filter((p) => picomatch(c.files, { dot: true })(p)));
          for (const p of list) expect(found[i]!.test(p), `${c.name} ${p}`).toBe(picomatch(c.files, { dot: true })(p));
        });
      }),
    );
  });
});

/** Test codemods that create, delete and rename, so the leftovers pass has every kind of work. */
const rewriter: Codemod = {
  name: 'test-rewriter',
  description: 'rewrites conda to uv in text files and moves the env file away',
  files: ['**/*.txt', '**/*.sh', '**/*.yml'],
  mentions: /conda\b/i,
  transform: (file) => file.source.replace(/conda\b/gi, 'uv'),
  finish(api) {
    if (api.fs.exists('env/environment.yml')) api.fs.delete('env/environment.yml');
    if (api.fs.exists('tools/setup-tool.bash')) api.fs.rename('tools/setup-tool.bash', 'tools/install-tool.bash');
    api.fs.write('NOTES.md', 'Created by the test rewriter; Miniforge is gone.\n');
  },
};

const REPO: Record<string, string | Buffer> = {
  'env/environment.yml': 'name: x\ndependencies:\n  - python=3.11\n',
  'a.txt': 'use conda here\nand nothing else\n',
  'b.txt': 'nothing to see\n',
  'c.md': 'Install with Miniforge, then read env/environment.yml.\n',
  'd.md': 'Run tools/setup-tool.bash first.\n',
  'e.md': 'Mentions CONDA_PREFIX only.\n',
  'f.py': 'import os\n',
  'tools/setup-tool.bash': '#!/bin/bash\necho setting up\n',
  'g.sh': '#!/bin/sh\nmicromamba activate x\n',
  'bin.dat': Buffer.from([0, 1, 2, 99, 111, 110, 100, 97]),
  'big.txt': 'conda\n'.repeat(400_000),
  'latin.txt': Buffer.concat([Buffer.from('caf'), Buffer.from([0xe9]), Buffer.from(' conda\n')]),
};

describe('the git grep pre-pass', () => {
  it('gives exactly the result of reading every file', async () => {
    const inGit = makeRepo(REPO);
    // Untracked files: the pre-pass greps tracked files only, so these must be read anyway.
    mkdirSync(path.join(inGit, 'notes'));
    writeFileSync(path.join(inGit, 'notes/untracked.txt'), 'conda here\n');
    writeFileSync(path.join(inGit, 'notes/untracked.md'), 'Miniforge too\n');
    const plain = mkdtempSync(path.join(os.tmpdir(), 'geist-plain-'));
    try {
      cpSync(inGit, plain, { recursive: true, filter: (src) => !src.split(path.sep).includes('.git') });
      const selected = [...codemods, rewriter];
      const withPrePass = await runPipeline(selected, selected, runOptions(inGit, { dry: true }));
      const withoutPrePass = await runPipeline(selected, selected, runOptions(plain, { dry: true }));
      expect(withPrePass.inGit).toBe(true);
      expect(withoutPrePass.inGit).toBe(false);
      expect(comparable(withPrePass)).toEqual(comparable(withoutPrePass));
      // The comparison means something: the run changed, deleted, renamed and found leftovers.
      // (Other codemods may change more, e.g. g.sh once the shell codemod is in.)
      expect(withPrePass.changes.map((c) => `${c.kind} ${c.path}`)).toEqual(
        expect.arrayContaining(['created .gitignore', 'created NOTES.md', 'modified a.txt', 'deleted env/environment.yml', 'modified notes/untracked.txt', 'renamed tools/install-tool.bash']),
      );
      expect(withPrePass.files.filter((f) => f.status === 'error').map((f) => f.message)).toEqual([
        'big.txt: 2400000 bytes is over the size limit of 2097152 (left untouched)',
        'latin.txt:1:4: not valid UTF-8 (left untouched; convert it to UTF-8 to migrate it)',
      ]);
      const reported = withPrePass.followUps.map((f) => `${f.path}:${f.line}`);
      expect(reported).toEqual(expect.arrayContaining(['NOTES.md:1', 'c.md:1', 'd.md:1', 'e.md:1', 'notes/untracked.md:1']));
    } finally {
      rmSync(inGit, { recursive: true, force: true });
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe('a pre-pass that answers late', () => {
  // Nothing waits for git grep unless it needs its answer: the plan (who names the env file, which
  // package modules mention conda) or a codemod with hundreds of files to read. A stand-in `git` on PATH delays the
  // pre-pass grep (the one for `conda` and the other words) past the first transforms; the result must
  // still be that of reading every file.
  it('gives exactly the result of reading every file', async () => {
    const files: Record<string, string | Buffer> = { ...REPO };
    for (let i = 0; i < 350; i++) files[`docs/page${i}.md`] = i % 70 === 0 ? `Run \`conda activate app\` first (${i}).\n` : `Page ${i}.\n`;
    const inGit = makeRepo(files);
    const plain = mkdtempSync(path.join(os.tmpdir(), 'geist-plain-'));
    const bin = mkdtempSync(path.join(os.tmpdir(), 'geist-bin-'));
    const realGit = execFileSync('sh', ['-c', 'command -v git'], { encoding: 'utf8' }).trim();
    writeFileSync(path.join(bin, 'git'), `#!/bin/sh\ncase " $* " in *" grep "*" -e conda "*) sleep 2 ;; esac\nexec ${realGit} "$@"\n`, { mode: 0o755 });
    const pathBefore = process.env.PATH;
    try {
      cpSync(inGit, plain, { recursive: true, filter: (src) => !src.split(path.sep).includes('.git') });
      const selected = [...codemods, rewriter];
      process.env.PATH = `${bin}${path.delimiter}${pathBefore}`;
      const late = await runPipeline(selected, selected, runOptions(inGit, { dry: true }));
      process.env.PATH = pathBefore;
      const withoutPrePass = await runPipeline(selected, selected, runOptions(plain, { dry: true }));
      expect(late.inGit).toBe(true);
      expect(late.timings['pre-pass wait']).toBeGreaterThan(0); // the docs codemod waited for it
      expect(comparable(late)).toEqual(comparable(withoutPrePass));
      expect(late.changes.map((c) => c.path)).toEqual(expect.arrayContaining(['docs/page0.md', 'docs/page70.md', 'g.sh', 'a.txt']));
    } finally {
      process.env.PATH = pathBefore;
      for (const dir of [inGit, plain, bin]) rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the pre-pass without a migration', () => {
  // No env file: the pre-pass runs only when more than a few hundred files would have to be read.
  for (const scripts of [5, 400]) {
    it(`gives the result of reading every file (${scripts} scripts)`, async () => {
      const files: Record<string, string> = { 'README.md': 'Run scripts/s0.sh.\n' };
      for (let i = 0; i < scripts; i++) files[`scripts/s${i}.sh`] = i % 50 === 0 ? '#!/bin/bash\nconda activate app\npython app.py\n' : `#!/bin/bash\necho ${i}\n`;
      const inGit = makeRepo(files);
      const plain = mkdtempSync(path.join(os.tmpdir(), 'geist-plain-'));
      try {
        cpSync(inGit, plain, { recursive: true, filter: (src) => !src.split(path.sep).includes('.git') });
        const withPrePass = await runPipeline(codemods, codemods, runOptions(inGit, { dry: true }));
        const withoutPrePass = await runPipeline(codemods, codemods, runOptions(plain, { dry: true }));
        expect(withPrePass.ctx.migrating).toBe(false);
        expect(comparable(withPrePass)).toEqual(comparable(withoutPrePass));
      } finally {
        rmSync(inGit, { recursive: true, force: true });
        rmSync(plain, { recursive: true, force: true });
      }
    });
  }
});

describe('InventoryApi.mentioning (one git grep instead of reading each file)', () => {
  const ENV = 'name: x\ndependencies:\n  - python=3.11\n';
  const files: Record<string, string> = {
    'environment.yml': ENV,
    'deep/a/b/conda.yaml': ENV.replace('dependencies', 'Dependencies'),
    'ci/build.yml': 'on: push\njobs: {}\n',
    'odd[1].yml': ENV,
    'Envfile': 'dependencies: none\n',
    'README.md': 'dependencies are listed in environment.yml\n',
  };
  // Enough YAML that grepping beats reading (below a few hundred files every candidate is read).
  for (let i = 0; i < 320; i++) files[`conf/c${i}.yml`] = `key: ${i}\n`;

  it('keeps exactly the tracked files holding the needle, and every untracked one', async () => {
    const inGit = makeRepo(files);
    mkdirSync(path.join(inGit, 'notes'));
    writeFileSync(path.join(inGit, 'notes/env.yml'), ENV);
    writeFileSync(path.join(inGit, 'notes/plain.yml'), 'a: 1\n');
    // A skip-worktree file: git grep reads the index, not the work tree, so it must be read like an untracked one.
    execFileSync('git', ['update-index', '--skip-worktree', 'conf/c7.yml'], { cwd: inGit });
    writeFileSync(path.join(inGit, 'conf/c7.yml'), ENV);
    const plain = mkdtempSync(path.join(os.tmpdir(), 'geist-plain-'));
    let seen: Record<string, string[]> = {};
    const recorder: Codemod = {
      name: 'test-recorder',
      description: 'records what mentioning answers',
      files: ['**/*.yml', '**/*.yaml', '**/Envfile'],
      async inventory(api) {
        seen[api.options.dir] = await api.mentioning(api.matching(), 'dependencies');
      },
      transform: () => undefined,
    };
    try {
      cpSync(inGit, plain, { recursive: true, filter: (src) => !src.split(path.sep).includes('.git') });
      const selected = [...codemods, recorder];
      const withGrep = await runPipeline(selected, selected, runOptions(inGit, { dry: true }));
      const withoutGrep = await runPipeline(selected, selected, runOptions(plain, { dry: true }));
      expect(seen[inGit]).toEqual(['conf/c7.yml', 'deep/a/b/conda.yaml', 'environment.yml', 'Envfile', 'notes/env.yml', 'notes/plain.yml', 'odd[1].yml'].sort());
      // Outside git nothing is filtered: every candidate is read.
      expect(seen[plain]).toEqual([...new Set([...seen[inGit]!, 'ci/build.yml', ...Object.keys(files).filter((f) => f.startsWith('conf/'))])].sort());
      expect(withGrep.ctx.conda.envFiles).toEqual(withoutGrep.ctx.conda.envFiles);
      // `Dependencies:` passes the case-blind grep but is no env file key.
      expect(withGrep.ctx.conda.envFiles.map((f) => f.path)).toEqual(['conf/c7.yml', 'environment.yml', 'notes/env.yml', 'odd[1].yml']);
      expect(comparable(withGrep)).toEqual(comparable(withoutGrep));
    } finally {
      seen = {};
      rmSync(inGit, { recursive: true, force: true });
      rmSync(plain, { recursive: true, force: true });
    }
  });
});

describe('MemoryFs.paths() and matching() (cached, kept in step)', () => {
  it('always equals the sorted set of live paths after any creates, deletes and renames', () => {
    const name = fc.constantFrom('a.txt', 'b/c.txt', 'B.txt', 'b/a.txt', 'z', '.x', 'b/c.txt.bak');
    const op = fc.oneof(
      fc.record({ kind: fc.constant('write' as const), path: name }),
      fc.record({ kind: fc.constant('delete' as const), path: name }),
      fc.record({ kind: fc.constant('rename' as const), path: name, to: name }),
    );
    fc.assert(
      fc.property(fc.array(op, { maxLength: 25 }), (ops) => {
        const fs = MemoryFs.fromFiles({ 'a.txt': 'a\n', 'b/c.txt': 'c\n', 'z': 'z\n' });
        const model = new Set(['a.txt', 'b/c.txt', 'z']);
        fs.paths(); // build the cache first, so every step below updates it
        const applied: typeof ops = [];
        for (const o of ops) {
          if (o.kind === 'write') {
            fs.write(o.path, 'new\n');
            model.add(o.path);
          } else if (o.kind === 'delete' && model.has(o.path)) {
            fs.delete(o.path);
            model.delete(o.path);
          } else if (o.kind === 'rename' && model.has(o.path) && !model.has(o.to)) {
            fs.rename(o.path, o.to);
            model.delete(o.path);
            model.add(o.to);
          } else continue;
          applied.push(o);
          expect(fs.paths()).toEqual([...model].sort());
          expect(fs.matching(['**/*.txt'])).toEqual([...model].filter((p) => p.endsWith('.txt')).sort());
        }
        // Built only now, after the deletes and renames, it lists what exists() says is there.
        const late = MemoryFs.fromFiles({ 'a.txt': 'a\n', 'b/c.txt': 'c\n', 'z': 'z\n' });
        for (const o of applied) {
          if (o.kind === 'write') late.write(o.path, 'new\n');
          else if (o.kind === 'delete') late.delete(o.path);
          else late.rename(o.path, o.to);
        }
        const names = ['a.txt', 'b/c.txt', 'B.txt', 'b/a.txt', 'z', '.x', 'b/c.txt.bak'];
        expect(late.paths()).toEqual(names.filter((p) => late.exists(p)).sort());
      }),
    );
  });

  it('a discovered file deleted, written again and renamed is gone from where it was', () => {
    const fs = MemoryFs.fromFiles({ 'a.txt': 'a\n' });
    fs.delete('a.txt');
    fs.write('a.txt', 'new\n');
    fs.rename('a.txt', 'b.txt');
    expect(fs.exists('a.txt')).toBe(false);
    expect(fs.read('a.txt')).toBeUndefined();
    expect(fs.paths()).toEqual(['b.txt']);
    expect(fs.changes().map((c) => `${c.kind} ${c.path}`)).toEqual(['deleted a.txt', 'created b.txt']);
  });

  it('a listed file missing from disk, written and deleted again, is not there and leaves nothing to delete', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'geist-missing-'));
    try {
      writeFileSync(path.join(dir, 'kept.txt'), 'k\n');
      const fs = new MemoryFs(dir, ['kept.txt', 'gone.txt']); // git lists gone.txt; the work tree lost it
      fs.write('gone.txt', 'new\n');
      expect(fs.changes().map((c) => `${c.kind} ${c.path}`)).toEqual(['created gone.txt']);
      fs.delete('gone.txt');
      expect(fs.exists('gone.txt')).toBe(false);
      expect(fs.paths()).toEqual(['kept.txt']);
      expect(fs.changes()).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a submodule (.gitmodules names it; git lists it as one entry), and what lies in it, are never written', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'geist-submodule-'));
    try {
      mkdirSync(path.join(dir, 'vendor/lib'), { recursive: true });
      mkdirSync(path.join(dir, 'docs'));
      writeFileSync(path.join(dir, 'a.txt'), 'a\n');
      writeFileSync(path.join(dir, '.gitmodules'), '[submodule "lib"]\n\tpath = vendor/lib\n\turl = https://example.com/lib.git\n');
      const fs = new MemoryFs(dir, ['.gitmodules', 'a.txt', 'vendor/lib']);
      expect(() => fs.write('vendor/lib', 'x\n')).toThrow(/^vendor\/lib: is a git submodule/);
      expect(() => fs.write('vendor/lib/pyproject.toml', 'x\n')).toThrow(/^vendor\/lib\/pyproject\.toml: is inside the git submodule vendor\/lib/);
      expect(() => fs.rename('a.txt', 'vendor/lib/a.txt')).toThrow(/inside the git submodule vendor\/lib/);
      // Beside it, and in a plain folder, files are written.
      fs.write('vendor/library.txt', 'x\n');
      fs.write('docs/new.md', 'x\n');
      expect(fs.changes().map((c) => `${c.kind} ${c.path}`)).toEqual(['created docs/new.md', 'created vendor/library.txt']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('unread() is pristine() and not isLoaded(), whatever was read, written, deleted or renamed (a listed file missing from disk too)', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'geist-unread-'));
    try {
      mkdirSync(path.join(dir, 'b'));
      writeFileSync(path.join(dir, 'a.txt'), 'a\n');
      writeFileSync(path.join(dir, 'b/c.txt'), 'c\n');
      const names = ['a.txt', 'b/c.txt', 'gone.txt', 'new.txt'];
      const name = fc.constantFrom(...names);
      const op = fc.oneof(
        fc.record({ kind: fc.constant('read' as const), path: name }),
        fc.record({ kind: fc.constant('write' as const), path: name }),
        fc.record({ kind: fc.constant('delete' as const), path: name }),
        fc.record({ kind: fc.constant('rename' as const), path: name, to: name }),
      );
      fc.assert(
        fc.property(fc.array(op, { maxLength: 12 }), (ops) => {
          const fs = new MemoryFs(dir, ['a.txt', 'b/c.txt', 'gone.txt']);
          for (const o of ops) {
            if (o.kind === 'read') fs.read(o.path);
            else if (o.kind === 'write') fs.write(o.path, 'new\n');
            else if (o.kind === 'delete' && fs.exists(o.path) && fs.read(o.path) !== undefined) fs.delete(o.path);
            else if (o.kind === 'rename' && fs.read(o.path) !== undefined && !fs.exists(o.to)) fs.rename(o.path, o.to);
            for (const n of names) expect(fs.unread(n), `${n} after ${JSON.stringify(ops)}`).toBe(fs.pristine(n) && !fs.isLoaded(n));
          }
        }),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
