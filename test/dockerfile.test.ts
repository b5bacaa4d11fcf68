import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { codemods } from '../codemods/index.js';
import { classify, splitCommands } from '../codemods/lib/shell/snippets.js';
import type { Codemod } from '../contract/types.js';
import { runPipeline } from '../runner/pipeline.js';
import { MemoryFs } from '../runner/vfs.js';
import { describeFixtures, FIXTURES, formatFollowUp, readTree, runOnFiles, runOptions, transformText } from './harness.js';

describeFixtures('dockerfile');

/** An instruction that still needs conda: a conda command, image, path or variable outside comments. */
const NEEDS_CONDA = /\b(?:conda|mamba|micromamba|miniconda\d?|miniforge\d?|mambaforge|CONDA_[A-Z_]+|MAMBA_[A-Z_]+)\b|\/opt\/conda|_entrypoint\.sh/i;

describe('dockerfile fixture outputs', () => {
  const outputs = readdirSync(path.join(FIXTURES, 'dockerfile')).filter((f) => f.includes('.output.'));
  it('has outputs to check', () => expect(outputs.length).toBeGreaterThanOrEqual(7));
  for (const name of outputs) {
    it(`${name} parses again and has no instruction left that needs conda`, () => {
      const text = readFileSync(path.join(FIXTURES, 'dockerfile', name), 'utf8');
      const dockerfile = DockerfileParser.parse(text);
      const instructions = dockerfile.getInstructions();
      expect(instructions.length).toBeGreaterThan(0);
      expect(instructions.every((i) => i.getKeyword() === i.getInstruction().toUpperCase())).toBe(true);
      const needing = instructions.map((i) => i.toString()).filter((t) => NEEDS_CONDA.test(t.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n')));
      expect(needing).toEqual([]);
    });
  }
});

describe('splitCommands', () => {
  it('keeps compound commands and quoted operators whole, splits on && ; || and newlines', () => {
    const text = 'if [ "$A" = 1 ]; then \\\n  X=1; \\\nfi && echo "a && b" | tee f; (cd x && y) || z 2>&1\nlast';
    expect(splitCommands(text).map((s) => s.text)).toEqual(['if [ "$A" = 1 ]; then \\\n  X=1; \\\nfi', 'echo "a && b" | tee f', '(cd x && y)', 'z 2>&1', 'last']);
  });
  it('classifies conda commands', () => {
    const kinds = splitCommands(
      'conda env create -f e.yml && mamba install -y gdal && conda run -n x python a.py && conda clean -afy && source activate x && source /venv/bin/activate && ./conda-install.sh && bash -c "conda activate x" && echo hi && echo "activate the feature" && echo "conda activate x" >> ~/.bashrc',
    ).map((s) => classify(s, ['conda-install.sh']));
    expect(kinds).toEqual(['env', 'install', 'run', 'setup', 'setup', 'plain', 'env', 'other', 'plain', 'other', 'setup']);
  });
});

describe('dockerfile rules', () => {
  const context = { migrating: true, conda: { pythonVersion: '3.11', envNames: ['app'] } };

  it('keeps an ARG that a kept instruction still uses', async () => {
    const input = 'FROM python:3.11\nARG TARGETARCH\nRUN wget https://repo.anaconda.com/miniconda/Miniconda3-$TARGETARCH.sh -O /tmp/m.sh && bash /tmp/m.sh -b -p /opt/conda\nRUN echo $TARGETARCH\n';
    const { text } = await transformText('dockerfile', 'Dockerfile', input, { context });
    expect(text).toBe('FROM python:3.11\nARG TARGETARCH\nRUN echo $TARGETARCH\n');
  });

  it('puts the venv outside a WORKDIR that compose bind-mounts, and keeps it inside otherwise', async () => {
    const input = 'FROM continuumio/miniconda3\nWORKDIR /srv/app\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCOPY . .\nCMD ["conda", "run", "-n", "app", "python", "app.py"]\n';
    const mounted = await transformText('dockerfile', 'Dockerfile', input, {
      context: { ...context, compose: { bindMounts: [{ composeFile: 'compose.yaml', service: 'web', source: '.', target: '/srv', dockerfile: 'Dockerfile' }] } },
    });
    const plain = await transformText('dockerfile', 'Dockerfile', input, { context });
    const tail = (venv: string, projectEnv: string) =>
      `WORKDIR /srv/app\nENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1${projectEnv}\nCOPY pyproject.toml uv.lock ./\nRUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project\nENV VIRTUAL_ENV=${venv} PATH="${venv}/bin:$PATH"\nCOPY . .\nCMD ["python", "app.py"]\n`;
    const head = 'FROM python:3.11-slim\nCOPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/\n';
    expect(mounted.text).toBe(head + tail('/opt/venv', ' UV_PROJECT_ENVIRONMENT=/opt/venv'));
    expect(plain.text).toBe(head + tail('/srv/app/.venv', ''));
  });

  it('reports a missing Python version and assumes one', async () => {
    const { text, followUps } = await transformText('dockerfile', 'Dockerfile', 'FROM condaforge/miniforge3:latest\nRUN mamba env create -f environment.yml\n', { context: { migrating: true } });
    expect(text?.split('\n')[0]).toBe('FROM python:3.12-slim');
    expect(followUps.map(formatFollowUp)).toEqual([
      '1: no Python version known from the env files: python:3.12 assumed',
      '2: the image copies uv.lock, which does not exist yet: run `uv lock` and commit it before building',
    ]);
  });

  it("installs the env's system packages with a new apt-get step when the image has none", async () => {
    const input = 'FROM mambaorg/micromamba:2.0.5\nWORKDIR /app\nCOPY env.yaml .\nRUN micromamba install -y -n base -f env.yaml\n';
    const systemPackages = [
      { conda: 'ffmpeg', debian: 'ffmpeg', envFile: 'env.yaml' },
      { conda: 'git', debian: 'git', envFile: 'env.yaml' },
    ];
    const { text } = await transformText('dockerfile', 'Dockerfile', input, { context: { ...context, conda: { ...context.conda, systemPackages } }, files: { 'uv.lock': '' } });
    expect(text).toBe(
      [
        'FROM python:3.11-slim',
        'COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/',
        'RUN apt-get update && apt-get install -y --no-install-recommends ffmpeg git && rm -rf /var/lib/apt/lists/*',
        'RUN groupadd --gid 57439 mambauser && useradd --uid 57439 --gid 57439 --create-home mambauser && install -d -o mambauser -g mambauser /opt/venv',
        'USER mambauser',
        'WORKDIR /app',
        'ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1 UV_PROJECT_ENVIRONMENT=/opt/venv',
        'COPY pyproject.toml uv.lock ./',
        'RUN --mount=type=cache,target=/home/mambauser/.cache/uv,uid=57439,gid=57439 uv sync --locked --no-install-project',
        'ENV VIRTUAL_ENV=/opt/venv PATH="/opt/venv/bin:$PATH"',
        '',
      ].join('\n'),
    );
  });

  it('hands what its own rules leave to the shell engine (venv-on-path)', async () => {
    const input = 'FROM python:3.11\nRUN eval "$(conda shell.bash hook)" && conda activate app && python -m pytest -q\n';
    const { text } = await transformText('dockerfile', 'Dockerfile', input, { context });
    expect(text).toBe('FROM python:3.11\nRUN python -m pytest -q\n');
  });

  it('turns a conda image that only installs into base into the uv sync step', async () => {
    const input = 'FROM continuumio/miniconda3:4.12.0\nWORKDIR /app\nCOPY . .\nRUN conda install -y -c conda-forge numpy pandas && conda clean -afy\nCMD ["python", "app.py"]\n';
    const { text, followUps } = await transformText('dockerfile', 'Dockerfile', input, { context, files: { 'uv.lock': '' } });
    expect(text).toBe(
      [
        'FROM python:3.11-slim',
        'COPY --from=ghcr.io/astral-sh/uv:0.12.5 /uv /uvx /bin/',
        'WORKDIR /app',
        'ENV UV_LINK_MODE=copy UV_COMPILE_BYTECODE=1',
        'COPY pyproject.toml uv.lock ./',
        'RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project',
        'COPY . .',
        'ENV VIRTUAL_ENV=/app/.venv PATH="/app/.venv/bin:$PATH"',
        'CMD ["python", "app.py"]',
        '',
      ].join('\n'),
    );
    expect(followUps.map(formatFollowUp)).toEqual(['4: removed `conda install -y -c conda-forge numpy pandas`: add what it installed with `uv add` if the env files lack it']);
  });

  it('leaves the conda of a base image it does not know alone, with a follow-up', async () => {
    const input = 'FROM quay.io/jupyter/scipy-notebook:2024-07-29\nRUN mamba install -y -c conda-forge altair && mamba clean -afy\n';
    const { text, followUps } = await transformText('dockerfile', 'Dockerfile', input, { context });
    expect(text).toBe(input);
    expect(followUps.map(formatFollowUp)).toEqual(["2: quay.io/jupyter/scipy-notebook:2024-07-29 may bring its own conda: this stage's conda commands are left as they are"]);
  });

  it('does not add a second uv binary to a stage that already copies it in', async () => {
    const input = 'FROM continuumio/miniconda3\nCOPY --from=ghcr.io/astral-sh/uv:0.9.0 /uv /bin/\nWORKDIR /app\nRUN conda env create -f environment.yml\n';
    const { text } = await transformText('dockerfile', 'Dockerfile', input, { context, files: { 'uv.lock': '' } });
    expect(text?.split('\n').filter((l) => l.includes('astral-sh/uv'))).toEqual(['COPY --from=ghcr.io/astral-sh/uv:0.9.0 /uv /bin/']);
  });

  it('drops env files from a COPY that also brings other files, and leaves look-alikes', async () => {
    const input = 'FROM continuumio/miniconda3\nWORKDIR /app\nCOPY environment.yml envoy.yaml conda-env.yml setup.cfg ./\nRUN conda env create -f environment.yml\n';
    const { text } = await transformText('dockerfile', 'Dockerfile', input, { context, files: { 'uv.lock': '' } });
    expect(text?.split('\n')[3]).toBe('COPY envoy.yaml setup.cfg ./');
  });

  it('leaves a stage that uses an env kept on conda (an R env) as it is', async () => {
    const input = 'FROM continuumio/miniconda3\nCOPY r-env.yml .\nRUN conda env create -f r-env.yml\nCMD ["conda", "run", "-n", "renv", "Rscript", "report.R"]\n';
    const envFiles = [{ path: 'analysis/r-env.yml', name: 'renv', role: 'unmigratable', migrated: false }];
    const { text, followUps } = await transformText('dockerfile', 'Dockerfile', input, { context: { ...context, conda: { ...context.conda, envFiles } } });
    expect(text).toBe(input);
    expect(followUps.map(formatFollowUp)).toEqual(['1: this stage uses an env the migration keeps on conda (r-env.yml, renv): left as it is']);
  });

  it('installs without the dev group in a runtime image, with it in a dev image', async () => {
    const input = 'FROM continuumio/miniconda3\nWORKDIR /app\nRUN conda env create -f environment.yml\n';
    const options = { context: { ...context, conda: { ...context.conda, groups: ['dev'] } }, files: { 'uv.lock': '' } };
    const sync = (text: string | undefined) => text?.split('\n').find((l) => l.includes('uv sync'));
    expect(sync((await transformText('dockerfile', 'Dockerfile', input, options)).text)).toBe('RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project --no-dev');
    expect(sync((await transformText('dockerfile', 'Dockerfile.dev', input, options)).text)).toBe('RUN --mount=type=cache,target=/root/.cache/uv uv sync --locked --no-install-project');
  });

  it('keeps CRLF line ends', async () => {
    const input = 'FROM python:3.11\r\n# run it\r\nCMD ["conda", "run", "-n", "app", "python", "app.py"]\r\n';
    const { text } = await transformText('dockerfile', 'Dockerfile', input, { context });
    expect(text).toBe('FROM python:3.11\r\n# run it\r\nCMD ["python", "app.py"]\r\n');
  });

  it('leaves a Dockerfile alone when the repository is not migrating', async () => {
    const input = 'FROM continuumio/miniconda3\nRUN conda env create -f environment.yml\n';
    const { text } = await transformText('dockerfile', 'Dockerfile', input);
    expect(text).toBe(input);
  });
});

describe('Geist-like Dockerfile + compose pair', () => {
  // The rewritten pair is checked exactly by the geist-inventory case and __testfixtures__/repos/geist;
  // here, the facts the two inventories hand each other.
  it('records the bind mount over the WORKDIR that moves the venv to /opt/venv', async () => {
    const tree = readTree(path.join(FIXTURES, 'dockerfile', 'geist-inventory', 'input'));
    const result = await runOnFiles('dockerfile', Object.fromEntries([...tree].map(([rel, file]) => [rel, file.bytes.toString('utf8')])));
    expect(result.ctx.compose.bindMounts).toEqual([{ composeFile: 'docker-compose.yml', service: 'backend', source: './', target: '/opt/geist', dockerfile: 'Dockerfile' }]);
    expect(result.ctx.docker.workdirs.get('Dockerfile')).toBe('/opt/geist');
    expect(result.fs.read('Dockerfile')).toContain('UV_PROJECT_ENVIRONMENT=/opt/venv');
  });
});

describe('dockerfile properties', () => {
  // Plain instructions must come out byte-identical and in order; conda ones must be gone.
  const plain = [
    'WORKDIR /srv',
    'ENV APP_MODE=prod',
    'RUN apt-get update && apt-get install -y --no-install-recommends git \\\n    && rm -rf /var/lib/apt/lists/*',
    'EXPOSE 8080',
    '# a comment that stays',
    'COPY . .',
    'LABEL org.opencontainers.image.source="https://example.com/app"',
    'RUN useradd -m app \\\n    # the app user\n    && mkdir -p /data',
  ];
  const conda = [
    'RUN conda config --set always_yes yes',
    'RUN conda init bash && echo "conda activate app" >> ~/.bashrc',
    'ENV PATH=/opt/conda/envs/app/bin:$PATH',
    'SHELL ["/bin/bash", "--login", "-c"]',
    'RUN conda clean -afy',
    'RUN wget -q https://repo.anaconda.com/miniconda/Miniconda3-latest-Linux-x86_64.sh -O /tmp/m.sh \\\n    && bash /tmp/m.sh -b -p /opt/conda && rm /tmp/m.sh',
    'ENV CONDA_DEFAULT_ENV=app',
  ];
  const tail = ['COPY environment.yml .', 'RUN conda env create -f environment.yml', 'CMD ["conda", "run", "-n", "app", "python", "app.py"]'];
  const context = { migrating: true, conda: { pythonVersion: '3.11', envNames: ['app'] } };

  it('keeps plain instructions, drops conda ones, parses again and is idempotent', async () => {
    const fc = (await import('fast-check')).default;
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...plain), fc.constantFrom(...conda)), { maxLength: 10 }), fc.boolean(), async (body, blank) => {
        const lines = ['FROM continuumio/miniconda3', ...body, ...tail];
        const input = `${lines.join(blank ? '\n\n' : '\n')}\n`;
        const { text } = await transformText('dockerfile', 'Dockerfile', input, { context });
        const out = text ?? '';
        const instructions = DockerfileParser.parse(out).getInstructions();
        expect(instructions.filter((i) => NEEDS_CONDA.test(i.toString()))).toEqual([]);
        let at = 0;
        // Comments above a removed conda instruction may go with it; every other plain line stays.
        for (const line of body.filter((l) => plain.includes(l) && !l.startsWith('#'))) {
          const found = out.indexOf(line, at);
          expect(found, line).toBeGreaterThanOrEqual(at);
          at = found + line.length;
        }
        expect((await transformText('dockerfile', 'Dockerfile', out, { context })).text).toBe(out);
      }),
      { numRuns: 60 },
    );
  });
});

