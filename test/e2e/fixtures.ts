/**
 * Test data shared by the e2e (browser) and extension-host tests. Node built-ins only:
 * this file is also loaded inside the extension host.
 *
 * Fake credentials are assembled at run time so the repository never holds one whole
 * (secret scanners, including Hush itself, would rightly flag it).
 */

/** A well-formed but fake AWS access key ID: 'AKIA' + 16 chars of [A-Z2-7]. */
export function fakeAwsAccessKeyId(): string {
  return ['AKIA', 'HQ3T7ZP4', 'MB2KWXYZ'].join('');
}

/** How Hush shows a secret in messages: first 4 and last 4 characters around an ellipsis. */
export function masked(secret: string): string {
  return `${secret.slice(0, 4)}\u2026${secret.slice(-4)}`;
}

/** The file the tests scan: one hardcoded key on line 1. */
export function configJs(key: string): string {
  return `const key = "${key}";\nmodule.exports = { key };\n`;
}

export const EXTENSION_ID = 'hush-dev.hush';
