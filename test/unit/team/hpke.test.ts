/**
 * HPKE as Hush uses it. The library (@hpke/core) is first checked against
 * RFC 9180's published test vectors (Appendix A.1: DHKEM(X25519,
 * HKDF-SHA256), HKDF-SHA256, AES-128-GCM, base mode) — the RFC has no X25519
 * vector with AES-256-GCM, so the vector pins the KEM, the KDF and the key
 * schedule, and Hush's suite differs only in the AEAD's key length. Then
 * Hush's own sealing: round trip, and refusal of the wrong key, the wrong
 * purpose and damage.
 */
import assert from 'node:assert/strict';
import { Aes128Gcm, CipherSuite, DhkemX25519HkdfSha256, HkdfSha256 } from '@hpke/core';
import { openWith, sealTo } from '../../../shared/team/hpke';
import { newPrivateKey, parsePublicKey, publicKeyOf } from '../../../shared/team/identity';

const hex = (s: string): ArrayBuffer => {
  const b = Buffer.from(s, 'hex');
  return b.buffer.slice(b.byteOffset, b.byteOffset + b.length) as ArrayBuffer;
};
const toHex = (b: ArrayBuffer | Uint8Array): string => Buffer.from(b instanceof Uint8Array ? b : new Uint8Array(b)).toString('hex');

// RFC 9180, Appendix A.1.1 (published values).
const A1 = {
  info: '4f6465206f6e2061204772656369616e2055726e',
  ikmE: '7268600d403fce431561aef583ee1613527cff655c1343f29812e66706df3234',
  pkEm: '37fda3567bdbd628e88668c3c8d7e97d1d1253b6d4ea6d44c150f741f1bf4431',
  skEm: '52c4a758a802cd8b936eceea314432798d5baf2d7e9235dc084ab1b9cfa2f736',
  ikmR: '6db9df30aa07dd42ee5e8181afdb977e538f5e1fec8a06223f33f7013e525037',
  pkRm: '3948cfe0ad1ddb695d780e59077195da6c56506b027329794ab02bca80815c4d',
  skRm: '4612c550263fc8ad58375df3f557aac531d26850903e55a9f23f21d8534e8ac8',
  pt: '4265617574792069732074727574682c20747275746820626561757479',
  encryptions: [
    { aad: '436f756e742d30', ct: 'f938558b5d72f1a23810b4be2ab4f84331acc02fc97babc53a52ae8218a355a96d8770ac83d07bea87e13c512a' },
    { aad: '436f756e742d31', ct: 'af2d7e9ac9ae7e270f46ba1f975be53c09f8d875bdc8535458c2494e8a6eab251c03d0c22a56b8ca42c2063b84' },
    { aad: '436f756e742d32', ct: '498dfcabd92e8acedc281e85af1cb4e3e31c7dc394a1ca20e173cb72516491588d96a19ad4a683518973dcc180' },
  ],
  exports: [
    { context: '', value: '3853fe2b4035195a573ffc53856e77058e15d9ea064de3e59f4961d0095250ee' },
    { context: '00', value: '2e8f0b54673c7029649d4eb9d5e33bf1872cf76d623ff164ac185da9e88c21a5' },
    { context: '54657374436f6e74657874', value: 'e9e43065102c3836401bed8c3c3c75ae46be1639869391d62c61f1ec7af54931' },
  ],
};

describe('HPKE: the library against RFC 9180 Appendix A.1', () => {
  const suite = new CipherSuite({ kem: new DhkemX25519HkdfSha256(), kdf: new HkdfSha256(), aead: new Aes128Gcm() });

  it('DeriveKeyPair gives the published key pairs', async () => {
    const e = await suite.kem.deriveKeyPair(hex(A1.ikmE));
    const r = await suite.kem.deriveKeyPair(hex(A1.ikmR));
    assert.equal(toHex(await suite.kem.serializePublicKey(e.publicKey)), A1.pkEm);
    assert.equal(toHex(await suite.kem.serializePrivateKey(e.privateKey)), A1.skEm);
    assert.equal(toHex(await suite.kem.serializePublicKey(r.publicKey)), A1.pkRm);
    assert.equal(toHex(await suite.kem.serializePrivateKey(r.privateKey)), A1.skRm);
    // Node's own X25519 agrees on the public key of the published private key.
    assert.equal(toHex(Buffer.from(publicKeyOf(Buffer.from(A1.skRm, 'hex')), 'base64')), A1.pkRm);
  });

  it('the sender reproduces enc, the ciphertexts at sequence 0..2 and the exported secrets', async () => {
    const ekm = await suite.kem.deriveKeyPair(hex(A1.ikmE));
    const pk = await suite.kem.deserializePublicKey(hex(A1.pkRm));
    const sender = await suite.createSenderContext({ recipientPublicKey: pk, info: hex(A1.info), ekm });
    assert.equal(toHex(sender.enc), A1.pkEm);
    for (const e of A1.encryptions) assert.equal(toHex(await sender.seal(hex(A1.pt), hex(e.aad))), e.ct);
    for (const x of A1.exports) assert.equal(toHex(await sender.export(hex(x.context), 32)), x.value);
  });

  it('the recipient opens the published ciphertexts in order', async () => {
    const sk = await suite.kem.deserializePrivateKey(hex(A1.skRm));
    const recipient = await suite.createRecipientContext({ recipientKey: sk, enc: hex(A1.pkEm), info: hex(A1.info) });
    for (const e of A1.encryptions) assert.equal(toHex(await recipient.open(hex(e.ct), hex(e.aad))), A1.pt);
  });
});

describe('HPKE: sealing to a member (X25519, HKDF-SHA256, AES-256-GCM)', () => {
  it('round-trips, and only for the right private key and purpose', async () => {
    const alice = newPrivateKey();
    const bob = newPrivateKey();
    const material = Buffer.from('0123456789abcdef0123456789abcdef');
    const sealed = await sealTo(parsePublicKey(publicKeyOf(alice)), 'hush/cmk/s/k/v1', material);
    assert.deepEqual(await openWith(alice, 'hush/cmk/s/k/v1', sealed), material);
    await assert.rejects(openWith(bob, 'hush/cmk/s/k/v1', sealed), { code: 'DecryptFailed' });
    await assert.rejects(openWith(alice, 'hush/cmk/s/k/v2', sealed), { code: 'DecryptFailed' });
    const damaged = Buffer.from(sealed, 'base64');
    damaged[damaged.length - 1]! ^= 1;
    await assert.rejects(openWith(alice, 'hush/cmk/s/k/v1', damaged.toString('base64')), { code: 'DecryptFailed' });
    await assert.rejects(openWith(alice, 'hush/cmk/s/k/v1', 'AAAA'), { code: 'DecryptFailed' });
  });

  it('every message has a fresh ephemeral key: the same plaintext seals differently', async () => {
    const pk = parsePublicKey(publicKeyOf(newPrivateKey()));
    const a = await sealTo(pk, 'x', Buffer.alloc(32, 7));
    const b = await sealTo(pk, 'x', Buffer.alloc(32, 7));
    assert.notEqual(a.slice(0, 44), b.slice(0, 44));
  });

  it('refuses a malformed public key with a message saying what one looks like', () => {
    assert.throws(() => parsePublicKey('not-a-key'), /base64 of 32 bytes that 'hush member whoami' prints/);
    assert.throws(() => parsePublicKey(Buffer.alloc(31).toString('base64')), { code: 'InvalidArgument' });
  });
});