describe('regressions', () => {
  const env = { 'environment.yml': 'name: app\ndependencies:\n  - python=3.11\n' };
  it('keeps a plain comment among removed COPY lines, drops one about the env', async () => {
    const plain = await transformText('dockerfile', 'Dockerfile', 'FROM python:3.11\nCOPY environment.yml .\n# build stage\nCOPY environment.yml .\nCOPY environment.yml .\nWORKDIR /app\n', { files: env });
    expect(plain.text).toBe('FROM python:3.11\n# build stage\nWORKDIR /app\n');
    const aboutEnv = await transformText('dockerfile', 'Dockerfile', 'FROM python:3.11\nCOPY environment.yml .\n# the conda env file\nCOPY environment.yml .\nWORKDIR /app\n', { files: env });
    expect(aboutEnv.text).toBe('FROM python:3.11\nWORKDIR /app\n');
  });
  it('refuses a JSON form that is not valid JSON at the place it breaks, and leaves the file as it was', async () => {
    const broken = 'FROM continuumio/miniconda3\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCMD ["conda", "run", "-n", "app", "python" "app.py"\n';
    const result = await runOnFiles('dockerfile', { ...env, Dockerfile: broken });
    expect(result.files.map((f) => `${f.status} ${f.message}`)).toEqual([
      'error Dockerfile:4:44: CMD starts a JSON array that is not valid JSON (Docker would run it as a shell command): fix it, then run again',
    ]);
    expect(result.fs.read('Dockerfile')).toBe(broken);
    const healthcheck = await runOnFiles('dockerfile', { ...env, Dockerfile: 'FROM continuumio/miniconda3\nHEALTHCHECK --interval=5s CMD ["conda", "run",\n' });
    expect(healthcheck.files.map((f) => f.message)).toEqual([
      'Dockerfile:2:47: HEALTHCHECK starts a JSON array that is not valid JSON (Docker would run it as a shell command): fix it, then run again',
    ]);
  });
  it('takes a leading `[ ... ]` for the shell test it is, and rewrites the command as shell form', async () => {
    const { text } = await transformText('dockerfile', 'Dockerfile', 'FROM python:3.11\nCMD [ -f /app/.env ] && conda run -n app python app.py\n', { files: env });
    expect(text).toBe('FROM python:3.11\nCMD [ -f /app/.env ] && python app.py\n');
  });
});

describe('the model the inventory built', () => {
  const ENV = 'name: app\ndependencies:\n  - python=3.11\n  - numpy\n';
  const DOCKERFILE = 'FROM continuumio/miniconda3\nWORKDIR /app\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCOPY . .\n';
  it('is not used for a Dockerfile an earlier codemod changed since', async () => {
    const dockerfile = codemods.find((c) => c.name === 'dockerfile')!;
    const changer: Codemod = { name: 'test-changer', description: 'adds a step', files: ['Dockerfile'], transform: (file) => `${file.source}RUN echo changed\n` };
    const run = (codemodsToRun: readonly Codemod[], text: string) =>
      runPipeline(codemodsToRun, codemods, runOptions('/virtual', { dry: true }), { fs: MemoryFs.fromFiles({ 'environment.yml': ENV, Dockerfile: text }) });
    const changed = await run([changer, dockerfile], DOCKERFILE);
    const direct = await run([dockerfile], `${DOCKERFILE}RUN echo changed\n`);
    expect(changed.fs.read('Dockerfile')).toContain('RUN echo changed');
    expect(changed.fs.read('Dockerfile')).toBe(direct.fs.read('Dockerfile'));
  });
});
