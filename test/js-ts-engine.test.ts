// How js-ts hands command strings to the shell engine and splices the answers back. The engine is a
// small fake (conda run -n X CMD -> uv run CMD) so this tests the host: JSON and JS string editing.
import { describe, expect, it, vi } from 'vitest';
import { HOSTS } from '../codemods/lib/shell/hosts.js';
import type { ShellOptions, ShellResult } from '../codemods/lib/shell/index.js';
import { followUpLines, runOnFiles } from './harness.js';

const hosts: string[] = [];

vi.mock('../codemods/lib/shell/index.js', () => ({
  rewriteShell(text: string, options: ShellOptions): ShellResult {
    hosts.push(`${Object.entries(HOSTS).find(([, host]) => host === options.host)?.[0]}/${options.host.reach}`);
    const notes = /conda config/.test(text) ? [{ line: 1, col: 1, message: 'conda config has no uv equivalent' }] : [];
    const out = text.replace(/conda run -n \w+ /g, 'uv run ');
    return { text: out, changed: out !== text, notes, activatedAfter: false };
  },
}));

async function jsTs(path: string, source: string) {
  hosts.length = 0;
  const result = await runOnFiles('js-ts', { [path]: source }, { context: { migrating: true } });
  return { text: result.fs.read(path), followUps: followUpLines(result.followUps.filter((f) => f.path === path)) };
}

describe('js-ts host of the shell engine', () => {
  it("package.json scripts: only the script strings change, the file's layout stays", async () => {
    const source = [
      '{',
      '  "name": "geist-frontend",',
      '  "description": "talks to the conda-run API",',
      '  "scripts": {',
      '    "dev": "vite",',
      '    "api": "conda run -n geist python ../bootstrap.py",',
      '    "quoted":"conda run -n geist python -c \\"print(1)\\"",',
      '    "setup": "conda config --set x y",',
      '    "nested": {"conda": "conda run -n geist x"}',
      '  },',
      '  "config": { "cmd": "conda run -n geist python" }',
      '}',
    ].join('\n');
    const { text, followUps } = await jsTs('frontend/package.json', source);
    expect(text).toBe(
      source
        .replace('"conda run -n geist python ../bootstrap.py"', '"uv run python ../bootstrap.py"')
        .replace('"conda run -n geist python -c \\"print(1)\\""', '"uv run python -c \\"print(1)\\""'),
    );
    expect(hosts).toEqual(['package-json/uv-run', 'package-json/uv-run', 'package-json/uv-run']);
    expect(followUps).toEqual([
      'frontend/package.json:3,9,11: still mentions conda: reword it for uv where it matters [leftovers]',
      'frontend/package.json:8: conda config has no uv equivalent [js-ts]',
    ]);
  });

  it('command strings in exec, bash -c, shell spawns and $`...` keep their quotes', async () => {
    const { text, followUps } = await jsTs(
      'tools/run.ts',
      [
        "import { exec, spawn } from 'node:child_process';",
        "import { $ } from 'execa';",
        "exec('conda run -n geist pytest -q');",
        'child_process.execSync("conda run -n geist python -c \'print(1)\'");',
        "spawn('bash', ['-lc', `conda run -n geist alembic upgrade head`]);",
        "spawn('conda run -n geist uvicorn app:app', { shell: true });",
        'await $`conda run -n geist python manage.py`;',
        'await $`conda run -n ${env} python manage.py`;',
        '',
      ].join('\n'),
    );
    expect(text).toBe(
      [
        "import { exec, spawn } from 'node:child_process';",
        "import { $ } from 'execa';",
        "exec('uv run pytest -q');",
        'child_process.execSync("uv run python -c \'print(1)\'");',
        "spawn('bash', ['-lc', `uv run alembic upgrade head`]);",
        "spawn('uv run uvicorn app:app', { shell: true });",
        'await $`uv run python manage.py`;',
        'await $`conda run -n ${env} python manage.py`;',
        '',
      ].join('\n'),
    );
    expect(hosts).toEqual(['js/uv-run', 'js/uv-run', 'js/uv-run', 'js/uv-run', 'js/uv-run']);
    expect(followUps).toEqual(['tools/run.ts:8: runs a conda command built at run time: rewrite it for uv by hand [js-ts]']);
  });
});
