// The shell-scripts codemod: fixtures, plus every fixture output checked by bash -n (and shellcheck when installed).
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { installScriptName, isInstallScript } from '../codemods/shell-scripts/index.js';
import { installed } from './cli-helpers.js';
import { describeFixtures, FIXTURES, runOnFiles, transformText } from './harness.js';

// The shell-scripts codemod runs only in a repository being migrated (the env codemod decides): these
// cases stand for such a repository.
const MIGRATING = { context: { migrating: true } };

describeFixtures('shell-scripts', MIGRATING);

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

const hasShellcheck = installed('shellcheck');

describe('fixture outputs are valid shell', () => {
  const outputs = shellOutputs();
  it('finds the outputs', () => expect(outputs.length).toBeGreaterThan(4));
  for (const file of outputs) {
    it(`bash -n ${path.relative(FIXTURES, file)}`, () => {
      execFileSync('bash', ['-n', file]);
    });
    it.runIf(hasShellcheck)(`shellcheck ${path.relative(FIXTURES, file)}`, () => {
      execFileSync('shellcheck', ['-S', 'warning', file]);
    });
  }
});

const installScript = readFileSync(path.join(FIXTURES, 'shell-scripts/install-script/input/conda-install.sh'), 'utf8');

describe('install scripts', () => {
  it('names the env from the context and records the decision', async () => {
    const result = await runOnFiles('shell-scripts', { 'scripts/conda-install.sh': installScript }, { context: { migrating: true, conda: { envNames: ['geist'] } } });
    expect(result.fs.paths()).toEqual(['scripts/uv-install.sh']);
    expect(result.fs.renames.get('scripts/conda-install.sh')).toBe('scripts/uv-install.sh');
    expect(result.fs.read('scripts/uv-install.sh')!.split('\n').slice(-2)).toEqual(['echo "geist environment ready in .venv"', '']);
    expect(result.decisions.map((d) => `${d.path}: ${d.message}`)).toEqual([
      'scripts/uv-install.sh: replaced scripts/conda-install.sh (it created the conda env) by scripts/uv-install.sh: checks for uv, then uv sync --locked from uv.lock',
    ]);
  });
  it('a script a file this tool does not rewrite runs by name keeps its name, rewritten in place', async () => {
    const jenkinsfile = 'pipeline {\n  stages {\n    stage("setup") { steps { sh "./scripts/conda-install.sh" } }\n  }\n}\n';
    const env = 'name: geist\ndependencies:\n  - python=3.11\n';
    const files = { 'environment.yml': env, 'scripts/conda-install.sh': installScript, Jenkinsfile: jenkinsfile, Makefile: 'setup:\n\t./scripts/conda-install.sh\n' };
    const result = await runOnFiles('shell-scripts', files, { context: { migrating: true, conda: { envNames: ['geist'] } } });
    expect(result.fs.renames.size).toBe(0);
    expect(result.fs.read('scripts/conda-install.sh')).toContain('\nuv sync --locked\necho "geist environment ready in .venv"\n');
    expect(result.decisions.map((d) => `${d.path}: ${d.message}`)).toContain(
      'scripts/conda-install.sh: kept the name scripts/conda-install.sh: Jenkinsfile:3 runs it (a Jenkins pipeline, which this tool does not migrate); rewritten in place',
    );
    // The calls to it are calls to a uv script now: the leftovers pass does not take its name for conda.
    expect(result.followUps.filter((f) => f.path === 'Jenkinsfile' || f.path === 'Makefile')).toEqual([]);
    // A reader this tool rewrites (a Makefile) follows a rename instead.
    const followed = await runOnFiles('shell-scripts', { ...files, Jenkinsfile: 'pipeline {}\n' }, { context: { migrating: true, conda: { envNames: ['geist'] } } });
    expect(followed.fs.renames.get('scripts/conda-install.sh')).toBe('scripts/uv-install.sh');
  });
  it('a name without conda in it is rewritten in place', async () => {
    const { text } = await transformText('shell-scripts', 'setup-env.sh', installScript, MIGRATING);
    expect(text).toBe(readFileSync(path.join(FIXTURES, 'shell-scripts/install-script/output/uv-install.sh'), 'utf8'));
  });
  it('a script that also runs something in the env, or does other work, is not an install script', () => {
    expect(isInstallScript('conda env create -f environment.yml\nconda activate geist\npython -m geist.setup\n')).toBe(false);
    expect(isInstallScript('conda env create -f environment.yml\nnpm ci --prefix frontend\n')).toBe(false);
    expect(isInstallScript(installScript)).toBe(true);
  });
  it('a setup script that does other work is rewritten in place', async () => {
    const { text, result } = await transformText('shell-scripts', 'setup-conda.sh', '#!/bin/bash\nset -e\nconda env create -f environment.yml\nnpm ci --prefix frontend\n', MIGRATING);
    expect(text).toBe('#!/bin/bash\nset -e\nuv sync\nnpm ci --prefix frontend\n');
    expect(result.fs.renames.size).toBe(0);
  });
  it('the new name', () => {
    expect(installScriptName('tools/install-conda.sh')).toBe('tools/install-uv.sh');
    expect(installScriptName('mamba_setup.bash')).toBe('uv_setup.bash');
  });
});

