// TODO(issue 7): not built yet; skips every file.
import type { Codemod } from '../../runner/types.js';

export default {
  name: 'pre-commit',
  description: 'pre-commit: conda hooks to python, uv-lock hook added',
  files: ['.pre-commit-config.yaml', '.pre-commit-config.yml'],
  mentions: /conda|environment|language/i,
  transform: () => null,
} satisfies Codemod;
