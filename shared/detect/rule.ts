/**
 * A detection rule is plain data: what it finds, where to look (keywords),
 * how to match (a regex whose capture group is the secret), and how to tell a
 * real credential from a look-alike (entropy floor, validators, allowlists).
 * The engine knows nothing about providers; everything provider-specific
 * lives in `rules/<category>.ts`, and each rule's examples in
 * `rules/<category>.examples.ts` (test-only, never bundled).
 */
import type { Severity } from './finding';

export type Category =
  | 'cloud'
  | 'vcs-ci'
  | 'registry'
  | 'payments'
  | 'messaging'
  | 'ai'
  | 'observability'
  | 'database'
  | 'private-key'
  | 'auth'
  | 'saas'
  | 'generic';

export type Confidence = 'high' | 'medium' | 'low';

/** What a validator may know besides the match. */
export interface ValidationContext {
  /** Path of the scanned file, when known (forward slashes). */
  readonly path?: string;
}

/** A check on a candidate beyond its regex: a checksum, a structure. `false` drops the candidate. */
export type Validator = (secret: string, match: RegExpExecArray, ctx: ValidationContext) => boolean;

export interface Rule {
  /** Stable id, used in diagnostics' `code`, inline ignores' docs, baselines and settings. */
  readonly id: string;
  readonly title: string;
  readonly category: Category;
  /** What the secret is: `api-key`, `token`, `password`, `private-key`, `connection-string`, … */
  readonly kind: string;
  readonly severity: Severity;
  /**
   * Lower-case literals; the regex runs only on lines where one occurs
   * (whole text for `multiline` rules). At least one is required.
   */
  readonly keywords: readonly string[];
  /** Without flags; the engine compiles it with `gd`. The capture group `secretGroup` is the secret. */
  readonly regex: RegExp;
  /** Capture group number of the secret (default 1); with several, the first that took part in the match. */
  readonly secretGroup?: number | readonly number[];
  /** Capture group holding the variable name the secret is assigned to, if any (suggests the env var). */
  readonly nameGroup?: number | readonly number[];
  /**
   * For `multiline` rules: how far (characters) a match may extend from its
   * keyword, before and after. Bounds the work per keyword hit.
   */
  readonly span?: { readonly before: number; readonly after: number };
  /** The match can span lines (PEM blocks, JSON documents); run over the whole text, not line windows. */
  readonly multiline?: boolean;
  /** Minimum Shannon entropy (bits per character) of the secret. */
  readonly entropy?: number;
  /** Extra checks (structure, context). All must pass. */
  readonly validators?: readonly Validator[];
  /** A checksum the format embeds: passing raises confidence to high, failing lowers it to low. */
  readonly checksum?: (secret: string) => boolean;
  /** Which rule wins when two findings overlap (higher wins; default 0, generic rules below). */
  readonly priority?: number;
  /** The regex fragment a value of this format matches (documentation, and test generators). */
  readonly format?: string;
  /** For rules keyed on a variable name: the name words (documentation, and test generators). */
  readonly names?: readonly string[];
  /** Secrets matching any of these are not reported (documentation values, test values). */
  readonly allow?: readonly RegExp[];
  /** Secrets containing any of these (lower-case) are not reported. */
  readonly stopwords?: readonly string[];
  /**
   * The match starts exactly where a keyword starts (the keyword is the
   * token's prefix): the engine runs the regex anchored at each keyword hit
   * instead of over the line.
   */
  readonly anchored?: boolean;
  /**
   * The keyword sits inside a variable name that an assignment operator
   * follows (`db_password = …`): the engine widens the hit to the whole name,
   * checks that `=`/`:` follows it, and runs the regex anchored at the name.
   * Hits in names that are not assigned (`getToken()`) cost no regex at all.
   */
  readonly assignmentAnchored?: boolean;
  /** Skip the shared placeholder defences (for formats where they misfire, e.g. PEM bodies). */
  readonly skipPlaceholderCheck?: boolean;
  /** Suggested environment variable and secret name for the Move flow. */
  readonly envVar: string;
  readonly secretName: string;
  readonly confidence?: Confidence;
}

