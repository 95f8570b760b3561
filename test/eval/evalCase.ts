/**
 * One labelled case of the evaluation set: a snippet, whether it holds a
 * secret, and why. Cases are generated (see `corpus.ts`), never copied from
 * another project's tests.
 */
export type Label = 'secret' | 'benign';

/**
 * `plain`: ordinary code, config or prose with nothing secret-shaped;
 * `look-alike`: something a detector could mistake for a credential (a
 * placeholder in a password field, a public key, a hash, a test
 * credential, an identifier assigned to a `…Token` name).
 */
export type BenignKind = 'plain' | 'look-alike';

export interface EvalCase {
  /** Category for the per-category table: `password:python`, `command:curl`, `private-key:escaped`, … */
  readonly category: string;
  readonly label: Label;
  readonly benignKind?: BenignKind;
  /** Why it is labelled so: the kind of secret, or what makes it benign. */
  readonly why: string;
  readonly text: string;
  /** File name the snippet pretends to come from (some cases have none, as pasted snippets). */
  readonly path?: string;
  /** For secrets: where the secret is in `text` (a finding must overlap it). */
  readonly start?: number;
  readonly end?: number;
}

/** A secret case: `before` + secret + `after`. */
export function secretCase(category: string, why: string, before: string, secret: string, after: string, path?: string): EvalCase {
  return { category, label: 'secret', why, text: before + secret + after, path, start: before.length, end: before.length + secret.length };
}

export function benignCase(category: string, benignKind: BenignKind, why: string, text: string, path?: string): EvalCase {
  return { category, label: 'benign', benignKind, why, text, path };
}
