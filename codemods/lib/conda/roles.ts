// Env files that are not the project's environment, known by where they sit: test data, tutorials and
// other tools' configuration. They are never merged into pyproject.toml, and they stay.

import type { PlaceRole } from '../../../contract/context.js';

/** Why an env file of each role by place is not the project's (the plan says it too). */
export const PLACE_WHY: Readonly<Record<PlaceRole, string>> = {
  fixture: 'test data or a test env, not the project env',
  tutorial: 'the env of an example or tutorial, not of the project',
  'other-tool': "another tool's env (Binder, repo2docker, an installer, a recipe or a contributed module)",
};

const FIXTURE = /(?:^|\/)(?:tests?|testing|test_data|testdata|fixtures?)\//;
const TUTORIAL = /(?:^|\/)(?:examples?|tutorials?|notebooks?|demos?)\//;
/** Folders of tools that read an env file themselves: Binder, conda installers, conda-build recipes, contributed modules. */
const OTHER_TOOL_DIR = /(?:^|\/)(?:\.?binder|installers?[^/]*|conda[._-]?recipes?|recipes?|contrib)\//;
/** repo2docker and Binder configuration files: an env file beside them is their image's env. */
const REPO2DOCKER_FILES = ['apt.txt', 'postBuild', 'runtime.txt', 'start'];
const CONDA_TOOL_FILES = ['construct.yaml', 'meta.yaml'];

/** The role an env file has by its place, with the reason, or undefined for a candidate project env. */
export function placeRole(path: string, exists: (path: string) => boolean): { role: PlaceRole; why: string } | undefined {
  const dir = path.includes('/') ? path.slice(0, path.lastIndexOf('/') + 1) : '';
  if (FIXTURE.test(path)) return { role: 'fixture', why: PLACE_WHY.fixture };
  if (TUTORIAL.test(path)) return { role: 'tutorial', why: PLACE_WHY.tutorial };
  if (OTHER_TOOL_DIR.test(path)) return { role: 'other-tool', why: PLACE_WHY['other-tool'] };
  const beside = [...REPO2DOCKER_FILES, ...CONDA_TOOL_FILES].find((f) => exists(dir + f));
  if (beside) return { role: 'other-tool', why: `read by the tool that ${dir}${beside} configures (repo2docker, constructor or conda-build)` };
  return undefined;
}

/** A CI expression (`${{ matrix.env }}`, `$ENV`, `${ENV}`) inside a path: the job picks the file. */
const CI_EXPRESSION = /\$\{\{[^}]*\}\}|\$\{?[A-Za-z_]\w*\}?/g;
const ENV_FILE_ARGUMENT = /(?:environment-file:|(?:^|\s)(?:-f|--file)[=\s])\s*["']?((?:\$\{\{[^}]*\}\}|[^\s"'])+\.ya?ml)/gm;

/**
 * Env files a CI job chooses between by an expression in the path it names (a matrix's
 * `envs/${{ matrix.env }}.yml`): as globs over repository paths.
 */
export function matrixEnvGlobs(ciText: string): string[] {
  const globs: string[] = [];
  for (const m of ciText.matchAll(ENV_FILE_ARGUMENT)) if (m[1]!.includes('$')) globs.push(m[1]!.replace(/^\.\//, '').replace(CI_EXPRESSION, '*'));
  return globs;
}
