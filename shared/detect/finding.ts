/** What the engine reports for one detected credential. It carries the
 * secret's position, never the secret itself. */
export type Severity = 'error' | 'warning' | 'info';

export interface Finding {
  /** Rule id, e.g. `aws-access-key-id`. */
  readonly ruleId: string;
  /** Human title of what was found, e.g. `AWS access key ID`. */
  readonly title: string;
  readonly severity: Severity;
  /** Offsets of the secret itself in the scanned text (UTF-16 code units, end exclusive). */
  readonly start: number;
  readonly end: number;
  /** 0-based line and column of `start`. */
  readonly line: number;
  readonly column: number;
  /** 0-based line and column of `end` (a PEM block spans lines). */
  readonly endLine?: number;
  readonly endColumn?: number;
  /** Masked form of the secret (`AKIA…WXYZ`), safe for logs and diagnostics. */
  readonly masked: string;
  /** Suggested environment variable for the Move flow (`AWS_SECRET_ACCESS_KEY`, or the variable's own name). */
  readonly suggestedEnvVar: string;
  /** Suggested secret name in the Secrets Manager (`aws/secret-access-key`, `db-password`). */
  readonly suggestedSecretName?: string;
  /** What the secret is: `api-key`, `token`, `password`, `private-key`, `connection-string`, … */
  readonly kind?: string;
  /** Rule category: `cloud`, `vcs-ci`, `database`, `generic`, … */
  readonly category?: string;
  /** How sure the engine is: a checksum or a provider prefix makes `high`; a name and entropy alone `medium`/`low`. */
  readonly confidence?: 'high' | 'medium' | 'low';
  /** Why the engine reported it: which rule, and what evidence (never the value). */
  readonly evidence?: Evidence;
}

/**
 * What made a finding: `prefix` (a provider's literal token prefix),
 * `keyword` (a word near the value), `name` (the variable or key the value
 * is assigned to), `entropy` (randomness above the rule's floor), `checksum`
 * (a checksum embedded in the format verifies), `structure` (the value
 * decodes as what the rule expects: a JWT, a PEM body, base64 of user:password),
 * `context` (the surrounding statement: a command, a SQL clause, prose),
 * `known-secret` (equal to a value already in the Secrets Manager),
 * `user-rule` (a rule from the folder's `.hush/rules.json`).
 */
export type EvidenceKind = 'prefix' | 'keyword' | 'name' | 'entropy' | 'checksum' | 'structure' | 'context' | 'known-secret' | 'user-rule';

export interface Evidence {
  /** The kinds of evidence, strongest first. */
  readonly basis: readonly EvidenceKind[];
  /** The keyword (lower case) that led the engine to the value: a token prefix, a command, a key word. */
  readonly keyword?: string;
  /** The variable, key or attribute name the value is assigned to. */
  readonly name?: string;
  /** Shannon entropy of the value in bits per character (one decimal), and the rule's floor if it has one. */
  readonly entropy: number;
  readonly entropyFloor?: number;
  /** Length of the value in characters. */
  readonly length: number;
  /** For formats with an embedded checksum: whether it verified. */
  readonly checksum?: 'valid' | 'invalid';
  /** The structural and contextual checks the value passed, one phrase each. */
  readonly checks: readonly string[];
}
