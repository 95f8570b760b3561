/**
 * Two members, eight processes, one secret, a real PostgreSQL: every
 * acknowledged put is in the store's history, CURRENT is on exactly one
 * version, and the team's audit chain verifies — with clients killed
 * (SIGKILL) mid-run and the database restarted under load.
 */
import assert from 'node:assert/strict';
import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { initTeamStore } from '../../../shared/compose/teamStore';
import { startPostgres, type PgServer } from '../../support/pgServer';
import { DEVELOPERS, newIdentity } from '../../support/identities';

const WORKER = join(__dirname, 'teamWorker.js');
const PROCS = 8;
const PUTS = 100;

interface Run {
  child: ChildProcess;
  acks: string[];
  retries: number;
  done: Promise<number | null>;
}

function worker(url: string, seed: number, identity: string): Run {
  const child = spawn(process.execPath, [WORKER, 'put', url, String(seed), String(PUTS)], { env: { ...process.env, HUSH_IDENTITY: identity }, stdio: ['ignore', 'pipe', 'pipe'] });
  const run: Run = { child, acks: [], retries: 0, done: Promise.resolve(null) };
  let buf = '';
  let err = '';
  child.stdout!.on('data', (d: Buffer) => {
    buf += d.toString();
    const lines = buf.split('\n');
    buf = lines.pop()!;
    for (const l of lines) {
      if (l.startsWith('ACK ')) run.acks.push(l.slice(4));
      if (l.startsWith('RETRY ')) run.retries++;
    }
  });
  child.stderr!.on('data', (d: Buffer) => (err += d.toString()));
  run.done = new Promise((resolve) =>
    child.on('close', (code, signal) => {
      if (code !== 0 && signal !== 'SIGKILL') process.stderr.write(`worker ${seed}: exit ${code}: ${err}\n`);
      resolve(code);
    }),
  );
  return run;
}

describe('team store concurrency (2 members × 4 processes, one secret)', function () {
  this.timeout(10 * 60_000);
  let pg: PgServer;
  before(async () => {
    pg = await startPostgres();
  });
  after(async () => {
    await pg.stop();
  });

  it(`${PROCS} processes × ${PUTS} puts, 2 clients killed and the database restarted: nothing acknowledged is lost`, async () => {
    const alice = newIdentity();
    const bob = newIdentity();
    const a = await initTeamStore({ url: pg.url, identity: alice, memberName: 'alice' });
    await a.team.addMember('bob', bob.publicKey);
    await a.team.grantKey('alias/hush/default', 'bob');
    await a.policies.putPolicy('Developers', DEVELOPERS);
    await a.policies.attach('Developers', { member: 'bob' });
    await a.manager.createSecret({ name: 'team/conc', value: 'fake-team-start' });
    await a.manager.close();

    const started = Date.now();
    const runs = Array.from({ length: PROCS }, (_, i) => worker(pg.url, i, (i % 2 ? bob : alice).privateKey.toString('base64')));
    const total = () => runs.reduce((n, r) => n + r.acks.length, 0);
    const until = async (n: number) => {
      while (total() < n) await new Promise((r) => setTimeout(r, 20));
    };
    await until(150);
    runs[1]!.child.kill('SIGKILL');
    runs[6]!.child.kill('SIGKILL');
    await until(300);
    pg.restart();
    const codes = await Promise.all(runs.map((r) => r.done));
    const ms = Date.now() - started;
    for (const [i, c] of codes.entries()) if (i !== 1 && i !== 6) assert.equal(c, 0, `worker ${i} failed`);
    const acked = runs.flatMap((r) => r.acks);
    const retries = runs.reduce((n, r) => n + r.retries, 0);
    assert.equal(new Set(acked).size, acked.length, 'a version id was acknowledged twice');

    const { openTeamStore } = await import('../../../shared/compose/teamStore');
    const check = await openTeamStore({ url: pg.url, identity: bob });
    try {
      const verdict = await check.manager.verifyAudit();
      assert.equal(verdict.ok, true, JSON.stringify(verdict));
      const puts = (await check.manager.listAudit({ action: 'secrets:PutSecretValue' })).filter((r) => r.outcome === 'Success');
      const committed = new Set(puts.map((r) => r.resource.versionId));
      const lost = acked.filter((v) => !committed.has(v));
      assert.deepEqual(lost, [], `${lost.length} acknowledged puts are not in the audit`);
      const versions = await check.manager.listSecretVersionIds('team/conc');
      assert.equal(versions.filter((v) => v.versionStages.includes('CURRENT')).length, 1);
      // The newest 100 committed versions are all still there (older unlabelled ones are pruned, as in AWS).
      const newest = [...new Map(puts.map((r) => [r.resource.versionId!, r])).keys()].slice(-100);
      const have = new Set(versions.map((v) => v.versionId));
      assert.deepEqual(newest.filter((v) => !have.has(v)), []);
      process.stdout.write(`      ${acked.length} acknowledged puts in ${ms} ms (${Math.round((acked.length / ms) * 1000)}/s incl. a restart), ${retries} retries across the restart, 0 lost\n`);
    } finally {
      await check.manager.close();
    }
  });
});
