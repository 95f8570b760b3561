/**
 * `hush serve` against the real AWS SDK for JavaScript v3 (Secrets Manager
 * and KMS clients) and the AWS Encryption SDK's KMS keyring, on both stores:
 * every operation, AWS's error types, paging, AWSPREVIOUS after a put,
 * idempotent ClientRequestToken, SigV4 failures and revocation, and the audit
 * naming the application principal.
 */
import assert from 'node:assert/strict';
import { randomBytes, randomUUID } from 'node:crypto';
import {
  BatchGetSecretValueCommand,
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetRandomPasswordCommand,
  GetSecretValueCommand,
  ListSecretsCommand,
  ListSecretVersionIdsCommand,
  paginateListSecrets,
  PutSecretValueCommand,
  RestoreSecretCommand,
  RotateSecretCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateSecretCommand,
  UpdateSecretVersionStageCommand,
} from '@aws-sdk/client-secrets-manager';
import {
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ReEncryptCommand,
} from '@aws-sdk/client-kms';
import { getClient, KMS, KmsKeyringNode } from '@aws-crypto/kms-keyring-node';
import { buildEncrypt } from '@aws-crypto/encrypt-node';
import { buildDecrypt } from '@aws-crypto/decrypt-node';
import { CommitmentPolicy } from '@aws-crypto/material-management-node';
import { parseAudit } from '../../shared/audit/auditLog';
import { eventually, fakeValue, makeWorld, StoreKind, World } from './serveWorld';

type AwsErr = Error & { name: string; $metadata?: { httpStatusCode?: number } };

async function rejectsWith(p: Promise<unknown>, name: string, status?: number, message?: RegExp): Promise<AwsErr> {
  try {
    await p;
  } catch (e) {
    const err = e as AwsErr;
    assert.equal(err.name, name, `expected ${name}, got ${err.name}: ${err.message}`);
    if (status !== undefined) assert.equal(err.$metadata?.httpStatusCode, status);
    if (message) assert.match(err.message, message);
    return err;
  }
  assert.fail(`expected ${name}, but the call succeeded`);
}

