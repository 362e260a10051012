import { hash, signers } from '@hyperledger/fabric-gateway';
import { createPrivateKey, createPublicKey, generateKeyPairSync, randomBytes, verify } from 'crypto';
import { newNativeSigner, UnsupportedSigningKey } from '../src/identity/native-signer';

const P256_HALF_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n >> 1n;

/** S from a DER ECDSA signature: SEQUENCE { INTEGER r, INTEGER s }. */
function sOf(der: Uint8Array): bigint {
  const bytes = Buffer.from(der);
  const rLength = bytes[3]!;
  const sLength = bytes[5 + rLength]!;
  return BigInt(`0x${bytes.subarray(6 + rLength, 6 + rLength + sLength).toString('hex')}`);
}

describe('the native Fabric signer', () => {
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const pem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  const publicKey = createPublicKey(createPrivateKey(pem));

  test('every signature verifies and has a low S, as peers require (about half would be high without folding)', async () => {
    const sign = newNativeSigner(pem);
    for (let i = 0; i < 400; i++) {
      const message = randomBytes(1 + (i % 300));
      const signature = await sign(message);
      expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
      expect(sOf(signature) <= P256_HALF_ORDER).toBe(true);
    }
  });

  test('it signs what the library signer signs: the message under SHA-256', async () => {
    const message = randomBytes(64);
    const native = await newNativeSigner(pem)(hash.none(message));
    const library = await signers.newPrivateKeySigner(createPrivateKey(pem))(hash.sha256(message));
    for (const signature of [native, library]) expect(verify('sha256', message, { key: publicKey, dsaEncoding: 'der' }, signature)).toBe(true);
  });

  test('keys Fabric cannot use are refused with a clear error', () => {
    const rsa = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
    expect(() => newNativeSigner(rsa)).toThrow(UnsupportedSigningKey);
  });
});
