import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { codemods } from '../codemods/index.js';
import { renameTokens } from '../codemods/docs/index.js';
import { mapIndex } from '../codemods/lib/edit-lines.js';
import { runPipeline } from '../runner/pipeline.js';
import { MemoryFs } from '../runner/vfs.js';
import { codemodNamed, describeFixtures, followUpLines, formatFollowUp, runOptions, transformText } from './harness.js';

describeFixtures('docs');

/** Run the docs codemod after renaming/deleting files the way earlier codemods of `all` would. */
async function docsAfter(files: Record<string, string>, moves: { rename?: [string, string][]; remove?: string[] }) {
  const fs = MemoryFs.fromFiles(files);
  for (const [from, to] of moves.rename ?? []) fs.rename(from, to);
  for (const path of moves.remove ?? []) fs.delete(path);
  const result = await runPipeline([codemodNamed('docs')], codemods, runOptions('/virtual'), {
    fs,
    ctx: (ctx) => {
      // The env codemod would have read these before deleting them.
      for (const path of moves.remove ?? []) if (path.endsWith('.yml')) ctx.conda.envFiles.push({ path, role: 'main', migrated: true });
      ctx.migrating ||= ctx.conda.envFiles.length > 0;
    },
  });
  return { result, read: (path: string) => result.fs.read(path) };
}

const ENV = 'name: geist\ndependencies:\n  - python=3.11\n';

describe('docs: renamed and deleted files', () => {
  it('links and mentions follow a renamed script; links to a migrated env file point at pyproject.toml', async () => {
    const { result, read } = await docsAfter(
      {
        'environment.yml': ENV,
        'pyproject.toml': '[project]\nname = "geist"\n',
        'conda-install.sh': '#!/bin/bash\n',
        'docs/setup.md': [
          'Run [conda-install.sh](../conda-install.sh#usage) once; see [the env](../environment.yml).',
          '',
          '[`environment.yml`](../environment.yml) lists every package.',
          '',
          '[env]: ../environment.yml "the environment"',
          '',
          'The script `../conda-install.sh` and conda-install.sh.bak are different files.',
          '',
        ].join('\n'),
      },
      { rename: [['conda-install.sh', 'uv-install.sh']], remove: ['environment.yml'] },
    );
    expect(read('docs/setup.md')).toBe(
      [
        'Run [uv-install.sh](../uv-install.sh#usage) once; see [the env](../pyproject.toml).',
        '',
        '[`pyproject.toml`](../pyproject.toml) lists every package.',
        '',
        '[env]: ../pyproject.toml "the environment"',
        '',
        'The script `../uv-install.sh` and conda-install.sh.bak are different files.',
        '',
      ].join('\n'),
    );
    expect(followUpLines(result.followUps)).toEqual([
      'docs/setup.md:7: prose mentions conda: reword it for uv (The script `../uv-install.sh` and conda-install.sh.bak are different files.) [docs]',
    ]);
  });

  it('a link to a deleted file that was not a migrated env file is left for the leftovers check', async () => {
    const { result, read } = await docsAfter(
      { 'environment.yml': ENV, 'pyproject.toml': '[project]\nname = "geist"\n', 'notes.txt': 'x\n', 'README.md': 'See [notes](notes.txt) and `environment.yml`.\n' },
      { remove: ['notes.txt'] },
    );
    expect(read('README.md')).toBe('See [notes](notes.txt) and `environment.yml`.\n');
    expect(followUpLines(result.followUps)).toEqual(['README.md:1: names notes.txt, which this migration deleted [leftovers]']);
  });
});

