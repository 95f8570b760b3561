/**
 * `npm run bench`: runs every compiled `*.bench.js` beside this file (each
 * exports `run()` and prints its own figures). Benchmarks print; they never
 * assert timings.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const files = fs
    .readdirSync(__dirname)
    .filter((f) => f.endsWith('.bench.js'))
    .filter((f) => only.length === 0 || only.some((o) => f.startsWith(o)))
    .sort();
  console.log(`hush benchmarks · node ${process.version} · ${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}`);
  for (const f of files) {
    console.log(`\n## ${f.replace(/\.bench\.js$/, '')}`);
    const mod = (await import(path.join(__dirname, f))) as { run(): Promise<void> };
    await mod.run();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
