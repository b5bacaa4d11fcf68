// Every codemod, in run order. Each sees the output of the ones before it: env files become
// pyproject.toml first, the install script is renamed before the Dockerfile and docs that call it.
import compose from './compose/index.js';
import dependabot from './dependabot/index.js';
import dockerfile from './dockerfile/index.js';
import docs from './docs/index.js';
import envToPyproject from './env-to-pyproject/index.js';
import githubActions from './github-actions/index.js';
import gitlabCi from './gitlab-ci/index.js';
import ignoreFiles from './ignore-files/index.js';
import jsTs from './js-ts/index.js';
import makefile from './makefile/index.js';
import preCommit from './pre-commit/index.js';
import shellScripts from './shell-scripts/index.js';
import type { Codemod } from '../contract/types.js';

export const codemods: readonly Codemod[] = [
  envToPyproject,
  shellScripts,
  dockerfile,
  compose,
  makefile,
  githubActions,
  gitlabCi,
  preCommit,
  dependabot,
  docs,
  jsTs,
  ignoreFiles,
];
