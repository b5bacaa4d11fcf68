// CMD, ENTRYPOINT, HEALTHCHECK: `conda run` and activation go, in shell or exec form (`["bash", "-c", "..."]` too).
import { rewriteShellStep } from '../commands.js';
import type { Rule } from '../plan.js';

export const cmd: Rule = (m, step) => rewriteShellStep(m, step, true);