describe('docs: files it leaves alone', () => {
  it('skips a changelog and the migration report', async () => {
    const changelog = '# Changelog\n\n## Install Miniconda\n\n- Miniconda from https://docs.conda.io\n';
    const report = '# Migration report: Conda to uv\n\n## Install Miniconda\n\n- Miniconda from https://docs.conda.io\n';
    const { result, read } = await docsAfter({ 'environment.yml': ENV, 'CHANGELOG.md': changelog, 'MIGRATION.md': report }, {});
    expect(read('CHANGELOG.md')).toBe(changelog);
    expect(read('MIGRATION.md')).toBe(report);
    expect(result.followUps.filter((f) => f.path !== 'environment.yml')).toEqual([]);
  });

  it('does nothing when the repository is not being migrated', async () => {
    const text = '## Install Miniconda\n\n- Miniconda from https://docs.conda.io\n';
    const { read } = await docsAfter({ 'README.md': text }, {});
    expect(read('README.md')).toBe(text);
  });
});

describe('renameTokens', () => {
  const renames = new Map([
    ['conda-install.sh', 'uv-install.sh'],
    ['tools/setup_conda.sh', 'scripts/setup_uv.sh'],
  ]);
  it('replaces whole file names of same-folder renames only', () => {
    expect(renameTokens('./conda-install.sh && bash conda-install.sh', renames)).toBe('./uv-install.sh && bash uv-install.sh');
    expect(renameTokens('my-conda-install.sh conda-install.sh.bak conda-install.shell', renames)).toBe('my-conda-install.sh conda-install.sh.bak conda-install.shell');
    expect(renameTokens('tools/setup_conda.sh', renames)).toBe('tools/setup_conda.sh');
  });
});

describe('mapIndex', () => {
  const edits = [
    { start: 2, end: 4, text: 'XYZW' }, // +2
    { start: 10, end: 10, text: 'ab' }, // insertion: +2 for what comes after
  ];
  it('moves positions after edits, and positions inside an edit to its start', () => {
    expect(mapIndex(edits, 1)).toBe(1);
    expect(mapIndex(edits, 2)).toBe(2);
    expect(mapIndex(edits, 3)).toBe(2);
    expect(mapIndex(edits, 4)).toBe(6);
    expect(mapIndex(edits, 10)).toBe(12);
    expect(mapIndex(edits, 11)).toBe(15);
  });
});

describe('docs: properties over generated documents', () => {
  const fragments = [
    '# Title',
    '## Install Miniconda',
    '- Get Miniconda from https://docs.conda.io.',
    '## Usage',
    'Some prose about the app.',
    'We used conda before.',
    '```bash\nconda activate geist\npython app.py\n```',
    '```console\n$ conda env create -f environment.yml\nSolving environment: done\n(geist) $ pytest -q\n```',
    '```\npip install rich\n```',
    '```python\nimport conda\n```',
    '> ```sh\n> conda install numpy\n> ```',
    '1. Run `python bootstrap.py`.\n2. Then `conda env export > environment.yml`.',
    '   ```bash\n   conda activate geist\n   ```',
    'See [the env](environment.yml) and [docs](https://example.com).',
    '<!-- conda comment -->',
    '',
  ];
  const document = fc.array(fc.constantFrom(...fragments), { maxLength: 12 }).map((parts) => parts.join('\n\n') + '\n');
  const context = { context: { conda: { envNames: ['geist'] } }, files: { 'environment.yml': ENV } };

  it('a second run changes nothing', async () => {
    await fc.assert(
      fc.asyncProperty(document, async (doc) => {
        const once = (await transformText('docs', 'README.md', doc, context)).text!;
        const twice = (await transformText('docs', 'README.md', once, context)).text!;
        expect(twice).toBe(once);
      }),
      { numRuns: 60 },
    );
  });

  it('a document without conda, activation or env files is left byte-identical', async () => {
    const plain = fc.array(fc.constantFrom('# Title', 'Some prose.', '```bash\npython app.py\n```', 'Run `pytest -q`.', '> quote', '- item'), { maxLength: 10 });
    await fc.assert(
      fc.asyncProperty(plain, async (parts) => {
        const doc = parts.join('\n\n') + '\n';
        expect((await transformText('docs', 'README.md', doc, context)).text).toBe(doc);
      }),
      { numRuns: 30 },
    );
  });
});

