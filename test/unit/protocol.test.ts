import * as assert from 'node:assert/strict';
import { DEFAULT_SETTINGS, resolveSettings } from '../../shared/protocol';

describe('settings from the client', () => {
  it('falls back to defaults for null, non-objects and wrong types', () => {
    assert.deepEqual(resolveSettings(null), DEFAULT_SETTINGS);
    assert.deepEqual(resolveSettings('yes'), DEFAULT_SETTINGS);
    assert.deepEqual(resolveSettings({ enable: 'no', severity: 'loud' }), DEFAULT_SETTINGS);
  });

  it('takes valid values', () => {
    assert.deepEqual(resolveSettings({ enable: false, severity: 'error', storePath: '/s', replacementTemplates: { go: 'env("NAME")', x: 3, y: 'no-name' }, rotation: { runDueInEditor: true } }), {
      enable: false,
      severity: 'error',
      storePath: '/s',
      replacementTemplates: { go: 'env("NAME")' },
      rotationRunDueInEditor: true,
    });
    assert.equal(resolveSettings({ rotation: { runDueInEditor: 'yes' } }).rotationRunDueInEditor, false, 'only true turns it on');
  });
});
