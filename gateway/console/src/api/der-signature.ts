/** ECDSA signatures as the gateway and Fabric take them (DER, low-S), from WebCrypto's form. */

/** P-256's group order: a signature's s above n/2 is replaced by n − s (Fabric refuses high-S). */
const N = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

/** Lower-case hex of bytes, as the gateway writes digests. */
export const hex = (bytes: Uint8Array): string => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');

const toBigInt = (bytes: Uint8Array): bigint => BigInt(`0x${hex(bytes) || '0'}`);

/** An unsigned DER INTEGER: minimal big-endian bytes, a leading zero when the top bit is set. */
function derInteger(value: bigint): number[] {
  let digits = value.toString(16);
  if (digits.length % 2) digits = `0${digits}`;
  const bytes = digits.match(/../g)!.map((pair) => parseInt(pair, 16));
  if (bytes[0]! & 0x80) bytes.unshift(0);
  return [0x02, bytes.length, ...bytes];
}

/** WebCrypto's IEEE P1363 signature (r‖s, 32 bytes each) as DER with low-S, the form the gateway and Fabric take. */
export function p1363ToDer(signature: Uint8Array): Uint8Array {
  if (signature.length !== 64) throw new Error(`a P-256 signature is 64 bytes, not ${signature.length}`);
  const r = toBigInt(signature.subarray(0, 32));
  const s = toBigInt(signature.subarray(32));
  const body = [...derInteger(r), ...derInteger(s > N / 2n ? N - s : s)];
  return Uint8Array.from([0x30, body.length, ...body]);
}
