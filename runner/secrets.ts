// Credentials in URLs never reach what the run prints or the report it writes (a report is meant to be
// shared). The migrated files themselves keep what the repository had; a follow-up says so.
import type { FollowUp } from '../contract/types.js';
import type { Change } from './vfs.js';

export const REDACTED = '***';

/** `scheme://userinfo@`: the userinfo part of a URL (RFC 3986: no `/`, `?`, `#` or `@` in it). */
const USERINFO = /\b([a-z][a-z0-9+.-]*:\/\/)([^\s/?#@'"`<>]+)@/gi;
/** A query parameter whose name says it carries a secret: `?token=…`, `&private_token=…`, `sig=…`. */
const SECRET_PARAM = /([?&](?:[\w.-]*(?:token|passw(?:or)?d|secret|key|sig|signature|auth|credential)[\w.-]*)=)([^&#\s'"`<>()]+)/gi;
/** A user name alone is kept when it reads like a name (`git@`, `deploy@`), not like a token. */
const PLAIN_USER = /^[A-Za-z][A-Za-z0-9._-]{0,19}$/;
/** `${TOKEN}`, `$TOKEN`, `%TOKEN%`: a reference to a secret kept elsewhere, not a secret. */
const REFERENCE = /^(?:\$\{?\w+\}?|%\w+%)$/;

/**
 * `text` with the secrets in its URLs replaced by ***: a password (`user:***@`), a user name that reads
 * like a token (`https://***@github.com`), and query parameters named like secrets (`?token=***`).
 * References to environment variables are kept.
 */
export function redactSecrets(text: string): string {
  return text
    .replace(USERINFO, (whole, scheme: string, userinfo: string) => {
      const colon = userinfo.indexOf(':');
      if (colon === -1) return PLAIN_USER.test(userinfo) || REFERENCE.test(userinfo) ? whole : `${scheme}${REDACTED}@`;
      const password = userinfo.slice(colon + 1);
      if (password === '' || REFERENCE.test(password)) return whole;
      return `${scheme}${userinfo.slice(0, colon)}:${REDACTED}@`;
    })
    .replace(SECRET_PARAM, (whole, name: string, value: string) => (REFERENCE.test(value) ? whole : `${name}${REDACTED}`));
}

/**
 * A follow-up for each line a codemod wrote into pyproject.toml that holds a credential: the env file
 * had it in a URL and the migration kept it, so it now sits in the file uv reads and commits.
 */
export function credentialFollowUps(changes: readonly Change[], touchedBy: ReadonlyMap<string, string>): FollowUp[] {
  const found: FollowUp[] = [];
  for (const change of changes) {
    if (!/(?:^|\/)pyproject\.toml$/.test(change.path) || (change.kind !== 'created' && change.kind !== 'modified')) continue;
    const before = new Set(change.before.split('\n'));
    change.after.split('\n').forEach((line, i) => {
      if (before.has(line) || redactSecrets(line) === line) return;
      found.push({
        path: change.path,
        line: i + 1,
        codemod: touchedBy.get(change.path) ?? '',
        severity: 'action',
        message:
          'holds a credential the conda env file had in a URL (kept as it was): move it out of the file, e.g. to UV_INDEX_<NAME>_USERNAME/PASSWORD or a .netrc, and rotate it if the repository is shared',
      });
    });
  }
  return found;
}
