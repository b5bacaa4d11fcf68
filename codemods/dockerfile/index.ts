// TODO(issue 5): not built yet; skips every file.
import type { Codemod } from '../../runner/types.js';

export default {
  name: 'dockerfile',
  description: 'Dockerfile: Miniconda/micromamba images and steps to uv',
  files: ['**/Dockerfile', '**/Dockerfile.*', '**/*.Dockerfile', '**/Dockerfile_*'],
  mentions: /conda|mamba|activate|environment/i,
  transform: () => null,
} satisfies Codemod;
