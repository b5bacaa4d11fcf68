// What the tool prints and reports is meant to be shared: credentials in URLs never reach it.

/** `scheme://user:password@host` -> `scheme://user:***@host`, wherever it appears in `text`. */
export function redactSecrets(text: string): string {
  return text.replace(/(\b[a-z][a-z0-9+.-]*:\/\/[^\s/:@]+):[^\s/@]+@/gi, '$1:***@');
}