describe('which files', () => {
  it('an extension-less file without a shell shebang is skipped', async () => {
    const { text, result } = await transformText('shell-scripts', 'tools/notes', 'conda activate geist\npython x.py\n', MIGRATING);
    expect(text).toBe('conda activate geist\npython x.py\n');
    expect(result.stats.find((s) => s.name === 'shell-scripts')!.skipped).toBe(1);
  });
  it('a zsh script is rewritten', async () => {
    const { text } = await transformText('shell-scripts', 'dev.zsh', '#!/bin/zsh\nconda activate geist\nipython\n', MIGRATING);
    expect(text).toBe('#!/bin/zsh\nuv run ipython\n');
  });
  it('notes become follow-ups with the script line', async () => {
    const { text, followUps } = await transformText('shell-scripts', 'info.sh', '#!/bin/bash\necho hi\nconda info --envs\n', MIGRATING);
    expect(text).toBe('#!/bin/bash\necho hi\nconda info --envs\n');
    expect(followUps.map((f) => `${f.line}: ${f.message}`)).toEqual(['3: `conda info --envs`: no uv equivalent; left as is']);
  });
  it('a script that only activated the env is left empty, with a follow-up', async () => {
    const { text, followUps } = await transformText('shell-scripts', 'activate-env.sh', '#!/bin/bash\n# Activate the geist env.\nsource "$(conda info --base)/etc/profile.d/conda.sh"\nconda activate geist\n', MIGRATING);
    expect(text).toBe('#!/bin/bash\n# Activate the geist env.\n');
    expect(followUps.map((f) => f.message)).toEqual(['only set up the conda env, so nothing is left in it: delete it and the lines that source or run it']);
  });
  it('a login shell that still serves conda stays', async () => {
    const { text } = await transformText('shell-scripts', 'job.sh', '#!/bin/bash -l\nconda activate geist\nconda build recipe\n', MIGRATING);
    expect(text).toBe('#!/bin/bash -l\nconda build recipe\n');
  });
});

describe('scripts that run in the image', () => {
  const entrypoint = '#!/bin/bash --login\nconda activate geist\nalembic upgrade head\nexec "$@"\n';
  it('named by a compose command: venv on PATH, commands unchanged', async () => {
    const compose = 'services:\n  api:\n    build: .\n    command: ./docker/start.sh\n';
    const { text, result } = await transformText('shell-scripts', 'docker/start.sh', entrypoint, { ...MIGRATING, files: { 'docker-compose.yml': compose } });
    expect(text).toBe('#!/bin/bash\nalembic upgrade head\nexec "$@"\n');
    expect(result.decisions.map((d) => d.message)).toContain(
      'runs inside the Docker image (a Dockerfile or compose file names it): the venv is on PATH, so commands stay as they are (no uv run)',
    );
  });
  it('not named by any image file: the command it is given ran in the env, so the venv is activated', async () => {
    const { text } = await transformText('shell-scripts', 'start.sh', entrypoint, { ...MIGRATING, files: { Dockerfile: 'FROM python\nCOPY start.sh.bak /\n' } });
    expect(text).toBe('#!/bin/bash\nsource .venv/bin/activate\nalembic upgrade head\nexec "$@"\n');
  });
  // Image files are every Dockerfile name and every `*compose*.yml`/`.yaml`, in any folder, hidden ones too.
  const inImage = '#!/bin/bash\nalembic upgrade head\nexec "$@"\n';
  for (const [file, text] of [
    ['deploy/podman-compose.yaml', 'services:\n  api:\n    entrypoint: ["/app/start.sh"]\n'],
    ['.devcontainer/compose.dev.yml', 'services:\n  dev:\n    command: bash start.sh\n'],
    ['dockerfiles/api', 'FROM python\nCOPY start.sh /app/\n'],
    ['api.Dockerfile', 'FROM python\nENTRYPOINT ["start.sh"]\n'],
  ]) {
    it(`named by ${file}: venv on PATH`, async () => {
      const { text: out } = await transformText('shell-scripts', 'start.sh', entrypoint, { ...MIGRATING, files: { [file!]: text!, 'other.yml': 'start.sh: 1\n' } });
      expect(out).toBe(inImage);
    });
  }
  it('a YAML file that is not a compose file does not put the venv on PATH', async () => {
    const { text } = await transformText('shell-scripts', 'start.sh', entrypoint, { ...MIGRATING, files: { 'deploy/services.yml': 'command: ./start.sh\n', 'composer.json': '"./start.sh"' } });
    expect(text).toBe('#!/bin/bash\nsource .venv/bin/activate\nalembic upgrade head\nexec "$@"\n');
  });
});

