/**
 * The store's records in memory, and the writes (ops) that change them. The
 * log replays ops into a State; a snapshot is the whole State as one value
 * (compaction, recovery). `view` gives the StoreTx a transaction works on.
 */
import { HushError } from '../errors';
import type { AuditEvent } from '../audit/auditLog';
import type { AliasRecord, CredentialRecord, ImportParametersRecord, KeyRecord, SecretRecord, StoreTx, VersionRecord } from './store';
import { applySecretQuery, dueForDeletion } from './secretQuery';

export type Op =
  | { t: 'key'; v: KeyRecord }
  | { t: 'alias'; v: AliasRecord }
  | { t: '-alias'; name: string }
  | { t: 'import'; v: ImportParametersRecord }
  | { t: '-import'; token: string }
  | { t: 'secret'; v: SecretRecord }
  | { t: '-secret'; id: string }
  | { t: 'version'; s: string; v: VersionRecord }
  | { t: '-version'; s: string; id: string }
  | { t: 'credential'; v: CredentialRecord };

export interface Snapshot {
  keys: KeyRecord[];
  aliases: AliasRecord[];
  imports: ImportParametersRecord[];
  secrets: SecretRecord[];
  versions: [string, VersionRecord[]][];
  /** hush serve's access keys (absent in snapshots written before they existed). */
  credentials?: CredentialRecord[];
}

export class State {
  keys = new Map<string, KeyRecord>();
  aliases = new Map<string, AliasRecord>();
  imports = new Map<string, ImportParametersRecord>();
  secrets = new Map<string, SecretRecord>();
  byName = new Map<string, string>();
  versions = new Map<string, Map<string, VersionRecord>>();
  credentials = new Map<string, CredentialRecord>();

  /** Applies one write; returns how to undo it. */
  apply(op: Op): () => void {
    const swap = <K, V>(m: Map<K, V>, k: K, v: V | undefined): (() => void) => {
      const had = m.has(k);
      const old = m.get(k);
      if (v === undefined) m.delete(k);
      else m.set(k, v);
      return () => (had ? m.set(k, old as V) : m.delete(k));
    };
    switch (op.t) {
      case 'key':
        return swap(this.keys, op.v.id, op.v);
      case 'alias':
        return swap(this.aliases, op.v.name, op.v);
      case '-alias':
        return swap(this.aliases, op.name, undefined);
      case 'import':
        return swap(this.imports, op.v.token, op.v);
      case '-import':
        return swap(this.imports, op.token, undefined);
      case 'secret': {
        const old = this.secrets.get(op.v.id);
        const undos = [swap(this.secrets, op.v.id, op.v)];
        if (old && old.name !== op.v.name) undos.push(swap(this.byName, old.name, undefined));
        undos.push(swap(this.byName, op.v.name, op.v.id));
        return () => undos.reverse().forEach((u) => u());
      }
      case '-secret': {
        const old = this.secrets.get(op.id);
        const undos = [swap(this.secrets, op.id, undefined), swap(this.versions, op.id, undefined)];
        if (old) undos.push(swap(this.byName, old.name, undefined));
        return () => undos.reverse().forEach((u) => u());
      }
      case 'version': {
        let m = this.versions.get(op.s);
        const created = !m;
        if (!m) this.versions.set(op.s, (m = new Map()));
        const u = swap(m, op.v.id, op.v);
        return () => {
          u();
          if (created) this.versions.delete(op.s);
        };
      }
      case '-version': {
        const m = this.versions.get(op.s);
        return m ? swap(m, op.id, undefined) : () => {};
      }
      case 'credential':
        return swap(this.credentials, op.v.accessKeyId, op.v);
    }
  }

  snapshot(): Snapshot {
    return {
      keys: [...this.keys.values()],
      aliases: [...this.aliases.values()],
      imports: [...this.imports.values()],
      secrets: [...this.secrets.values()],
      versions: [...this.versions].map(([s, m]) => [s, [...m.values()]]),
      ...(this.credentials.size ? { credentials: [...this.credentials.values()] } : {}),
    };
  }

  static from(s: Snapshot): State {
    const st = new State();
    for (const k of s.keys) st.keys.set(k.id, k);
    for (const a of s.aliases) st.aliases.set(a.name, a);
    for (const i of s.imports) st.imports.set(i.token, i);
    for (const x of s.secrets) {
      st.secrets.set(x.id, x);
      st.byName.set(x.name, x.id);
    }
    for (const [sid, vs] of s.versions) st.versions.set(sid, new Map(vs.map((v) => [v.id, v])));
    for (const c of s.credentials ?? []) st.credentials.set(c.accessKeyId, c);
    return st;
  }
}

/**
 * A transaction's view of `st`: reads see its own writes; `write` records and
 * applies each one. Answers are in memory; they are promises because the
 * Store interface also serves a database.
 */
export function stateView(st: State, write: (op: Op) => void, audit: (e: AuditEvent) => void): StoreTx {
  return {
    getKey: async (id) => st.keys.get(id),
    listKeys: async () => [...st.keys.values()],
    putKey: async (v) => write({ t: 'key', v }),
    getAlias: async (name) => st.aliases.get(name),
    listAliases: async () => [...st.aliases.values()],
    putAlias: async (v) => write({ t: 'alias', v }),
    deleteAlias: async (name) => write({ t: '-alias', name }),
    getImport: async (token) => st.imports.get(token),
    listImports: async () => [...st.imports.values()],
    putImport: async (v) => write({ t: 'import', v }),
    deleteImport: async (token) => write({ t: '-import', token }),
    getSecret: async (id) => st.secrets.get(id),
    findSecretByName: async (name) => {
      const id = st.byName.get(name);
      return id === undefined ? undefined : st.secrets.get(id);
    },
    listSecrets: async () => [...st.secrets.values()],
    querySecrets: async (q) => applySecretQuery(st.secrets.values(), q),
    secretsDueForDeletion: async (now) => dueForDeletion(st.secrets.values(), now),
    putSecret: async (v) => {
      const other = st.byName.get(v.name);
      if (other !== undefined && other !== v.id) throw new HushError('SecretExists', `a secret named '${v.name}' already exists`);
      write({ t: 'secret', v });
    },
    deleteSecret: async (id) => write({ t: '-secret', id }),
    getVersion: async (s, id) => st.versions.get(s)?.get(id),
    listVersions: async (s) => [...(st.versions.get(s)?.values() ?? [])],
    listVersionsLabelled: async (label) => {
      const out: { secretId: string; version: VersionRecord }[] = [];
      for (const [secretId, vs] of st.versions) for (const v of vs.values()) if (v.labels.includes(label)) out.push({ secretId, version: v });
      return out;
    },
    putVersion: async (s, v) => write({ t: 'version', s, v }),
    deleteVersion: async (s, id) => write({ t: '-version', s, id }),
    getCredential: async (id) => st.credentials.get(id),
    listCredentials: async () => [...st.credentials.values()],
    putCredential: async (v) => write({ t: 'credential', v }),
    audit,
  };
}
