/**
 * Fabricated credentials for tests, built at run time so the repository never
 * holds one whole (a scanner, ours included, would flag the source otherwise).
 * They follow the providers' documented formats and are not real keys.
 */

/** An AWS access key id: `AKIA` + 16 characters of [A-Z2-7]. */
export function fakeAwsAccessKeyId(tail = 'Q3EGRKXH4MBZ7T2N'): string {
  return ['AK', 'IA', tail].join('');
}