for (const kind of ['embedded', 'team'] as StoreKind[]) {
  describe(`hush serve with the AWS SDK for JavaScript v3 (${kind} store)`, function () {
    this.timeout(120_000);
    let w: World;
    before(async () => {
      w = await makeWorld(kind);
    });
    after(async () => {
      await w?.close();
    });

    it('CreateSecret, GetSecretValue by name, ARN and partial ARN; a stale ARN suffix is not found', async () => {
      const sm = w.sm();
      const value = fakeValue('create');
      const c = await sm.send(new CreateSecretCommand({ Name: 'app/db-password', SecretString: value, Description: 'the db', Tags: [{ Key: 'env', Value: 'prod' }] }));
      assert.match(c.ARN!, /^arn:aws:secretsmanager:hush:\d{12}:secret:app\/db-password-[A-Za-z0-9]{6}$/);
      assert.ok(c.VersionId);
      for (const id of ['app/db-password', c.ARN!, c.ARN!.slice(0, -7)]) {
        const g = await sm.send(new GetSecretValueCommand({ SecretId: id }));
        assert.equal(g.SecretString, value);
        assert.equal(g.ARN, c.ARN);
        assert.deepEqual(g.VersionStages, ['AWSCURRENT']);
        assert.ok(g.CreatedDate instanceof Date);
      }
      const d = await sm.send(new DescribeSecretCommand({ SecretId: 'app/db-password' }));
      assert.equal(d.ARN, c.ARN, 'the ARN is stable');
      const stale = c.ARN!.slice(0, -6) + (c.ARN!.endsWith('AAAAAA') ? 'BBBBBB' : 'AAAAAA');
      await rejectsWith(sm.send(new GetSecretValueCommand({ SecretId: stale })), 'ResourceNotFoundException', 400);
      await rejectsWith(sm.send(new GetSecretValueCommand({ SecretId: c.ARN!.replace(/:\d{12}:/, ':000000000000:') })), 'ResourceNotFoundException', 400);
    });

    it('an unchanged application finds the server through AWS_ENDPOINT_URL_SECRETS_MANAGER alone', async () => {
      const value = fakeValue('env');
      await w.sm().send(new CreateSecretCommand({ Name: 'app/from-env', SecretString: value }));
      const saved = { ...process.env };
      Object.assign(process.env, { AWS_ENDPOINT_URL_SECRETS_MANAGER: w.server.url, AWS_ACCESS_KEY_ID: w.key.accessKeyId, AWS_SECRET_ACCESS_KEY: w.key.secretAccessKey, AWS_REGION: 'eu-west-1' });
      try {
        const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
        const plain = new SecretsManagerClient({});
        assert.equal((await plain.send(new GetSecretValueCommand({ SecretId: 'app/from-env' }))).SecretString, value);
        plain.destroy();
      } finally {
        for (const k of ['AWS_ENDPOINT_URL_SECRETS_MANAGER', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION']) {
          if (saved[k] === undefined) delete process.env[k];
          else process.env[k] = saved[k];
        }
      }
    });

    it('binary values round-trip as blobs', async () => {
      const sm = w.sm();
      const bin = randomBytes(300);
      await sm.send(new CreateSecretCommand({ Name: 'app/cert', SecretBinary: bin }));
      const g = await sm.send(new GetSecretValueCommand({ SecretId: 'app/cert' }));
      assert.equal(g.SecretString, undefined);
      assert.deepEqual(Buffer.from(g.SecretBinary!), bin);
    });

    it('PutSecretValue moves AWSCURRENT and puts AWSPREVIOUS on the old version; labels map both ways', async () => {
      const sm = w.sm();
      const v1 = fakeValue('one');
      const v2 = fakeValue('two');
      const c = await sm.send(new CreateSecretCommand({ Name: 'app/api-token', SecretString: v1 }));
      const p = await sm.send(new PutSecretValueCommand({ SecretId: 'app/api-token', SecretString: v2 }));
      assert.deepEqual(p.VersionStages, ['AWSCURRENT']);
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'app/api-token' }))).SecretString, v2);
      const prev = await sm.send(new GetSecretValueCommand({ SecretId: 'app/api-token', VersionStage: 'AWSPREVIOUS' }));
      assert.equal(prev.SecretString, v1);
      assert.equal(prev.VersionId, c.VersionId);
      assert.deepEqual(prev.VersionStages, ['AWSPREVIOUS']);
      const d = await sm.send(new DescribeSecretCommand({ SecretId: 'app/api-token' }));
      assert.deepEqual(d.VersionIdsToStages, { [c.VersionId!]: ['AWSPREVIOUS'], [p.VersionId!]: ['AWSCURRENT'] });
      // Back: AWSCURRENT onto the first version by UpdateSecretVersionStage.
      await sm.send(new UpdateSecretVersionStageCommand({ SecretId: 'app/api-token', VersionStage: 'AWSCURRENT', MoveToVersionId: c.VersionId, RemoveFromVersionId: p.VersionId }));
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'app/api-token' }))).SecretString, v1);
      const pending = await sm.send(new PutSecretValueCommand({ SecretId: 'app/api-token', SecretString: fakeValue('pending'), VersionStages: ['AWSPENDING'] }));
      assert.deepEqual(pending.VersionStages, ['AWSPENDING']);
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'app/api-token' }))).SecretString, v1, 'a put labelled AWSPENDING leaves AWSCURRENT');
      const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'app/api-token' }));
      assert.deepEqual(new Set(versions.Versions!.map((v) => v.VersionId)), new Set([c.VersionId, p.VersionId, pending.VersionId]));
      assert.ok(versions.Versions!.every((v) => v.KmsKeyIds?.[0]?.startsWith('arn:aws:kms:hush:')));
    });

    it('ClientRequestToken makes a put idempotent; the same token with another value is refused', async () => {
      const sm = w.sm();
      await sm.send(new CreateSecretCommand({ Name: 'app/idem', SecretString: fakeValue() }));
      const token = randomUUID();
      const value = fakeValue('idem');
      const a = await sm.send(new PutSecretValueCommand({ SecretId: 'app/idem', SecretString: value, ClientRequestToken: token }));
      const b = await sm.send(new PutSecretValueCommand({ SecretId: 'app/idem', SecretString: value, ClientRequestToken: token }));
      assert.equal(a.VersionId, token);
      assert.equal(b.VersionId, token);
      const versions = await sm.send(new ListSecretVersionIdsCommand({ SecretId: 'app/idem', IncludeDeprecated: true }));
      assert.equal(versions.Versions!.length, 2, 'the retry made no third version');
      await rejectsWith(sm.send(new PutSecretValueCommand({ SecretId: 'app/idem', SecretString: fakeValue('other'), ClientRequestToken: token })), 'ResourceExistsException', 400);
    });

    it("AWS's error types and statuses: not found, exists, invalid parameter, scheduled for deletion", async () => {
      const sm = w.sm();
      await rejectsWith(sm.send(new GetSecretValueCommand({ SecretId: 'no/such' })), 'ResourceNotFoundException', 400);
      await sm.send(new CreateSecretCommand({ Name: 'app/dupe', SecretString: fakeValue() }));
      await rejectsWith(sm.send(new CreateSecretCommand({ Name: 'app/dupe', SecretString: fakeValue() })), 'ResourceExistsException', 400);
      await rejectsWith(sm.send(new CreateSecretCommand({ Name: 'has space', SecretString: fakeValue() })), 'InvalidParameterException', 400);
      await rejectsWith(sm.send(new GetSecretValueCommand({ SecretId: 'app/dupe', VersionStage: 'AWSPREVIOUS' })), 'ResourceNotFoundException', 400);
      await rejectsWith(sm.send(new DeleteSecretCommand({ SecretId: 'app/dupe', RecoveryWindowInDays: 3 })), 'InvalidParameterException', 400);
      await sm.send(new DeleteSecretCommand({ SecretId: 'app/dupe', RecoveryWindowInDays: 7 }));
      await rejectsWith(sm.send(new GetSecretValueCommand({ SecretId: 'app/dupe' })), 'InvalidRequestException', 400, /scheduled for deletion/);
    });

    it('DeleteSecret with a recovery window, RestoreSecret, and forced deletion', async () => {
      const sm = w.sm();
      const value = fakeValue();
      await sm.send(new CreateSecretCommand({ Name: 'app/restore-me', SecretString: value }));
      const del = await sm.send(new DeleteSecretCommand({ SecretId: 'app/restore-me', RecoveryWindowInDays: 7 }));
      assert.ok(del.DeletionDate!.getTime() > Date.now() + 6 * 86_400_000);
      const listed = await sm.send(new ListSecretsCommand({ IncludePlannedDeletion: true, Filters: [{ Key: 'name', Values: ['app/restore-me'] }] }));
      assert.ok(listed.SecretList![0]!.DeletedDate);
      await sm.send(new RestoreSecretCommand({ SecretId: 'app/restore-me' }));
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'app/restore-me' }))).SecretString, value);
      await sm.send(new DeleteSecretCommand({ SecretId: 'app/restore-me', ForceDeleteWithoutRecovery: true }));
      await rejectsWith(sm.send(new GetSecretValueCommand({ SecretId: 'app/restore-me' })), 'ResourceNotFoundException');
    });

    it('ListSecrets pages (paginator), filters (prefix, tag, negation) and sorts', async () => {
      const sm = w.sm();
      for (let i = 0; i < 7; i++) {
        await sm.send(new CreateSecretCommand({ Name: `page/s${i}`, SecretString: fakeValue(), Tags: [{ Key: i % 2 ? 'odd' : 'even', Value: `n${i}` }] }));
      }
      const names: string[] = [];
      let pages = 0;
      for await (const page of paginateListSecrets({ client: sm, pageSize: 3 }, { Filters: [{ Key: 'name', Values: ['page/'] }] })) {
        pages++;
        assert.ok(page.SecretList!.length <= 3);
        names.push(...page.SecretList!.map((s) => s.Name!));
      }
      assert.equal(pages, 3);
      assert.deepEqual(names, ['page/s0', 'page/s1', 'page/s2', 'page/s3', 'page/s4', 'page/s5', 'page/s6'], 'in creation order');
      const odd = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['page/'] }, { Key: 'tag-key', Values: ['odd'] }] }));
      assert.deepEqual(odd.SecretList!.map((s) => s.Name), ['page/s1', 'page/s3', 'page/s5']);
      const notOdd = await sm.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['page/'] }, { Key: 'tag-key', Values: ['!odd'] }], SortOrder: 'desc' }));
      assert.deepEqual(notOdd.SecretList!.map((s) => s.Name), ['page/s6', 'page/s4', 'page/s2', 'page/s0']);
      await rejectsWith(sm.send(new ListSecretsCommand({ NextToken: 'garbage' })), 'InvalidNextTokenException', 400);
      await rejectsWith(sm.send(new ListSecretsCommand({ Filters: [{ Key: 'colour' as never, Values: ['x'] }] })), 'InvalidParameterException', 400);
    });

    it('BatchGetSecretValue returns the values it can and an error entry for the others', async () => {
      const sm = w.sm();
      const a = fakeValue('a');
      await sm.send(new CreateSecretCommand({ Name: 'batch/a', SecretString: a }));
      const r = await sm.send(new BatchGetSecretValueCommand({ SecretIdList: ['batch/a', 'batch/missing'] }));
      assert.deepEqual(r.SecretValues!.map((v) => [v.Name, v.SecretString]), [['batch/a', a]]);
      assert.deepEqual(r.Errors!.map((e) => [e.SecretId, e.ErrorCode]), [['batch/missing', 'ResourceNotFoundException']]);
      const byFilter = await sm.send(new BatchGetSecretValueCommand({ Filters: [{ Key: 'name', Values: ['batch/'] }] }));
      assert.deepEqual(byFilter.SecretValues!.map((v) => v.SecretString), [a]);
    });

    it('UpdateSecret, TagResource, UntagResource, GetRandomPassword', async () => {
      const sm = w.sm();
      await sm.send(new CreateSecretCommand({ Name: 'app/upd', SecretString: fakeValue() }));
      const next = fakeValue('updated');
      const u = await sm.send(new UpdateSecretCommand({ SecretId: 'app/upd', Description: 'new words', SecretString: next }));
      assert.ok(u.VersionId);
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'app/upd' }))).SecretString, next);
      await sm.send(new TagResourceCommand({ SecretId: 'app/upd', Tags: [{ Key: 'team', Value: 'pay' }, { Key: 'tier', Value: '1' }] }));
      await sm.send(new UntagResourceCommand({ SecretId: 'app/upd', TagKeys: ['tier'] }));
      const d = await sm.send(new DescribeSecretCommand({ SecretId: 'app/upd' }));
      assert.equal(d.Description, 'new words');
      assert.deepEqual(d.Tags, [{ Key: 'team', Value: 'pay' }]);
      const pw = await sm.send(new GetRandomPasswordCommand({ PasswordLength: 40, ExcludePunctuation: true }));
      assert.match(pw.RandomPassword!, /^[A-Za-z0-9]{40}$/);
      await rejectsWith(sm.send(new GetRandomPasswordCommand({ PasswordLength: 5000 })), 'InvalidParameterException');
    });

    it('RotateSecret sets the schedule and rotates now: a new AWSCURRENT, the old one AWSPREVIOUS', async () => {
      const sm = w.sm();
      const old = fakeValue('old');
      await sm.send(new CreateSecretCommand({ Name: 'app/rotate', SecretString: old }));
      const r = await sm.send(new RotateSecretCommand({ SecretId: 'app/rotate', RotationRules: { AutomaticallyAfterDays: 30 } }));
      assert.ok(r.VersionId);
      const cur = await sm.send(new GetSecretValueCommand({ SecretId: 'app/rotate' }));
      assert.equal(cur.VersionId, r.VersionId);
      assert.notEqual(cur.SecretString, old);
      assert.equal((await sm.send(new GetSecretValueCommand({ SecretId: 'app/rotate', VersionStage: 'AWSPREVIOUS' }))).SecretString, old);
      const d = await sm.send(new DescribeSecretCommand({ SecretId: 'app/rotate' }));
      assert.equal(d.RotationEnabled, true);
      assert.equal(d.RotationRules?.AutomaticallyAfterDays, 30);
      assert.ok(d.LastRotatedDate && d.NextRotationDate);
      await rejectsWith(sm.send(new RotateSecretCommand({ SecretId: 'app/rotate', RotationLambdaARN: 'arn:aws:lambda:us-east-1:123456789012:function:f' })), 'InvalidParameterException');
    });

    it('SigV4: a wrong secret, an unknown key and an unsigned request get AWS errors; a revoked key stops working at once', async () => {
      const value = fakeValue();
      await w.sm().send(new CreateSecretCommand({ Name: 'app/auth', SecretString: value }));
      const wrongSecret = { accessKeyId: w.key.accessKeyId, secretAccessKey: randomBytes(30).toString('base64') };
      await rejectsWith(w.sm(wrongSecret).send(new GetSecretValueCommand({ SecretId: 'app/auth' })), 'InvalidSignatureException', 400, /signature we calculated does not match/);
      const unknown = { accessKeyId: 'HUSH' + 'A'.repeat(16), secretAccessKey: w.key.secretAccessKey };
      await rejectsWith(w.sm(unknown).send(new GetSecretValueCommand({ SecretId: 'app/auth' })), 'UnrecognizedClientException', 400);
      const unsigned = await fetch(w.server.url, { method: 'POST', headers: { 'X-Amz-Target': 'secretsmanager.GetSecretValue', 'Content-Type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ SecretId: 'app/auth' }) });
      assert.equal(unsigned.status, 403);
      assert.equal(unsigned.headers.get('x-amzn-errortype'), 'MissingAuthenticationTokenException');
      assert.doesNotMatch(await unsigned.text(), new RegExp(value));

      const other = await w.opened.credentials.create('short-lived');
      const client = w.sm({ accessKeyId: other.accessKeyId, secretAccessKey: other.secretAccessKey });
      assert.equal((await client.send(new GetSecretValueCommand({ SecretId: 'app/auth' }))).SecretString, value);
      await w.opened.credentials.revoke(other.accessKeyId);
      await eventually(async () => {
        try {
          await client.send(new GetSecretValueCommand({ SecretId: 'app/auth' }));
          return false;
        } catch (e) {
          return (e as AwsErr).name === 'UnrecognizedClientException';
        }
      }, 3000);
    });

    it("a client whose clock is 10 minutes off is refused once, corrects itself from the server's Date, and succeeds", async () => {
      const value = fakeValue('skew');
      await w.sm().send(new CreateSecretCommand({ Name: 'app/skew', SecretString: value }));
      const { SecretsManagerClient } = await import('@aws-sdk/client-secrets-manager');
      const skewed = new SecretsManagerClient({ endpoint: w.server.url, region: 'us-east-1', credentials: w.key, maxAttempts: 2, systemClockOffset: -10 * 60_000 });
      const r = await skewed.send(new GetSecretValueCommand({ SecretId: 'app/skew' }));
      assert.equal(r.SecretString, value);
      assert.equal(r.$metadata.attempts, 2, 'the first attempt was refused as expired, the retry signed with the corrected clock');
      assert.ok(Math.abs(skewed.config.systemClockOffset) < 60_000);
      skewed.destroy();
      assert.ok(w.log.some((l) => / - secretsmanager\.GetSecretValue 400 [\d.]+ms InvalidSignatureException/.test(l)));
    });

    it('every request is audited as app:NAME, and the log names the principal and operation, never a value', async () => {
      const value = fakeValue('audited');
      await w.sm().send(new CreateSecretCommand({ Name: 'app/audited', SecretString: value }));
      await w.sm().send(new GetSecretValueCommand({ SecretId: 'app/audited' }));
      const records = parseAudit(await w.opened.store.readAudit());
      const reads = records.filter((r) => r.action === 'secrets:GetSecretValue' && r.resource.secretName === 'app/audited');
      assert.equal(reads.length, 1);
      assert.equal(reads[0]!.principal, 'app:billing');
      assert.ok(records.some((r) => r.action === 'kms:Decrypt' && r.principal === 'app:billing' && r.resource.secretId === reads[0]!.resource.secretId));
      assert.ok(records.some((r) => r.action === 'serve:OpenCredential' && r.resource.accessKeyId === w.key.accessKeyId));
      assert.ok(w.log.some((l) => / app:billing secretsmanager\.GetSecretValue 200 /.test(l)));
      assert.ok(!w.log.some((l) => l.includes(value)));
      assert.ok(!(await w.opened.store.readAudit()).some((l) => l.includes(value)));
    });

    it('KMS: Encrypt/Decrypt bound to the encryption context, data keys, ReEncrypt, DescribeKey, ListKeys, ListAliases', async () => {
      const kms = w.kms();
      const meta = (await kms.send(new DescribeKeyCommand({ KeyId: 'alias/hush/default' }))).KeyMetadata!;
      assert.match(meta.Arn!, /^arn:aws:kms:hush:\d{12}:key\//);
      assert.equal(meta.KeyState, 'Enabled');
      const plaintext = randomBytes(64);
      const ctx = { purpose: 'test', tenant: 't1' };
      const enc = await kms.send(new EncryptCommand({ KeyId: 'alias/hush/default', Plaintext: plaintext, EncryptionContext: ctx }));
      assert.equal(enc.KeyId, meta.Arn);
      const dec = await kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: ctx }));
      assert.deepEqual(Buffer.from(dec.Plaintext!), plaintext);
      assert.equal(dec.KeyId, meta.Arn);
      await rejectsWith(kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob, EncryptionContext: { ...ctx, tenant: 't2' } })), 'InvalidCiphertextException', 400);

      const dk = await kms.send(new GenerateDataKeyCommand({ KeyId: meta.Arn, KeySpec: 'AES_256', EncryptionContext: ctx }));
      assert.equal(dk.Plaintext!.length, 32);
      assert.deepEqual((await kms.send(new DecryptCommand({ CiphertextBlob: dk.CiphertextBlob, EncryptionContext: ctx }))).Plaintext, dk.Plaintext);
      const dk16 = await kms.send(new GenerateDataKeyWithoutPlaintextCommand({ KeyId: meta.KeyId, NumberOfBytes: 16 }));
      assert.equal((dk16 as { Plaintext?: unknown }).Plaintext, undefined);
      assert.equal((await kms.send(new DecryptCommand({ CiphertextBlob: dk16.CiphertextBlob }))).Plaintext!.length, 16);

      const other = await w.opened.manager.kms.createKey({ alias: 'alias/app/other', description: 'second key' });
      const re = await kms.send(new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, SourceEncryptionContext: ctx, DestinationKeyId: 'alias/app/other', DestinationEncryptionContext: { moved: 'yes' } }));
      assert.equal(re.SourceKeyId, meta.Arn);
      assert.match(re.KeyId!, new RegExp(`key/${other.keyId}$`));
      assert.deepEqual(Buffer.from((await kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { moved: 'yes' } }))).Plaintext!), plaintext);
      await rejectsWith(kms.send(new DecryptCommand({ CiphertextBlob: re.CiphertextBlob, EncryptionContext: { moved: 'yes' }, KeyId: meta.KeyId })), 'IncorrectKeyException');

      const keys = await kms.send(new ListKeysCommand({ Limit: 1 }));
      assert.equal(keys.Keys!.length, 1);
      assert.equal(keys.Truncated, true);
      const rest = await kms.send(new ListKeysCommand({ Limit: 10, Marker: keys.NextMarker }));
      assert.deepEqual(new Set([...keys.Keys!, ...rest.Keys!].map((k) => k.KeyId)), new Set([meta.KeyId, other.keyId]));
      const aliases = await kms.send(new ListAliasesCommand({ KeyId: other.keyId }));
      assert.deepEqual(aliases.Aliases!.map((a) => a.AliasName), ['alias/app/other']);

      await w.opened.manager.kms.disableKey(other.keyId);
      await rejectsWith(kms.send(new EncryptCommand({ KeyId: other.keyId, Plaintext: plaintext })), 'DisabledException', 400);
      await rejectsWith(kms.send(new DescribeKeyCommand({ KeyId: 'alias/none' })), 'NotFoundException', 400);
      await rejectsWith(kms.send(new EncryptCommand({ KeyId: meta.KeyId, Plaintext: Buffer.alloc(5000) })), 'ValidationException', 400);
    });

    it("KMS Decrypt cannot open a stored secret version's ciphertext, even given the context Hush binds it to", async () => {
      const sm = w.sm();
      const value = fakeValue('stored');
      const c = await sm.send(new CreateSecretCommand({ Name: 'app/not-via-kms', SecretString: value }));
      const { secret, versions } = await w.opened.manager.exportSecretRecords('app/not-via-kms');
      const blob = Buffer.from(versions[0]!.ciphertext, 'base64');
      const context = { store: w.opened.manager.storeId, secret: secret.id, version: c.VersionId! };
      await rejectsWith(w.kms().send(new DecryptCommand({ CiphertextBlob: blob, EncryptionContext: context })), 'InvalidCiphertextException', 400);
    });

    it("the AWS Encryption SDK's KMS keyring encrypts and decrypts a message under a Hush CMK", async () => {
      const meta = (await w.kms().send(new DescribeKeyCommand({ KeyId: 'alias/hush/default' }))).KeyMetadata!;
      // The keyring asks its client supplier for a KMS client of the key ARN's region; this one points at hush serve.
      const clientProvider = getClient(KMS, { endpoint: w.server.url, credentials: w.key });
      const keyring = new KmsKeyringNode({ generatorKeyId: meta.Arn!, clientProvider });
      const { encrypt } = buildEncrypt(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
      const { decrypt } = buildDecrypt(CommitmentPolicy.REQUIRE_ENCRYPT_REQUIRE_DECRYPT);
      const message = Buffer.from(fakeValue('esdk'));
      const { result } = await encrypt(keyring, message, { encryptionContext: { app: 'billing' } });
      assert.ok(!result.includes(message), 'the message is encrypted');
      const out = await decrypt(keyring, result);
      assert.deepEqual(out.plaintext, message);
      assert.equal(out.messageHeader.encryptionContext.app, 'billing');
      assert.equal(out.messageHeader.encryptedDataKeys[0]!.providerInfo, meta.Arn);
    });
  });
}
