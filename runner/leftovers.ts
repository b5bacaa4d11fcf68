// The final pass: what still mentions conda, or names a file this run deleted or renamed.
import type { MigrationContext } from './context.js';
import type { FollowUp } from './types.js';
import type { MemoryFs } from './vfs.js';

const CONDA_WORD = /\b(?:conda|mamba|micromamba|miniconda\d?|anaconda\d?|miniforge\d?|CONDA_[A-Z_]+)\b/i;

/** Follow-ups for every line that still mentions conda in a file this run changed or would migrate. */
export function findLeftovers(fs: MemoryFs, ctx: MigrationContext): FollowUp[] {
  if (!ctx.migrating) return [];
  const followUps: FollowUp[] = [];
  const gone = [...fs.deleted, ...fs.renames.keys()];
  for (const path of fs.paths()) {
    const text = fs.read(path);
    if (text === undefined) continue;
    const lines = text.split('\n');
    lines.forEach((line, i) => {
      if (CONDA_WORD.test(line)) {
        followUps.push({ path, line: i + 1, message: `still mentions conda: ${line.trim().slice(0, 120)}`, codemod: 'leftovers' });
        return;
      }
      const named = gone.find((g) => line.includes(g));
      if (named) {
        const to = fs.renames.get(named);
        followUps.push({
          path,
          line: i + 1,
          message: to ? `names ${named}, renamed to ${to}` : `names ${named}, which this migration deleted`,
          codemod: 'leftovers',
        });
      }
    });
  }
  return followUps;
}
