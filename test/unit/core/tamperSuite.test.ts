/**
 * The tamper suite: on copies of a real store (made through the Secrets
 * Manager, with its freshness anchor), every case below damages the store
 * folder the way someone who can write it could, then opens the copy and
 * reads everything. Each case must end in exactly one of:
 *   - exact:   the exact acknowledged state (every secret, version, label and
 *              value), and an audit log that verifies intact;
 *   - refused: a HushError whose message names the damaged file.
 * Anything else fails the suite: old or wrong data presented as current, a
 * chain that verifies after damage (healed), a refusal that blames the wrong
 * file or the key, an internal error.
 *
 * Cases: truncation of each file at every record boundary and at random
 * offsets; each file rolled back to every earlier copy (and all of them
 * together); every audit record deleted, swapped with its neighbour, edited
 * (the last ones included); bits flipped at random offsets of each file.
 * HUSH_TAMPER_RANDOM sets the random cases per file and kind (default 40).
 */
import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { openStore } from '../../../shared/compose/openStore';
import { isHushError } from '../../../shared/errors';
import { FRAME_HEAD } from '../../../shared/store/logFraming';
import { fakeValue, tempDir } from './helpers';

const RANDOM = Number(process.env.HUSH_TAMPER_RANDOM ?? 40);
const FILES = ['store.json', 'store.log', 'audit.log'] as const;
type FileName = (typeof FILES)[number];
type Copy = Record<FileName, Buffer>;

interface Case {
  name: string;
  /** The files the case changed (a refusal must name one of them). */
  touched: FileName[];
  apply(files: Copy): Copy;
}

/** A small deterministic generator, so a failing case can be replayed from the printed seed. */
function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 2 ** 32;
  };
}

function frameEnds(log: Buffer): number[] {
  const ends = [log.indexOf(0x0a) + 1];
  let pos = ends[0]!;
  while (pos + FRAME_HEAD <= log.length) {
    pos += FRAME_HEAD + log.readUInt32BE(pos);
    ends.push(pos);
  }
  return ends;
}

function lineEnds(b: Buffer): number[] {
  const ends: number[] = [];
  for (let i = 0; i < b.length; i++) if (b[i] === 0x0a) ends.push(i + 1);
  return ends;
}

