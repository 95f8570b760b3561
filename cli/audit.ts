/** `hush audit …`: read and verify the hash-chained audit log. */
import { HushError } from '../shared/errors';
import type { AuditOutcome } from '../shared/audit/auditLog';
import { CoreIo, intOption, parse, printJson, table, withStore } from './store';
import type { OpenedStore } from '../shared/compose/openStore';
import { watchStore } from '../shared/compose/storeWatch';
import { toOcsf } from '../shared/audit/ocsf';
import { VERSION } from '../shared/version';

export const AUDIT_HELP = `hush audit — the store's audit log

  hush audit list [--secret NAME_OR_ID] [--key KEY] [--action ACTION] [--outcome Success|Failure|Denied]
                  [--since DATE] [--until DATE] [--limit N]
  hush audit verify     exit 0 if the chain verifies (naming every repaired gap: a repaired log is
                        never reported intact); otherwise exit 1 naming the first broken record
  hush audit export [--since DATE] [--until DATE] [--format jsonl|ocsf] [--follow]
                        records for a SIEM, one JSON object a line, each with the chain's verdict
                        on it; ocsf: OCSF 1.3.0 API Activity (class 6003) events; --follow keeps
                        streaming new records as they are committed (Ctrl+C stops)
  hush audit repair     after damage: keep the intact records, keep the damaged file beside them,
                        and continue the chain with a signed record of which records were lost
                        (by whom, when); until then every operation is refused with AuditBroken
`;

function date(v: string | undefined, name: string): Date | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new HushError('InvalidArgument', `--${name} must be a date (ISO 8601), not '${v}'`);
  return new Date(t);
}

export async function runAudit(args: string[], io: CoreIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(AUDIT_HELP);
    return 0;
  }
  if (sub === 'list') {
    const { values: v } = parse(rest, {
      secret: { type: 'string' },
      key: { type: 'string' },
      action: { type: 'string' },
      outcome: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      limit: { type: 'string' },
    });
    if (v.help) {
      io.out(AUDIT_HELP);
      return 0;
    }
    const since = date(v.since, 'since');
    const until = date(v.until, 'until');
    const limit = intOption(v.limit, 'limit');
    let rs = await withStore(io, v.store, false, (s) =>
      s.manager.listAudit({
        ...(v.secret !== undefined ? { secret: v.secret } : {}),
        ...(v.key !== undefined ? { key: v.key } : {}),
        ...(v.action !== undefined ? { action: v.action } : {}),
        ...(v.outcome !== undefined ? { outcome: v.outcome as AuditOutcome } : {}),
        ...(since ? { since } : {}),
        ...(until ? { until } : {}),
      }),
    );
    if (limit !== undefined) rs = rs.slice(-limit);
    if (v.json) printJson(io, rs);
    else
      io.out(
        table([
          ['SEQ', 'TIME', 'PRINCIPAL', 'ACTION', 'OUTCOME', 'RESOURCE'],
          ...rs.map((r) => [
            String(r.seq),
            r.time,
            r.principal,
            r.action,
            r.outcome + (r.errorCode ? ` (${r.errorCode})` : ''),
            Object.entries(r.resource)
              .map(([k, x]) => `${k}=${x}`)
              .join(' '),
          ]),
        ]),
      );
    return 0;
  }
  if (sub === 'export') {
    const { values: v } = parse(rest, { since: { type: 'string' }, until: { type: 'string' }, format: { type: 'string' }, follow: { type: 'boolean', default: false } });
    if (v.help) {
      io.out(AUDIT_HELP);
      return 0;
    }
    const format = v.format ?? 'jsonl';
    if (format !== 'jsonl' && format !== 'ocsf') throw new HushError('InvalidArgument', `--format is jsonl or ocsf, not '${format}'`);
    const since = date(v.since, 'since');
    const until = date(v.until, 'until');
    return withStore(io, v.store, false, (s) => exportAudit(s, io, { format, follow: v.follow === true, ...(since ? { since } : {}), ...(until ? { until } : {}) }));
  }
  if (sub === 'verify') {
    const { values: v } = parse(rest, {});
    if (v.help) {
      io.out(AUDIT_HELP);
      return 0;
    }
    const verdict = await withStore(io, v.store, false, (s) => s.manager.verifyAudit());
    if (v.json) printJson(io, verdict);
    if (verdict.ok) {
      if (v.json) return 0;
      if (!verdict.gaps.length) io.out(`audit log intact: ${verdict.records} records, chain and signatures verified\n`);
      else {
        io.out(`audit log verified since its repair, NOT intact: ${verdict.records} records, chain and signatures verified, ${verdict.gaps.length} repaired gap(s):\n`);
        for (const g of verdict.gaps) {
          io.out(`  records ${g.from}–${g.to} lost; recorded as record ${g.seq} by ${g.principal} at ${g.time}: ${g.reason}${g.keptAs ? ` (damaged file kept as ${g.keptAs})` : ''}\n`);
        }
      }
      return 0;
    }
    throw new HushError('AuditBroken', `record ${verdict.seq ?? '?'} (line ${verdict.line}) ${verdict.reason}; 'hush audit repair' records the gap and lets the store go on`);
  }
  if (sub === 'repair') {
    const { values: v } = parse(rest, {});
    if (v.help) {
      io.out(AUDIT_HELP);
      return 0;
    }
    const gap = await withStore(io, v.store, false, (s) => s.manager.repairAudit());
    if (v.json) printJson(io, gap);
    else {
      io.out(`audit log repaired: records ${gap.from}–${gap.to} are recorded as lost (record ${gap.seq}, by ${gap.principal} at ${gap.time})\n`);
      if (gap.keptAs) io.out(`the damaged file is kept beside it as ${gap.keptAs}\n`);
      io.out(`'hush audit verify' will report this gap from now on\n`);
    }
    return 0;
  }
  throw new HushError('InvalidArgument', `unknown command 'audit ${sub}'. Run 'hush audit --help'.`);
}

/** Writes the records (and with follow, every record committed afterwards until SIGINT/SIGTERM). */
async function exportAudit(s: OpenedStore, io: CoreIo, o: { format: 'jsonl' | 'ocsf'; follow: boolean; since?: Date; until?: Date }): Promise<number> {
  let last = 0;
  const emit = async (audited: boolean): Promise<void> => {
    const { records, status } = await s.manager.exportAudit({ ...(o.since ? { since: o.since } : {}), ...(o.until ? { until: o.until } : {}), afterSeq: last, audited });
    for (const r of records) {
      const chain = status.get(r.seq) ?? 'unverified';
      io.out(JSON.stringify(o.format === 'ocsf' ? toOcsf(r, { storeId: s.manager.storeId, productVersion: VERSION, chain }) : { ...r, chain }) + '\n');
      last = Math.max(last, r.seq);
    }
  };
  await emit(true);
  if (!o.follow) return 0;
  let busy = Promise.resolve();
  const stop = await watchStore(s, { onChange: () => (busy = busy.then(() => emit(false)).catch(() => undefined)), pollMs: 500 });
  await new Promise<void>((resolve) => {
    const done = () => resolve();
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
  await stop();
  await busy;
  return 0;
}
