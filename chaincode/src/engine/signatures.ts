import { verify, X509Certificate } from 'crypto';

/** Group orders of the curves Fabric MSPs accept keys on. */
const ORDERS: Readonly<Record<string, bigint>> = {
  prime256v1: 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n,
  secp384r1: 0xffffffffffffffffffffffffffffffffffffffffffffffffc7634d81f4372ddf581a0db248b0a77aecec196accc52973n,
};

/**
 * Why a signature is refused: not DER ECDSA, high-S (peers refuse malleable signatures), or not
 * by this key over these bytes.
 */
export type SignatureFault = 'MALFORMED' | 'HIGH_S' | 'MISMATCH';

/** Reads one DER length at `at`: its value and where the content starts. */
function derLength(der: Uint8Array, at: number): { length: number; start: number } | undefined {
  const first = der[at];
  if (first === undefined) return undefined;
  if (first < 0x80) return { length: first, start: at + 1 };
  if (first === 0x81 && der[at + 1] !== undefined) return { length: der[at + 1]!, start: at + 2 };
  return undefined;
}

/** S of a DER `SEQUENCE { INTEGER r, INTEGER s }` spanning the whole input, or undefined. */
function derS(der: Uint8Array): bigint | undefined {
  const sequence = der[0] === 0x30 ? derLength(der, 1) : undefined;
  if (!sequence || sequence.start + sequence.length !== der.length) return undefined;
  const r = der[sequence.start] === 0x02 ? derLength(der, sequence.start + 1) : undefined;
  if (!r) return undefined;
  const sAt = r.start + r.length;
  const s = der[sAt] === 0x02 ? derLength(der, sAt + 1) : undefined;
  if (!s || s.length === 0 || s.start + s.length !== der.length) return undefined;
  return BigInt(`0x${Buffer.from(der.subarray(s.start, s.start + s.length)).toString('hex')}`);
}

/**
 * Checks a Fabric client's signature as a peer does: ECDSA over SHA-256 (P-256; SHA-384 on
 * P-384) of `message`, DER-encoded, low-S, by the key of `certificatePem`. The one check of
 * offline signatures: the embedded ledger runs it before endorsing and before committing, and
 * the gateway runs it before it forwards a signature to Fabric's peers (which check it again).
 */
export function signatureFault(
  certificatePem: string,
  message: Uint8Array,
  signature: Uint8Array,
): SignatureFault | undefined {
  const key = new X509Certificate(certificatePem).publicKey;
  const curve = key.asymmetricKeyDetails?.namedCurve ?? '';
  const order = ORDERS[curve];
  const s = derS(signature);
  if (order === undefined || s === undefined) return 'MALFORMED';
  if (s > order >> 1n) return 'HIGH_S';
  const algorithm = curve === 'secp384r1' ? 'sha384' : 'sha256';
  try {
    return verify(algorithm, message, key, signature) ? undefined : 'MISMATCH';
  } catch {
    return 'MALFORMED';
  }
}
