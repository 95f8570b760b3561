/**
 * The manifest's variables with their values, read from the Secrets Manager:
 * what `hush run`, `hush env`, the debug provider and the terminal all need.
 */
import { HushError } from '../errors';
import type { SecretsManager } from '../secrets/secretsManager';
import type { Manifest } from './manifest';
import { dbLookupValue } from './dbSecret';

export interface ResolvedEnv {
  env: Record<string, string>;
  /** `NAME=versionId,…`: changes exactly when one of the values does (for `hush run --watch`). */
  versions: string;
}

/** Reads every variable's secret (its stage or version, CURRENT by default); the first failure names the variable. */
export async function resolveManifest(m: SecretsManager, manifest: Manifest): Promise<ResolvedEnv> {
  const env: Record<string, string> = {};
  const versions: string[] = [];
  for (const [name, ref] of Object.entries(manifest.env)) {
    let out;
    try {
      out = await m.getSecretValue(ref.secret, ref.versionId ? { versionId: ref.versionId } : { versionStage: ref.stage ?? 'CURRENT' });
    } catch (e) {
      if (e instanceof HushError) throw new HushError(e.code, `${name} (secret ${ref.secret}): ${e.message}`);
      throw e;
    }
    if (out.secretString === undefined) {
      out.secretBinary?.fill(0);
      throw new HushError('InvalidArgument', `${name} (secret ${ref.secret}) holds a binary value, which cannot be an environment variable`);
    }
    env[name] = ref.format || ref.field ? dbLookupValue(out.secretString, ref, `${name} (secret ${ref.secret})`) : out.secretString;
    versions.push(`${name}=${out.versionId}`);
  }
  return { env, versions: versions.join(',') };
}
