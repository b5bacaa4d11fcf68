import { describe, expect, it } from 'vitest';
import { describeFixtures, transformText } from './harness.js';

describeFixtures('gitlab-ci');

describe('gitlab-ci', () => {
  const migrating = { context: { migrating: true, conda: { pythonVersion: '3.11' } } };

  it('leaves images that are not conda alone', async () => {
    const source = 'image: python:3.11\ntest:\n  script:\n    - conda --version\n';
    const { text } = await transformText('gitlab-ci', '.gitlab-ci.yml', source, migrating);
    expect(text).toBe('image: python:3.11\ntest:\n  script:\n    - uv --version\n');
  });

  it('reports an existing cache it does not own instead of replacing it', async () => {
    const source = 'image: continuumio/miniconda3\ncache:\n  paths: [node_modules]\njob:\n  script: [make]\n';
    const { text, followUps } = await transformText('gitlab-ci', '.gitlab-ci.yml', source, migrating);
    expect(text).toBe('image: ghcr.io/astral-sh/uv:0.12.5-python3.11-trixie-slim\nvariables:\n  UV_LINK_MODE: copy\n  UV_CACHE_DIR: .uv-cache\ncache:\n  paths: [node_modules]\njob:\n  script: [make]\n');
    expect(followUps.map((f) => `${f.line}: ${f.message}`)).toEqual(['2: the pipeline keeps its cache: add $UV_CACHE_DIR keyed on uv.lock to it']);
  });

  it('uses the plain uv image when no Python version is known, and says so', async () => {
    const source = 'test:\n  image: condaforge/miniforge3\n  script: [uv --version]\n';
    const { text, followUps } = await transformText('gitlab-ci', '.gitlab-ci.yml', source, { context: { migrating: true } });
    expect(text).toContain('  image: ghcr.io/astral-sh/uv:0.12.5-trixie-slim\n');
    expect(followUps.map((f) => `${f.line}: ${f.message}`)).toEqual(['2: no Python version known: the uv image downloads the one .python-version or requires-python asks for']);
  });

  it('writes a Python-specific uv image only for a Python uv publishes one for (trixie based), else plain Debian', async () => {
    const source = 'test:\n  image: condaforge/miniforge3\n  script: [uv --version]\n';
    const old = await transformText('gitlab-ci', '.gitlab-ci.yml', source, { context: { migrating: true, conda: { pythonVersion: '3.8' } } });
    expect(old.text).toContain('  image: ghcr.io/astral-sh/uv:0.12.5-trixie-slim\n');
    const current = await transformText('gitlab-ci', '.gitlab-ci.yml', source, { context: { migrating: true, conda: { pythonVersion: '3.13' } } });
    expect(current.text).toContain('  image: ghcr.io/astral-sh/uv:0.12.5-python3.13-trixie-slim\n');
    expect(current.text).not.toMatch(/bookworm/);
    const alpine = await transformText('gitlab-ci', '.gitlab-ci.yml', source.replace('condaforge/miniforge3', 'continuumio/miniconda3:24.1.2-0-alpine'), { context: { migrating: true, conda: { pythonVersion: '3.12' } } });
    expect(alpine.text).toContain('  image: ghcr.io/astral-sh/uv:0.12.5-python3.12-alpine\n');
  });

  it("a job whose activated env ran what uv run does not cover activates the venv; another gets uv run", async () => {
    const source = [
      'lint:',
      '  image: continuumio/miniconda3',
      '  before_script:',
      '    - conda env create -f environment.yml',
      '    - conda activate churn',
      '  script:',
      '    - pip install -r requirements-ci.txt',
      '    - make lint',
      'test:',
      '  image: continuumio/miniconda3',
      '  script:',
      '    - conda env create -f environment.yml',
      '    - source activate churn',
      '    - pytest -q',
      '',
    ].join('\n');
    const { text } = await transformText('gitlab-ci', '.gitlab-ci.yml', source, { context: { migrating: true, conda: { pythonVersion: '3.12' } } });
    expect(text).toContain('  before_script:\n    - uv sync --locked\n    - source .venv/bin/activate\n  script:\n    - uv pip install -r requirements-ci.txt\n    - make lint\n');
    expect(text).toContain('  script:\n    - uv sync --locked\n    - uv run pytest -q\n');
  });

  it('counts the known commands an activated env ran over the whole job: more than three keep the activation', async () => {
    const source = [
      'check:',
      '  image: continuumio/miniconda3',
      '  before_script:',
      '    - conda env create -f environment.yml',
      '    - conda activate churn',
      '  script:',
      '    - python -m churn.selfcheck',
      '    - pytest -q',
      '    - ruff check .',
      '    - python scripts/report.py',
      '',
    ].join('\n');
    const { text } = await transformText('gitlab-ci', '.gitlab-ci.yml', source, { context: { migrating: true, conda: { pythonVersion: '3.12' } } });
    expect(text).toContain('    - uv sync --locked\n    - source .venv/bin/activate\n  script:\n    - python -m churn.selfcheck\n    - pytest -q\n');
    expect(text).not.toContain('uv run');
  });

  it('puts the cache and the prune beside an image in default:', async () => {
    const source = ['default:', '  image: condaforge/miniforge3:24.3.0-0', '', 'test:', '  script:', '    - pytest', ''].join('\n');
    const { text } = await transformText('gitlab-ci', '.gitlab-ci.yml', source, migrating);
    expect(text).toBe(
      [
        'variables:',
        '  UV_LINK_MODE: copy',
        '  UV_CACHE_DIR: .uv-cache',
        '',
        'default:',
        '  image: ghcr.io/astral-sh/uv:0.12.5-python3.11-trixie-slim',
        '  cache:',
        '    - key:',
        '        files:',
        '          - uv.lock',
        '      paths:',
        '        - $UV_CACHE_DIR',
        '  after_script:',
        '    - uv cache prune --ci',
        '',
        'test:',
        '  script:',
        '    - uv run pytest',
        '',
      ].join('\n'),
    );
  });

  it('reports a script left empty', async () => {
    const source = 'job:\n  image: continuumio/miniconda3\n  cache: {}\n  variables: {A: b}\n  script:\n    - conda activate x\n';
    const { followUps } = await transformText('gitlab-ci', '.gitlab-ci.yml', source, migrating);
    expect(followUps.map((f) => `${f.line}: ${f.message}`)).toContain('5: script only did conda work and is now empty: give it a command or remove it');
  });
});
