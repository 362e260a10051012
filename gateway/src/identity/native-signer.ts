import type { Signer } from '@hyperledger/fabric-gateway';
import { createPrivateKey, sign } from 'crypto';

/** Group orders of the curves Fabric CAs issue keys on. */
const ORDERS: Readonly<Record<string, bigint>> = {
  prime256v1: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  secp384r1: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
};

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  // A set high bit would read as negative: DER needs a leading zero byte.
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  const bytes = Buffer.from(hex, 'hex');
  return Buffer.concat([Buffer.from([0x02, bytes.length]), bytes]);
}

function derLength(length: number): Buffer {
  return length < 0x80 ? Buffer.from([length]) : Buffer.from([0x81, length]);
}

/**
 * A Fabric signer on Node's native crypto, an order of magnitude faster than the pure
 * JavaScript default. Peers reject high-S ECDSA signatures (malleability), so S is
 * folded into the lower half of the group order. Use it with `hash: hash.none`: the
 * native call hashes the message itself.
 */
/** A key Fabric cannot verify signatures of: Fabric MSPs take ECDSA on P-256 or P-384 only. */
export class UnsupportedSigningKey extends Error {
  constructor(readonly keyType: string) {
    super(`a Fabric signing key must be ECDSA on P-256 or P-384, not ${keyType}`);
    this.name = 'UnsupportedSigningKey';
  }
}

export function newNativeSigner(privateKeyPem: string): Signer {
  const key = createPrivateKey(privateKeyPem);
  const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
  const order = ORDERS[curve];
  if (key.asymmetricKeyType !== 'ec' || order === undefined)
    throw new UnsupportedSigningKey(`${key.asymmetricKeyType} ${curve}`);
  const algorithm = curve === 'secp384r1' ? 'sha384' : 'sha256';
  const half = order >> 1n;
  return async (message: Uint8Array) => {
    const raw = sign(algorithm, message, { key, dsaEncoding: 'ieee-p1363' });
    const size = raw.length / 2;
    const r = BigInt(`0x${raw.subarray(0, size).toString('hex')}`);
    let s = BigInt(`0x${raw.subarray(size).toString('hex')}`);
    if (s > half) s = order - s;
    const body = Buffer.concat([derInteger(r), derInteger(s)]);
    return Buffer.concat([Buffer.from([0x30]), derLength(body.length), body]);
  };
}
