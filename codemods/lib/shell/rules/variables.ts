// Assignments that only served conda: `CONDA_X=...`, `MINICONDA=Miniconda3-latest-Linux-x86_64.sh`, `PATH=/opt/conda/bin:$PATH`.
import type { ShNode } from '../parser.js';
import type { RuleContext } from './context.js';
import { INSTALLER } from './installers.js';

export function condaOnlyAssign(r: RuleContext, assign: ShNode): boolean {
  const name: string = assign.Name.Value;
  if (r.options.keepAssigned?.has(name)) return false;
  const value = assign.Value ? r.raw(assign.Value) : '';
  if (/^(?:CONDA|MAMBA)_/.test(name)) return true;
  if (name === 'PATH') return /^["']?(?:[^:"']*(?:conda|mamba)[^:"']*:)+\$\{?PATH\}?["']?$/.test(value);
  return INSTALLER.test(value);
}