describe('tamper suite (copies of a real store, every case: exact state or a refusal naming the file)', function () {
  this.timeout(10 * 60_000);
  const root = tempDir('hush-tamper-suite-');
  const key = randomBytes(32).toString('base64');
  const seed = Number(process.env.HUSH_TAMPER_SEED ?? Date.now() % 1e9);
  const rand = rng(seed);
  const copies: Copy[] = [];
  let final: Copy;
  let anchorFile: string;
  let expected: string;

  const envFor = (anchors: string) => ({ HUSH_MASTER_KEY: key, HUSH_ANCHOR_DIR: anchors });

  /** Everything a user can read, in a canonical form; throws on any refusal. */
  async function observe(dir: string, anchors: string): Promise<string> {
    const o = await openStore({ path: dir, env: envFor(anchors), principal: 'observer', create: false });
    try {
      const out: unknown[] = [];
      const list = await o.manager.listSecrets({ includePlannedDeletion: true });
      for (const s of list.secrets.sort((a, b) => a.name.localeCompare(b.name))) {
        const vs = await o.manager.listSecretVersionIds(s.name);
        const values: unknown[] = [];
        for (const v of vs.sort((a, b) => a.versionId.localeCompare(b.versionId))) {
          const got = await o.manager.getSecretValue(s.name, { versionId: v.versionId });
          values.push([v.versionId, [...v.versionStages].sort(), got.secretString]);
        }
        out.push([s.name, s.id, s.description, s.tags, values]);
      }
      const verdict = await o.manager.verifyAudit();
      if (!verdict.ok || verdict.gaps.length) throw new Error(`the store accepted operations on an audit log that does not verify intact: ${JSON.stringify(verdict)}`);
      return JSON.stringify(out);
    } finally {
      await o.manager.close();
    }
  }

  before(async () => {
    const dir = join(root, 'store');
    const anchors = join(root, 'anchors');
    const snap = () => copies.push(Object.fromEntries(FILES.map((f) => [f, readFileSync(join(dir, f))])) as Copy);
    const o = await openStore({ path: dir, env: envFor(anchors), principal: 'writer' });
    const m = o.manager;
    snap();
    const steps: (() => Promise<unknown>)[] = [
      () => m.createSecret({ name: 'app/db', value: fakeValue('db1') }),
      () => m.createSecret({ name: 'app/api', value: fakeValue('api1'), tags: { team: 'core' } }),
      () => m.putSecretValue('app/db', fakeValue('db2')),
      () => m.getSecretValue('app/db'),
      () => m.createSecret({ name: 'app/empty', description: 'no value yet' }),
      () => m.putSecretValue('app/api', fakeValue('api2'), { versionStages: ['STAGING'] }),
      () => m.getSecretValue('app/api'),
      () => m.putSecretValue('app/db', fakeValue('db3')),
      () => m.tagResource('app/db', { owner: 'ops' }),
      () => m.getSecretValue('app/db'),
      () => m.getSecretValue('app/db', { versionStage: 'PREVIOUS' }),
    ];
    for (const step of steps) {
      await step();
      snap();
    }
    await m.close();
    final = copies[copies.length - 1]!;
    anchorFile = readdirSync(anchors).map((f) => join(anchors, f))[0]!;
    // The exact acknowledged state, observed on an untouched copy.
    expected = await runCase({ name: 'untouched', touched: [], apply: (c) => c }).then((r) => r.state!);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  let caseNo = 0;
  async function runCase(c: Case): Promise<{ outcome: string; state?: string; bad?: string }> {
    const dir = join(root, `case-${caseNo}`, 'store');
    const anchors = join(root, `case-${caseNo++}`, 'anchors');
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    mkdirSync(anchors, { recursive: true, mode: 0o700 });
    copyFileSync(anchorFile, join(anchors, anchorFile.split('/').pop()!));
    const files = c.apply({ ...final });
    for (const f of FILES) writeFileSync(join(dir, f), files[f], { mode: 0o600 });
    const same = FILES.every((f) => files[f].equals(final[f]));
    try {
      const state = await observe(dir, anchors);
      if (!expected) return { outcome: 'exact', state };
      if (state === expected) return { outcome: same ? 'exact (files unchanged)' : 'exact (damage without effect)', state };
      return { outcome: 'BAD', bad: `${c.name}: the store opened and showed a state that is not the acknowledged one` };
    } catch (e) {
      if (!isHushError(e)) return { outcome: 'BAD', bad: `${c.name}: ${(e as Error).message}` };
      if (same) return { outcome: 'BAD', bad: `${c.name}: an untouched copy was refused: ${e.toString()}` };
      if (!c.touched.some((f) => e.message.includes(f))) return { outcome: 'BAD', bad: `${c.name}: refused without naming ${c.touched.join(' or ')}: ${e.toString()}` };
      return { outcome: `refused ${e.code}` };
    } finally {
      rmSync(join(dir, '..'), { recursive: true, force: true });
    }
  }

  function cases(): Case[] {
    const out: Case[] = [];
    const put = (files: Copy, f: FileName, b: Buffer): Copy => ({ ...files, [f]: b });
    // Truncation at every record boundary, and at random offsets.
    const bounds: Record<FileName, number[]> = { 'store.json': [0], 'store.log': frameEnds(final['store.log']), 'audit.log': [0, ...lineEnds(final['audit.log'])] };
    for (const f of FILES) {
      for (const at of bounds[f]) if (at < final[f].length) out.push({ name: `truncate ${f} at boundary ${at}`, touched: [f], apply: (c) => put(c, f, c[f].subarray(0, at)) });
      for (let i = 0; i < RANDOM; i++) {
        const at = Math.floor(rand() * final[f].length);
        out.push({ name: `truncate ${f} at ${at}`, touched: [f], apply: (c) => put(c, f, c[f].subarray(0, at)) });
      }
    }
    // Roll each file back to every earlier copy; and all files together.
    copies.slice(0, -1).forEach((old, i) => {
      for (const f of FILES) out.push({ name: `roll ${f} back to copy ${i}`, touched: [f], apply: (c) => put(c, f, old[f]) });
      out.push({ name: `roll every file back to copy ${i}`, touched: [...FILES], apply: () => ({ ...old }) });
    });
    // Audit records: delete each, swap each with the next, edit each.
    const lines = final['audit.log'].toString('utf8').trimEnd().split('\n');
    const join_ = (ls: string[]) => Buffer.from(ls.map((l) => l + '\n').join(''));
    lines.forEach((_, i) => {
      out.push({ name: `delete audit record ${i + 1}`, touched: ['audit.log'], apply: (c) => put(c, 'audit.log', join_(lines.filter((__, j) => j !== i))) });
      if (i + 1 < lines.length) {
        out.push({
          name: `swap audit records ${i + 1} and ${i + 2}`,
          touched: ['audit.log'],
          apply: (c) => {
            const ls = [...lines];
            [ls[i], ls[i + 1]] = [ls[i + 1]!, ls[i]!];
            return put(c, 'audit.log', join_(ls));
          },
        });
      }
      out.push({
        name: `edit audit record ${i + 1}`,
        touched: ['audit.log'],
        apply: (c) => {
          const ls = [...lines];
          const r = JSON.parse(ls[i]!) as { principal: string };
          r.principal = 'someone-else';
          ls[i] = JSON.stringify(r);
          return put(c, 'audit.log', join_(ls));
        },
      });
    });
    out.push({ name: 'delete the last two audit records', touched: ['audit.log'], apply: (c) => put(c, 'audit.log', join_(lines.slice(0, -2))) });
    out.push({ name: 'empty audit.log', touched: ['audit.log'], apply: (c) => put(c, 'audit.log', Buffer.alloc(0)) });
    // Bit flips.
    for (const f of FILES) {
      for (let i = 0; i < RANDOM; i++) {
        const at = Math.floor(rand() * final[f].length);
        const bit = 1 << Math.floor(rand() * 8);
        out.push({
          name: `flip bit ${bit} of ${f} byte ${at}`,
          touched: [f],
          apply: (c) => {
            const b = Buffer.from(c[f]);
            b[at]! ^= bit;
            return put(c, f, b);
          },
        });
      }
    }
    return out;
  }

  it('every case ends in the exact acknowledged state or a refusal naming the damaged file', async () => {
    const all = cases();
    const tally = new Map<string, number>();
    const bad: string[] = [];
    for (const c of all) {
      const r = await runCase(c);
      tally.set(r.outcome, (tally.get(r.outcome) ?? 0) + 1);
      if (r.outcome === 'exact (damage without effect)') console.log(`        exact despite a change: ${c.name}`);
      if (r.bad) bad.push(r.bad);
    }
    const summary = [...tally].map(([k, v]) => `${v} ${k}`).join(', ');
    console.log(`      tamper suite (seed ${seed}): ${all.length} cases: ${summary}`);
    assert.deepEqual(bad, [], `seed ${seed}:\n${bad.join('\n')}`);
    assert.ok(all.length >= 200, `${all.length} cases`);
  });
});
