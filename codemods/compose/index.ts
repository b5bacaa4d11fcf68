// TODO(issue 5): not built yet; skips every file.
import type { Codemod } from '../../runner/types.js';

export default {
  name: 'compose',
  description: 'docker compose: conda commands, CONDA_* variables, venv under bind mounts',
  files: ['**/docker-compose*.yml', '**/docker-compose*.yaml', '**/compose*.yml', '**/compose*.yaml'],
  mentions: /conda|mamba|activate/i,
  transform: () => null,
} satisfies Codemod;
