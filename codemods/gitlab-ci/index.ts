// TODO(issue 7): not built yet; skips every file.
import type { Codemod } from '../../runner/types.js';

export default {
  name: 'gitlab-ci',
  description: 'GitLab CI: miniconda images and scripts to uv',
  files: ['.gitlab-ci.yml', '**/*.gitlab-ci.yml'],
  mentions: /conda|mamba|activate/i,
  transform: () => null,
} satisfies Codemod;
