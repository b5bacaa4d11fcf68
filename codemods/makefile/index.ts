// TODO(issue 6): not built yet; skips every file.
import type { Codemod } from '../../runner/types.js';

export default {
  name: 'makefile',
  description: 'Makefile: conda activation and env targets to uv',
  files: ['**/Makefile', '**/makefile', '**/GNUmakefile', '**/*.mk'],
  mentions: /conda|mamba|activate/i,
  transform: () => null,
} satisfies Codemod;
