import { readFileSync } from 'node:fs';
import path from 'node:path';
import { NoOperationTraceWriter, parseWorkflow } from '@actions/workflow-parser';
import { parseAction } from '@actions/workflow-parser/actions/action-parser';
import { describe, expect, it } from 'vitest';
import { loginlessShell } from '../codemods/github-actions/shell-flags.js';
import { parseYaml, scalarNodeEdit, scalarValueEdit, pairOf } from '../codemods/lib/yaml.js';
import { applyEdits } from '../codemods/lib/text.js';
import { describeFixtures, dirCases, fileCases, formatFollowUp, readTree, transformText } from './harness.js';

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
  for (const caseDir of dirCases('github-actions')) {
    for (const [rel, file] of readTree(path.join(caseDir, 'output'))) {
      const action = /(?:^|\/)action\.ya?ml$/.test(rel);
      if (!action && !/^\.github\/workflows\/[^/]+\.ya?ml$/.test(rel)) continue;
      it(`${path.basename(caseDir)}/${rel} parses with @actions/workflow-parser without errors`, () => {
        const result = (action ? parseAction : parseWorkflow)({ name: rel, content: file.bytes.toString('utf8') }, new NoOperationTraceWriter());
        expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
      });
    }
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

describe('github-actions on odd input', () => {
  const context = { migrating: true, conda: { pythonVersion: '3.12' } };
  const workflow = [
    'on: push',
    'jobs:',
    '  t:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - uses: conda-incubator/setup-miniconda@v3',
    '      - run: pytest',
    '',
  ].join('\n');
  const migrated = [
    'on: push',
    'jobs:',
    '  t:',
    '    runs-on: ubuntu-latest',
    '    steps:',
    '      - name: Set up uv',
    '        uses: astral-sh/setup-uv@v10.0.1',
    '        with:',
    '          version: "0.12.5"',
    '          enable-cache: true',
    '          python-version: "3.12"',
    '          activate-environment: true',
    '      - name: Install dependencies',
    '        run: uv sync --locked',
    '      - run: pytest',
    '',
  ].join('\n');

  it("a job whose egress allow-list names conda's hosts is told what uv needs; the list is not rewritten", async () => {
    const hardened = workflow.replace(
      '    steps:\n',
      '    steps:\n      - uses: step-security/harden-runner@v2\n        with:\n          egress-policy: block\n          allowed-endpoints: >\n            conda.anaconda.org:443\n            github.com:443\n',
    );
    const { text, followUps } = await transformText('github-actions', '.github/workflows/ci.yml', hardened, { context });
    expect(text).toContain('conda.anaconda.org:443');
    expect(followUps.map(formatFollowUp)).toContainEqual(
      "9: harden-runner's allowed-endpoints still list conda's hosts: add pypi.org:443, files.pythonhosted.org:443, objects.githubusercontent.com:443, release-assets.githubusercontent.com:443 (setup-uv gets uv from GitHub's releases, uv sync gets packages from PyPI), and drop the conda hosts once nothing uses them",
    );
    const open = await transformText('github-actions', '.github/workflows/ci.yml', hardened.replace('conda.anaconda.org:443', 'example.org:443'), { context });
    expect(open.followUps.map(formatFollowUp).join('\n')).not.toMatch(/harden-runner/);
  });
  it('a block removed from between two blank lines leaves one blank line, not two', async () => {
    const spaced = workflow.replace('on: push\n', 'on: push\n\ndefaults:\n  run:\n    shell: bash -el {0}\n\n');
    const { text } = await transformText('github-actions', '.github/workflows/ci.yml', spaced, { context });
    expect(text).toBe(migrated.replace('on: push\n', 'on: push\n\n'));
    // First in the file: no blank line is left at the top.
    const first = await transformText('github-actions', '.github/workflows/ci.yml', `defaults:\n  run:\n    shell: bash -el {0}\n\n${workflow}`, { context });
    expect(first.text).toBe(migrated);
  });
  it('a comment above the replaced conda setup step goes with it when it talks about conda', async () => {
    const commented = (comment: string) => workflow.replace('      - uses: conda-incubator', `      # ${comment}\n      - uses: conda-incubator`);
    const conda = await transformText('github-actions', '.github/workflows/ci.yml', commented('set up Miniconda and the env'), { context });
    expect(conda.text).toBe(migrated);
    const other = await transformText('github-actions', '.github/workflows/ci.yml', commented('the Python environment'), { context });
    expect(other.text).toBe(migrated.replace('      - name: Set up uv', '      # the Python environment\n      - name: Set up uv'));
  });
  it('a job with an "Install dependencies" step of its own gets the uv one under another name', async () => {
    const poetry = workflow.replace('      - run: pytest\n', '      - name: Install dependencies\n        run: poetry install\n      - run: pytest\n');
    const { text } = await transformText('github-actions', '.github/workflows/ci.yml', poetry, { context });
    expect(text).toContain('      - name: Install dependencies with uv\n        run: uv sync --locked\n      - name: Install dependencies\n        run: poetry install\n');
  });
  it('syncs a group only when the written pyproject.toml has it', async () => {
    const docs = workflow.replace('setup-miniconda@v3\n', 'setup-miniconda@v3\n        with:\n          environment-file: docs/environment.yml\n');
    const envFiles = [{ path: 'docs/environment.yml', name: 'docs', python: '3.12', role: 'group', group: 'docs', migrated: true }];
    const written = await transformText('github-actions', '.github/workflows/t.yml', docs, { context: { migrating: true, conda: { envFiles, groups: ['docs'] } } });
    expect(written.text).toContain('run: uv sync --locked --group docs\n');
    const missing = await transformText('github-actions', '.github/workflows/t.yml', docs, { context: { migrating: true, conda: { envFiles, groups: [] } } });
    expect(missing.text).toContain('run: uv sync --locked\n');
    expect(missing.text).not.toContain('--group');
  });

  it('a job that set nothing up but now runs uv gets setup-uv before the first such step', async () => {
    const source = 'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo hi\n      - run: conda run -n app pytest\n';
    const { text } = await transformText('github-actions', '.github/workflows/t.yml', source, { context });
    expect(text).toBe(
      'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: echo hi\n' +
        '      - name: Set up uv\n        uses: astral-sh/setup-uv@v10.0.1\n        with:\n          version: "0.12.5"\n          enable-cache: true\n' +
        '      - run: uv run pytest\n',
    );
  });

  it('a conda step above the conda setup step gets setup-uv before it too', async () => {
    const source =
      'on: push\njobs:\n  t:\n    runs-on: ubuntu-latest\n    steps:\n      - run: conda env create -f environment.yml\n' +
      '      - uses: conda-incubator/setup-miniconda@v3\n        with:\n          environment-file: environment.yml\n';
    const { text = '' } = await transformText('github-actions', '.github/workflows/t.yml', source, { context });
    const steps = text.split('\n').filter((l) => /^ {6}- /.test(l));
    expect(steps[0]).toBe('      - name: Set up uv');
    expect(steps[1]).toBe('      - run: uv sync --locked');
    expect(text.match(/uses: astral-sh\/setup-uv@/g)).toHaveLength(2);
  });

  it('keeps CRLF line ends', async () => {
    const { text } = await transformText('github-actions', '.github/workflows/t.yml', workflow.replace(/\n/g, '\r\n'), { context });
    expect(text).toBe(migrated.replace(/\n/g, '\r\n'));
  });

  it('keeps a missing final newline', async () => {
    const { text } = await transformText('github-actions', '.github/workflows/t.yml', workflow.trimEnd(), { context });
    expect(text).toBe(migrated.trimEnd());
  });

  it('fails a file that is not YAML at its line and column, untouched', async () => {
    await expect(transformText('github-actions', '.github/workflows/t.yml', 'jobs:\n  t: [conda\n', { context })).rejects.toThrow(/^\.github\/workflows\/t\.yml:\d+:\d+: invalid YAML/);
  });

  it('leaves a workflow without conda byte-identical', async () => {
    const source = 'on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    environment: production\n    steps:\n      - run: ./deploy.sh   # env: ${{ vars.X }}\n';
    const { text } = await transformText('github-actions', '.github/workflows/deploy.yml', source, { context });
    expect(text).toBe(source);
  });

  it('keeps the last step of a job that only did conda work, and says so', async () => {
    const source = 'on: push\njobs:\n  env:\n    runs-on: ubuntu-latest\n    steps:\n      - run: conda activate base\n';
    const { text, followUps } = await transformText('github-actions', '.github/workflows/env.yml', source, { context });
    expect(text).toBe(source);
    expect(followUps.map((f) => `${f.line}: ${f.message}`)).toEqual(['6: every step of this job only did conda work: remove the job or give it a uv step']);
  });

  it('does nothing when the repository is not being migrated', async () => {
    const { text } = await transformText('github-actions', '.github/workflows/t.yml', workflow);
    expect(text).toBe(workflow);
  });

  it('does not take a workflow under .github for an env file in paths filters', async () => {
    const source = 'on:\n  push:\n    paths: [.github/workflows/conda.yml]\njobs: {}\n';
    const { text } = await transformText('github-actions', '.github/workflows/conda.yml', source, { context });
    expect(text).toBe(source);
  });
});

describe('scalar splices', () => {
  const edit = (source: string, value: string) => {
    const parsed = parseYaml(source);
    const pair = pairOf(parsed.doc.contents, 'run')!;
    const e = scalarValueEdit(source, pair, value);
    return e && applyEdits(source, [e]);
  };
  it('rewrites a literal block in place, keeping its header, comment and trailing blank lines', () => {
    expect(edit('run: |  # steps\n    a\n    b\n\n# after\nx: 1\n', 'a2\nb\n')).toBe('run: |  # steps\n    a2\n    b\n\n# after\nx: 1\n');
  });
  it('keeps blank lines inside a block unindented', () => {
    expect(edit('run: |-\n  a\n\n  b\nx: 1\n', 'A\n\nB')).toBe('run: |-\n  A\n\n  B\nx: 1\n');
  });
  it('keeps quotes on a one-line scalar', () => {
    expect(edit("run: 'python x.py'\n", 'uv run python x.py')).toBe("run: 'uv run python x.py'\n");
  });
  it('turns a one-line scalar that gains lines into a literal block', () => {
    expect(edit('run: a && b\n', 'a\nb')).toBe('run: |-\n  a\n  b\n');
  });
  it('refuses a block with an explicit indentation indicator', () => {
    expect(edit('run: |2\n    a\n', 'b\n')).toBeUndefined();
  });
  it('edits a sequence item past its dash', () => {
    const source = 'script:\n  - a\n';
    const parsed = parseYaml(source);
    const item = (pairOf(parsed.doc.contents, 'script')!.value as { items: unknown[] }).items[0];
    expect(applyEdits(source, [scalarNodeEdit(source, item, 'x\ny', 2)!])).toBe('script:\n  - |-\n    x\n    y\n');
  });
});
