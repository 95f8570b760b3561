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
