/**
 * Access policy enforced by PostgreSQL itself, for writes: a member who
 * connects with their own database role cannot change what policy forbids
 * them, even with hand-written SQL. (Reads need no help from the database:
 * values are sealed, and a member without a grant on a key cannot open them.)
 *
 * - Privileges: members' roles belong to one group role per store database
 *   (`<database>_hush_members`), which may read every table, append to the
 *   audit chain and write the data tables — and never UPDATE or DELETE audit
 *   records.
 * - Triggers on every data table map the row change to the actions that
 *   could have made it (a changed `deletion_date` is secrets:DeleteSecret or
 *   RestoreSecret, a new version is PutSecretValue…) and ask
 *   `hush_authorize`, which evaluates the member's policies in SQL with the
 *   same rules as policy/engine.ts (IAM wildcards, NotAction/NotResource,
 *   conditions, deny wins, default deny). The test suite runs one decision
 *   matrix through both evaluators.
 * - Who is asking: the member whose `db_role` is `current_user`. The request
 *   source (editor, CLI, serve) is what the client declares in the
 *   transaction (`hush.source`), so conditions on it are advisory at this
 *   level; everything else is the database's own knowledge.
 * - Bootstrap and housekeeping: nothing is checked until the store's
 *   creation has set `enforced` in hush_meta (which members cannot write);
 *   an older store migrated to this schema is enforced from then on. Purging a secret, alias or import whose deletion or
 *   expiry date has passed is allowed to anyone, as the core does it on the
 *   side of any write.
 *
 * The mapping from row changes to actions is coarser than the core's (a
 * member allowed kms:CreateGrant could also remove a copy with SQL); the
 * README says so.
 */
