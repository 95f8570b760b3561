/**
 * Moving a PostgreSQL or MySQL/MariaDB connection URL as database
 * credentials: the whole URL in the code becomes one lookup, the secret holds
 * AWS-shaped JSON ({"engine", "host", "port", "username", "password",
 * "dbname"}, rotators/dbCredentials.ts) that the built-in rotators can
 * rotate, and the manifest says how a variable reads it back:
 *
 *   "DATABASE_URL": {"secret": "shop/DATABASE_URL", "format": "url"}   the URL again
 *   "DB_PASSWORD":  {"secret": "shop/DATABASE_URL", "field": "password"} one part
 *
 * so the app keeps reading a URL (or the parts it prefers) while the secret
 * is rotated underneath.
 */
import { HushError } from '../errors';
import { dbCredentialsFromUrl, dbUrlOf, formatDbCredentials, parseDbCredentials } from '../secrets/rotators/dbCredentials';

/** Findings whose value can be moved as database credentials. */
export const DB_URL_RULES: ReadonlySet<string> = new Set(['postgres-connection-string', 'mysql-connection-string']);

/** How a manifest entry reads a database secret: the whole URL, or one field of the JSON. */
export interface DbLookup {
  format?: 'url';
  field?: string;
}

/**
 * The connection URL around a finding's password span (`scheme://user:pw@host…`
 * up to a quote, whitespace or the end of the line), when it is one the
 * rotators know and its password is the span.
 */
export function connectionUrlAround(text: string, start: number, end: number): { start: number; end: number; url: string } | undefined {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const before = text.slice(lineStart, start);
  const scheme = /(?:postgres(?:ql)?|mysql|mariadb):\/\/[^\s"'`<>]*$/i.exec(before);
  if (!scheme) return undefined;
  const urlStart = lineStart + scheme.index;
  let urlEnd = end;
  while (urlEnd < text.length && !/[\s"'`<>]/.test(text[urlEnd]!)) urlEnd++;
  const url = text.slice(urlStart, urlEnd);
  const creds = dbCredentialsFromUrl(url);
  if (!creds || creds.password !== text.slice(start, end)) return undefined;
  return { start: urlStart, end: urlEnd, url };
}

/** The secret value for a moved connection URL: the JSON credentials. */
export function dbSecretFromUrl(url: string): string {
  const creds = dbCredentialsFromUrl(url);
  if (!creds) throw new HushError('InvalidArgument', 'this is not a postgres:// or mysql:// URL with a user and password; move it as it is');
  return formatDbCredentials(creds);
}

/** The value a manifest variable gets from a database secret: the URL, or one field. */
export function dbLookupValue(secretText: string, lookup: DbLookup, what: string): string {
  const c = parseDbCredentials(secretText, what);
  if (lookup.format === 'url') return dbUrlOf(c);
  const v = c[lookup.field!];
  if (v === undefined || v === null || typeof v === 'object') {
    throw new HushError('InvalidArgument', `${what} has no field "${lookup.field}"; the fields are ${Object.keys(c).filter((k) => typeof c[k] !== 'object').join(', ')}`);
  }
  return String(v);
}
