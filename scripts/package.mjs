// Builds the bundles and packages a platform-specific .vsix (it carries the
// native keytar module), then lists what is inside and prints its size.
import { spawnSync } from 'node:child_process';
import { readFileSync, statSync, readdirSync, rmSync } from 'node:fs';

const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
const target = `${process.platform === 'win32' ? 'win32' : process.platform}-${process.arch}`;
const out = `hush-${target}-${pkg.version}.vsix`;

function run(cmd, args) {
  const r = spawnSync(cmd, args, { stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

for (const f of readdirSync('.')) if (/^hush-.*\.vsix$/.test(f)) rmSync(f);
run('node', ['scripts/build.mjs']);
run('npx', ['vsce', 'package', '--allow-missing-repository', '--target', target, '--out', out]);
const kb = (statSync(out).size / 1024).toFixed(1);
console.log(`${out}: ${kb} KiB`);
