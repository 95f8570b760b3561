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
}
