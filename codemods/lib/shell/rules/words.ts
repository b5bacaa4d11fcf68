// Inside any word: `$CONDA_PREFIX` -> `$VIRTUAL_ENV`, other conda variables and conda paths get a note,
// a renamed file's name (`./conda-install.sh`) becomes the new one.
import type { ShNode } from '../parser.js';
import { CONDA_PATH } from './common.js';
import type { RuleContext } from './context.js';

/** A parameter expansion (`$CONDA_PREFIX`, `${MAMBA_ROOT_PREFIX}`). */
export function parameter(r: RuleContext, expansion: ShNode): void {
  const name: string | undefined = expansion.Param?.Value;
  if (name === 'CONDA_PREFIX') r.replace(r.pos(expansion.Param), r.end(expansion.Param), 'VIRTUAL_ENV');
  else if (/^CONDA_|^MAMBA_/.test(name ?? '')) r.note(expansion, `$${name}: no uv equivalent; left as is`);
}

/** A literal part of a word; `noted`: a conda path was already noted in this node (one note is enough). Returns whether it is noted now. */
export function literalPart(r: RuleContext, lit: ShNode, noted: boolean): boolean {
  renamed(r, lit);
  if (noted || !CONDA_PATH.test(lit.Value)) return noted;
  r.note(lit, `a conda path (${lit.Value.replace(/\s+/g, ' ')}): point it at the project venv (.venv/bin)`);
  return true;
}

/** A word naming a renamed file (`./conda-install.sh`) names the new one (`./uv-install.sh`). */
function renamed(r: RuleContext, lit: ShNode): void {
  for (const [from, to] of r.options.renames ?? []) {
    const oldName = from.slice(from.lastIndexOf('/') + 1);
    const value: string = lit.Value;
    if (value === oldName || value.endsWith(`/${oldName}`)) {
      const at = r.pos(lit) + value.length - oldName.length;
      r.replace(at, at + oldName.length, to.slice(to.lastIndexOf('/') + 1));
      return;
    }
  }
}
