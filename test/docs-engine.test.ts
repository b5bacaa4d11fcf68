// How the docs codemod drives the shell engine: which snippets it sends, with what activation state,
// and how the answers are spliced back (fence indentation, blockquotes, console prompts, inline code).
// The engine is replaced by a small fake with the docs flavour's rules, so this tests the host alone.
import { describe, expect, it, vi } from 'vitest';
import type { ShellOptions, ShellResult } from '../codemods/lib/shell/index.js';
import { followUpLines, runOnFiles } from './harness.js';

const calls: { text: string; activated: boolean }[] = [];

vi.mock('../codemods/lib/shell/index.js', () => ({
  envProjects: () => undefined,
  rewriteShell(text: string, options: ShellOptions): ShellResult {
    calls.push({ text, activated: options.activated ?? false });
    let activated = options.activated ?? false;
    const notes: ShellResult['notes'] = [];
    const out: string[] = [];
    text.split('\n').forEach((line, i) => {
      if (/^conda activate \w+$/.test(line)) return void (activated = true);
      if (/^conda env create/.test(line)) return void out.push('uv sync');
      if (/^conda env export/.test(line)) return void out.push('uv lock');
      const add = /^(?:conda|pip) install (.+)$/.exec(line);
      if (add) return void out.push(`uv add ${add[1]}`);
      if (/^conda config/.test(line)) notes.push({ line: i + 1, col: 1, message: 'conda config has no uv equivalent' });
      if (activated && /^(?:python|pytest)\b/.test(line)) return void out.push(`uv run ${line}`);
      out.push(line);
    });
    const result = out.join('\n');
    return { text: result, changed: result !== text, notes, activatedAfter: activated };
  },
}));

async function docs(source: string, path = 'README.md') {
  calls.length = 0;
  const result = await runOnFiles('docs', { 'environment.yml': 'name: geist\ndependencies:\n  - python=3.11\n', [path]: source }, {
    context: { conda: { envNames: ['geist'], consoleScripts: ['uvicorn'] } },
  });
  return { text: result.fs.read(path), followUps: followUpLines(result.followUps.filter((f) => f.path === path)) };
}

describe('docs host of the shell engine', () => {
  it('a Geist-like README: an activation-only block activates the venv, later commands run through uv', async () => {
    const { text, followUps } = await docs(
      [
        '## Setup',
        '',
        '1. Activate it:',
        '',
        '   ```bash',
        '   conda activate geist',
        '   ```',
        '',
        '2. Run `python bootstrap.py` to start the server; `uvicorn backend.app:app` works too.',
        '',
        '## Tests',
        '',
        '```bash',
        'pytest -q backend/tests',
        '```',
        '',
        'The file `bootstrap.py` and the word `python` are names; run `pytest` is a command.',
        '',
      ].join('\n'),
    );
    expect(text).toBe(
      [
        '## Setup',
        '',
        '1. Activate it:',
        '',
        '   ```bash',
        '   source .venv/bin/activate',
        '   ```',
        '',
        '2. Run `uv run python bootstrap.py` to start the server; `uvicorn backend.app:app` works too.',
        '',
        '## Tests',
        '',
        '```bash',
        'uv run pytest -q backend/tests',
        '```',
        '',
        'The file `bootstrap.py` and the word `python` are names; run `uv run pytest` is a command.',
        '',
      ].join('\n'),
    );
    expect(calls).toEqual([
      { text: 'conda activate geist', activated: false },
      { text: 'python bootstrap.py', activated: true },
      { text: 'uvicorn backend.app:app', activated: true },
      { text: 'pytest -q backend/tests', activated: true },
      { text: 'pytest', activated: true },
    ]);
    expect(followUps).toEqual([]);
  });

  it('inline commands in an AGENTS-style list', async () => {
    const { text, followUps } = await docs(
      [
        '- Always work inside the env: `conda activate geist`.',
        '- Run the tests with `pytest -q backend/tests`.',
        '- After adding a package, update the env file: `conda env export >> linux_environment.yml`.',
        '- Add a package with ``pip install httpx``.',
        '',
      ].join('\n'),
      'AGENTS.md',
    );
    expect(text).toBe(
      [
        '- Always work inside the env: `source .venv/bin/activate`.',
        '- Run the tests with `uv run pytest -q backend/tests`.',
        '- After adding a package, update the env file: `uv lock`.',
        '- Add a package with ``uv add httpx``.',
        '',
      ].join('\n'),
    );
    expect(followUps).toEqual([]);
  });

  it('console blocks keep prompts and output; an env prompt counts as activated and goes', async () => {
    const { text } = await docs(
      [
        '```console',
        '$ conda env create -f environment.yml',
        'Collecting package metadata: done',
        '$ conda activate geist',
        '(geist) $ python -c "import geist"',
        '$ echo \\',
        '  done',
        'done',
        '```',
        '',
      ].join('\n'),
    );
    expect(text).toBe(
      [
        '```console',
        '$ uv sync',
        'Collecting package metadata: done',
        '$ uv run python -c "import geist"',
        '$ echo \\',
        '  done',
        'done',
        '```',
        '',
      ].join('\n'),
    );
  });

  it('blocks inside blockquotes and tilde fences keep their prefix; engine notes land on the document line', async () => {
    const { text, followUps } = await docs(
      ['Intro.', '', '> ~~~sh', '> conda install numpy', '>', '> conda config --add channels conda-forge', '> ~~~', ''].join('\n'),
      'docs/guide.md',
    );
    expect(text).toBe(['Intro.', '', '> ~~~sh', '> uv add numpy', '>', '> conda config --add channels conda-forge', '> ~~~', ''].join('\n'));
    expect(followUps).toEqual(['docs/guide.md:6: conda config has no uv equivalent [docs]']);
  });

  it('leaves non-shell blocks and unlabelled prose blocks alone, and reads unlabelled command blocks', async () => {
    const source = [
      '```python',
      'import conda',
      '```',
      '',
      '```',
      'Some output that mentions conda install x',
      '```',
      '',
      '```',
      'conda install numpy',
      '```',
      '',
    ].join('\n');
    const { text, followUps } = await docs(source);
    expect(text).toBe(source.replace('\nconda install numpy\n', '\nuv add numpy\n'));
    expect(followUps).toEqual([
      'README.md:2: still mentions conda: reword it for uv where it matters [leftovers]',
      'README.md:6: still tells the reader to run conda: give the uv commands [leftovers]',
    ]);
  });
});
