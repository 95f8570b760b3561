// Bundles the entry points with esbuild: CommonJS for Node, native
// keytar and the editor's `vscode` module left external.
import * as esbuild from 'esbuild';
import { readFileSync, chmodSync } from 'node:fs';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const watch = process.argv.includes('--watch');

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: true,
  minify: !watch,
  external: ['vscode', 'keytar'],
  define: { HUSH_VERSION: JSON.stringify(pkg.version) },
  logLevel: 'info',
};

const entries = [
  { entryPoints: ['client/extension.ts'], outfile: 'dist/client.js' },
  // The command implementations, loaded by dist/client.js on the first command (client/commandLoader.ts).
  { entryPoints: ['client/commands.ts'], outfile: 'dist/commands.js' },
  { entryPoints: ['server/server.ts'], outfile: 'dist/server.js' },
  { entryPoints: ['cli/cli.ts'], outfile: 'dist/cli.js' },
];

if (watch) {
  for (const e of entries) await (await esbuild.context({ ...common, ...e })).watch();
  console.log('watching for changes…');
} else {
  const started = Date.now();
  await Promise.all(entries.map((e) => esbuild.build({ ...common, ...e })));
  chmodSync('dist/cli.js', 0o755);
  console.log(`built dist/ in ${Date.now() - started} ms`);
}
