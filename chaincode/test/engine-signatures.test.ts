import { sign } from 'crypto';
import { signatureFault } from '../src/engine/signatures';
import type { LocalIdentity } from '../src/engine/local-ca';
import { World } from './support/world';

const P256_ORDER = 0xffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551n;

function derInteger(value: bigint): Buffer {
  let hex = value.toString(16);
  if (hex.length % 2) hex = `0${hex}`;
  if (parseInt(hex.slice(0, 2), 16) & 0x80) hex = `00${hex}`;
  return Buffer.concat([Buffer.from([0x02, hex.length / 2]), Buffer.from(hex, 'hex')]);
}

/** The same ECDSA signature in its low-S and its high-S form (both verify mathematically; peers take only the first). */
function signatures(identity: LocalIdentity, message: Uint8Array): { low: Buffer; high: Buffer } {
  const raw = sign('sha256', message, { key: identity.privateKeyPem, dsaEncoding: 'ieee-p1363' });
  const r = BigInt(`0x${raw.subarray(0, 32).toString('hex')}`);
  const s = BigInt(`0x${raw.subarray(32).toString('hex')}`);
  const low = s > P256_ORDER >> 1n ? P256_ORDER - s : s;
  const der = (sValue: bigint): Buffer => {
    const body = Buffer.concat([derInteger(r), derInteger(sValue)]);
    return Buffer.concat([Buffer.from([0x30, body.length]), body]);
  };
  return { low: der(low), high: der(P256_ORDER - low) };
}

describe('offline signatures on the embedded engine, checked as a peer checks them', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });

  test('a signature is accepted only low-S, DER, by the certificate\'s own key, over the very bytes', () => {
    const tier1 = world.as('tier1');
    const message = Buffer.from('the bytes a peer verifies');
    const { low, high } = signatures(tier1, message);
    expect(signatureFault(tier1.certificatePem, message, low)).toBeUndefined();
    expect(signatureFault(tier1.certificatePem, message, high)).toBe('HIGH_S');
    expect(signatureFault(world.as('tier2').certificatePem, message, low)).toBe('MISMATCH');
    expect(signatureFault(tier1.certificatePem, Buffer.from('other bytes'), low)).toBe('MISMATCH');
    expect(signatureFault(tier1.certificatePem, message, low.subarray(0, low.length - 1))).toBe('MALFORMED');
    expect(signatureFault(tier1.certificatePem, message, Buffer.from('not DER at all'))).toBe('MALFORMED');
  });

  test('a signed proposal runs as signed; its transaction commits only with the creator\'s signature over it', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    const tier1 = world.as('tier1');
    const prepared = world.engine.prepare({ identity: tier1, transaction: 'Certificate:Split', args: [certificateId, '["400000","600000"]'] });
    const content = JSON.parse(Buffer.from(prepared.bytes).toString());
    expect(content).toMatchObject({ transaction: 'Certificate:Split', txId: prepared.txId, creator: { mspId: tier1.mspId } });
    await expect(world.engine.endorseSigned(prepared.bytes, signatures(world.as('tier2'), prepared.bytes).low))
      .rejects.toMatchObject({ name: 'SignatureRefused', step: 'proposal', fault: 'MISMATCH' });
    // Bytes changed after signing (other arguments) do not carry the signature over.
    const altered = Buffer.from(Buffer.from(prepared.bytes).toString().replace('400000', '300000'));
    await expect(world.engine.endorseSigned(altered, signatures(tier1, prepared.bytes).low)).rejects.toMatchObject({ fault: 'MISMATCH' });

    const endorsed = await world.engine.endorseSigned(prepared.bytes, signatures(tier1, prepared.bytes).low);
    expect(endorsed.txId).toBe(prepared.txId);
    const before = await world.digest();
    const proposalSignature = signatures(tier1, prepared.bytes).low;
    await expect(world.engine.commitSigned(endorsed, proposalSignature)).rejects.toMatchObject({ step: 'transaction', fault: 'MISMATCH' });
    // A signature over these transaction bytes does not commit other writes.
    const tampered = { ...endorsed, rwset: { ...endorsed.rwset, writes: new Map() } };
    await expect(world.engine.commitSigned(tampered, signatures(tier1, endorsed.transactionBytes).low)).rejects.toMatchObject({ fault: 'MISMATCH' });
    expect(await world.digest()).toBe(before);
    const committed = await world.engine.commitSigned(endorsed, signatures(tier1, endorsed.transactionBytes).low);
    expect(committed.txId).toBe(prepared.txId);
    expect(await world.digest()).not.toBe(before);
  });
});
