/**
 * The only form in which a detected secret may leave the engine: enough to
 * recognise it (`AKIA…WXYZ`), never enough to use it.
 */
export function mask(secret: string): string {
  const chars = Array.from(secret);
  if (chars.length >= 16) return `${chars.slice(0, 4).join('')}…${chars.slice(-4).join('')}`;
  if (chars.length >= 8) return `${chars.slice(0, 2).join('')}…${chars.slice(-2).join('')}`;
  return '…';
}

/**
 * Masking by kind: a PEM block shows its header line (not secret) only; a
 * password-like value (low entropy, guessable from a few characters) shows
 * at most its first and last character; tokens show `mask()`.
 */
export function maskSecret(secret: string, kind: string): string {
  const pem = /^-----BEGIN ([A-Z0-9 ]{1,40})-----/.exec(secret);
  if (pem) return `-----BEGIN ${pem[1]}-----…`;
  if (secret.startsWith('PuTTY-User-Key-File-')) return 'PuTTY-User-Key-File…';
  if (kind === 'password') {
    const chars = Array.from(secret);
    return chars.length >= 12 ? `${chars[0]}…${chars[chars.length - 1]}` : '…';
  }
  return mask(secret);
}
