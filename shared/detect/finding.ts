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
  /** Masked form of the secret (`AKIA…WXYZ`), safe for logs and diagnostics. */
  readonly masked: string;
  /** Suggested secret name and environment variable for the Move flow. */
  readonly suggestedEnvVar: string;
}