/** Letters and digits: what may not touch a token on either side. */
export const B = '(?<![A-Za-z0-9])';
export const E = '(?![A-Za-z0-9])';
/** Like B/E but `_` and `-` count as part of the token too. */
export const BW = '(?<![A-Za-z0-9_-])';
export const EW = '(?![A-Za-z0-9_-])';

/**
 * A rule for a token with a distinctive literal prefix: `prefix` + `body`
 * (a regex fragment), delimited on both sides. Keywords default to the
 * lower-cased prefixes.
 */
export function prefixed(
  base: Omit<Rule, 'regex' | 'keywords' | 'severity'> & { severity?: Severity; keywords?: readonly string[] },
  prefixes: readonly string[],
  body: string,
  opts: { loose?: boolean } = {},
): Rule {
  const [b, e] = opts.loose ? [B, E] : [BW, EW];
  const alt = prefixes.map(escapeRegex).join('|');
  return {
    severity: 'error',
    confidence: 'high',
    ...base,
    keywords: base.keywords ?? [...new Set(prefixes.map((p) => p.toLowerCase()))],
    anchored: base.keywords === undefined,
    regex: new RegExp(`${b}((?:${alt})${body})${e}`),
    format: `(?:${alt})${body}`,
  };
}

/**
 * A rule for a value that only means something next to its name:
 * `<name>… = "value"` where the name contains one of `names` (literals,
 * matched case-insensitively) and the value matches `value`.
 */
export function assigned(
  base: Omit<Rule, 'regex' | 'severity' | 'keywords'> & { severity?: Severity; keywords?: readonly string[] },
  names: readonly string[],
  value: string,
): Rule {
  const alt = names.map(caseless).join('|');
  return {
    severity: 'error',
    confidence: 'medium',
    ...base,
    keywords: base.keywords ?? names.map((n) => n.toLowerCase()),
    format: value,
    names,
    regex: new RegExp(`(?:${alt})[\\w.-]{0,30}["']?\\s{0,4}(?:=>|:=|=|:|,)\\s{0,4}(?:@(?=["']))?["'\`]?${B}(${value})${E}`),
  };
}

/** A literal as a case-insensitive regex fragment (`ab` → `[aA][bB]`), so the rest of the regex keeps its case. */
export function caseless(literal: string): string {
  let out = '';
  for (const ch of literal) {
    const lo = ch.toLowerCase();
    const up = ch.toUpperCase();
    out += lo === up ? escapeRegex(ch) : `[${lo}${up}]`;
  }
  return out;
}

export function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/-]/g, '\\$&');
}

/** Value fragments shared by rule files. */
export const UUID = '[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}';
export const hex = (n: number | string): string => `[a-fA-F0-9]{${n}}`;
export const alnum = (n: number | string): string => `[A-Za-z0-9]{${n}}`;

type Extra = Partial<Omit<Rule, 'id' | 'title' | 'category' | 'kind' | 'envVar'>>;

/** Shorthands for rule files: a prefixed token, and a value keyed by its variable name. */
export function ruleMakers(category: Category) {
  const secretNameOf = (env: string): string => env.toLowerCase().replace(/_/g, '-');
  return {
    p(id: string, title: string, kind: string, envVar: string, prefixes: readonly string[], body: string, extra: Extra & { loose?: boolean } = {}): Rule {
      const { loose, ...rest } = extra;
      return prefixed(
        { id, title, category, kind, envVar, secretName: secretNameOf(envVar), ...rest } as Rule,
        prefixes,
        body,
        { loose },
      );
    },
    a(id: string, title: string, kind: string, envVar: string, names: readonly string[], value: string, extra: Extra = {}): Rule {
      return assigned({ id, title, category, kind, envVar, secretName: secretNameOf(envVar), ...extra } as Rule, names, value);
    },
    r(id: string, title: string, kind: string, envVar: string, keywords: readonly string[], regex: RegExp, extra: Extra = {}): Rule {
      return {
        id, title, category, kind, envVar, secretName: secretNameOf(envVar), keywords, regex,
        severity: 'error', confidence: 'high', ...extra,
      };
    },
  };
}
