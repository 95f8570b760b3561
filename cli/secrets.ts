/** `hush secrets …`: the Secrets Manager from the command line. */
import { HushError } from '../shared/errors';
import { randomPassword } from '../shared/secrets/randomPassword';
import { describeRotator, dueSecrets, rotateSecret, rotationStatus, setRotationPolicy } from '../shared/secrets/rotation';
import { ROTATORS, RotationStrategy, RotatorName, STRATEGIES, STRATEGY_SUMMARY } from '../shared/secrets/rotators/choices';
import { CoreIo, intOption, needPositional, parse, printJson, readValue, table, withStore } from './store';
import { escapeField as esc } from './terminalText';

/** Words of `text` in lines of at most `width`, continuation lines indented by `indent`. */
function wrap(text: string, width: number, indent: number): string {
  const lines: string[] = [];
  for (const word of text.split(' ')) {
    const last = lines[lines.length - 1];
    if (last !== undefined && last.length + word.length + 1 <= width) lines[lines.length - 1] = `${last} ${word}`;
    else lines.push(word);
  }
  return lines.join(`\n${' '.repeat(indent)}`);
}

export const SECRETS_HELP = `hush secrets — store, version and label secrets

  hush secrets create NAME [--description D] [--key KEY_ID_OR_ALIAS] [--tag K=V]…
                            [--value-file F] [--binary]     value on stdin (optional)
  hush secrets put NAME [--token T] [--stage LABEL]… [--expect-current VERSION_ID]
                        [--value-file F] [--binary]         value on stdin
  hush secrets get NAME [--version-id ID | --stage LABEL]  the value alone on stdout
  hush secrets list [--name PREFIX] [--tag K[=V]] [--description TEXT]
                    [--sort name|created|updated] [--desc] [--max N] [--next-token T] [--all]
  hush secrets describe NAME
  hush secrets versions NAME
  hush secrets label NAME LABEL --to VERSION_ID [--from VERSION_ID]
  hush secrets label NAME LABEL --remove-from VERSION_ID
  hush secrets update NAME [--description D] [--key KEY]
  hush secrets delete NAME [--recovery-days N | --force]
  hush secrets restore NAME
  hush secrets tag NAME K=V…      hush secrets untag NAME K…
  hush secrets rotate NAME | --all-due     createSecret → setSecret → testSecret → finishSecret
  hush secrets rotation set NAME --every DAYS [--length N] [--no-punctuation]
                            [--rotator postgres|mysql [--strategy single|alternating]
                             [--admin-secret NAME]] | [--hook FILE]
  hush secrets rotation off NAME
  hush secrets fingerprint        compute the fingerprints older versions lack (one audited
                                  decrypt each), so editors recognise their values as literals
  hush secrets random [--length N] [--exclude-chars S] [--no-numbers] [--no-punctuation]
                      [--no-uppercase] [--no-lowercase] [--include-space] [--no-require-each]

A value is read from stdin (when it is not a terminal) or --value-file, never from an
argument, so it stays out of shell history. One trailing newline is dropped from text values.

Rotation applies the new value with a built-in database rotator or a hook:
  --rotator postgres|mysql   the secret's value is JSON credentials {"engine", "host", "port",
                             "username", "password", "dbname"}; the rotator changes the password
                             in the database (mysql covers MariaDB too) and tests a new login
${STRATEGIES.map((s) => `  --strategy ${s.padEnd(15)} ${wrap(STRATEGY_SUMMARY[s], 62, 29)}`).join('\n')}
  --admin-secret NAME        credentials (same JSON) that may change other users' passwords
                             and create users; required for alternating
  --hook FILE                an executable (relative paths are resolved now, against this
                             folder); it gets HUSH_ROTATION_STEP and the new value on stdin
A failed rotation keeps CURRENT; running it again resumes from the PENDING version it left.
`;

function kv(pairs: string[], what: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of pairs) {
    const i = p.indexOf('=');
    if (i <= 0) throw new HushError('InvalidArgument', `${what} '${p}' must look like KEY=VALUE`);
    out[p.slice(0, i)] = p.slice(i + 1);
  }
  return out;
}

