// Runs the test layers with mocha and prints one summary line per layer and
// a closing "N passed, N failed" line.
//
//   node scripts/test.mjs                 all layers (build, package and compile first)
//   node scripts/test.mjs unit integration  only these layers
//
// Layers: unit (shared/, cli/), integration (LSP client over stdio against
// dist/server.js), system (real processes: crash, concurrency, keychain),
// e2e (the packaged .vsix in code-server, driven by Chromium; extension-host tests).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Mocha from 'mocha';

const LAYERS = {
  unit: { dir: 'out/test/unit', timeout: 20_000 },
  integration: { dir: 'out/test/integration', timeout: 30_000 },
  system: { dir: 'out/test/system', timeout: 300_000 },
  e2e: { dir: 'out/test/e2e', timeout: 300_000 },
};

const asked = process.argv.slice(2);
for (const l of asked) {
  if (!(l in LAYERS)) {
    console.error(`unknown test layer '${l}'; layers are: ${Object.keys(LAYERS).join(', ')}`);
    process.exit(2);
  }
}
const layers = asked.length ? asked : Object.keys(LAYERS);

// The keychain tests need a D-Bus session with an unlocked Secret Service.
// Re-run this script inside one, with a throwaway HOME, unless we are in one.
if (!process.env.HUSH_TEST_SESSION) {
  const home = mkdtempSync(join(tmpdir(), 'hush-test-home-'));
  const inner = `printf hush-test | gnome-keyring-daemon --unlock --components=secrets >/dev/null 2>&1; exec node scripts/test.mjs ${layers.join(' ')}`;
  const haveDbus = spawnSync('sh', ['-c', 'command -v dbus-run-session && command -v gnome-keyring-daemon']).status === 0;
  const env = { ...process.env, HUSH_TEST_SESSION: '1', HUSH_REAL_HOME: process.env.HOME ?? '', HOME: home };
  const r = haveDbus
    ? spawnSync('dbus-run-session', ['--', 'sh', '-c', inner], { stdio: 'inherit', env })
    : spawnSync('node', ['scripts/test.mjs', ...layers], { stdio: 'inherit', env });
  rmSync(home, { recursive: true, force: true });
  process.exit(r.status ?? 1);
}

function sh(cmd) {
  const r = spawnSync('sh', ['-c', cmd], { stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`\n'${cmd}' failed (exit ${r.status})`);
    process.exit(1);
  }
}

// Build what the layers test: bundles, the .vsix for e2e, the compiled tests.
sh('node scripts/build.mjs');
if (layers.includes('e2e')) sh('node scripts/package.mjs');
sh('npx tsc -p tsconfig.json');

function testFiles(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true })
    .map((f) => join(dir, String(f)))
    .filter((f) => f.endsWith('.test.js') && statSync(f).isFile())
    .sort();
}

const totals = [];
for (const layer of layers) {
  const { dir, timeout } = LAYERS[layer];
  const files = testFiles(dir);
  console.log(`\n=== ${layer}: ${files.length} file(s) ===`);
  const mocha = new Mocha({ timeout, reporter: 'spec', color: false });
  for (const f of files) mocha.addFile(join(process.cwd(), f));
  const stats = await new Promise((resolve) => {
    const runner = mocha.run(() => resolve(runner.stats));
  });
  totals.push({ layer, passed: stats.passes, failed: stats.failures, skipped: stats.pending });
}

console.log('\nsummary:');
for (const t of totals) console.log(`  ${t.layer.padEnd(12)} ${t.passed} passed, ${t.failed} failed, ${t.skipped} skipped`);
const passed = totals.reduce((n, t) => n + t.passed, 0);
const failed = totals.reduce((n, t) => n + t.failed, 0);
const skipped = totals.reduce((n, t) => n + t.skipped, 0);
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