describe('pages for the published package\'s users', () => {
  // The plan takes the package's name from its metadata.
  const options = { context: { migrating: true }, files: { 'pyproject.toml': '[project]\nname = "My_Tool"\n' } };
  it('a page that installs the package itself is left as it is, with one note', async () => {
    const page = '# Install\n\n```bash\nconda create -n tool python=3.11\nconda activate tool\npip install my-tool\n```\n';
    const { text, followUps } = await transformText('docs', 'docs/install.md', page, options);
    expect(text).toBe(page);
    expect(followUps.map(formatFollowUp)).toEqual(['6: installs My_Tool itself: a section for the package\'s users, left as it is']);
  });
  it('only the section that installs the package is left; the development section beside it is migrated', async () => {
    const page = '# Install\n\n## For users\n\n```bash\npip install my-tool\n```\n\n## For developers\n\n```bash\nconda env create -f environment.yml\nconda activate tool\npytest\n```\n';
    const { text } = await transformText('docs', 'docs/install.md', page, options);
    expect(text).toBe(page.replace('conda env create -f environment.yml\nconda activate tool\npytest', 'uv sync\nuv run pytest'));
  });
  it('a developer page (an editable install, another package) is migrated', async () => {
    const page = '# Develop\n\n```bash\nconda activate tool\npip install -e .\npip install my-tool-extras\n```\n';
    const { text } = await transformText('docs', 'docs/develop.md', page, options);
    expect(text).not.toBe(page);
  });
});

describe('docs at the top of a repository of several projects', () => {
  const docker = 'FROM continuumio/miniconda3\nWORKDIR /app\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCOPY . .\n';
  const files = {
    'web/environment.yml': 'name: shop-web\ndependencies:\n  - python=3.12\n  - flask\n',
    'web/Dockerfile': docker,
    'jobs/environment.yml': 'name: shop-jobs\ndependencies:\n  - python=3.12\n  - celery\n',
    'jobs/Dockerfile': docker,
  };
  const run = async (page: string) => {
    const fs = MemoryFs.fromFiles({ ...files, 'CONTRIBUTING.md': page });
    const result = await runPipeline([codemodNamed('docs')], codemods, runOptions('/virtual'), { fs });
    return result.fs.read('CONTRIBUTING.md');
  };
  it("commands that used a project's env work on that project", async () => {
    const page = '# Setup\n\n```bash\nconda env create -f web/environment.yml\nconda activate shop-web\n```\n\nTests: `conda run -n shop-jobs pytest`, then `conda activate shop-jobs`.\n';
    expect(await run(page)).toBe('# Setup\n\n```bash\nuv sync --project web\nsource web/.venv/bin/activate\n```\n\nTests: `uv run --project jobs pytest`, then `source jobs/.venv/bin/activate`.\n');
  });
  it('a page that names none of their envs is left alone (there is no project at the top)', async () => {
    const page = '# Notes\n\n```bash\nconda env create -f environment.yml\n```\n';
    expect(await run(page)).toBe(page);
  });
});

describe('a block that ends by activating the env', () => {
  it('keeps the activation, as the venv\'s: the reader goes on in it with the next blocks', async () => {
    const page = '## Develop\n\n```bash\nconda env create -f environment.yml\nconda activate shop\n```\n\nThen:\n\n```bash\npoetry install\n```\n';
    const { text } = await transformText('docs', 'DEVELOPMENT.md', page, { files: { 'environment.yml': 'name: shop\ndependencies:\n  - python=3.12\n' } });
    expect(text).toBe('## Develop\n\n```bash\nuv sync\nsource .venv/bin/activate\n```\n\nThen:\n\n```bash\npoetry install\n```\n');
  });
});
