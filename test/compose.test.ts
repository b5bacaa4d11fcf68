import { describe, expect, it } from 'vitest';
import { describeFixtures, formatFollowUp, runOnFiles, transformText } from './harness.js';

describeFixtures('compose');

/** An env file, so the migration is on when the inventories run. */
const ENV_FILE = 'name: app\ndependencies:\n  - python=3.11\n';

describe('compose inventory', () => {
  it('records bind mounts in short and long form with the Dockerfile the service builds', async () => {
    const compose = [
      'services:',
      '  web:',
      '    build:',
      '      context: ./web',
      '      dockerfile: docker/Dockerfile.dev',
      '    volumes:',
      '      - ./web:/srv/web:ro',
      '      - cache:/root/.cache',
      '  job:',
      '    build: ./job',
      '    volumes:',
      '      - type: bind',
      '        source: ./job/',
      '        target: /opt/job/',
      '      - type: volume',
      '        source: data',
      '        target: /data',
      '  db:',
      '    image: postgres',
      '    volumes: ["/var/run/pg:/var/run/postgresql"]',
      '',
    ].join('\n');
    const { ctx } = await runOnFiles('compose', { 'deploy/docker-compose.yml': compose, 'environment.yml': ENV_FILE });
    expect(ctx.compose.bindMounts).toEqual([
      { composeFile: 'deploy/docker-compose.yml', service: 'web', source: './web', target: '/srv/web', dockerfile: 'deploy/web/docker/Dockerfile.dev' },
      { composeFile: 'deploy/docker-compose.yml', service: 'job', source: './job/', target: '/opt/job', dockerfile: 'deploy/job/Dockerfile' },
      { composeFile: 'deploy/docker-compose.yml', service: 'db', source: '/var/run/pg', target: '/var/run/postgresql' },
    ]);
  });
});

describe('compose inventory without env files', () => {
  it('records nothing: the repository is not migrating', async () => {
    const { ctx } = await runOnFiles('compose', { 'compose.yml': 'services:\n  web:\n    build: .\n    volumes:\n      - .:/app\n' });
    expect(ctx.compose.bindMounts).toEqual([]);
  });
});

describe('compose rules', () => {
  const context = { migrating: true, conda: { envNames: ['app'] } };

  it('reports CONDA_* variables in a flow-style environment instead of reprinting it', async () => {
    const input = 'services:\n  app:\n    build: .\n    environment: [CONDA_DEFAULT_ENV=app, DEBUG=1]\n';
    const { text, followUps } = await transformText('compose', 'compose.yml', input, { context });
    expect(text).toBe(input);
    expect(followUps.map(formatFollowUp)).toEqual(['4: CONDA_* variables in a flow-style environment: remove it by hand']);
  });

  it('rewrites a bash -c script inside its quotes, with the shell engine for the hook', async () => {
    const input = 'services:\n  app:\n    build: .\n    command: sh -c \'eval "$(conda shell.bash hook)" && conda activate app && exec python app.py\'\n';
    const { text } = await transformText('compose', 'compose.yml', input, { context });
    expect(text).toBe("services:\n  app:\n    build: .\n    command: sh -c 'exec python app.py'\n");
  });

  it('leaves a command that runs an env kept on conda (an R env)', async () => {
    const input = 'services:\n  report:\n    build: .\n    command: conda run -n renv Rscript report.R\n  app:\n    build: .\n    command: conda run -n app python app.py\n';
    const envFiles = [{ path: 'r-env.yml', name: 'renv', role: 'unmigratable', migrated: false }];
    const { text } = await transformText('compose', 'compose.yml', input, { context: { ...context, conda: { ...context.conda, envFiles } } });
    expect(text).toBe('services:\n  report:\n    build: .\n    command: conda run -n renv Rscript report.R\n  app:\n    build: .\n    command: python app.py\n');
  });

  it('keeps the quoting style of a rewritten command', async () => {
    const input = "services:\n  app:\n    build: .\n    command: 'conda run -n app python -m app --name \"x y\"'\n    entrypoint: \"/opt/conda/envs/app/bin/python\"\n";
    const { text } = await transformText('compose', 'compose.yml', input, { context });
    expect(text).toBe("services:\n  app:\n    build: .\n    command: 'python -m app --name \"x y\"'\n    entrypoint: \"python\"\n");
  });

  it('says when a bind mount still hides the venv of an already-uv image', async () => {
    const files = {
      'compose.yml': 'services:\n  app:\n    build: .\n    volumes:\n      - .:/app\n    command: conda run -n app python main.py\n',
      Dockerfile: 'FROM python:3.12\nWORKDIR /app\nRUN uv sync --locked\n',
      'environment.yml': ENV_FILE,
    };
    const result = await runOnFiles('compose', files, { context });
    expect(result.fs.read('compose.yml')).toBe('services:\n  app:\n    build: .\n    volumes:\n      - .:/app\n    command: python main.py\n');
    expect(result.followUps.filter((f) => f.codemod === 'compose').map((f) => f.message)).toEqual([
      'service app mounts . over /app, which hides /app/.venv from Dockerfile: set UV_PROJECT_ENVIRONMENT outside it in the image',
    ]);
  });
});
