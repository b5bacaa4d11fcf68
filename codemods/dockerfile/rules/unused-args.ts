// An ARG that only removed or rewritten conda instructions used (TARGETARCH picking the Miniconda
// installer, ENV_DIR naming the conda env) goes with them.
import { textOf, writtenText } from '../model.js';
import type { Migration } from '../plan.js';

export function removeUnusedArgs(m: Migration): void {
  const { model } = m;
  const all = [...model.globalSteps, ...model.stages.flatMap((s) => s.steps)];
  for (const arg of all.filter((s) => s.keyword === 'ARG' && !s.removed)) {
    const name = arg.node.getArgumentsContent()?.split('=')[0]?.trim();
    if (!name) continue;
    const uses = new RegExp(`\\$\\{?${name}\\b`);
    const users = all.filter((s) => s !== arg && uses.test(textOf(model, s)));
    if (users.length > 0 && users.every((s) => !uses.test(writtenText(model, s)))) {
      arg.removed = true;
      m.api.decide(`ARG ${name} removed: only the removed conda steps used it`, m.file.path);
    }
  }
}
