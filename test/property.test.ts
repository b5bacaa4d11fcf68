// Property tests: Dockerfiles, shell scripts, Makefiles and workflows built from real fragments with
// conda commands mixed in. For every generated file: no exception escapes (and no file error), the
// output parses again, a second run changes nothing, and every input line without a conda-related
// token is still in the output, unchanged. The codemods are stubs until their branches land; the
// properties hold trivially until then and bite as each codemod arrives. An install script (one
// that creates the conda env) is replaced as a whole by design, so only its plain lines may go.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { parseWorkflow, NoOperationTraceWriter } from '@actions/workflow-parser';
import { DockerfileParser } from 'dockerfile-ast';
import fc from 'fast-check';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { isInstallScript } from '../codemods/shell-scripts/index.js';
import { runOnFiles } from './harness.js';

const ENV = 'name: app\nchannels:\n  - conda-forge\ndependencies:\n  - python=3.11\n  - numpy=1.26\n  - pip\n  - pip:\n      - pytest==8.3.3\n';
const RUNS = 40;
/** A YAML key with nothing after it (`defaults:`): it goes with its block when every line inside went. */
const YAML_KEY_ONLY = /^\s*[\w-]+:\s*$/;

/** A line that may be rewritten: it names conda, an env, activation, or runs something inside the env. */
const CONDA_RELATED = /conda|mamba|activate|environment|CONDA_|anaconda|miniforge|\bpip\b|python|pytest|uvicorn|\bbash -l\b|--login|\$\(CONDA/i;

type Sh = { parse(text: string): void };
let shell: Sh | undefined;
/** The mvdan/sh parser (CommonJS GopherJS build), loaded once. */
function sh(): Sh {
  if (!shell) {
    const { syntax } = createRequire(import.meta.url)('mvdan-sh') as { syntax: { NewParser(): { Parse(src: string, name: string): unknown } } };
    const parser = syntax.NewParser();
    shell = {
      parse(text) {
        try {
          parser.Parse(text, 'snippet.sh');
        } catch (error) {
          const e = error as { Error?: () => string };
          throw new Error(`shell does not parse: ${e.Error ? e.Error() : String(error)}\n${text}`);
        }
      },
    };
  }
  return shell;
}

// Real fragments, one logical line each (a Dockerfile RUN may continue over several lines).
const SHELL_PLAIN = ['# a plain comment', 'set -euo pipefail', 'echo "starting"', 'mkdir -p build/logs', 'npm ci', 'cd "$(dirname "$0")"', 'export LOG_LEVEL=info', 'if [ -f .env ]; then echo "found .env"; fi', 'ls -la', 'curl -fsSL https://example.com/health || true'];
const SHELL_CONDA = [
  'source "$(conda info --base)/etc/profile.d/conda.sh"',
  'conda activate app',
  'conda env create -f environment.yml',
  'conda env update -f environment.yml --prune',
  'conda run -n app python -m app.migrate',
  'eval "$(conda shell.bash hook)"',
  'conda install -y -c conda-forge numpy',
  'python app.py',
  'pytest -q tests',
  'conda deactivate',
  'command -v conda >/dev/null || echo "no conda"',
  'micromamba install -y -n base -f environment.yml',
];
const DOCKER_PLAIN = ['# build stage', 'WORKDIR /app', 'EXPOSE 8000', 'LABEL org.opencontainers.image.source="https://example.com/app"', 'ARG TARGETARCH', 'USER 1000', 'RUN apt-get update && apt-get install -y --no-install-recommends curl && rm -rf /var/lib/apt/lists/*', 'COPY package.json ./', 'ENV LOG_LEVEL=info', 'HEALTHCHECK CMD curl -f http://localhost:8000/health || exit 1'];
const DOCKER_CONDA = [
  'COPY environment.yml .',
  'RUN conda env create -f environment.yml && \\\n    conda clean -afy',
  'RUN conda install -y -c conda-forge numpy',
  'ENV PATH=/opt/conda/envs/app/bin:$PATH',
  'SHELL ["conda", "run", "-n", "app", "/bin/bash", "-c"]',
  'RUN echo "conda activate app" >> ~/.bashrc',
  'CMD ["conda", "run", "--no-capture-output", "-n", "app", "python", "app.py"]',
  'ENTRYPOINT ["conda", "run", "-n", "app"]',
  'RUN python -m pip install -r requirements.txt',
];
const DOCKER_FROM = ['FROM continuumio/miniconda3:24.7.1-0', 'FROM mambaorg/micromamba:1.5.8', 'FROM python:3.11-slim', 'FROM condaforge/miniforge3'];
const MAKE_PLAIN_TARGETS = ['lint:\n\truff check .', 'clean:\n\trm -rf build dist', 'frontend:\n\tcd frontend && npm run build', 'docs:\n\t@echo "building docs"', '.PHONY: lint clean'];
const MAKE_CONDA_TARGETS = [
  'install:\n\tconda env create -f environment.yml',
  'test:\n\t$(CONDA_ACTIVATE) && pytest -q tests',
  'run:\n\t$(CONDA_ACTIVATE) && python app.py',
  'update:\n\tconda env update -f environment.yml --prune',
  'export:\n\tconda env export > environment.lock.yml',
  'serve:\n\tconda run -n app uvicorn app.main:app --reload',
];
const MAKE_HEAD = ['SHELL := /bin/bash', 'CONDA_ENV = app', 'CONDA_ACTIVATE = source $$(conda info --base)/etc/profile.d/conda.sh && conda activate $(CONDA_ENV)', 'PORT ?= 8000'];
const STEP_PLAIN = ['      - uses: actions/checkout@v4', '      - run: npm ci', '      - name: Lint\n        run: echo "lint"', '      - uses: actions/setup-node@v4\n        with:\n          node-version: 20'];
const STEP_CONDA = [
  '      - uses: conda-incubator/setup-miniconda@v3\n        with:\n          environment-file: environment.yml\n          activate-environment: app',
  '      - run: conda env create -f environment.yml',
  '      - run: pytest -q tests',
  '      - name: Test\n        run: |\n          conda activate app\n          python -m pytest',
  '      - uses: mamba-org/setup-micromamba@v1\n        with:\n          environment-file: environment.yml',
];

/** Lines mixed from `plain` and `conda`, at least one of each. */
const mix = (plain: string[], conda: string[]) =>
  fc
    .tuple(fc.array(fc.constantFrom(...plain), { minLength: 1, maxLength: 6 }), fc.array(fc.constantFrom(...conda), { minLength: 1, maxLength: 5 }), fc.array(fc.boolean(), { minLength: 11, maxLength: 11 }))
    .map(([p, c, order]) => {
      const out: string[] = [];
      const [ps, cs] = [[...p], [...c]];
      for (let i = 0; ps.length || cs.length; i++) out.push(((order[i % order.length] && cs.length) || !ps.length ? cs : ps).shift()!);
      return out;
    });

const shellScript = mix(SHELL_PLAIN, SHELL_CONDA).map((lines) => `#!/bin/bash\n${lines.join('\n')}\n`);
const dockerfile = fc.tuple(fc.constantFrom(...DOCKER_FROM), mix(DOCKER_PLAIN, DOCKER_CONDA)).map(([from, lines]) => `${from}\n${lines.join('\n')}\n`);
const makefile = fc
  .tuple(fc.subarray(MAKE_HEAD, { minLength: 1 }), mix(MAKE_PLAIN_TARGETS, MAKE_CONDA_TARGETS), fc.boolean())
  .map(([head, targets, conditional]) => {
    const body = targets.map((t) => (conditional && t.startsWith('lint') ? `ifeq ($(CI),1)\n${t}\nelse\n${t.replace('ruff check .', 'ruff check --fix .')}\nendif` : t));
    return `${head.join('\n')}\n\n${[...new Set(body)].join('\n\n')}\n`;
  });
const workflow = mix(STEP_PLAIN, STEP_CONDA).map(
  (steps) => `name: CI\non:\n  push:\n    branches: [main]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    defaults:\n      run:\n        shell: bash -l {0}\n    steps:\n${steps.join('\n')}\n`,
);

/** Lines of `input` without a conda-related token that are missing (or changed) in `output`. */
function lostPlainLines(input: string, output: string, structural?: RegExp): string[] {
  const remaining = new Map<string, number>();
  for (const line of output.split('\n')) remaining.set(line, (remaining.get(line) ?? 0) + 1);
  const lost: string[] = [];
  for (const line of input.split('\n')) {
    if (CONDA_RELATED.test(line) || line.trim() === '' || structural?.test(line)) continue;
    const n = remaining.get(line) ?? 0;
    if (n === 0) lost.push(line);
    else remaining.set(line, n - 1);
  }
  return lost;
}

/** Run one codemod on `file` twice (the second time on its output) and check the four properties. */
async function checkProperties(codemod: string, file: string, input: string, parsesAgain: (text: string) => void, replacedWhole = false, structural?: RegExp) {
  const first = await runOnFiles(codemod, { 'environment.yml': ENV, [file]: input });
  expect(first.files.filter((f) => f.status === 'error').map((f) => f.message)).toEqual([]);
  const output = first.fs.written(file) ?? '';
  parsesAgain(output);
  const second = await runOnFiles(codemod, { 'environment.yml': ENV, [file]: output });
  expect(second.fs.written(file)).toBe(output);
  if (!replacedWhole) expect(lostPlainLines(input, output, structural)).toEqual([]);
}

function dockerfileParses(text: string): void {
  const parsed = DockerfileParser.parse(text);
  for (const instruction of parsed.getInstructions()) {
    const keyword = instruction.getKeyword();
    expect(['FROM', 'RUN', 'CMD', 'LABEL', 'EXPOSE', 'ENV', 'ADD', 'COPY', 'ENTRYPOINT', 'VOLUME', 'USER', 'WORKDIR', 'ARG', 'ONBUILD', 'STOPSIGNAL', 'HEALTHCHECK', 'SHELL'], text).toContain(keyword);
    const args = instruction.getRawArgumentsContent()?.trim() ?? '';
    if (['CMD', 'ENTRYPOINT', 'SHELL', 'RUN'].includes(keyword) && args.startsWith('[')) JSON.parse(args);
    else if (keyword === 'RUN' && !args.startsWith('--mount') && args) sh().parse(args.replace(/\\\n/g, ' '));
  }
}

function makefileParses(text: string): void {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'geist-make-'));
  try {
    writeFileSync(path.join(dir, 'Makefile'), text);
    // -p -q prints the database without running a recipe; exit 2 means make could not read the file.
    try {
      execFileSync('make', ['-p', '-q', '-f', 'Makefile', '--no-builtin-rules'], { cwd: dir, stdio: 'pipe' });
    } catch (error) {
      const e = error as { status: number; stderr: Buffer };
      if (e.status === 2) throw new Error(`make cannot read it: ${e.stderr.toString()}\n${text}`);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function workflowParses(text: string): void {
  const doc = parseDocument(text);
  expect(doc.errors.map((e) => e.message)).toEqual([]);
  const result = parseWorkflow({ name: 'ci.yml', content: text }, new NoOperationTraceWriter());
  expect(result.context.errors.getErrors().map((e) => e.message)).toEqual([]);
}

describe('property: generated files survive every codemod', () => {
  it('shell scripts', async () => {
    await fc.assert(fc.asyncProperty(shellScript, (s) => checkProperties('shell-scripts', 'scripts/setup.sh', s, (t) => sh().parse(t), isInstallScript(s))), { numRuns: RUNS });
  });

  it('Dockerfiles', async () => {
    await fc.assert(fc.asyncProperty(dockerfile, (s) => checkProperties('dockerfile', 'Dockerfile', s, dockerfileParses)), { numRuns: RUNS });
  });

  it('Makefiles', async () => {
    await fc.assert(fc.asyncProperty(makefile, (s) => checkProperties('makefile', 'Makefile', s, makefileParses)), { numRuns: RUNS });
  });

  it('GitHub Actions workflows', async () => {
    await fc.assert(fc.asyncProperty(workflow, (s) => checkProperties('github-actions', '.github/workflows/ci.yml', s, workflowParses, false, YAML_KEY_ONLY)), { numRuns: RUNS });
  });

  it('the generators give files that parse to begin with, with plain and conda lines both present', () => {
    // Without this, a generator bug could make every property above hold vacuously.
    fc.assert(
      fc.property(shellScript, dockerfile, makefile, workflow, (s, d, m, w) => {
        sh().parse(s);
        dockerfileParses(d);
        makefileParses(m);
        workflowParses(w);
        for (const text of [s, d, m, w]) {
          expect(text.split('\n').some((l) => CONDA_RELATED.test(l))).toBe(true);
          expect(lostPlainLines(text, '')).not.toEqual([]);
        }
      }),
      { numRuns: 15 },
    );
  });

  it('the parse checks reject broken files', () => {
    expect(() => sh().parse('echo "unterminated\n')).toThrow(/shell does not parse/);
    expect(() => dockerfileParses('FROM python:3.11\nCMD ["python" "app.py"]\n')).toThrow();
    expect(() => dockerfileParses('FROM python:3.11\nRUN if true; then echo x\n')).toThrow(/shell does not parse/);
    expect(() => makefileParses('ifeq ($(CI),1)\nlint:\n\truff check .\n')).toThrow(/make cannot read it/);
    expect(() => workflowParses('name: CI\non: push\njobs:\n  t:\n    steps: []\n')).toThrow();
  });

  // Found by the shell-script property (kept as a fixed example).
  it('a comment between two removed activation lines is kept', async () => {
    const input = '#!/bin/bash\nsource "$(conda info --base)/etc/profile.d/conda.sh"\n# a plain comment\nsource "$(conda info --base)/etc/profile.d/conda.sh"\nset -euo pipefail\n';
    const result = await runOnFiles('shell-scripts', { 'environment.yml': ENV, 'scripts/setup.sh': input });
    expect(lostPlainLines(input, result.fs.written('scripts/setup.sh') ?? '')).toEqual([]);
  });

  it('a comment among removed COPY environment.yml lines is kept', async () => {
    const input = 'FROM python:3.11\nCOPY environment.yml .\n# build stage\nCOPY environment.yml .\nCOPY environment.yml .\nWORKDIR /app\n';
    const result = await runOnFiles('dockerfile', { 'environment.yml': ENV, Dockerfile: input });
    expect(lostPlainLines(input, result.fs.written('Dockerfile') ?? '')).toEqual([]);
  });
});
