// TODO(issue 4): not built yet; skips every file.
import type { Codemod } from '../../runner/types.js';

export default {
  name: 'shell-scripts',
  description: 'shell scripts: activation removed, install scripts replaced by uv',
  files: ['**/*.sh', '**/*.bash', '**/*'],
  mentions: /conda|mamba|activate/,
  transform: () => null,
} satisfies Codemod;