export const ENFORCEMENT_SQL = String.raw`
CREATE FUNCTION hush_glob_re(pattern text) RETURNS text LANGUAGE sql IMMUTABLE AS $$
  SELECT '^' || replace(replace(regexp_replace(pattern, '([.+^$(){}|\[\]\\/-])', '\\\1', 'g'), '*', '.*'), '?', '.') || '$'
$$;

CREATE FUNCTION hush_glob(pattern text, value text, caseless boolean) RETURNS boolean LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN caseless THEN value ~* hush_glob_re(pattern) ELSE value ~ hush_glob_re(pattern) END
$$;

CREATE FUNCTION hush_now_iso() RETURNS text LANGUAGE sql STABLE AS $$
  SELECT to_char(clock_timestamp() AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')
$$;

-- The values a condition key has for this request.
CREATE FUNCTION hush_key_values(k text, member_name text, groups text[], tags jsonb) RETURNS text[] LANGUAGE plpgsql STABLE AS $$
DECLARE src text := coalesce(current_setting('hush.source', true), '');
BEGIN
  IF k = 'hush:PrincipalName' THEN RETURN ARRAY[member_name]; END IF;
  IF k = 'hush:PrincipalGroup' THEN RETURN groups; END IF;
  IF k = 'hush:RequestSource' THEN RETURN ARRAY[src]; END IF;
  IF k = 'hush:ViaEditor' THEN RETURN ARRAY[(src = 'editor')::text]; END IF;
  IF k = 'hush:ViaCli' THEN RETURN ARRAY[(src = 'cli')::text]; END IF;
  IF k = 'hush:ViaServe' THEN RETURN ARRAY[(src = 'serve')::text]; END IF;
  IF k LIKE 'hush:ResourceTag/%' THEN
    IF tags ? substr(k, 18) THEN RETURN ARRAY[tags ->> substr(k, 18)]; END IF;
    RETURN '{}';
  END IF;
  RETURN '{}';
END $$;

CREATE FUNCTION hush_statement_matches(st jsonb, action text, names text[], tags jsonb, member_name text, groups text[]) RETURNS boolean LANGUAGE plpgsql STABLE AS $$
DECLARE op text; body jsonb; k text; wanted jsonb; have text[]; hit boolean;
BEGIN
  IF st ? 'Action' THEN
    IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(st -> 'Action') a WHERE hush_glob(a, action, true)) THEN RETURN false; END IF;
  ELSE
    IF EXISTS (SELECT 1 FROM jsonb_array_elements_text(st -> 'NotAction') a WHERE hush_glob(a, action, true)) THEN RETURN false; END IF;
  END IF;
  IF st ? 'Resource' THEN
    IF NOT EXISTS (SELECT 1 FROM jsonb_array_elements_text(st -> 'Resource') p, unnest(names) n WHERE p = '*' OR hush_glob(p, n, false)) THEN RETURN false; END IF;
  ELSE
    IF EXISTS (SELECT 1 FROM jsonb_array_elements_text(st -> 'NotResource') p, unnest(names) n WHERE p = '*' OR hush_glob(p, n, false)) THEN RETURN false; END IF;
  END IF;
  FOR op, body IN SELECT * FROM jsonb_each(coalesce(st -> 'Condition', '{}'::jsonb)) LOOP
    FOR k, wanted IN SELECT * FROM jsonb_each(body) LOOP
      have := hush_key_values(k, member_name, groups, tags);
      IF op IN ('StringEquals', 'Bool', 'StringNotEquals') THEN
        hit := EXISTS (SELECT 1 FROM unnest(have) h, jsonb_array_elements_text(wanted) w WHERE h = w);
      ELSE
        hit := EXISTS (SELECT 1 FROM unnest(have) h, jsonb_array_elements_text(wanted) w WHERE hush_glob(w, h, false));
      END IF;
      IF op IN ('StringNotEquals', 'StringNotLike') THEN hit := NOT hit; END IF;
      IF NOT hit THEN RETURN false; END IF;
    END LOOP;
  END LOOP;
  RETURN true;
END $$;

-- 'Allow', 'Deny' (an explicit Deny) or 'NoMatch' for one member.
CREATE FUNCTION hush_decide(member text, action text, names text[], tags jsonb) RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE m_name text; groups text[]; doc jsonb; st jsonb; allowed boolean := false;
BEGIN
  SELECT name INTO m_name FROM hush_members WHERE id = member;
  SELECT coalesce(array_agg(group_name), '{}') INTO groups FROM hush_group_members WHERE member_id = member;
  FOR doc IN SELECT p.document FROM hush_policies p
      WHERE p.name IN (SELECT a.policy FROM hush_policy_attachments a WHERE a.member_id = member OR a.group_name = ANY (groups)) LOOP
    FOR st IN SELECT * FROM jsonb_array_elements(doc -> 'Statement') LOOP
      IF hush_statement_matches(st, action, names, coalesce(tags, '{}'::jsonb), m_name, groups) THEN
        IF st ->> 'Effect' = 'Deny' THEN RETURN 'Deny'; END IF;
        allowed := true;
      END IF;
    END LOOP;
  END LOOP;
  RETURN CASE WHEN allowed THEN 'Allow' ELSE 'NoMatch' END;
END $$;

-- Raises insufficient_privilege unless the connected member may do one of the actions (none denied explicitly).
CREATE FUNCTION hush_authorize(actions text[], names text[], tags jsonb) RETURNS void LANGUAGE plpgsql STABLE AS $$
DECLARE member text; m_name text; a text; d text; any_allowed boolean := false;
BEGIN
  IF NOT EXISTS (SELECT 1 FROM hush_meta WHERE k = 'enforced') THEN RETURN; END IF; -- the store is being created
  SELECT id, name INTO member, m_name FROM hush_members WHERE db_role = current_user;
  IF member IS NULL THEN
    IF NOT EXISTS (SELECT 1 FROM hush_members WHERE db_role IS NOT NULL) THEN RETURN; END IF; -- no member has a role: not enforced
    RAISE EXCEPTION 'hush: the database role % is not a member''s role in this team store', current_user USING ERRCODE = '42501';
  END IF;
  FOREACH a IN ARRAY actions LOOP
    d := hush_decide(member, a, names, tags);
    IF d = 'Allow' THEN any_allowed := true; END IF;
  END LOOP;
  IF NOT any_allowed THEN
    RAISE EXCEPTION 'hush: % may not % on % (the database refused it: no policy allows it, or one denies it)', m_name, array_to_string(actions, ' or '), names[1] USING ERRCODE = '42501';
  END IF;
END $$;

CREATE FUNCTION hush_guard_secrets() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE r hush_secrets; names text[];
BEGIN
  IF TG_OP = 'DELETE' THEN r := OLD; ELSE r := NEW; END IF;
  names := ARRAY['secret:' || r.name, 'secret:' || r.id];
  IF TG_OP = 'INSERT' THEN
    PERFORM hush_authorize(ARRAY['secrets:CreateSecret', 'secrets:ImportSecret'], names, NEW.tags);
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    IF OLD.deletion_date IS NOT NULL AND OLD.deletion_date <= hush_now_iso() THEN RETURN OLD; END IF;
    PERFORM hush_authorize(ARRAY['secrets:DeleteSecret'], names, OLD.tags);
    RETURN OLD;
  END IF;
  names := ARRAY['secret:' || OLD.name, 'secret:' || OLD.id];
  IF NEW.id <> OLD.id OR NEW.created_at <> OLD.created_at THEN
    RAISE EXCEPTION 'hush: a secret''s id and creation date never change' USING ERRCODE = '42501';
  END IF;
  IF NEW.name <> OLD.name OR NEW.description <> OLD.description OR NEW.kms_key_id <> OLD.kms_key_id THEN
    PERFORM hush_authorize(ARRAY['secrets:UpdateSecret'], names, OLD.tags);
  END IF;
  IF NEW.tags <> OLD.tags THEN PERFORM hush_authorize(ARRAY['secrets:TagResource', 'secrets:UntagResource'], names, OLD.tags); END IF;
  IF NEW.deletion_date IS DISTINCT FROM OLD.deletion_date THEN
    PERFORM hush_authorize(CASE WHEN NEW.deletion_date IS NULL THEN ARRAY['secrets:RestoreSecret'] ELSE ARRAY['secrets:DeleteSecret'] END, names, OLD.tags);
  END IF;
  IF NEW.rotation IS DISTINCT FROM OLD.rotation THEN PERFORM hush_authorize(ARRAY['secrets:SetRotation', 'secrets:RotateSecret'], names, OLD.tags); END IF;
  IF NEW.last_accessed_at IS DISTINCT FROM OLD.last_accessed_at THEN PERFORM hush_authorize(ARRAY['secrets:GetSecretValue'], names, OLD.tags); END IF;
  IF NEW.updated_at IS DISTINCT FROM OLD.updated_at THEN
    PERFORM hush_authorize(ARRAY['secrets:PutSecretValue', 'secrets:UpdateSecretVersionStage', 'secrets:UpdateSecret', 'secrets:TagResource', 'secrets:UntagResource',
      'secrets:RestoreSecret', 'secrets:SetRotation', 'secrets:RotateSecret', 'secrets:ImportSecret'], names, OLD.tags);
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION hush_guard_versions() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE s hush_secrets; v hush_versions;
BEGIN
  IF TG_OP = 'DELETE' THEN v := OLD; ELSE v := NEW; END IF;
  SELECT * INTO s FROM hush_secrets WHERE id = v.secret_id;
  IF s.id IS NULL THEN RETURN v; END IF; -- the secret is being deleted (cascade): that delete was checked
  IF TG_OP = 'INSERT' THEN
    PERFORM hush_authorize(ARRAY['secrets:PutSecretValue', 'secrets:CreateSecret', 'secrets:UpdateSecret', 'secrets:ImportSecret', 'secrets:RotateSecret'],
      ARRAY['secret:' || s.name, 'secret:' || s.id], s.tags);
  ELSIF TG_OP = 'DELETE' THEN
    PERFORM hush_authorize(ARRAY['secrets:PutSecretValue', 'secrets:UpdateSecretVersionStage', 'secrets:DeleteSecret', 'secrets:RotateSecret'],
      ARRAY['secret:' || s.name, 'secret:' || s.id], s.tags);
  ELSIF NEW.ciphertext <> OLD.ciphertext OR NEW.kms_key_id <> OLD.kms_key_id OR NEW.created_at <> OLD.created_at OR NEW.type <> OLD.type THEN
    PERFORM hush_authorize(ARRAY['secrets:PutSecretValue'], ARRAY['secret:' || s.name, 'secret:' || s.id], s.tags);
  ELSIF NEW.labels <> OLD.labels THEN
    PERFORM hush_authorize(ARRAY['secrets:UpdateSecretVersionStage', 'secrets:PutSecretValue', 'secrets:RotateSecret', 'secrets:UpdateSecret', 'secrets:CreateSecret'],
      ARRAY['secret:' || s.name, 'secret:' || s.id], s.tags);
  ELSE
    PERFORM hush_authorize(ARRAY['secrets:FillFingerprints', 'secrets:PutSecretValue'], ARRAY['secret:' || s.name, 'secret:' || s.id], s.tags);
  END IF;
  RETURN v;
END $$;

CREATE FUNCTION hush_key_names(key_id text) RETURNS text[] LANGUAGE sql STABLE AS $$
  SELECT ARRAY['key:' || key_id] || coalesce((SELECT array_agg('key:' || name ORDER BY name) FROM hush_aliases WHERE hush_aliases.key_id = hush_key_names.key_id), '{}')
$$;

CREATE FUNCTION hush_guard_keys() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM hush_authorize(ARRAY['kms:CreateKey', 'kms:ImportKeyCopy'], hush_key_names(NEW.id), '{}');
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM hush_authorize(ARRAY['kms:ScheduleKeyDeletion'], hush_key_names(OLD.id), '{}');
    RETURN OLD;
  END IF;
  -- Destroying the material of a key whose deletion date passed: housekeeping anyone's write does.
  IF (NEW.record ? 'deletedAt') AND NOT (OLD.record ? 'deletedAt') AND (OLD.record ->> 'deletionDate') <= hush_now_iso() THEN RETURN NEW; END IF;
  IF NEW.record -> 'materials' IS DISTINCT FROM OLD.record -> 'materials' THEN
    PERFORM hush_authorize(ARRAY['kms:RotateKey', 'kms:ImportKeyMaterial', 'kms:DeleteImportedKeyMaterial', 'kms:CreateGrant', 'kms:RevokeGrant', 'team:RemoveMember'],
      hush_key_names(OLD.id), '{}');
  END IF;
  IF NEW.record ->> 'state' IS DISTINCT FROM OLD.record ->> 'state' OR NEW.record ->> 'deletionDate' IS DISTINCT FROM OLD.record ->> 'deletionDate' THEN
    PERFORM hush_authorize(CASE NEW.record ->> 'state'
        WHEN 'Disabled' THEN CASE WHEN OLD.record ->> 'state' = 'PendingDeletion' THEN ARRAY['kms:CancelKeyDeletion'] ELSE ARRAY['kms:DisableKey'] END
        WHEN 'Enabled' THEN ARRAY['kms:EnableKey', 'kms:ImportKeyMaterial']
        WHEN 'PendingDeletion' THEN ARRAY['kms:ScheduleKeyDeletion']
        ELSE ARRAY['kms:ImportKeyMaterial', 'kms:DeleteImportedKeyMaterial'] END,
      hush_key_names(OLD.id), '{}');
  END IF;
  IF NEW.record ->> 'description' IS DISTINCT FROM OLD.record ->> 'description' OR NEW.record ->> 'origin' IS DISTINCT FROM OLD.record ->> 'origin'
     OR NEW.record ->> 'isDefault' IS DISTINCT FROM OLD.record ->> 'isDefault' THEN
    RAISE EXCEPTION 'hush: a key''s description, origin and default flag do not change' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION hush_guard_aliases() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE k jsonb;
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM hush_authorize(ARRAY['kms:CreateAlias', 'kms:CreateKey', 'kms:ImportKeyCopy'], hush_key_names(NEW.key_id) || ('key:' || NEW.name), '{}');
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    SELECT record INTO k FROM hush_keys WHERE id = OLD.key_id;
    IF k IS NULL OR (k ? 'deletedAt') OR (k ->> 'deletionDate') <= hush_now_iso() THEN RETURN OLD; END IF; -- the key is gone: housekeeping
    PERFORM hush_authorize(ARRAY['kms:DeleteAlias'], hush_key_names(OLD.key_id), '{}');
    RETURN OLD;
  END IF;
  PERFORM hush_authorize(ARRAY['kms:UpdateAlias'], hush_key_names(OLD.key_id) || hush_key_names(NEW.key_id), '{}');
  RETURN NEW;
END $$;

CREATE FUNCTION hush_guard_imports() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF (OLD.record ->> 'expiresAt') <= hush_now_iso() THEN RETURN OLD; END IF;
    PERFORM hush_authorize(ARRAY['kms:ImportKeyMaterial'], hush_key_names(OLD.record ->> 'keyId'), '{}');
    RETURN OLD;
  END IF;
  PERFORM hush_authorize(ARRAY['kms:GetParametersForImport'], hush_key_names(NEW.record ->> 'keyId'), '{}');
  RETURN NEW;
END $$;

CREATE FUNCTION hush_guard_members() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    PERFORM hush_authorize(ARRAY['team:AddMember'], ARRAY['member:' || NEW.name], '{}');
    RETURN NEW;
  END IF;
  IF TG_OP = 'DELETE' THEN
    PERFORM hush_authorize(ARRAY['team:RemoveMember'], ARRAY['member:' || OLD.name], '{}');
    RETURN OLD;
  END IF;
  PERFORM hush_authorize(ARRAY['team:AddMember'], ARRAY['member:' || OLD.name, 'member:' || NEW.name], '{}');
  RETURN NEW;
END $$;

CREATE FUNCTION hush_guard_groups() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'hush_groups' THEN
    PERFORM hush_authorize(CASE TG_OP WHEN 'DELETE' THEN ARRAY['team:DeleteGroup'] ELSE ARRAY['team:CreateGroup'] END,
      ARRAY['group:' || CASE TG_OP WHEN 'DELETE' THEN OLD.name ELSE NEW.name END], '{}');
  ELSE
    PERFORM hush_authorize(CASE TG_OP WHEN 'DELETE' THEN ARRAY['team:RemoveFromGroup', 'team:DeleteGroup', 'team:RemoveMember'] ELSE ARRAY['team:AddToGroup'] END,
      ARRAY['group:' || CASE TG_OP WHEN 'DELETE' THEN OLD.group_name ELSE NEW.group_name END], '{}');
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;

CREATE FUNCTION hush_guard_policies() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'hush_policies' THEN
    PERFORM hush_authorize(CASE TG_OP WHEN 'DELETE' THEN ARRAY['team:DeletePolicy'] ELSE ARRAY['team:PutPolicy'] END,
      ARRAY['policy:' || CASE TG_OP WHEN 'DELETE' THEN OLD.name ELSE NEW.name END], '{}');
  ELSE
    PERFORM hush_authorize(CASE TG_OP WHEN 'DELETE' THEN ARRAY['team:DetachPolicy', 'team:DeletePolicy', 'team:RemoveMember', 'team:DeleteGroup'] ELSE ARRAY['team:AttachPolicy'] END,
      ARRAY['policy:' || CASE TG_OP WHEN 'DELETE' THEN OLD.policy ELSE NEW.policy END], '{}');
  END IF;
  IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
  RETURN NEW;
END $$;

CREATE TRIGGER hush_guard BEFORE INSERT OR UPDATE OR DELETE ON hush_secrets FOR EACH ROW EXECUTE FUNCTION hush_guard_secrets();
CREATE TRIGGER hush_guard BEFORE INSERT OR UPDATE OR DELETE ON hush_versions FOR EACH ROW EXECUTE FUNCTION hush_guard_versions();
CREATE TRIGGER hush_guard BEFORE INSERT OR UPDATE OR DELETE ON hush_keys FOR EACH ROW EXECUTE FUNCTION hush_guard_keys();
CREATE TRIGGER hush_guard BEFORE INSERT OR UPDATE OR DELETE ON hush_aliases FOR EACH ROW EXECUTE FUNCTION hush_guard_aliases();
CREATE TRIGGER hush_guard BEFORE INSERT OR UPDATE OR DELETE ON hush_imports FOR EACH ROW EXECUTE FUNCTION hush_guard_imports();
CREATE TRIGGER hush_guard BEFORE INSERT OR UPDATE OR DELETE ON hush_members FOR EACH ROW EXECUTE FUNCTION hush_guard_members();
CREATE TRIGGER hush_guard BEFORE INSERT OR UPDATE OR DELETE ON hush_groups FOR EACH ROW EXECUTE FUNCTION hush_guard_groups();
CREATE TRIGGER hush_guard BEFORE INSERT OR UPDATE OR DELETE ON hush_group_members FOR EACH ROW EXECUTE FUNCTION hush_guard_groups();
CREATE TRIGGER hush_guard BEFORE INSERT OR UPDATE OR DELETE ON hush_policies FOR EACH ROW EXECUTE FUNCTION hush_guard_policies();
CREATE TRIGGER hush_guard BEFORE INSERT OR UPDATE OR DELETE ON hush_policy_attachments FOR EACH ROW EXECUTE FUNCTION hush_guard_policies();

-- A store that already has members is enforced from now on; a new one once its creation is done.
INSERT INTO hush_meta (k, v) SELECT 'enforced', 'true' WHERE EXISTS (SELECT 1 FROM hush_members);

-- The members' group role: read everything, write the data, append to the audit chain, never rewrite it.
DO $$
DECLARE r text := current_database() || '_hush_members';
BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = r) THEN
    BEGIN
      EXECUTE format('CREATE ROLE %I NOLOGIN', r);
    EXCEPTION WHEN insufficient_privilege THEN
      RAISE NOTICE 'cannot create role % (no CREATEROLE): members connect with the owner''s privileges until an administrator creates it', r;
      RETURN;
    END;
  END IF;
  EXECUTE format('GRANT USAGE ON SCHEMA public TO %I', r);
  EXECUTE format('GRANT SELECT ON ALL TABLES IN SCHEMA public TO %I', r);
  EXECUTE format('GRANT INSERT, UPDATE, DELETE ON hush_secrets, hush_versions, hush_keys, hush_aliases, hush_imports, hush_members, hush_groups, hush_group_members, hush_policies, hush_policy_attachments TO %I', r);
  EXECUTE format('GRANT INSERT ON hush_audit TO %I', r);
  EXECUTE format('GRANT UPDATE ON hush_audit_head TO %I', r);
END $$;
`;

/** The group role of a store database's members. */
export function membersRole(database: string): string {
  return `${database}_hush_members`;
}
