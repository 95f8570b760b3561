/**
 * `hush audit export` for a SIEM: a store with a few hundred operations
 * (reads, writes, a denied call) exports one valid OCSF API Activity event
 * per record, each carrying the chain's verdict; `--follow` delivers a
 * record committed afterwards by another process.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { openStore } from '../../shared/compose/openStore';

const CLI = path.join(__dirname, '..', '..', '..', 'dist', 'cli.js');
const SCHEMA = path.join(__dirname, '..', '..', '..', 'test', 'support', 'ocsf', 'api-activity.schema.json');

describe('hush audit export', function () {
  this.timeout(120_000);
  let store: string;
  let env: NodeJS.ProcessEnv;
  const hush = (args: string[], input?: string) => spawnSync(process.execPath, [CLI, ...args], { env, encoding: 'utf8', ...(input !== undefined ? { input } : {}) });

  before(() => {
    store = fs.mkdtempSync(path.join(os.tmpdir(), 'hush-export-'));
    env = { ...process.env, HUSH_STORE: store, HUSH_MASTER_KEY: randomBytes(32).toString('base64') };
  });
  after(() => fs.rmSync(store, { recursive: true, force: true }));

  it('writes one valid OCSF API Activity event per record, with the chain verdict, never a value', async () => {
    const values: string[] = [];
    const o = await openStore({ path: store, env, source: 'editor' });
    try {
      for (let i = 0; i < 80; i++) {
        const v = `exp-${randomBytes(8).toString('hex')}`;
        values.push(v);
        await o.manager.createSecret({ name: `app/s${i}`, value: v });
        await o.manager.getSecretValue(`app/s${i}`);
      }
    } finally {
      await o.manager.close();
    }
    // One denied read, through the store's policy file.
    fs.mkdirSync(path.join(store, '.hush'), { recursive: true });
    fs.writeFileSync(path.join(store, '.hush', 'policy.json'), JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }, { Sid: 'NotS0', Effect: 'Deny', Action: 'secrets:GetSecretValue', Resource: 'secret:app/s0' }] }));
    assert.equal(hush(['secrets', 'get', 'app/s0']).status, 1);
    const r = hush(['audit', 'export', '--format', 'ocsf']);
    assert.equal(r.status, 0, r.stderr);
    const lines = r.stdout.trim().split('\n');
    assert.ok(lines.length >= 300, `only ${lines.length} records`);
    const validate = new Ajv({ allErrors: true }).compile(JSON.parse(fs.readFileSync(SCHEMA, 'utf8')));
    // eslint-disable-next-line @typescript-eslint/no-explicit-any -- OCSF events are deep JSON; the schema check above types them
    const events = lines.map((l) => JSON.parse(l) as Record<string, any>);
    for (const e of events) assert.ok(validate(e), JSON.stringify(validate.errors));
    for (const v of values) assert.ok(!r.stdout.includes(v), 'a value is in the export');
    assert.ok(events.every((e) => e.unmapped.hush.chain.status === 'verified'));
    assert.deepEqual(events.map((e) => e.metadata.sequence), events.map((_, i) => i + 1), 'every record, in order');
    const denied = events.find((e) => e.api.operation === 'secrets:GetSecretValue' && e.status_id === 2 && e.actor.authorizations?.[0]?.decision === 'Deny');
    assert.ok(denied, 'the denied read is exported as such');
    assert.equal(denied.severity_id, 3);
    assert.equal(denied.actor.authorizations[0].policy.uid, 'NotS0');
    assert.equal(denied.src_endpoint.name, 'cli');
    const read = events.find((e) => e.api.operation === 'kms:Decrypt' && e.status_id === 1)!;
    assert.equal(read.activity_id, 2);
    assert.equal(read.type_uid, 600302);
    // jsonl: the records as stored, plus the verdict.
    const j = hush(['audit', 'export', '--since', new Date(Date.now() - 3600_000).toISOString()]);
    assert.equal(j.status, 0);
    assert.ok(j.stdout.trim().split('\n').every((l) => ['verified', 'repaired'].includes(JSON.parse(l).chain)));
  });

  it('--follow delivers a record committed by another process', async () => {
    fs.rmSync(path.join(store, '.hush'), { recursive: true, force: true });
    const child = spawn(process.execPath, [CLI, 'audit', 'export', '--follow'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    try {
      const waitFor = async (pred: () => boolean) => {
        const deadline = Date.now() + 20_000;
        while (!pred()) {
          if (Date.now() > deadline) throw new Error(`timed out; got: ${out.slice(-500)}`);
          await new Promise((r) => setTimeout(r, 20));
        }
      };
      await waitFor(() => out.includes('audit:Export'));
      const t0 = Date.now();
      assert.equal(hush(['secrets', 'create', 'follow/me'], 'x-follow-value-1').status, 0);
      await waitFor(() => out.includes('"follow/me"'));
      process.stdout.write(`      put by another process → exported by --follow in ${Date.now() - t0} ms (includes the writer's own start)\n`);
    } finally {
      child.kill('SIGINT');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
