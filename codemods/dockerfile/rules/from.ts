// FROM: a conda base image becomes `python:X.Y-slim`; a Python base that gains or receives the venv gets the env's Python.
import { CONDA_IMAGE } from '../../lib/conda/vocabulary.js';
import { DEFAULT_PYTHON, distroOf, isMambaUser, PYTHON_IMAGE, type Step } from '../model.js';
import type { Rule } from '../plan.js';

const DISTRO = /\b(bookworm|bullseye|buster|trixie)\b/;

export const from: Rule = (m, step) => {
  const { model, python, ctx, api, file } = m;
  const stage = step.stage;
  const node = step.node as import('dockerfile-ast').From;
  const range = node.getImageRange();
  // The image as resolved (`ARG BASE=continuumio/miniconda3` + `FROM ${BASE}`): an ARG only it used then goes.
  const image = node.getImage() ? stage.image : undefined;
  if (!range || !image) return false;
  const start = model.offset(range.start);
  const end = model.offset(range.end);
  const [, name = '', tag = ''] = /^([^:@]+)(?::([^@]+))?/.exec(image) ?? [];
  const distro = DISTRO.exec(tag)?.[1];
  let replacement: string | undefined;
  if (CONDA_IMAGE.test(name)) {
    replacement = /alpine/.test(tag) ? `python:${python}-alpine` : `python:${python}-slim${distro ? `-${distro}` : ''}`;
    stage.gainsUv = true;
    api.decide(`${image} -> ${replacement}: Python ${python} ${ctx.conda.pythonVersion ? 'from the env' : '(assumed)'}`, file.path);
  } else if (PYTHON_IMAGE.test(name) && (stage.gainsUv || stage.receivesVenv)) {
    const version = /^(\d+\.\d+)/.exec(tag)?.[1];
    if (version && version !== python) {
      replacement = image.replace(`:${version}`, `:${python}`);
      api.decide(`${image} -> ${replacement}: aligned with the env's Python ${python}`, file.path);
    }
  } else if (stage.receivesVenv && /^(?:docker\.io\/)?(?:library\/)?(?:debian|ubuntu)$/.test(name)) {
    // A venv from the builder needs the same Python at the same path, which conda-pack carried itself.
    replacement = `python:${python}-slim${distro ? `-${distro}` : ''}`;
    api.decide(`${image} -> ${replacement}: the venv copied from the builder needs the builder's Python`, file.path);
  }
  if (replacement) stage.distro = distroOf(replacement);
  if (replacement && replacement !== image) step.edits.push({ start, end, text: replacement });
  else if (stage.gainsUv && !PYTHON_IMAGE.test(name)) {
    api.decide(`${image} has no Python of its own to rely on: uv sync installs a managed Python ${python} into the image`, file.path);
  }
  if (stage.keptUser && !stage.parent) keepUser(step);
  if (!ctx.conda.pythonVersion && (replacement || stage.gainsUv)) m.report(step.start, `no Python version known from the env files: python:${DEFAULT_PYTHON} assumed`);
  return Boolean(replacement);
};

/**
 * micromamba's image ran as its user: the new base gets the same user (same ids, so files it owns
 * elsewhere stay its own), and runs as it from where the old base did. The venv directory is made
 * its own here when it syncs as that user.
 */
function keepUser(step: Step): void {
  const stage = step.stage;
  const { name, id } = stage.keptUser!;
  const add = stage.distro === 'alpine' ? `addgroup -g ${id} ${name} && adduser -D -u ${id} -G ${name} ${name}` : `groupadd --gid ${id} ${name} && useradd --uid ${id} --gid ${id} --create-home ${name}`;
  const venvDir = stage.projectEnv && stage.venv && isMambaUser(stage.syncAt?.user) ? ` && install -d -o ${name} -g ${name} ${stage.venv}` : '';
  stage.afterFrom.user.push(`RUN ${add}${venvDir}`);
  const first = stage.steps[1];
  if (first && first.keyword !== 'USER' && isMambaUser(first.user)) stage.afterFrom.user.push(`USER ${name}`);
}
