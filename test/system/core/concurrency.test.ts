/**
 * Several OS processes write to the same secrets at once: no write is lost,
 * version counts are exact, CURRENT is on exactly one version, and
 * compare-and-set increments from racing processes add up exactly.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openForRepair, openStore } from '../../../shared/compose/openStore';
import { checkStore } from '../../../shared/store/storeCheck';
import { tempDir } from '../../unit/core/helpers';

const WORKER = join(__dirname, 'worker.js');
const PROCS = 4;
const PUTS = 30;
const CAS = 10;

function worker(args: string[], env: NodeJS.ProcessEnv): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    child.stderr.on('data', (d: Buffer) => (err += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(out.trim().split('\n')) : reject(new Error(`worker ${args.join(' ')} exited ${code}: ${err}`))));
  });
}

describe('concurrency (several OS processes, one store)', function () {
  this.timeout(5 * 60_000);
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async () => {
    dir = join(tempDir('hush-conc-'), 'store');
    env = { ...process.env, HUSH_MASTER_KEY: randomBytes(32).toString('base64'), HUSH_TEST_COMPACT_BYTES: String(128 * 1024) };
    const o = await openStore({ path: dir, env, principal: 'setup' });
    await o.manager.createSecret({ name: 'conc/a', value: 'fake-a-0' });
    await o.manager.createSecret({ name: 'conc/b', value: 'fake-b-0' });
    await o.manager.createSecret({ name: 'conc/counter', value: '0' });
    await o.manager.close();
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`${PROCS} processes × ${PUTS} puts into two secrets lose nothing`, async () => {
    const started = Date.now();
    const outs = await Promise.all(Array.from({ length: PROCS }, (_, p) => worker(['put', dir, String(p), String(PUTS)], env)));
    const ms = Date.now() - started;
    const acks = outs.flat().filter((l) => l.startsWith('ACK ')).map((l) => l.split(' '));
    assert.equal(acks.length, PROCS * PUTS);
    const o = await openStore({ path: dir, env, principal: 'checker', create: false });
    try {
      for (const name of ['conc/a', 'conc/b']) {
        const vs = await o.manager.listSecretVersionIds(name);
        assert.equal(vs.length, 1 + (PROCS * PUTS) / 2, `${name} version count`);
        assert.equal(vs.filter((v) => v.versionStages.includes('CURRENT')).length, 1);
        assert.equal(vs.filter((v) => v.versionStages.includes('PREVIOUS')).length, 1);
      }
      for (const [, secret, versionId, value] of acks) {
        assert.equal((await o.manager.getSecretValue(secret!, { versionId: versionId! })).secretString, value);
      }
      const audit = await o.manager.listAudit({ action: 'secrets:PutSecretValue' });
      assert.equal(audit.filter((r) => r.outcome === 'Success').length, PROCS * PUTS);
      assert.ok((await o.manager.verifyAudit()).ok);
    } finally {
      await o.manager.close();
    }
    // The processes took turns writing the freshness anchor: it names exactly the store's last state.
    const r = await openForRepair({ path: dir, env });
    const report = await checkStore(r.path, r.header, r.rootKey.key, r.anchor);
    r.anchor.close();
    assert.equal(report.anchor.state, 'current', JSON.stringify(report.anchor));
    console.log(`      concurrency: ${PROCS} processes, ${PROCS * PUTS} puts in ${ms} ms (${((PROCS * PUTS * 1000) / ms).toFixed(0)} puts/s incl. process start), 0 lost`);
  });

  it(`${PROCS} processes × ${CAS} compare-and-set increments add up exactly`, async () => {
    const started = Date.now();
    const outs = await Promise.all(Array.from({ length: PROCS }, (_, p) => worker(['cas', dir, String(p), String(CAS)], env)));
    const conflicts = outs.flat().filter((l) => l.startsWith('CONFLICTS ')).reduce((n, l) => n + Number(l.split(' ')[1]), 0);
    const o = await openStore({ path: dir, env, principal: 'checker', create: false });
    try {
      assert.equal((await o.manager.getSecretValue('conc/counter')).secretString, String(PROCS * CAS));
    } finally {
      await o.manager.close();
    }
    console.log(`      compare-and-set: ${PROCS * CAS} increments by ${PROCS} processes, ${conflicts} conflicts retried, final counter exact, ${Date.now() - started} ms`);
  });
});