describe('activation or uv run: the rule', () => {
  const run = async (source: string) => (await transformText('shell-scripts', 'run.sh', source, MIGRATING)).text;
  it('a few known env commands get uv run each, and the activation goes', async () => {
    expect(await run('#!/bin/bash\nconda activate geist\ncd backend\npytest -q\npython -m geist.report\n')).toBe('#!/bin/bash\ncd backend\nuv run pytest -q\nuv run python -m geist.report\n');
  });
  it('a command uv run is not known to cover keeps the activation, as the venv', async () => {
    expect(await run('#!/bin/bash\nconda activate geist\npytest\ngeist-cli export --all\n')).toBe('#!/bin/bash\nsource .venv/bin/activate\npytest\ngeist-cli export --all\n');
  });
  it('more than three env commands: the activation, not a uv run on each', async () => {
    expect(await run('#!/bin/bash\nconda activate geist\nruff check .\nmypy src\npytest\npython -m build\n')).toBe('#!/bin/bash\nsource .venv/bin/activate\nruff check .\nmypy src\npytest\npython -m build\n');
  });
  it('a POSIX sh script activates with `.`', async () => {
    expect(await run('#!/bin/sh\n. activate geist && ./manage.py migrate\n')).toBe('#!/bin/sh\n. .venv/bin/activate && ./manage.py migrate\n');
  });
});

describe('comments between removed steps', () => {
  const env = { 'environment.yml': 'name: app\ndependencies:\n  - python=3.11\n' };
  const activate = 'source "$(conda info --base)/etc/profile.d/conda.sh"\n';
  it('a plain comment stays', async () => {
    const { text } = await transformText('shell-scripts', 'run.sh', `#!/bin/bash\n${activate}# a plain comment\n${activate}set -euo pipefail\n`, { ...MIGRATING, files: env });
    expect(text).toBe('#!/bin/bash\n# a plain comment\nset -euo pipefail\n');
  });
  it('a comment about the env goes with them', async () => {
    const { text } = await transformText('shell-scripts', 'run.sh', `#!/bin/bash\n${activate}# then activate the conda env\nconda activate app\nset -euo pipefail\n`, { ...MIGRATING, files: env });
    expect(text).toBe('#!/bin/bash\nset -euo pipefail\n');
  });
});

describe('direnv .envrc', () => {
  it('activating the conda env becomes activating the project venv; the rest stays', async () => {
    const envrc = '[ -f .env ] && source .env\n\neval "$(conda shell.bash hook)"\nconda activate app\nexport DATA=/tmp/data\n';
    const { text } = await transformText('shell-scripts', '.envrc', envrc, MIGRATING);
    expect(text).toBe('[ -f .env ] && source .env\n\nsource .venv/bin/activate\nexport DATA=/tmp/data\n');
  });
  it('a .envrc without conda is left alone', async () => {
    const envrc = 'layout python3\nexport DATA=/tmp/data\n';
    const { text } = await transformText('shell-scripts', '.envrc', envrc, MIGRATING);
    expect(text).toBe(envrc);
  });
});
