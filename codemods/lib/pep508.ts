// PEP 508 dependency specifiers, by a recursive-descent parser over the grammar (as `packaging` reads
// it: the PEP's grammar, with PEP 440 versions and `packaging`'s whitespace rules). Anything taken from a
// repository goes into pyproject.toml only once it parses here, so no shell or other syntax rides along.

export interface Requirement {
  name: string;
  extras: string[];
  /** The version clauses joined by `,` without whitespace (`>=1.0,<2`), or '' when none. */
  specifier: string;
  url?: string;
  /** The marker as written (after `;`, trimmed), when there is one. */
  marker?: string;
}

export interface RequirementError {
  error: string;
  /** 1-based column in the text where the problem is. */
  column: number;
}

/** A PEP 508 name: letters and digits, with `.`, `_`, `-` inside. */
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?$/;

export function isValidName(name: string): boolean {
  return NAME.test(name);
}

const OPERATORS = ['===', '~=', '==', '!=', '<=', '>=', '<', '>'] as const;
type Operator = (typeof OPERATORS)[number];

const MARKER_VARIABLES = new Set([
  'python_version', 'python_full_version', 'os_name', 'sys_platform', 'platform_release', 'platform_system', 'platform_version',
  'platform_machine', 'platform_python_implementation', 'implementation_name', 'implementation_version', 'extra',
  'extras', 'dependency_groups', // PEP 751
  'os.name', 'sys.platform', 'platform.version', 'platform.machine', 'platform.python_implementation', 'python_implementation', // legacy, still read
]);

// PEP 440 pieces (case-insensitive): a release with an optional epoch, then pre, post and dev parts.
const RELEASE = '[0-9]+(?:\\.[0-9]+)*';
const PRE = '(?:[-_.]?(?:alpha|beta|preview|pre|a|b|c|rc)[-_.]?[0-9]*)?';
const POST = '(?:-[0-9]+|[-_.]?(?:post|rev|r)[-_.]?[0-9]*)?';
const DEV = '(?:[-_.]?dev[-_.]?[0-9]*)?';
const LOCAL = '(?:\\+[a-z0-9]+(?:[-_.][a-z0-9]+)*)?';
const EPOCH = 'v?(?:[0-9]+!)?';
/** The version each operator takes: `==`/`!=` a wildcard or a local version, `~=` two release parts at least. */
const VERSION_FOR: Record<Operator, RegExp> = {
  '===': /^[^\s;)]+$/,
  '==': new RegExp(`^${EPOCH}${RELEASE}(?:\\.\\*|${PRE}${POST}${DEV}${LOCAL})$`, 'i'),
  '!=': new RegExp(`^${EPOCH}${RELEASE}(?:\\.\\*|${PRE}${POST}${DEV}${LOCAL})$`, 'i'),
  '~=': new RegExp(`^${EPOCH}[0-9]+(?:\\.[0-9]+)+${PRE}${POST}${DEV}$`, 'i'),
  '<=': new RegExp(`^${EPOCH}${RELEASE}${PRE}${POST}${DEV}$`, 'i'),
  '>=': new RegExp(`^${EPOCH}${RELEASE}${PRE}${POST}${DEV}$`, 'i'),
  '<': new RegExp(`^${EPOCH}${RELEASE}${PRE}${POST}${DEV}$`, 'i'),
  '>': new RegExp(`^${EPOCH}${RELEASE}${PRE}${POST}${DEV}$`, 'i'),
};

class Fail extends Error {
  constructor(
    message: string,
    readonly at: number,
  ) {
    super(message);
  }
}

