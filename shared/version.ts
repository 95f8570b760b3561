import * as path from 'node:path';

/** The product version, injected by the bundler from package.json (`HUSH_VERSION`). */
declare const HUSH_VERSION: string | undefined;

// Under `tsc` (tests run from out/shared/) there is no bundler define: read package.json.
export const VERSION: string =
  typeof HUSH_VERSION === 'string'
    ? HUSH_VERSION
    : (require(path.join(__dirname, '..', '..', 'package.json')) as { version: string }).version;
