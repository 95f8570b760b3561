/** `hush keys …`: the local KMS's customer master keys. */
import { readFileSync, writeFileSync } from 'node:fs';
import { HushError } from '../shared/errors';
import type { KeyDescription } from '../shared/kms/kms';
import { wrapForImport } from '../shared/kms/byok';
import { CoreIo, intOption, needPositional, parse, printJson, table, withStore } from './store';
import { escapeField as esc } from './terminalText';

export const KEYS_HELP = `hush keys — customer master keys (CMKs) of the local KMS

  hush keys create [--alias alias/NAME] [--description D] [--origin HUSH|EXTERNAL]
  hush keys list [--all]                 (--all: deleted keys too)
  hush keys describe KEY
  hush keys enable KEY                   hush keys disable KEY
  hush keys schedule-deletion KEY [--days 7..30]   (default 30)
  hush keys cancel-deletion KEY          (the key returns Disabled)
  hush keys rotate KEY                   new material version; old versions still decrypt
  hush keys import KEY --get-parameters [--public-key-out FILE]
  hush keys import KEY --token T --wrapped-material FILE [--valid-to DATE]
  hush keys import KEY --material-file FILE [--valid-to DATE]   both steps, locally
  hush keys import KEY --delete-material
  hush keys alias                        list aliases
  hush keys alias alias/NAME KEY [--update]      hush keys alias alias/NAME --delete
  hush keys grant KEY MEMBER             (team store) seal the key's material to a member
  hush keys revoke KEY MEMBER            delete their copies and rotate the key

KEY is a key id or an alias (alias/NAME). BYOK wraps 32 bytes of material with
RSAES_OAEP_SHA_256 under the RSA-3072 public key; the token is valid for 24 hours.
`;

function showKey(io: CoreIo, json: boolean, k: KeyDescription): void {
  if (json) return printJson(io, k);
  io.out(
    [
      `KeyId:        ${k.keyId}`,
      `Aliases:      ${esc(k.aliases.join(', ')) || '-'}`,
      `State:        ${k.state}${k.deletionDate ? ` (deletion on ${k.deletionDate})` : ''}`,
      `Origin:       ${k.origin}${k.isDefault ? ' (default key)' : ''}`,
      `Description:  ${esc(k.description) || '-'}`,
      `Created:      ${k.createdAt}`,
      `Material:     ${k.materials.map((m) => `v${m.version}${m.version === k.currentMaterialVersion ? '*' : ''}${m.expiresAt ? ` until ${m.expiresAt}` : ''}`).join(', ') || 'none'}`,
    ].join('\n') + '\n',
  );
}

function date(v: string | undefined, name: string): Date | undefined {
  if (v === undefined) return undefined;
  const t = Date.parse(v);
  if (Number.isNaN(t)) throw new HushError('InvalidArgument', `--${name} must be a date (ISO 8601), not '${v}'`);
  return new Date(t);
}

