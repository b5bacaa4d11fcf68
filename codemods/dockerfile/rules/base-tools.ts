// Tools the replaced conda base image had (git, wget, bzip2...) that the stage's later steps still
// run: installed with the stage's own package manager, since `python:X-slim` has none of them.
import { CONDA_IMAGE } from '../../lib/conda/vocabulary.js';
import { builtOn, imageName, jsonStrings, shellBody, type Step } from '../model.js';
import type { Migration } from '../plan.js';
import { installLine } from './packages.js';

/** Command -> the (Debian and Alpine) package that provides it. */
const TOOLS: Readonly<Record<string, string>> = {
  git: 'git',
  wget: 'wget',
  bzip2: 'bzip2',
  bunzip2: 'bzip2',
  hg: 'mercurial',
  svn: 'subversion',
  ssh: 'openssh-client',
  scp: 'openssh-client',
  'ssh-keyscan': 'openssh-client',
  ps: 'procps',
  pgrep: 'procps',
  pkill: 'procps',
  tini: 'tini',
};

/** What each conda image family installs on top of its Debian/Ubuntu base. */
function providedBy(image: string): string[] {
  if (/micromamba/.test(image)) return ['bzip2'];
  if (/miniforge|mambaforge/.test(image)) return ['wget', 'bzip2', 'git', 'tini'];
  return ['bzip2', 'git', 'mercurial', 'openssh-client', 'procps', 'subversion', 'wget']; // continuumio's
}

/** A tool at a command position: line start, after `;`, `&&`, `|`, `(`, `then`, `do`, `sudo`, `exec`. */
const COMMAND_AT: Readonly<Record<string, RegExp>> = Object.fromEntries(
  Object.keys(TOOLS).map((tool) => [tool, new RegExp(`(?:^|[;&|(\`]|\\$\\(|\\b(?:then|do|sudo|exec|else)\\s)\\s*${tool.replace(/[-]/g, '\\-')}(?=[\\s;&|)]|$)`, 'm')]),
);
/** A package's name as a word of an install command. */
const PACKAGE_WORD: Readonly<Record<string, RegExp>> = Object.fromEntries(Object.values(TOOLS).map((pkg) => [pkg, new RegExp(`\\b${pkg}\\b`)]));

export function installBaseTools(m: Migration): void {
  for (const stage of m.model.stages) {
    const image = imageName(stage);
    if (!CONDA_IMAGE.test(image) || !stage.gainsUv || stage.keepsConda) continue;
    const provided = providedBy(image);
    // The stage's own steps and those of the stages built on it (`FROM base AS dev`).
    const heirs = m.model.stages.filter((s) => s === stage || builtOn(s, stage));
    const texts = heirs.flatMap((s) => s.steps).filter((s) => !s.removed).map((s) => commandText(m, s));
    const installs = texts.filter((t) => /\b(?:apt-get|apt|apk|dnf|yum|microdnf)\b[^\n]*\b(?:install|add)\b/.test(t)).join('\n');
    const wanted = new Set<string>();
    for (const [tool, pkg] of Object.entries(TOOLS)) {
      if (!provided.includes(pkg) || wanted.has(pkg) || PACKAGE_WORD[pkg]!.test(installs)) continue;
      // The pattern tries every position of a text for its command-position prefix: only texts naming the tool are worth it.
      if (texts.some((t) => t.includes(tool) && COMMAND_AT[tool]!.test(t))) wanted.add(pkg);
    }
    if (wanted.size === 0) continue;
    const line = installLine(stage, [...wanted]);
    stage.afterFrom.packages.push(line);
    m.api.decide(`${[...wanted].join(', ')} installed: ${image} had ${wanted.size === 1 ? 'it' : 'them'} and later steps use ${wanted.size === 1 ? 'it' : 'them'}`, m.file.path);
  }
}

/** The commands a step will run, as it will be written. */
function commandText(m: Migration, step: Step): string {
  const strings = step.keyword === 'RUN' || step.keyword === 'CMD' || step.keyword === 'ENTRYPOINT' ? jsonStrings(m.model, step) : [];
  if (strings.length > 0) return strings.map((s) => s.value).join(' ');
  const body = step.keyword === 'RUN' || step.keyword === 'CMD' || step.keyword === 'ENTRYPOINT' ? shellBody(m.model, step) : undefined;
  if (!body) return '';
  const rewritten = step.edits.find((e) => e.start === body.start && e.end === body.end);
  return rewritten ? rewritten.text : m.model.masked.slice(body.start, body.end);
}
