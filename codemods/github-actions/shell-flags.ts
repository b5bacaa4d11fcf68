// `shell:` values that only made bash a login shell so conda's activation ran.

/**
 * The shell to use once the login flag is gone: a string to write, null for "no shell: override needed"
 * (GitHub's default bash already runs with -e), undefined when the value is not a login shell we know.
 */
export function loginlessShell(shell: string): string | null | undefined {
  const tokens = shell.trim().split(/\s+/);
  if (tokens.at(-1) !== '{0}') return undefined;
  if (/^micromamba-shell$/.test(tokens[0]!)) return tokens.length === 2 ? null : undefined;
  if (tokens[0] !== 'bash') return undefined;
  let login = false;
  const kept: string[] = [];
  const flags = tokens.slice(1, -1);
  for (let i = 0; i < flags.length; i++) {
    const flag = flags[i]!;
    if (flag === '--login') {
      login = true;
    } else if (/^-[a-zA-Z]+$/.test(flag)) {
      if (flag.includes('l')) login = true;
      const rest = flag.replace(/l/g, '');
      if (rest.endsWith('o') && flags[i + 1]) kept.push(rest, flags[++i]!);
      else if (rest !== '-') kept.push(rest);
    } else {
      kept.push(flag);
    }
  }
  if (!login) return undefined;
  const rest = kept.join(' ');
  // GitHub's `shell: bash` is `bash --noprofile --norc -eo pipefail {0}`; no shell at all is `bash -e {0}`.
  if (rest === '' || rest === '-e') return null;
  if (rest === '-eo pipefail' || rest === '-o pipefail' || rest === '-e -o pipefail') return 'bash';
  return `bash ${rest} {0}`;
}
