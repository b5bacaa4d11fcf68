// A COPY that brought an env file in with a companion (`COPY environment.yml* noop.txt /tmp/conda-tmp/`,
// the placeholder that keeps COPY from failing) goes when nothing that stays reads where it copied to.
import { argumentsOf, isUnder, writtenText } from '../model.js';
import type { Migration } from '../plan.js';

export function removeDeadCopies(m: Migration): void {
  const { model } = m;
  for (const stage of model.stages) {
    for (const copy of stage.envFileCopies) {
      const args = argumentsOf(model, copy).map((a) => a.value);
      const dest = args[args.length - 1]!.replace(/(.)\/+$/, '$1');
      if (!dest.startsWith('/') || dest === '/' || (copy.workdir !== undefined && copy.workdir !== '/' && isUnder(dest, copy.workdir))) continue; // the project's own place
      const read = model.stages.some((s) => s.steps.some((step) => step !== copy && writtenText(model, step).includes(dest)));
      if (!read) {
        copy.removed = true;
        m.api.decide(`\`COPY ... ${dest}\` removed: only the removed conda steps read what it copied`, m.file.path);
      }
    }
  }
}