export async function runKeys(args: string[], io: CoreIo): Promise<number> {
  const [sub, ...rest] = args;
  if (sub === undefined || sub === 'help' || sub === '--help' || sub === '-h') {
    io.out(KEYS_HELP);
    return 0;
  }
  switch (sub) {
    case 'create': {
      const { values: v } = parse(rest, { alias: { type: 'string' }, description: { type: 'string' }, origin: { type: 'string' } });
      if (v.help) return help(io);
      const origin = (v.origin ?? 'HUSH').toUpperCase();
      if (origin !== 'HUSH' && origin !== 'EXTERNAL') throw new HushError('InvalidArgument', '--origin is HUSH or EXTERNAL');
      const k = await withStore(io, v.store, true, (s) =>
        s.manager.kms.createKey({
          origin,
          ...(v.alias !== undefined ? { alias: v.alias } : {}),
          ...(v.description !== undefined ? { description: v.description } : {}),
        }),
      );
      showKey(io, v.json === true, k);
      return 0;
    }
    case 'list': {
      const { values: v } = parse(rest, { all: { type: 'boolean', default: false } });
      if (v.help) return help(io);
      const ks = await withStore(io, v.store, false, (s) => s.manager.kms.listKeys({ includeDeleted: v.all === true }));
      if (v.json) printJson(io, ks);
      else io.out(table([['KEY ID', 'STATE', 'ORIGIN', 'ALIASES'], ...ks.map((k) => [k.keyId, k.state, k.origin, k.aliases.join(',') || '-'])]));
      return 0;
    }
    case 'describe':
    case 'enable':
    case 'disable':
    case 'cancel-deletion':
    case 'rotate':
    case 'schedule-deletion': {
      const { values: v, positionals: p } = parse(rest, sub === 'schedule-deletion' ? { days: { type: 'string' } } : {});
      if (v.help) return help(io);
      const ref = needPositional(p, 0, 'KEY');
      const days = intOption((v as { days?: string }).days, 'days');
      const k = await withStore(io, v.store, false, (s) => {
        const kms = s.manager.kms;
        switch (sub) {
          case 'describe':
            return kms.describeKey(ref);
          case 'enable':
            return kms.enableKey(ref);
          case 'disable':
            return kms.disableKey(ref);
          case 'cancel-deletion':
            return kms.cancelKeyDeletion(ref);
          case 'rotate':
            return kms.rotateKey(ref);
          default:
            return kms.scheduleKeyDeletion(ref, days ?? 30);
        }
      });
      showKey(io, v.json === true, k);
      return 0;
    }
    case 'grant':
    case 'revoke': {
      const { values: v, positionals: p } = parse(rest, {});
      if (v.help) return help(io);
      const key = needPositional(p, 0, 'KEY');
      const member = needPositional(p, 1, 'MEMBER');
      return withStore(io, v.store, false, async (s) => {
        if (!s.team) throw new HushError('InvalidArgument', `${s.path} is a single-user store; grants belong to a team store (--store postgres://…)`);
        if (sub === 'grant') {
          const g = await s.team.grantKey(key, member);
          if (v.json) printJson(io, g);
          else io.err(`${g.member} can now use CMK ${g.keyId} (${g.versions} material version(s) sealed to them)\n`);
          return 0;
        }
        const r = await s.team.revokeKey(key, member);
        if (v.json) printJson(io, r);
        else {
          io.err(`${r.member} no longer holds CMK ${r.keyId}${r.rotatedTo ? `; it has new material (version ${r.rotatedTo}), so values written from now on are out of their reach` : ''}.\n`);
          if (r.secretsToRotate.length) {
            io.err(`They could read these values before: rotate them now (hush secrets rotate NAME): ${r.secretsToRotate.join(', ')}\n`);
          }
        }
        return 0;
      });
    }
    case 'import': {
      const { values: v, positionals: p } = parse(rest, {
        'get-parameters': { type: 'boolean', default: false },
        'public-key-out': { type: 'string' },
        token: { type: 'string' },
        'wrapped-material': { type: 'string' },
        'material-file': { type: 'string' },
        'valid-to': { type: 'string' },
        'delete-material': { type: 'boolean', default: false },
      });
      if (v.help) return help(io);
      const ref = needPositional(p, 0, 'KEY');
      const validTo = date(v['valid-to'], 'valid-to');
      const read = (f: string) => {
        try {
          return readFileSync(f);
        } catch (e) {
          throw new HushError('InvalidArgument', `cannot read ${f}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
        }
      };
      return withStore(io, v.store, false, async (s) => {
        const kms = s.manager.kms;
        if (v['get-parameters']) {
          const params = await kms.getParametersForImport(ref);
          if (v['public-key-out']) writeFileSync(v['public-key-out'], Buffer.from(params.publicKey, 'base64'));
          if (v.json) printJson(io, params);
          else io.out(`ImportToken:  ${params.importToken}\nValidTo:      ${params.validTo}\nAlgorithm:    ${params.wrappingAlgorithm}\nPublicKey:    ${params.publicKey}\n`);
          return 0;
        }
        if (v['delete-material']) {
          showKey(io, v.json === true, await kms.deleteImportedKeyMaterial(ref));
          return 0;
        }
        let token = v.token;
        let wrapped: Buffer;
        if (v['material-file'] !== undefined) {
          const material = read(v['material-file']);
          const params = await kms.getParametersForImport(ref);
          token = params.importToken;
          wrapped = wrapForImport(params.publicKey, material);
          material.fill(0);
        } else {
          if (token === undefined || v['wrapped-material'] === undefined) {
            throw new HushError('InvalidArgument', 'give --get-parameters, or --token T --wrapped-material FILE, or --material-file FILE, or --delete-material');
          }
          wrapped = read(v['wrapped-material']);
        }
        showKey(io, v.json === true, await kms.importKeyMaterial(ref, token!, wrapped, validTo));
        return 0;
      });
    }
    case 'alias': {
      const { values: v, positionals: p } = parse(rest, { update: { type: 'boolean', default: false }, delete: { type: 'boolean', default: false } });
      if (v.help) return help(io);
      const name = p[0];
      return withStore(io, v.store, false, async (s) => {
        const kms = s.manager.kms;
        if (name === undefined) {
          const as = await kms.listAliases();
          if (v.json) printJson(io, as);
          else io.out(table([['ALIAS', 'KEY ID'], ...as.map((a) => [a.name, a.keyId])]));
          return 0;
        }
        if (v.delete) await kms.deleteAlias(name);
        else {
          const key = needPositional(p, 1, 'KEY');
          await (v.update ? kms.updateAlias(name, key) : kms.createAlias(name, key));
        }
        if (v.json) printJson(io, { alias: name, ok: true });
        else io.err(`${v.delete ? 'deleted' : v.update ? 'updated' : 'created'} ${esc(name)}\n`);
        return 0;
      });
    }
    default:
      throw new HushError('InvalidArgument', `unknown command 'keys ${sub}'. Run 'hush keys --help'.`);
  }
}

function help(io: CoreIo): number {
  io.out(KEYS_HELP);
  return 0;
}