/** Parse one PEP 508 requirement (no comments, no pip options). */
export function parseRequirement(text: string): Requirement | RequirementError {
  try {
    return new Parser(text).requirement();
  } catch (error) {
    if (!(error instanceof Fail)) throw error;
    return { error: error.message, column: error.at + 1 };
  }
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  private get rest(): string {
    return this.s.slice(this.i);
  }
  private ws(): boolean {
    const start = this.i;
    while (this.s[this.i] === ' ' || this.s[this.i] === '\t') this.i++;
    return this.i > start;
  }
  private eat(token: string): boolean {
    if (!this.s.startsWith(token, this.i)) return false;
    this.i += token.length;
    return true;
  }
  private fail(message: string, at = this.i): never {
    throw new Fail(message, at);
  }
  private end(): boolean {
    return this.i >= this.s.length;
  }

  /** A name or extra: letters and digits, `.`, `_`, `-` inside. */
  private identifier(what: string): string {
    const m = /^[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?/.exec(this.rest);
    if (!m) this.fail(`expected ${what}`);
    this.i += m[0].length;
    return m[0];
  }

  requirement(): Requirement {
    this.ws();
    const name = this.identifier('a package name');
    this.ws();
    const extras = this.s[this.i] === '[' ? this.extras() : [];
    this.ws();
    if (this.eat('@')) {
      this.ws();
      const url = this.url();
      if (this.end()) return { name, extras, specifier: '', url };
      if (!this.ws()) this.fail('expected whitespace after the URL');
      if (this.end()) return { name, extras, specifier: '', url };
      if (!this.eat(';')) this.fail('expected a `;` and a marker after the URL');
      return { name, extras, specifier: '', url, marker: this.markerToEnd() };
    }
    const specifier = this.specifier();
    this.ws();
    if (this.end()) return { name, extras, specifier };
    if (!this.eat(';')) this.fail(specifier ? 'expected `,`, `;` or the end after a version clause' : 'expected a version specifier, `@ URL`, `;` or the end');
    return { name, extras, specifier, marker: this.markerToEnd() };
  }

  private extras(): string[] {
    this.eat('[');
    this.ws();
    const extras: string[] = [];
    if (this.eat(']')) return extras;
    for (;;) {
      extras.push(this.identifier('an extra name'));
      this.ws();
      if (this.eat(']')) return extras;
      if (!this.eat(',')) this.fail('expected `,` or `]` in the extras');
      this.ws();
    }
  }

  private url(): string {
    const start = this.i;
    while (!this.end() && this.s[this.i] !== ' ' && this.s[this.i] !== '\t') this.i++;
    const url = this.s.slice(start, this.i);
    if (url === '') this.fail('expected a URL after `@`', start);
    const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):(.*)$/s.exec(url);
    if (!scheme) this.fail('the URL has no scheme (like https:)', start);
    // A network URL needs a host; file: URLs may name a local path.
    if (scheme[1]!.toLowerCase() !== 'file' && !/^\/\/[^/?#]/.test(scheme[2]!)) this.fail('the URL has no host', start);
    return url;
  }

  /** Version clauses, optionally in parentheses: `>=1.0, <2` or `(>=1.0,<2)`. */
  private specifier(): string {
    const paren = this.eat('(');
    if (paren) this.ws();
    const clauses: string[] = [];
    for (;;) {
      const op = OPERATORS.find((o) => this.s.startsWith(o, this.i));
      if (!op) {
        if (clauses.length === 0) break;
        this.fail('expected a version clause after `,`'); // PEP 508 has no trailing comma
      }
      const at = this.i;
      this.i += op.length;
      this.ws();
      const start = this.i;
      while (!this.end() && !/[\s,;)]/.test(this.s[this.i]!)) this.i++;
      const version = this.s.slice(start, this.i);
      if (version === '') this.fail(`expected a version after ${op}`);
      if (!VERSION_FOR[op].test(version)) this.fail(`not a valid version for ${op}: ${version}`, at);
      clauses.push(op + version);
      this.ws();
      if (!this.eat(',')) break;
      this.ws();
    }
    if (paren) {
      if (!this.eat(')')) this.fail('expected `)` to close the version specifier');
    }
    return clauses.join(',');
  }

  private markerToEnd(): string {
    this.ws();
    const start = this.i;
    this.markerOr();
    this.ws();
    if (!this.end()) this.fail('expected `and`, `or` or the end of the marker');
    return this.s.slice(start).trim();
  }

  private markerOr(): void {
    this.markerAnd();
    while (this.keyword('or')) this.markerAnd();
  }

  private markerAnd(): void {
    this.markerAtom();
    while (this.keyword('and')) this.markerAtom();
  }

  /** `and`/`or` as a word of its own (no letter, digit or `_` touching it). */
  private keyword(word: string): boolean {
    const save = this.i;
    this.ws();
    if (!/\w/.test(this.s[this.i - 1] ?? '') && this.eat(word) && !/\w/.test(this.s[this.i] ?? '')) return true;
    this.i = save;
    return false;
  }

  private markerAtom(): void {
    this.ws();
    if (this.eat('(')) {
      this.ws();
      this.markerOr();
      this.ws();
      if (!this.eat(')')) this.fail('expected `)` in the marker');
      return;
    }
    this.markerValue();
    this.ws();
    this.markerOp();
    this.ws();
    this.markerValue();
  }

  private markerValue(): void {
    const quote = this.s[this.i];
    if (quote === "'" || quote === '"') {
      const close = this.s.indexOf(quote, this.i + 1);
      if (close === -1) this.fail('unterminated string in the marker');
      this.i = close + 1;
      return;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_.]*/.exec(this.rest);
    if (!m || !MARKER_VARIABLES.has(m[0])) this.fail('expected a marker variable (python_version, sys_platform...) or a quoted string');
    this.i += m[0].length;
  }

  private markerOp(): void {
    for (const op of ['===', '<=', '>=', '==', '!=', '~=', '<', '>']) if (this.eat(op)) return;
    const word = /^(?:in|not[ \t]+in)(?!\w)/.exec(this.rest);
    if (!word) this.fail('expected a marker operator (==, !=, <, >=, in, not in...)');
    this.i += word[0].length;
  }
}
