// `bash -c '...'`: the script is rewritten inside its quotes.
import type { ShNode } from '../parser.js';
import { removeWord, shellScriptWord, SHELLS } from './common.js';
import type { CommandRule, RuleContext } from './context.js';

export const nestedShell: CommandRule = (r, { call, args, texts }) => {
  if (!SHELLS.has(texts[0] ?? '')) return undefined;
  const script = shellScriptWord(texts, 0);
  if (script === undefined) return undefined;
  r.scanAll((call.Args as ShNode[]).slice(0, call.Args.length - args.length + script));
  const rewritten = r.isolated(() => r.nested(args[script]));
  // `bash -lc '...'`: the login shell only served conda activation (~/.bashrc from conda init).
  if (rewritten !== undefined && !/conda|mamba/.test(rewritten)) dropLoginFlag(r, args.slice(1, script), texts.slice(1, script));
  r.scanAll(args.slice(script + 1));
  r.scanAll(call.Assigns);
  return false;
};

function dropLoginFlag(r: RuleContext, flags: ShNode[], texts: (string | undefined)[]): void {
  flags.forEach((flag, i) => {
    const text = texts[i] ?? '';
    if (text === '-l' || text === '--login') removeWord(r, flag);
    else if (/^-[a-z]*l[a-z]*$/.test(text)) {
      r.replace(r.pos(flag), r.end(flag), text.replace('l', ''));
    }
  });
}
