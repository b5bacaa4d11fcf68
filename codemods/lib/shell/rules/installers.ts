// The Miniconda/Miniforge/micromamba installer: its download, run and clean-up. The host's policy says
// whether the download goes (an image) or becomes uv's installer.
import { literal, sh, type ShNode } from '../parser.js';
import { UV_INSTALLER } from '../../versions.js';
import { CONDA_PATH, SHELLS } from './common.js';
import type { CommandRule, RuleContext } from './context.js';

/** The installer, by name or download address. */
export const INSTALLER = /\b(?:mini|ana)conda\d*\b|\bminiforge\d*\b|\bmambaforge\b|micro\.mamba\.pm|\bmicromamba[-.]/i;

function isInstallerDownload(r: RuleContext, stmt: ShNode): boolean {
  const cmd = stmt.Cmd;
  if (!cmd || sh().NodeType(cmd) !== 'CallExpr' || cmd.Args.length === 0) return false;
  const command = literal(cmd.Args[0]);
  return (command === 'curl' || command === 'wget') && (cmd.Args as ShNode[]).slice(1).some((a) => INSTALLER.test(r.raw(a)));
}

/** The download goes (true) or becomes uv's installer over [start, end) (false). */
function replaceDownload(r: RuleContext, start: number, end: number): boolean {
  if (r.options.host.installer === 'remove') return true;
  r.replace(start, end, UV_INSTALLER);
  return false;
}

/** `curl -L micro.mamba.pm/install.sh | bash`, `curl ... | tar -xvj bin/micromamba`; undefined when the pipeline is something else. */
export function installerPipe(r: RuleContext, cmd: ShNode): boolean | undefined {
  const into = literal(cmd.Y.Cmd?.Args?.[0]) ?? '';
  if (!isInstallerDownload(r, cmd.X) || (!SHELLS.has(into) && into !== 'tar')) return undefined;
  return replaceDownload(r, r.pos(cmd.X), r.end(cmd.Y));
}

/** `"${SHELL}" <(curl -L micro.mamba.pm/install.sh)`, the installer's download (`curl`/`wget`), its run and clean-up (`bash`, `rm`, `chmod`). */
export const installer: CommandRule = (r, { call, args, texts, wrapped }) => {
  const command = texts[0] ?? '';
  if ((SHELLS.has(command) || /^"?\$\{?SHELL\}?"?$/.test(r.raw(args[0]))) && args.length === 2) {
    const part = args[1].Parts[0];
    if (args[1].Parts.length === 1 && sh().NodeType(part) === 'ProcSubst' && part.Stmts.length === 1 && isInstallerDownload(r, part.Stmts[0])) {
      return replaceDownload(r, r.pos(args[0]), r.end(call));
    }
  }
  if (wrapped) return undefined;
  const operands = args.slice(1).filter((_, i) => !(texts[i + 1] ?? '').startsWith('-'));
  const named = (a: ShNode) => INSTALLER.test(r.raw(a)) || CONDA_PATH.test(r.raw(a));
  if (command === 'curl' || command === 'wget') {
    if (!args.slice(1).some((a) => INSTALLER.test(r.raw(a)))) return undefined;
    return replaceDownload(r, r.pos(args[0]), r.end(call));
  }
  if ((SHELLS.has(command) || command === 'rm' || command === 'chmod') && operands.length > 0 && operands.every(named) && !texts.includes('-c')) return true;
  return undefined;
};
