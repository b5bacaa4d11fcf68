// TODO(issue 8): not built yet; skips every file.
import type { Codemod } from '../../runner/types.js';

export default {
  name: 'docs',
  description: 'Markdown docs: conda commands to uv, Install Miniconda to Install uv',
  files: ['**/*.md', '**/*.markdown', '**/*.mdx'],
  mentions: /conda|mamba|activate|environment/i,
  transform: () => null,
} satisfies Codemod;
