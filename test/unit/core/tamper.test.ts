/**
 * Tampering is detected with a clear error: flipped bits in a stored
 * ciphertext, in store metadata, in the audit log; a ciphertext moved to
 * another secret; edits, deletions, reordering and truncation of the audit.
 */
import assert from 'node:assert/strict';
import { appendFileSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { openStore } from '../../../shared/compose/openStore';
import { fakeValue, freshStore, testEnv } from './helpers';

async function reopen(dir: string, key: string) {
  return openStore({ path: dir, env: testEnv(key), principal: 'test@host', create: false });
}

describe('tamper detection: store', () => {
  let s: Awaited<ReturnType<typeof freshStore>>;
  beforeEach(async () => {
    s = await freshStore();
    await s.manager.createSecret({ name: 'one', value: fakeValue('1') });
    await s.manager.createSecret({ name: 'two', value: fakeValue('2') });
    await s.manager.close();
  });
  afterEach(() => s.cleanup());

  for (const where of [0.3, 0.6, 0.95]) {
    it(`a flipped bit in store.log (at ${where * 100}%) is CorruptStore`, async () => {
      const log = join(s.dir, 'store.log');
      const b = readFileSync(log);
      b[Math.floor(b.length * where)]! ^= 0x04;
      writeFileSync(log, b);
      await assert.rejects(reopen(s.dir, s.key), (e: Error & { code?: string }) => e.code === 'CorruptStore' && /store\.log/.test(e.message));
    });
  }

  it('a damaged length field is corruption, not a torn tail to drop silently', async () => {
    const log = join(s.dir, 'store.log');
    const b = readFileSync(log);
    const first = b.indexOf(0x0a) + 1;
    b[first + 2]! ^= 0x01;
    writeFileSync(log, b);
    await assert.rejects(reopen(s.dir, s.key), { code: 'CorruptStore' });
  });

  it('a torn tail (an unacknowledged write) is cut and the store opens', async () => {
    const log = join(s.dir, 'store.log');
    const size = statSync(log).size;
    const half = Buffer.alloc(30);
    half.writeUInt32BE(500, 0);
    half.writeUInt32BE(~500 >>> 0, 4);
    appendFileSync(log, half);
    const o = await reopen(s.dir, s.key);
    assert.equal(statSync(log).size, size);
    assert.equal((await o.manager.listSecrets()).secrets.length, 2);
    await o.manager.close();
  });

  it('a store.log from another root key is refused', async () => {
    const other = await freshStore();
    await other.manager.close();
    writeFileSync(join(s.dir, 'store.log'), readFileSync(join(other.dir, 'store.log')));
    await assert.rejects(reopen(s.dir, s.key), { code: 'CorruptStore' });
    await other.cleanup();
  });

  it('a flipped bit in a stored ciphertext is DecryptFailed', async () => {
    const o = await reopen(s.dir, s.key);
    const d = await o.manager.describeSecret('one');
    await o.store.transact(async (tx) => {
      const v = (await tx.getVersion(d.id, d.versions[0]!.versionId))!;
      const ct = Buffer.from(v.ciphertext, 'base64');
      ct[ct.length - 40]! ^= 0x01;
      await tx.putVersion(d.id, { ...v, ciphertext: ct.toString('base64') });
    });
    await assert.rejects(o.manager.getSecretValue('one'), (e: Error & { code?: string }) => e.code === 'DecryptFailed' && /damaged or was made with another key/.test(e.message));
    await o.manager.close();
  });

  it('a ciphertext moved to another secret fails to decrypt', async () => {
    const o = await reopen(s.dir, s.key);
    const one = await o.manager.describeSecret('one');
    const two = await o.manager.describeSecret('two');
    await o.store.transact(async (tx) => {
      const src = (await tx.getVersion(one.id, one.versions[0]!.versionId))!;
      const dst = (await tx.getVersion(two.id, two.versions[0]!.versionId))!;
      await tx.putVersion(two.id, { ...dst, ciphertext: src.ciphertext });
    });
    await assert.rejects(o.manager.getSecretValue('two'), (e: Error & { code?: string }) => e.code === 'DecryptFailed' && /moved or copied/.test(e.message));
    await o.manager.close();
  });

  it('a damaged header is CorruptStore', async () => {
    writeFileSync(join(s.dir, 'store.json'), '{"format": "nope"');
    await assert.rejects(reopen(s.dir, s.key), { code: 'CorruptStore' });
  });
});

describe('tamper detection: audit', () => {
  let s: Awaited<ReturnType<typeof freshStore>>;
  let lines: string[];
  const auditPath = () => join(s.dir, 'audit.log');
  beforeEach(async () => {
    s = await freshStore();
    await s.manager.createSecret({ name: 'one', value: fakeValue('1') });
    for (let i = 0; i < 3; i++) await s.manager.getSecretValue('one');
    await s.manager.putSecretValue('one', fakeValue('2'));
    await s.manager.close();
    lines = readFileSync(auditPath(), 'utf8').trimEnd().split('\n');
  });
  afterEach(() => s.cleanup());

  async function verdict() {
    const o = await reopen(s.dir, s.key);
    try {
      return await o.manager.verifyAudit();
    } finally {
      await o.manager.close();
    }
  }
  const write = (ls: string[]) => writeFileSync(auditPath(), ls.join('\n') + '\n');

  it('an intact log verifies', async () => {
    const v = await verdict();
    assert.ok(v.ok, JSON.stringify(v));
  });

  it('an edited record is reported at that record', async () => {
    const ls = [...lines];
    ls[3] = ls[3]!.replace('"Success"', '"Failure"');
    write(ls);
    const v = await verdict();
    assert.equal(v.ok, false);
    assert.equal(!v.ok && v.line, 4);
    assert.match(!v.ok ? v.reason : '', /edited/);
  });

  it('a flipped bit is reported', async () => {
    const b = readFileSync(auditPath());
    const at = b.indexOf('"principal"', Math.floor(b.length / 2)) + 14;
    b[at]! ^= 0x02;
    writeFileSync(auditPath(), b);
    const v = await verdict();
    assert.equal(v.ok, false);
  });

  it('a deleted record is reported', async () => {
    write([...lines.slice(0, 2), ...lines.slice(3)]);
    const v = await verdict();
    assert.equal(!v.ok && v.line, 3);
    assert.match(!v.ok ? v.reason : '', /deleted|reordered/);
  });

  it('reordered records are reported', async () => {
    const ls = [...lines];
    [ls[4], ls[5]] = [ls[5]!, ls[4]!];
    write(ls);
    const v = await verdict();
    assert.equal(!v.ok && v.line, 5);
  });

  it('a truncated tail is reported (the store anchored a later record)', async () => {
    const size = statSync(auditPath()).size;
    truncateSync(auditPath(), size - lines[lines.length - 1]!.length - 1 - lines[lines.length - 2]!.length - 1);
    const v = await verdict();
    assert.equal(v.ok, false);
    assert.match(!v.ok ? v.reason : '', /truncated/);
  });

  it('a chain rewritten without the root key fails the signatures', async () => {
    const { createHash } = await import('node:crypto');
    // Recompute hashes after an edit, as someone without the key would.
    const recs = lines.map((l) => JSON.parse(l));
    recs[2].principal = 'someone-else';
    let prev = recs[1].hash;
    for (let i = 2; i < recs.length; i++) {
      const r = recs[i];
      r.prev = prev;
      const resource: Record<string, string> = {};
      for (const k of Object.keys(r.resource).sort()) resource[k] = r.resource[k];
      const fields: unknown[] = [r.seq, r.prev, r.time, r.principal, r.action, resource, r.outcome, r.errorCode ?? null];
      if (r.context) {
        const ctx: Record<string, string> = {};
        for (const k of Object.keys(r.context).sort()) ctx[k] = String(r.context[k]);
        fields.push(ctx);
      }
      r.hash = createHash('sha256').update(JSON.stringify(fields)).digest('hex');
      prev = r.hash;
    }
    write(recs.map((r) => JSON.stringify(r)));
    const v = await verdict();
    assert.equal(!v.ok && v.line, 3);
    assert.match(!v.ok ? v.reason : '', /signature/);
  });

  it('operations refuse to append to an audit log whose tail is damaged', async () => {
    write([...lines.slice(0, -1), '{"seq": broken']);
    const o = await reopen(s.dir, s.key);
    await assert.rejects(o.manager.getSecretValue('one'), { code: 'AuditBroken' });
    const v = await o.manager.verifyAudit();
    assert.equal(!v.ok && v.line, lines.length);
    await o.manager.close();
  });
});
