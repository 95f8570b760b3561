/**
 * The team store's schema, as numbered migrations. `hush store init` applies
 * them all to an empty database; `hush store migrate` applies the ones a
 * database lacks, each in its own transaction, and records it in
 * hush_migrations. Opening a store never migrates: a schema behind or ahead
 * of this Hush is refused with what to run.
 *
 * What the tables hold is ciphertext and metadata only: secret values are
 * ESDK messages; CMK material is sealed to each member with HPKE; the team
 * key (the audit chain's MAC key) is sealed to each member the same way.
 * Timestamps are ISO-8601 text, exactly as the core writes them.
 */
import { ENFORCEMENT_SQL } from './enforcement';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

export const MIGRATIONS: readonly Migration[] = [
  {
    version: 1,
    description: 'members, keys, secrets, versions, audit chain',
    sql: `
CREATE TABLE hush_meta (
  k text PRIMARY KEY,
  v text NOT NULL
);
CREATE TABLE hush_members (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  public_key text NOT NULL UNIQUE,
  -- The team key sealed to this member (HPKE), base64.
  sealed_team_key text NOT NULL,
  created_at text NOT NULL,
  added_by text NOT NULL
);
CREATE TABLE hush_keys (
  id text PRIMARY KEY,
  -- KeyRecord as JSON; each material version carries its copies sealed to members.
  record jsonb NOT NULL
);
CREATE TABLE hush_aliases (
  name text PRIMARY KEY,
  key_id text NOT NULL,
  created_at text NOT NULL
);
CREATE TABLE hush_imports (
  token text PRIMARY KEY,
  record jsonb NOT NULL
);
CREATE TABLE hush_secrets (
  id text PRIMARY KEY,
  name text NOT NULL UNIQUE,
  description text NOT NULL,
  kms_key_id text NOT NULL,
  tags jsonb NOT NULL,
  created_at text NOT NULL,
  updated_at text NOT NULL,
  last_accessed_at text,
  deletion_date text,
  rotation jsonb
);
CREATE TABLE hush_versions (
  secret_id text NOT NULL REFERENCES hush_secrets (id) ON DELETE CASCADE,
  id text NOT NULL,
  created_at text NOT NULL,
  kms_key_id text NOT NULL,
  ciphertext text NOT NULL,
  type text NOT NULL,
  labels text[] NOT NULL,
  fingerprint text,
  fingerprint_material integer,
  value_length integer,
  PRIMARY KEY (secret_id, id)
);
CREATE INDEX hush_versions_labels ON hush_versions USING gin (labels);
CREATE TABLE hush_audit (
  seq bigint PRIMARY KEY,
  line text NOT NULL
);
-- One row: the chain's head. Every operation locks it first, so operations
-- are serialized and the chain has no forks.
CREATE TABLE hush_audit_head (
  id integer PRIMARY KEY CHECK (id = 1),
  seq bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO hush_audit_head (id, seq, hash) VALUES (1, 0, '');
`,
  },
  {
    version: 2,
    description: 'access policy: groups, policies, attachments, one database role per member',
    sql: `
ALTER TABLE hush_members ADD COLUMN db_role text UNIQUE;
CREATE TABLE hush_groups (
  name text PRIMARY KEY,
  created_at text NOT NULL,
  created_by text NOT NULL
);
CREATE TABLE hush_group_members (
  group_name text NOT NULL REFERENCES hush_groups (name) ON DELETE CASCADE,
  member_id text NOT NULL REFERENCES hush_members (id) ON DELETE CASCADE,
  PRIMARY KEY (group_name, member_id)
);
CREATE TABLE hush_policies (
  name text PRIMARY KEY,
  document jsonb NOT NULL,
  updated_at text NOT NULL,
  updated_by text NOT NULL
);
-- A policy applies to one member, one group, or one application principal of hush serve (app:NAME).
CREATE TABLE hush_policy_attachments (
  policy text NOT NULL REFERENCES hush_policies (name) ON DELETE CASCADE,
  member_id text REFERENCES hush_members (id) ON DELETE CASCADE,
  group_name text REFERENCES hush_groups (name) ON DELETE CASCADE,
  principal text,
  CHECK (num_nonnulls(member_id, group_name, principal) = 1)
);
CREATE UNIQUE INDEX hush_attach_member ON hush_policy_attachments (policy, member_id) WHERE member_id IS NOT NULL;
CREATE UNIQUE INDEX hush_attach_group ON hush_policy_attachments (policy, group_name) WHERE group_name IS NOT NULL;
CREATE UNIQUE INDEX hush_attach_principal ON hush_policy_attachments (policy, principal) WHERE principal IS NOT NULL;
`,
  },
  {
    version: 3,
    description: 'policy enforced by the database for writes: triggers, and a role for the members',
    sql: ENFORCEMENT_SQL,
  },
  {
    version: 4,
    description: 'access keys of hush serve (the secret sealed under a CMK), checked by the database like any write',
    sql: `
CREATE TABLE hush_credentials (
  access_key_id text PRIMARY KEY,
  name text NOT NULL,
  created_at text NOT NULL,
  created_by text NOT NULL,
  revoked_at text,
  kms_key_id text NOT NULL,
  -- The secret access key: an ESDK message under kms_key_id, base64. Never the key in clear.
  sealed_secret text NOT NULL
);
CREATE INDEX hush_credentials_name ON hush_credentials (name);
CREATE FUNCTION hush_guard_credentials() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM hush_authorize(CASE WHEN TG_OP = 'INSERT' THEN ARRAY['serve:CreateCredential'] ELSE ARRAY['serve:RevokeCredential'] END,
    ARRAY['credential:' || CASE WHEN TG_OP = 'DELETE' THEN OLD.name ELSE NEW.name END], '{}');
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER hush_guard BEFORE INSERT OR UPDATE OR DELETE ON hush_credentials FOR EACH ROW EXECUTE FUNCTION hush_guard_credentials();
DO $$
DECLARE r text := current_database() || '_hush_members';
BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
    EXECUTE format('GRANT SELECT, INSERT, UPDATE ON hush_credentials TO %I', r);
  END IF;
END $$;
`,
  },
];

export const SCHEMA_VERSION = MIGRATIONS[MIGRATIONS.length - 1]!.version;
