/**
 * What a database engine must offer the built-in rotators (postgres.ts,
 * mysql.ts); the strategies in dbRotation.ts are written against this alone.
 * Every method opens its own connection and closes it, so a rotation holds
 * no connection between its steps. A method throws the driver's error as it
 * is; dbRotation.ts turns it into a message without values.
 */
import type { DbCredentials } from './dbCredentials';

export interface DbEngine {
  /** "PostgreSQL", "MariaDB"… for messages. */
  readonly label: string;
  /** Left out of generated passwords: characters that break URLs, shells or the engine's tools. */
  readonly excludeCharacters: string;
  /** The longest user name the server takes (for the alternating strategy's `_clone`). */
  maxUsernameLength(c: DbCredentials): number;
  /** Logs in with `c`, checks it is `c.username` with a query, logs out. */
  check(c: DbCredentials): Promise<void>;
  /** Logged in as `as`, sets `user`'s password; `as.username === user` changes its own. */
  setPassword(as: DbCredentials, user: string, password: string): Promise<string>;
  /** Logged in as the admin: whether the user exists. */
  userExists(admin: DbCredentials, user: string): Promise<boolean>;
  /** Logged in as the admin: creates `clone` with `password` and the grants of `source`. */
  createClone(admin: DbCredentials, source: string, clone: string, password: string): Promise<string>;
  /** The server refused the login (wrong password, unknown user), as opposed to being unreachable. */
  isLoginRefused(e: unknown): boolean;
}
