// The Dockerfile stage model, and what every migrated image must hold on multi-stage builds: no
// conda path left, the user it ran as kept, uv sync where the project is, the distro's own package
// manager. There is no Docker engine here: these check the text, the image is not built.
import { readdirSync, readFileSync } from 'node:fs';
import { DockerfileParser } from 'dockerfile-ast';
import { describe, expect, it } from 'vitest';
import { DOCKERFILE_NAME, DOCKERFILE_PATTERNS } from '../codemods/lib/dockerfiles.js';
import { argumentsOf, buildModel, distroOf, expandVars, jsonStrings, shellBody, type Model } from '../codemods/dockerfile/model.js';
import { globMatcher } from '../runner/globs.js';
import { fileCases, FIXTURES, runOnFiles, transformText } from './harness.js';

const model = (text: string): Model => buildModel(DockerfileParser.parse(text), text);

/** A conda path or variable in an instruction (comments aside): the image would still need conda. */
const CONDA_PATH = /\/opt\/conda|\/(?:mini|ana)conda3|miniforge3|\bmicromamba\b|\$\{?(?:CONDA|MAMBA)_[A-Z_]+|_entrypoint\.sh|\bconda\b|\bmamba\b/;

/** The user the final stage runs as (micromamba's images: their user), `root` when none is set. */
function finalUser(m: Model): string {
  const last = m.stages[m.stages.length - 1]!;
  const user = last.steps[last.steps.length - 1]!.user ?? 'root';
  return user.replace(/^\$\{?MAMBA_USER\}?/, 'mambauser');
}

describe('the stage model', () => {
  it('resolves ARG and ENV values in WORKDIR, with a trailing slash and relative paths', () => {
    const m = model('ARG BASE=/srv\nFROM python:3.11 AS build\nARG BASE\nARG APP_HOME=${BASE}/app/\nWORKDIR $APP_HOME\nENV SUB=src\nWORKDIR ${SUB}\nRUN true\n');
    expect(m.stages[0]!.steps.map((s) => s.workdir)).toEqual([undefined, undefined, undefined, '/srv/app', '/srv/app', '/srv/app/src', '/srv/app/src']);
  });

  it('leaves a WORKDIR it cannot resolve unknown instead of guessing', () => {
    const m = model('FROM python:3.11\nWORKDIR $FROM_THE_BUILD_ARGS\nRUN true\n');
    expect(m.stages[0]!.steps[2]!.workdir).toBeUndefined();
    expect(expandVars('${A:-/x}/y', new Map())).toBe('/x/y');
  });

  it("gives a stage built on another that stage's WORKDIR, user, variables and distro", () => {
    const m = model('FROM mambaorg/micromamba:1.5.8-alpine AS base\nWORKDIR /home/$MAMBA_USER/app\nFROM base AS app\nRUN true\n');
    const app = m.stages[1]!;
    expect(app.parent).toBe(m.stages[0]);
    expect(app.distro).toBe('alpine');
    expect(app.steps[1]).toMatchObject({ workdir: '/home/mambauser/app', user: 'mambauser' });
  });

  it('records what each stage copies in, from where, and the paths it creates', () => {
    const m = model('FROM condaforge/miniforge3 AS build\nWORKDIR /src\nCOPY environment.yml ./\n\nFROM debian:bookworm-slim\nARG ENV_DIR=/opt/conda/envs/app\nCOPY --from=ghcr.io/astral-sh/uv:0.5 /uv /bin/\nCOPY --from=build ${ENV_DIR}/ ${ENV_DIR}\n');
    const [build, final] = m.stages;
    expect(build!.copies.map((c) => ({ sources: c.sources, dest: c.dest, from: c.from }))).toEqual([{ sources: ['environment.yml'], dest: '/src', from: undefined }]);
    expect(final!.copies.map((c) => [c.from?.name ?? c.image, c.dest])).toEqual([
      ['ghcr.io/astral-sh/uv:0.5', '/bin'],
      ['build', '/opt/conda/envs/app'],
    ]);
    expect(final!.copies[1]!.sources).toEqual(['/opt/conda/envs/app']);
    expect(build!.creates).toEqual(['/src', '/src']);
  });

  it('knows the distro family of common bases', () => {
    expect(['python:3.11-alpine', 'continuumio/miniconda3', 'nvidia/cuda:12.4.1-runtime-ubuntu22.04', 'rockylinux:9', 'registry.example/base'].map(distroOf)).toEqual([
      'alpine',
      'debian',
      'debian',
      'rhel',
      'unknown',
    ]);
  });
});

describe('Dockerfile names', () => {
  const matches = globMatcher(DOCKERFILE_PATTERNS);
  it('finds Dockerfiles as people name them, and not look-alikes', () => {
    const names = ['Dockerfile', 'docker/app/Dockerfile', 'Dockerfile.dev', 'Dockerfile_devel', 'Dockerfile-gpu', 'api.Dockerfile', 'docker/conda.dockerfile', 'dockerfiles/gpu', 'a/dockerfiles/cpu'];
    expect(names.filter(matches)).toEqual(names);
    expect(['dockerfiles/README.md', 'docs/dockerfile.rst', 'notdockerfile', 'dockerfiles/sub/gpu'].filter(matches)).toEqual([]);
  });
  it('the regular expression says what the patterns say', () => {
    const paths = ['Dockerfile', 'docker/app/Dockerfile', 'Dockerfile.dev', 'Dockerfile_devel', 'Dockerfile-gpu', 'api.Dockerfile', 'docker/conda.dockerfile', 'dockerfiles/gpu', 'a/dockerfiles/cpu'];
    const others = ['dockerfiles/README.md', 'docs/dockerfile.rst', 'notdockerfile', 'dockerfiles/sub/gpu', 'MyDockerfile', 'Dockerfiles/x.md'];
    for (const p of [...paths, ...others]) expect([p, DOCKERFILE_NAME.test(p)]).toEqual([p, matches(p)]);
    expect(paths.filter((p) => DOCKERFILE_NAME.test(p))).toEqual(paths);
  });

  it('migrates a *.dockerfile', async () => {
    const input = 'FROM continuumio/miniconda3\nCOPY environment.yml .\nRUN conda env create -f environment.yml\n';
    const result = await runOnFiles('dockerfile', { 'docker/conda.dockerfile': input, 'environment.yml': 'name: app\ndependencies:\n  - python=3.11\n', 'uv.lock': '' });
    expect(result.fs.read('docker/conda.dockerfile')).toContain('uv sync --locked');
  });
});

describe('every migrated multi-stage fixture', () => {
  const cases = fileCases('dockerfile').filter((c) => c.name.startsWith('stage-'));
  it('has stage cases', () => expect(cases.length).toBeGreaterThanOrEqual(4));
  for (const c of cases) {
    const input = readFileSync(c.input, 'utf8');
    const output = readFileSync(c.output, 'utf8');
    const before = model(input);
    const after = model(output);
    it(`${c.name}: no conda path left in any stage`, () => {
      const left = after.stages.flatMap((s) => s.steps).map((s) => output.slice(s.start, s.end)).filter((t) => CONDA_PATH.test(t.split('\n').filter((l) => !/^\s*#/.test(l)).join('\n')));
      expect(left).toEqual([]);
      expect(output).not.toMatch(/(?:^|[\s="]|(?<![a-z]):)\/\/\w/m); // no `//opt/app/.venv` (a URL's `https://` aside)
    });
    it(`${c.name}: runs as the user it ran as`, () => expect(finalUser(after)).toBe(finalUser(before)));
    it(`${c.name}: uv sync runs in the WORKDIR the source goes to`, () => {
      for (const stage of after.stages) {
        const sync = stage.steps.find((s) => /\buv sync\b/.test(output.slice(s.start, s.end)));
        const source = stage.steps.find((s) => /^(?:COPY|ADD)$/.test(s.keyword) && /^(?:COPY|ADD)\s+(?:--\S+\s+)*\.\/?\s+\.\/?\s*$/.test(output.slice(s.start, s.end)));
        if (sync && source) expect(sync.workdir).toBe(source.workdir);
      }
    });
    it(`${c.name}: installs packages with the stage's own package manager`, () => {
      for (const stage of after.stages) {
        const apt = stage.steps.some((s) => s.keyword === 'RUN' && /\bapt-get\b/.test(output.slice(s.start, s.end)));
        const apk = stage.steps.some((s) => s.keyword === 'RUN' && /\bapk\b/.test(output.slice(s.start, s.end)));
        if (stage.distro === 'alpine') expect(apt).toBe(false);
        else expect(apk).toBe(false);
      }
    });
  }
});

describe('compose and the resolved WORKDIR', () => {
  it('moves the venv out of a bind mount over a WORKDIR given by a variable', async () => {
    const dockerfile = 'FROM continuumio/miniconda3\nARG APP_HOME=/srv/app\nWORKDIR $APP_HOME\nCOPY environment.yml .\nRUN conda env create -f environment.yml\nCOPY . .\n';
    const compose = 'services:\n  web:\n    build: .\n    volumes:\n      - ./:/srv/app\n';
    const result = await runOnFiles('dockerfile', { Dockerfile: dockerfile, 'compose.yaml': compose, 'environment.yml': 'name: app\ndependencies:\n  - python=3.11\n', 'uv.lock': '' });
    expect(result.ctx.docker.workdirs.get('Dockerfile')).toBe('/srv/app');
    expect(result.fs.read('Dockerfile')).toContain('UV_PROJECT_ENVIRONMENT=/opt/venv');
  });

  it('keeps the venv in a WORKDIR that no bind mount covers', async () => {
    const { text } = await transformText('dockerfile', 'Dockerfile', 'FROM continuumio/miniconda3\nARG APP_HOME=/srv/app/\nWORKDIR $APP_HOME\nRUN conda env create -f environment.yml\n', {
      context: { migrating: true, conda: { pythonVersion: '3.11', envNames: ['app'] } },
      files: { 'uv.lock': '' },
    });
    expect(text).toContain('ENV VIRTUAL_ENV=/srv/app/.venv PATH="/srv/app/.venv/bin:$PATH"');
  });
});

describe("a step's remembered facts", () => {
  it('are what dockerfile-ast reads from that step, asked again or not, and never another step\'s or model\'s', () => {
    const dir = `${FIXTURES}/dockerfile`;
    const inputs = readdirSync(dir).filter((f) => f.includes('.input.')).map((f) => readFileSync(`${dir}/${f}`, 'utf8'));
    expect(inputs.length).toBeGreaterThan(10);
    const stepsOf = (m: Model) => [...m.globalSteps, ...m.stages.flatMap((s) => s.steps)];
    for (const text of inputs) {
      // The same text twice (the inventory's model and the transform's would be), and a variant whose offsets all move.
      const [a, b, moved] = [model(text), model(text), model(`# moved\n${text}`)];
      for (const [i, step] of stepsOf(a).entries()) {
        const fresh = step.node.getArguments().map((x) => ({ value: x.getValue(), start: a.offset(x.getRange().start), end: a.offset(x.getRange().end) }));
        for (let ask = 0; ask < 2; ask++) {
          expect(argumentsOf(a, step)).toEqual(fresh);
          expect(shellBody(a, step)).toEqual(shellBody(b, stepsOf(b)[i]!));
          expect(jsonStrings(a, step)).toEqual(jsonStrings(b, stepsOf(b)[i]!));
        }
        const shift = '# moved\n'.length;
        const other = stepsOf(moved)[i]!;
        expect(argumentsOf(moved, other).map((x) => x.start)).toEqual(fresh.map((x) => x.start + shift));
        expect(shellBody(moved, other)?.start).toBe(shellBody(a, step) === undefined ? undefined : shellBody(a, step)!.start + shift);
        expect(jsonStrings(moved, other).map((x) => x.start)).toEqual(jsonStrings(a, step).map((x) => x.start + shift));
      }
    }
  });
});
