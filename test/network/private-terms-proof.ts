import { common } from '@hyperledger/fabric-protos';
import { randomBytes, randomUUID } from 'crypto';
import { readdirSync, readFileSync, statSync } from 'fs';
import path from 'path';
import type { GatewayUnderTest } from '../../gateway/test/support/gateway-under-test';
import { readEvents } from '../../gateway/test/support/event-reader';
import { receivableBody, sha } from '../../gateway/test/support/fixtures';
import { type FabricIdentity, gatewayTo, type PeerName } from './fabric-network';

/** A decimal marker no block could hold by chance: 15 random digits. */
function marker(): string {
  return `9${randomBytes(8).readBigUInt64BE() % 10n ** 14n}`.padEnd(15, '7');
}

/** Every byte form a value could take in a block: text, UTF-16, hex and base64 at each alignment. */
function byteForms(value: string): Buffer[] {
  const text = Buffer.from(value, 'utf8');
  const base64 = [0, 1, 2].map((shift) => Buffer.from(Buffer.concat([Buffer.alloc(shift), text]).toString('base64').slice(4, -4), 'utf8'));
  return [text, Buffer.from(value, 'utf16le'), Buffer.from(text.toString('hex'), 'utf8'), ...base64];
}

function contains(haystack: Buffer, value: string): boolean {
  return byteForms(value).some((form) => haystack.includes(form));
}

/** Every file under a folder: a peer's whole ledger (block files, state, private data store). */
function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Every block a peer holds, fetched through its own deliver service. */
async function blocksOf(peer: PeerName, who: FabricIdentity, at: { run: string; portOffset: number }): Promise<Buffer[]> {
  const { gateway, close } = gatewayTo(peer, who, at);
  try {
    const network = gateway.getNetwork('scf');
    const info = await network.getContract('qscc').evaluateTransaction('GetChainInfo', 'scf');
    const height = common.BlockchainInfo.deserializeBinary(info).getHeight();
    const blocks: Buffer[] = [];
    const events = await network.getBlockEvents({ startBlock: 0n });
    try {
      for await (const block of events) {
        blocks.push(Buffer.from(block.serializeBinary()));
        if (blocks.length >= height) break;
      }
    } finally {
      events.close();
    }
    return blocks;
  } finally {
    close();
  }
}

/** The identity the gateway signs with for one of its enterprises (its data folder holds the keys). */
export function signingIdentityOf(dataDir: string, enterpriseId: string): FabricIdentity {
  const stored = JSON.parse(readFileSync(path.join(dataDir, 'principals.json'), 'utf8')) as {
    principals: Array<{ principal: { enterpriseId?: string; identity: { mspId: string; certificatePem: string; privateKeyPem: string } } }>;
  };
  const entry = stored.principals.find((p) => p.principal.enterpriseId === enterpriseId);
  if (!entry) throw new Error(`no identity for ${enterpriseId} in ${dataDir}`);
  const { mspId, certificatePem, privateKeyPem } = entry.principal.identity;
  return { mspId, certificatePem, keyPem: privateKeyPem };
}

/**
 * The proof on a real network that a bank's terms stay on its own peers: marker values as a
 * financing's rate, fee and amounts and as a credit line's limit are read by the parties
 * from the deciding bank's peers (Bank1), refused by the rival bank's peer (Bank2), and
 * found in no block either other peer holds, in any byte form, nor anywhere in their files.
 * A marker put in a public field is found there, so the search is shown to work.
 */
