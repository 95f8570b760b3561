/**
 * `hush run --watch` on a team store: member B's app restarts with the new
 * value soon after member A puts one from another process (LISTEN/NOTIFY,
 * no polling). Prints the put → restarted-child latency; asserts only that
 * every restart happened, with the right value.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { initTeamStore } from '../../../shared/compose/teamStore';
import { DEVELOPERS, newIdentity } from '../../support/identities';
import { startPostgres, type PgServer } from '../../support/pgServer';

const CLI = path.join(__dirname, '..', '..', '..', '..', 'dist', 'cli.js');
const sha = (v: string) => createHash('sha256').update(v).digest('hex').slice(0, 16);
// The child prints a hash of its TOKEN (never the value) and stays up.
const CHILD = `console.log('TOKEN#' + require('crypto').createHash('sha256').update(process.env.TOKEN || '').digest('hex').slice(0, 16)); setInterval(() => {}, 1000)`;

describe('team store: hush run --watch follows a teammate’s put', function () {
  this.timeout(120_000);
  let pg: PgServer;
  let app: string;
  before(async () => {
    pg = await startPostgres();
    app = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-team-app-'));
  });
  after(async () => {
    await pg.stop();
    fs.rmSync(app, { recursive: true, force: true });
  });

  it('restarts member B’s app with the new value after each put by member A', async () => {
    const alice = newIdentity();
    const bob = newIdentity();
    const a = await initTeamStore({ url: pg.url, identity: alice, memberName: 'alice' });
    try {
      await a.team.addMember('bob', bob.publicKey);
      await a.team.grantKey('alias/hush/default', 'bob');
      await a.policies.putPolicy('Developers', DEVELOPERS);
      await a.policies.attach('Developers', { member: 'bob' });
      const first = `tok-${randomBytes(8).toString('hex')}`;
      await a.manager.createSecret({ name: 'app/TOKEN', value: first });
      fs.writeFileSync(path.join(app, '.hush.json'), JSON.stringify({ env: { TOKEN: 'app/TOKEN' } }));
      const env = { ...process.env, HUSH_STORE: pg.url, HUSH_IDENTITY: bob.privateKey.toString('base64'), HUSH_MASTER_KEY: '', HUSH_PASSPHRASE: '' };
      const child: ChildProcess = spawn(process.execPath, [CLI, 'run', '--watch', '--yes', '--grace', '2', '--', process.execPath, '-e', CHILD], { cwd: app, env, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      let err = '';
      const seen: { hash: string; at: number }[] = [];
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        for (const m of d.toString().matchAll(/TOKEN#([0-9a-f]{16})/g)) seen.push({ hash: m[1]!, at: Date.now() });
      });
      child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
      const waitFor = async (hash: string): Promise<number> => {
        const deadline = Date.now() + 20_000;
        for (;;) {
          const hit = seen.find((s) => s.hash === hash);
          if (hit) return hit.at;
          if (Date.now() > deadline) throw new Error(`timed out waiting for the new value; stdout: ${out}; stderr: ${err}`);
          await new Promise((r) => setTimeout(r, 10));
        }
      };
      const latencies: number[] = [];
      try {
        await waitFor(sha(first));
        for (let i = 0; i < 5; i++) {
          const next = `tok-${randomBytes(8).toString('hex')}`;
          const t0 = Date.now();
          await a.manager.putSecretValue('app/TOKEN', next);
          latencies.push((await waitFor(sha(next))) - t0);
        }
      } finally {
        if (child.exitCode === null && child.signalCode === null) {
          child.kill('SIGTERM');
          await new Promise((r) => child.once('exit', r));
        }
      }
      assert.equal(latencies.length, 5);
      assert.ok(!out.includes(first) && !err.includes(first), 'a value was printed');
      const sorted = [...latencies].sort((x, y) => x - y);
      process.stdout.write(`      put → restarted with the new value: ${sorted.join(', ')} ms (p50 ${sorted[2]} ms)\n`);
    } finally {
      await a.manager.close();
    }
  });
});
