/** CRC-32 (IEEE 802.3, as zlib computes it) and base62, for token formats that embed a checksum. */
let table: Uint32Array | undefined;

export function crc32(s: string): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  const bytes = Buffer.from(s, 'utf8');
  for (let i = 0; i < bytes.length; i++) crc = table[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const B62 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

export function base62(n: number, width: number): string {
  let out = '';
  do {
    out = B62[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out.padStart(width, '0');
}

/**
 * GitHub's and npm's token format: `<prefix>_` + 30 random base62 characters +
 * 6 characters of base62 CRC-32 over those 30.
 */
export function hasBase62Crc(token: string, prefixLength: number): boolean {
  const body = token.slice(prefixLength);
  if (body.length !== 36) return false;
  return base62(crc32(body.slice(0, 30)), 6) === body.slice(30);
}
