// TODO(issue 7): not built yet; skips every file.
import type { Codemod } from '../../runner/types.js';

export default {
  name: 'github-actions',
  description: 'GitHub Actions: setup-miniconda to setup-uv, run steps through uv',
  files: ['.github/workflows/*.yml', '.github/workflows/*.yaml', '**/action.yml', '**/action.yaml'],
  mentions: /conda|mamba|environment|activate/i,
  transform: () => null,
} satisfies Codemod;
