// The main job's last step: writes a small sample app with a fabricated AWS
// key (built here, so the repository holds none), scans it with the CLI and
// shows what a user sees. Exits 0 when the CLI behaved as documented.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const dir = mkdtempSync(join(tmpdir(), 'hush-sample-'));
const key = ['AK', 'IA', 'Q3EGRKXH4MBZ7T2N'].join('');
mkdirSync(join(dir, 'src'));
writeFileSync(join(dir, 'src', 'config.js'), `module.exports = {\n  region: 'eu-west-1',\n  accessKeyId: '${key}',\n};\n`);
writeFileSync(join(dir, 'README.md'), '# sample app\n');

console.log(`$ hush scan ${dir}`);
const r = spawnSync(process.execPath, ['dist/cli.js', 'scan', dir], { stdio: 'inherit' });
rmSync(dir, { recursive: true, force: true });
if (r.status !== 1) {
  console.error(`expected exit 1 (findings) from hush scan, got ${r.status}`);
  process.exit(1);
}
console.log('(exit 1: findings, as expected)');