export async function runSecrets(args: string[], io: CoreIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(SECRETS_HELP);
    return 0;
  }
  switch (sub) {
    case 'create': {
      const { values: v, positionals: p } = parse(rest, {
        description: { type: 'string' },
        key: { type: 'string' },
        tag: { type: 'string', multiple: true },
        'value-file': { type: 'string' },
        binary: { type: 'boolean', default: false },
        token: { type: 'string' },
      });
      if (v.help) return help(io);
      const name = needPositional(p, 0, 'NAME');
      const value = await readValue(io, v['value-file'], v.binary === true, false);
      const r = await withStore(io, v.store, true, (s) =>
        s.manager.createSecret({
          name,
          ...(v.description !== undefined ? { description: v.description } : {}),
          ...(v.key !== undefined ? { kmsKeyId: v.key } : {}),
          ...(v.tag ? { tags: kv(v.tag, 'tag') } : {}),
          ...(value !== undefined ? { value } : {}),
          ...(v.token !== undefined ? { clientRequestToken: v.token } : {}),
        }),
      );
      if (v.json) printJson(io, r);
      else io.err(`created secret ${esc(r.name)}${r.versionId ? ` (version ${r.versionId}, CURRENT)` : ' (no value yet)'}\n`);
      return 0;
    }
    case 'put': {
      const { values: v, positionals: p } = parse(rest, {
        token: { type: 'string' },
        stage: { type: 'string', multiple: true },
        'expect-current': { type: 'string' },
        'value-file': { type: 'string' },
        binary: { type: 'boolean', default: false },
      });
      if (v.help) return help(io);
      const name = needPositional(p, 0, 'NAME');
      const value = (await readValue(io, v['value-file'], v.binary === true, true))!;
      const r = await withStore(io, v.store, false, (s) =>
        s.manager.putSecretValue(name, value, {
          ...(v.token !== undefined ? { clientRequestToken: v.token } : {}),
          ...(v.stage ? { versionStages: v.stage } : {}),
          ...(v['expect-current'] !== undefined ? { expectCurrentVersionId: v['expect-current'] } : {}),
        }),
      );
      if (v.json) printJson(io, r);
      else io.err(`put ${esc(r.name)}: version ${r.versionId} [${r.versionStages.join(', ')}]\n`);
      return 0;
    }
    case 'get': {
      const { values: v, positionals: p } = parse(rest, { 'version-id': { type: 'string' }, stage: { type: 'string' } });
      if (v.help) return help(io);
      const name = needPositional(p, 0, 'NAME');
      const r = await withStore(io, v.store, false, (s) =>
        s.manager.getSecretValue(name, {
          ...(v['version-id'] !== undefined ? { versionId: v['version-id'] } : {}),
          ...(v.stage !== undefined ? { versionStage: v.stage } : {}),
        }),
      );
      if (v.json) {
        const { secretBinary, ...restOut } = r;
        printJson(io, { ...restOut, ...(secretBinary ? { secretBinary: secretBinary.toString('base64') } : {}) });
      } else if (r.secretBinary) {
        io.out(r.secretBinary);
      } else {
        io.out(Buffer.from(r.secretString! + (io.stdoutIsTTY ? '\n' : ''), 'utf8')); // the value, exactly: bytes are not escaped
      }
      r.secretBinary?.fill(0);
      return 0;
    }
    case 'list': {
      const { values: v } = parse(rest, {
        name: { type: 'string' },
        tag: { type: 'string' },
        description: { type: 'string' },
        sort: { type: 'string' },
        desc: { type: 'boolean', default: false },
        max: { type: 'string' },
        'next-token': { type: 'string' },
        all: { type: 'boolean', default: false },
      });
      if (v.help) return help(io);
      const sortBy = ({ name: 'name', created: 'createdAt', updated: 'updatedAt' } as const)[v.sort ?? 'name'];
      if (!sortBy) throw new HushError('InvalidArgument', `--sort is name, created or updated`);
      const [tagKey, tagValue] = v.tag === undefined ? [] : v.tag.split(/=(.*)/s);
      const max = intOption(v.max, 'max');
      const r = await withStore(io, v.store, false, (s) =>
        s.manager.listSecrets({
          sortBy,
          sortOrder: v.desc ? 'desc' : 'asc',
          includePlannedDeletion: v.all === true,
          ...(v.name !== undefined ? { name: v.name } : {}),
          ...(v.description !== undefined ? { description: v.description } : {}),
          ...(tagKey ? { tagKey } : {}),
          ...(tagValue ? { tagValue } : {}),
          ...(max !== undefined ? { maxResults: max } : {}),
          ...(v['next-token'] !== undefined ? { nextToken: v['next-token'] } : {}),
        }),
      );
      if (v.json) printJson(io, r);
      else {
        io.out(table([['NAME', 'UPDATED', 'DESCRIPTION'], ...r.secrets.map((x) => [x.name + (x.deletionDate ? ' (deleting)' : ''), x.updatedAt, x.description])]));
        if (r.nextToken) io.err(`more: --next-token ${esc(r.nextToken)}\n`);
      }
      return 0;
    }
    case 'describe': {
      const { values: v, positionals: p } = parse(rest, {});
      if (v.help) return help(io);
      const name = needPositional(p, 0, 'NAME');
      const d = await withStore(io, v.store, false, (s) => s.manager.describeSecret(name));
      if (v.json) printJson(io, d);
      else {
        io.out(
          [
            `Name:         ${esc(d.name)}`,
            `Id:           ${d.id}`,
            `Description:  ${esc(d.description)}`,
            `Key:          ${d.kmsKeyId}${d.kmsKeyAliases.length ? ` (${esc(d.kmsKeyAliases.join(', '))})` : ''}`,
            `Created:      ${d.createdAt}`,
            `Updated:      ${d.updatedAt}`,
            ...(d.lastAccessedAt ? [`Accessed:     ${d.lastAccessedAt.slice(0, 10)}`] : []),
            ...(d.deletionDate ? [`Deletion:     ${d.deletionDate} (restore with 'hush secrets restore ${esc(d.name)}')`] : []),
            `Tags:         ${esc(Object.entries(d.tags).map(([k, x]) => `${k}=${x}`).join(', ')) || '-'}`,
            ...rotationLines(d).map((l) => esc(l)),
            `Versions:     ${d.versions.length}`,
          ].join('\n') + '\n',
        );
        io.out(table([['VERSION', 'STAGES', 'CREATED'], ...d.versions.map((x) => [x.versionId, x.versionStages.join(',') || '-', x.createdAt])]));
      }
      return 0;
    }
    case 'versions': {
      const { values: v, positionals: p } = parse(rest, {});
      if (v.help) return help(io);
      const name = needPositional(p, 0, 'NAME');
      const vs = await withStore(io, v.store, false, (s) => s.manager.listSecretVersionIds(name));
      if (v.json) printJson(io, vs);
      else io.out(table([['VERSION', 'STAGES', 'CREATED'], ...vs.map((x) => [x.versionId, x.versionStages.join(',') || '-', x.createdAt])]));
      return 0;
    }
    case 'label': {
      const { values: v, positionals: p } = parse(rest, { to: { type: 'string' }, from: { type: 'string' }, 'remove-from': { type: 'string' } });
      if (v.help) return help(io);
      const name = needPositional(p, 0, 'NAME');
      const label = needPositional(p, 1, 'LABEL');
      if (v['remove-from'] !== undefined && (v.to !== undefined || v.from !== undefined)) {
        throw new HushError('InvalidArgument', 'use either --to [--from] or --remove-from');
      }
      const vs = await withStore(io, v.store, false, (s) =>
        s.manager.updateSecretVersionStage(name, label, {
          ...(v.to !== undefined ? { moveToVersionId: v.to } : {}),
          ...(v.from !== undefined ? { removeFromVersionId: v.from } : {}),
          ...(v['remove-from'] !== undefined ? { removeFromVersionId: v['remove-from'] } : {}),
        }),
      );
      if (v.json) printJson(io, vs);
      else io.out(table([['VERSION', 'STAGES', 'CREATED'], ...vs.map((x) => [x.versionId, x.versionStages.join(',') || '-', x.createdAt])]));
      return 0;
    }
    case 'update': {
      const { values: v, positionals: p } = parse(rest, { description: { type: 'string' }, key: { type: 'string' } });
      if (v.help) return help(io);
      const name = needPositional(p, 0, 'NAME');
      const r = await withStore(io, v.store, false, (s) =>
        s.manager.updateSecret(name, { ...(v.description !== undefined ? { description: v.description } : {}), ...(v.key !== undefined ? { kmsKeyId: v.key } : {}) }),
      );
      if (v.json) printJson(io, r);
      else io.err(`updated ${esc(r.name)}\n`);
      return 0;
    }
    case 'delete': {
      const { values: v, positionals: p } = parse(rest, { 'recovery-days': { type: 'string' }, force: { type: 'boolean', default: false } });
      if (v.help) return help(io);
      const name = needPositional(p, 0, 'NAME');
      const days = intOption(v['recovery-days'], 'recovery-days');
      const r = await withStore(io, v.store, false, (s) =>
        s.manager.deleteSecret(name, { ...(days !== undefined ? { recoveryWindowInDays: days } : {}), ...(v.force ? { forceDeleteWithoutRecovery: true } : {}) }),
      );
      if (v.json) printJson(io, r);
      else io.err(v.force ? `deleted ${esc(r.name)} for good\n` : `${esc(r.name)} will be deleted on ${r.deletionDate}; 'hush secrets restore ${esc(r.name)}' until then\n`);
      return 0;
    }
    case 'restore': {
      const { values: v, positionals: p } = parse(rest, {});
      if (v.help) return help(io);
      const name = needPositional(p, 0, 'NAME');
      const r = await withStore(io, v.store, false, (s) => s.manager.restoreSecret(name));
      if (v.json) printJson(io, r);
      else io.err(`restored ${esc(r.name)}\n`);
      return 0;
    }
    case 'tag':
    case 'untag': {
      const { values: v, positionals: p } = parse(rest, {});
      if (v.help) return help(io);
      const name = needPositional(p, 0, 'NAME');
      if (p.length < 2) throw new HushError('InvalidArgument', sub === 'tag' ? 'give at least one KEY=VALUE' : 'give at least one tag KEY');
      await withStore(io, v.store, false, (s) => (sub === 'tag' ? s.manager.tagResource(name, kv(p.slice(1), 'tag')) : s.manager.untagResource(name, p.slice(1))));
      if (v.json) printJson(io, { name, ok: true });
      else io.err(`${sub === 'tag' ? 'tagged' : 'untagged'} ${esc(name)}\n`);
      return 0;
    }
    case 'rotate': {
      const { values: v, positionals: p } = parse(rest, { 'all-due': { type: 'boolean', default: false } });
      if (v.help) return help(io);
      if (v['all-due'] && p.length > 0) throw new HushError('InvalidArgument', 'give a NAME or --all-due, not both');
      return withStore(io, v.store, false, async (s) => {
        let names: string[];
        if (v['all-due']) {
          names = await dueSecrets(s.manager, new Date());
          if (names.length === 0) io.err('no rotation is due\n');
        } else {
          names = [needPositional(p, 0, 'NAME')];
        }
        let failed = 0;
        for (const name of names) {
          // The terminal user runs the hook they configured themselves: hooks are allowed here.
          const r = await rotateSecret(s.manager, name, { allowHooks: true, onStep: (st) => void (!v.json && io.err(`${esc(name)}: ${st.step} ${st.ok ? 'ok' : 'FAILED'}${st.detail ? ` — ${esc(st.detail)}` : ''}\n`)) });
          if (v.json) printJson(io, r);
          else if (r.ok) io.err(`rotated ${esc(name)}: version ${r.versionId} is CURRENT\n`);
          else io.err(`hush: RotationFailed: ${esc(r.message ?? 'rotation failed')}\n`);
          if (!r.ok) failed++;
        }
        return failed > 0 ? 1 : 0;
      });
    }
    case 'rotation': {
      const [action, ...more] = rest;
      if (action === '--help' || action === '-h') return help(io);
      const { values: v, positionals: p } = parse(more, {
        every: { type: 'string' },
        length: { type: 'string' },
        'no-punctuation': { type: 'boolean', default: false },
        hook: { type: 'string' },
        rotator: { type: 'string' },
        strategy: { type: 'string' },
        'admin-secret': { type: 'string' },
      });
      if (v.help || (action !== 'set' && action !== 'off')) {
        if (!v.help) throw new HushError('InvalidArgument', `hush secrets rotation set|off NAME; not '${action ?? ''}'`);
        return help(io);
      }
      const name = needPositional(p, 0, 'NAME');
      const set = await withStore(io, v.store, false, async (s) => {
        if (action === 'off') return void (await s.manager.setRotation(name, undefined));
        const every = intOption(v.every, 'every');
        if (every === undefined || every < 1 || every > 1000) throw new HushError('InvalidArgument', '--every DAYS is required, 1 to 1000');
        const length = intOption(v.length, 'length') ?? 32;
        if (length < 8 || length > 4096) throw new HushError('InvalidArgument', '--length is 8 to 4096');
        if (v.rotator !== undefined && !(ROTATORS as readonly string[]).includes(v.rotator)) throw new HushError('InvalidArgument', `--rotator is ${ROTATORS.join(' or ')} (mysql covers MariaDB), not '${v.rotator}'`);
        if (v.strategy !== undefined && !(STRATEGIES as readonly string[]).includes(v.strategy)) throw new HushError('InvalidArgument', `--strategy is ${STRATEGIES.join(' or ')}, not '${v.strategy}'`);
        if (typeof v.hook === 'string' && !v.hook) throw new HushError('InvalidArgument', '--hook needs the path of an executable file');
        await setRotationPolicy(
          s.manager,
          name,
          {
            intervalDays: every,
            length,
            excludePunctuation: v['no-punctuation'] === true,
            ...(typeof v.hook === 'string' ? { hook: v.hook } : {}),
            ...(v.rotator !== undefined ? { rotator: v.rotator as RotatorName } : {}),
            ...(v.strategy !== undefined ? { strategy: v.strategy as RotationStrategy } : {}),
            ...(v['admin-secret'] !== undefined ? { adminSecret: v['admin-secret'] } : {}),
          },
          { baseDir: io.cwd },
        );
        return (await s.manager.describeSecret(name)).rotation;
      });
      if (v.json) printJson(io, { name, ok: true });
      else io.err(action === 'off' ? `${esc(name)} has no rotation schedule now\n` : `${esc(name)} rotates every ${v.every} days; applied by: ${esc(describeRotator(set!))}\n`);
      return 0;
    }
    case 'fingerprint': {
      const { values: v } = parse(rest, {});
      if (v.help) return help(io);
      const r = await withStore(io, v.store, false, (s) => s.manager.fillFingerprints());
      if (v.json) printJson(io, r);
      else {
        io.err(`fingerprinted ${r.filled} version(s)\n`);
        for (const f of r.failed) io.err(`  ${f.name}: not readable (${f.code})\n`);
      }
      return r.failed.length ? 1 : 0;
    }
    case 'random': {
      const { values: v } = parse(rest, {
        length: { type: 'string' },
        'exclude-chars': { type: 'string' },
        'no-numbers': { type: 'boolean', default: false },
        'no-punctuation': { type: 'boolean', default: false },
        'no-uppercase': { type: 'boolean', default: false },
        'no-lowercase': { type: 'boolean', default: false },
        'include-space': { type: 'boolean', default: false },
        'no-require-each': { type: 'boolean', default: false },
      });
      if (v.help) return help(io);
      const length = intOption(v.length, 'length');
      const pw = randomPassword({
        ...(length !== undefined ? { length } : {}),
        ...(v['exclude-chars'] !== undefined ? { excludeCharacters: v['exclude-chars'] } : {}),
        excludeNumbers: v['no-numbers'] === true,
        excludePunctuation: v['no-punctuation'] === true,
        excludeUppercase: v['no-uppercase'] === true,
        excludeLowercase: v['no-lowercase'] === true,
        includeSpace: v['include-space'] === true,
        requireEachIncludedType: v['no-require-each'] !== true,
      });
      if (v.json) printJson(io, { randomPassword: pw });
      else io.out(Buffer.from(pw + (io.stdoutIsTTY ? '\n' : ''), 'utf8'));
      return 0;
    }
    default:
      throw new HushError('InvalidArgument', `unknown command 'secrets ${sub}'. Run 'hush secrets --help'.`);
  }
}

/** describe's lines about rotation: schedule, due date, how a new value is applied. */
function rotationLines(d: { rotation?: Parameters<typeof rotationStatus>[0]['rotation']; createdAt: string }): string[] {
  const st = rotationStatus(d, new Date());
  if (!st) return ['Rotation:     -'];
  return [
    `Rotation:     every ${st.intervalDays} days; ${st.lastRotatedAt ? `last ${st.lastRotatedAt}` : 'never rotated'}; next ${st.nextRotationDate}${st.due ? ' (due)' : ''}`,
    `Rotator:      ${describeRotator(st)}`,
  ];
}

function help(io: CoreIo): number {
  io.out(SECRETS_HELP);
  return 0;
}
