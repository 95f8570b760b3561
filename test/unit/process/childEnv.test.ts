/** The one builder of child environments: variables added, root-key variables removed. */
import * as assert from 'node:assert/strict';
import { childEnv, childEnvOverlay, ROOT_KEY_VARIABLES } from '../../../shared/process/childEnv';

describe('child environments', () => {
  const base = { PATH: '/usr/bin', HOME: '/home/me', HUSH_MASTER_KEY: 'k', HUSH_PASSPHRASE: 'p', HUSH_IDENTITY: 'i', HUSH_STORE: '/s' };

  it('drops every root-key variable of the parent and adds the asked ones', () => {
    const env = childEnv(base, { DB_PASSWORD: 'v' });
    assert.deepEqual(env, { PATH: '/usr/bin', HOME: '/home/me', HUSH_STORE: '/s', DB_PASSWORD: 'v' });
    assert.deepEqual(base.HUSH_MASTER_KEY, 'k', 'the parent environment is left as it was');
  });

  it('refuses to add a variable named like a root key, naming it', () => {
    assert.throws(() => childEnv(base, { HUSH_PASSPHRASE: 'from a manifest' }), /InvalidArgument|HUSH_PASSPHRASE is one of Hush's root-key variables/);
    assert.throws(() => childEnvOverlay({ HUSH_MASTER_KEY: 'x' }), /HUSH_MASTER_KEY/);
  });

  it('gives VS Code an overlay that removes each root-key variable (null) and sets the asked ones', () => {
    const overlay = childEnvOverlay({ API_TOKEN: 't' });
    assert.equal(overlay.API_TOKEN, 't');
    for (const v of ROOT_KEY_VARIABLES) assert.equal(overlay[v], null, v);
    assert.ok(ROOT_KEY_VARIABLES.includes('HUSH_MASTER_KEY') && ROOT_KEY_VARIABLES.includes('HUSH_PASSPHRASE'));
  });
});
