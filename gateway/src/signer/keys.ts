import 'reflect-metadata';
import { signers } from '@hyperledger/fabric-gateway';
import * as x509 from '@peculiar/x509';
import { createPrivateKey, createPublicKey, generateKeyPairSync, webcrypto } from 'crypto';

x509.cryptoProvider.set(webcrypto as unknown as Parameters<typeof x509.cryptoProvider.set>[0]);

const P256 = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** A new ECDSA P-256 private key, PKCS#8 PEM: the only copy of it is the one its owner writes. */
export function generateKey(): string {
  return generateKeyPairSync('ec', { namedCurve: 'prime256v1' })
    .privateKey.export({ format: 'pem', type: 'pkcs8' })
    .toString();
}

/**
 * A PKCS#10 certificate signing request for the key, PEM, for the bank's CA to certify.
 * `commonName` is the enrollment name, `<enterprise>.<login>` (e.g. `supplier-t1.alice`).
 */
export async function certificateRequest(privateKeyPem: string, commonName: string): Promise<string> {
  const key = createPrivateKey(privateKeyPem);
  const der = (exported: Buffer | string): Buffer => Buffer.from(exported as Buffer);
  const keys = {
    privateKey: await webcrypto.subtle.importKey(
      'pkcs8',
      der(key.export({ format: 'der', type: 'pkcs8' })),
      P256,
      true,
      ['sign'],
    ),
    publicKey: await webcrypto.subtle.importKey(
      'spki',
      der(createPublicKey(key).export({ format: 'der', type: 'spki' })),
      P256,
      true,
      ['verify'],
    ),
  };
  const request = await x509.Pkcs10CertificateRequestGenerator.create({
    name: [{ CN: [commonName] }],
    keys,
    signingAlgorithm: P256,
  });
  return request.toString('pem');
}

/**
 * Signs a digest the gateway answered (hex SHA-256) as Fabric wants it: ECDSA P-256, DER,
 * low-S (fabric-gateway's own private-key signer). Returns the signature in base64, as the
 * gateway takes it. The one call an ERP system needs to keep its key in its own custody.
 */
export async function signDigest(privateKeyPem: string, digestHex: string): Promise<string> {
  if (!/^[0-9a-f]{64}$/i.test(digestHex)) throw new Error('a digest is 64 hex digits (SHA-256)');
  const sign = signers.newPrivateKeySigner(createPrivateKey(privateKeyPem));
  return Buffer.from(await sign(Buffer.from(digestHex, 'hex'))).toString('base64');
}