export function describePrivateTerms(at: { run: string; portOffset: number }, start: () => Promise<GatewayUnderTest>): void {
  test('a bank\'s rate, fee, amounts and limit never reach a rival bank\'s peer; the parties read them from the bank\'s peers', async () => {
    const gw = await start();
    try {
      // The fee is a shorter marker: interest and fee must leave something of the financed amount to disburse.
      const [limit, fee, publicMarker] = [marker(), marker().slice(0, 13), marker()];
      const rate = 9753;
      const grant = await gw.call('POST', '/credit-lines', { as: 'did:scf:bank-one', key: randomUUID(),
        body: { coreId: 'did:scf:core-a', currency: 'CNY', limit, expiresAt: new Date(Date.now() + 30 * 86_400_000).toISOString() } });
      expect(grant).toMatchObject({ status: 201, body: { result: { limit: { limit } } } });
      const lineId = grant.body.result.id as string;
      // A piece large enough for the markers, issued on the new line (whose limit, a marker, is at least 9×10^14).
      const issued = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: randomUUID(),
        body: { ...receivableBody(gw, '900000000000000'), creditLineId: lineId } });
      const receivableId = issued.body.result.id as string;
      const certificateId = (await gw.call('POST', `/receivables/${receivableId}/accept`, { as: 'did:scf:supplier-t1', key: randomUUID(), body: {} }))
        .body.result.certificate.id as string;
      const applied = await gw.call('POST', '/financings', { as: 'did:scf:supplier-t1', key: randomUUID(), body: {
        certificateId, bankId: 'did:scf:bank-one', mode: 'PLEDGE', requestedAmount: '900000000000000', annualRateBps: rate, feeAmount: fee,
        tenorEnd: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10), documentsHash: sha(`docs ${certificateId}`) } });
      expect(applied).toMatchObject({ status: 201, body: { result: { terms: { proposed: { annualRateBps: rate, feeAmount: fee } } } } });
      const financingId = applied.body.result.financing.id as string;
      const funded = await gw.call('POST', `/financings/${financingId}/approve`, { as: 'did:scf:bank-one', key: randomUUID(),
        body: { disbursedAmount: applied.body.result.terms.price.disbursedAmount, paymentRef: `PAY-${publicMarker}` } });
      expect(funded).toMatchObject({ status: 200, body: { result: { financing: { status: 'FUNDED' } } } });
      // The parties and oversight read the terms, from Bank1's peers; nobody else.
      for (const who of ['did:scf:supplier-t1', 'did:scf:bank-one', 'did:scf:auditor']) {
        expect(await gw.call('GET', `/financings/${financingId}/terms`, { as: who })).toMatchObject({ status: 200, body: { proposed: { annualRateBps: rate, feeAmount: fee } } });
      }
      expect(await gw.call('GET', `/credit-lines/${lineId}/limit`, { as: 'did:scf:core-a' })).toMatchObject({ status: 200, body: { limit: { limit } } });
      // Every read route of every record here: an unrelated supplier is refused, oversight reads (the read matrix, on Fabric).
      const txIds = [grant.body.txId, applied.body.txId, funded.body.txId] as string[];
      const routes = [`/financings/${financingId}/terms`, `/financings/${financingId}`,
        `/credit-lines/${lineId}/limit`, `/credit-lines/${lineId}`, `/receivables/${receivableId}`, `/receivables/${receivableId}/tree`,
        `/receivables/${receivableId}/attestations`, `/receivables/${receivableId}/settlements`, `/certificates/${certificateId}`,
        `/certificates/${certificateId}/lineage`, `/history/financing/${financingId}`, `/history/creditLine/${lineId}`,
        `/history/receivable/${receivableId}`, `/history/certificate/${certificateId}`, ...txIds.map((txId) => `/transactions/${txId}`)];
      for (const route of routes) {
        expect({ route, status: (await gw.call('GET', route, { as: 'did:scf:supplier-t3' })).status }).toEqual({ route, status: 403 });
        expect({ route, status: (await gw.call('GET', route, { as: 'did:scf:auditor' })).status }).toEqual({ route, status: 200 });
      }
      // The event stream: oversight gets the funding, the stranger nothing of these records, and no payload carries a term.
      const audited = await readEvents(gw, 'did:scf:auditor', '0', 10_000);
      expect(audited.some((e) => e.type === 'FinancingFunded' && JSON.stringify(e.data).includes(financingId))).toBe(true);
      expect(audited.filter((e) => [limit, fee, `"annualRateBps":${rate}`].some((m) => JSON.stringify(e.data).includes(m)))).toEqual([]);
      const seen = await readEvents(gw, 'did:scf:supplier-t3', '0', 10_000);
      expect(seen.filter((e) => [financingId, lineId, certificateId, receivableId].some((id) => JSON.stringify(e.data).includes(id)))).toEqual([]);
      // The rival bank's peer refuses the applicant itself: it keeps no terms and computes none.
      const applicant = signingIdentityOf(gw.dataDir, 'did:scf:supplier-t1');
      for (const [who, transaction, id] of [[applicant, 'Financing:GetTerms', financingId], [signingIdentityOf(gw.dataDir, 'did:scf:core-a'), 'CreditLine:GetLimit', lineId]] as const) {
        const rival = gatewayTo('bank2', who, at);
        try {
          await expect(rival.contract.evaluate(transaction, { arguments: [id], endorsingOrganizations: ['Bank2MSP'] })).rejects.toThrow(/TERMS_ELSEWHERE/);
        } finally {
          rival.close();
        }
      }
      // No block on Bank2's or the auditor organisation's peer holds a term, in any byte form; the public marker is there.
      for (const peer of ['bank2', 'auditor'] as const) {
        const blocks = Buffer.concat(await blocksOf(peer, applicant, at));
        expect({ peer, publicMarker: contains(blocks, publicMarker) }).toEqual({ peer, publicMarker: true });
        const disbursedValue = applied.body.result.terms.price.disbursedAmount as string;
        for (const [name, value] of Object.entries({ limit, fee, disbursedValue, rate: `"annualRateBps":${rate}`, field: 'annualRateBps', disbursed: 'disbursedAmount' })) {
          expect({ peer, name, inBlocks: contains(blocks, value) }).toEqual({ peer, name, inBlocks: false });
        }
        const files = filesUnder(path.join(at.run, 'data', `peer0.${peer}`)).map((file) => readFileSync(file));
        for (const [name, value] of Object.entries({ limit, fee })) {
          expect({ peer, name, inFiles: files.some((bytes) => contains(bytes, value)) }).toEqual({ peer, name, inFiles: false });
        }
      }
    } finally {
      await gw.stop();
    }
  }, 240_000);
}
