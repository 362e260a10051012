import { randomUUID } from 'crypto';
import { GatewayUnderTest } from './support/gateway-under-test';
import { sha } from './support/fixtures';
import { type OperationAnswer, type OperationId, succeeded } from './support/typed-api';

const RACERS = 20;

/**
 * Many simultaneous attempts on one certificate over real HTTP, each a separate request
 * with its own idempotency key: exactly one wins; the others are refused with 409 after
 * the gateway's bounded MVCC retries re-ran the business checks.
 */
describe('races on one certificate', () => {
  let gw: GatewayUnderTest;
  let serial = 0;
  beforeAll(async () => { gw = await GatewayUnderTest.start(); }, 60_000);
  afterAll(async () => { await gw.stop(); });

  async function certificate(): Promise<{ receivableId: string; certificateId: string }> {
    const issued = succeeded(await gw.op('issueReceivable', { as: 'did:scf:core-a', key: randomUUID(), body: {
      creditorId: 'did:scf:supplier-t1', faceAmount: '1000000', currency: 'CNY', dueDate: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
      invoiceHash: sha(`race ${serial}`), contractHash: sha('contract'), creditLineId: gw.keys.creditLineId!,
      invoice: { invoiceCode: '3100231130', invoiceNumber: String(80_000 + ++serial).padStart(8, '0'), sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' },
    } }));
    const accepted = succeeded(await gw.op('acceptReceivable', { as: 'did:scf:supplier-t1', key: randomUUID(), params: { id: issued.body.result.id }, body: {} }));
    return { receivableId: issued.body.result.id, certificateId: accepted.body.result.certificate.id };
  }

  /** Fires `attempt(i)` RACERS times at once; returns the statuses and error codes. */
  async function race<Id extends OperationId>(attempt: (i: number) => Promise<OperationAnswer<Id>>) {
    const answers = await Promise.all(Array.from({ length: RACERS }, (_, i) => attempt(i)));
    const winners = answers.filter((a) => a.status < 300);
    const losers = answers.filter((a) => a.status >= 300);
    return { winners, losers, codes: [...new Set(losers.map((a) => `${a.status} ${a.ok === false ? a.body.error.code : undefined}`))] };
  }

  /** Invariant 1 on the tree: the live pieces sum to the face amount (nothing settled yet) and no certificate appears twice. */
  async function expectTreeWhole(receivableId: string) {
    const tree = succeeded(await gw.op('getReceivableTree', { as: 'did:scf:auditor', params: { id: receivableId } }));
    type Node = NonNullable<typeof tree.body.root>;
    const nodes: Node[] = [];
    const walk = (node: Node | null) => { if (node) { nodes.push(node); node.children.forEach(walk); } };
    walk(tree.body.root);
    const live = nodes.filter((n) => n.children.length === 0).map((n) => n.certificate);
    expect(live.reduce((sum, c) => sum + BigInt(c.amount), 0n)).toBe(1_000_000n);
    expect(tree.body).toMatchObject({ liveAmount: '1000000', livePieces: live.length });
    expect(new Set(nodes.map((n) => n.certificate.id)).size).toBe(nodes.length);
    return tree.body;
  }

  test('splits of one certificate: one wins', async () => {
    const { receivableId, certificateId } = await certificate();
    const outcome = await race((i) => gw.op('splitCertificate', { as: 'did:scf:supplier-t1', key: randomUUID(), params: { id: certificateId },
      body: { amounts: [String(100_000 + i), String(900_000 - i)] } }));
    expect(outcome.winners).toHaveLength(1);
    expect(outcome.codes.every((c) => /^409 (INVALID_STATE|CONFLICT)$/.test(c))).toBe(true);
    expect(await expectTreeWhole(receivableId)).toMatchObject({ livePieces: 2 });
  });

  test('offers of one certificate to different enterprises: one wins, and only that one can be signed for', async () => {
    const { receivableId, certificateId } = await certificate();
    const recipients = ['did:scf:supplier-t2', 'did:scf:supplier-t3'];
    const outcome = await race((i) => gw.op('offerCertificate', { as: 'did:scf:supplier-t1', key: randomUUID(), params: { id: certificateId },
      body: { to: recipients[i % 2]!, expiresAt: new Date(Date.now() + 3600_000).toISOString() } }));
    expect(outcome.winners).toHaveLength(1);
    expect(outcome.codes.every((c) => /^409 (INVALID_STATE|CONFLICT)$/.test(c))).toBe(true);
    // Both recipients race to sign: only the named one can, and only once.
    const accepts = await Promise.all([...recipients, ...recipients].map((who) =>
      gw.op('acceptOffer', { as: who, key: randomUUID(), params: { id: certificateId }, body: {} })));
    expect(accepts.filter((a) => a.status === 200)).toHaveLength(1);
    await expectTreeWhole(receivableId);
  });

  test('financing applications against one certificate: one wins, the piece is locked once', async () => {
    const { receivableId, certificateId } = await certificate();
    const outcome = await race((i) => gw.op('applyForFinancing', { as: 'did:scf:supplier-t1', key: randomUUID(), body: {
      certificateId, bankId: 'did:scf:bank-one', mode: 'PLEDGE', requestedAmount: String(500_000 + i), annualRateBps: 450, feeAmount: '0',
      tenorEnd: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10), documentsHash: sha('documents') } }));
    expect(outcome.winners).toHaveLength(1);
    expect(outcome.codes.every((c) => /^409 (INVALID_STATE|CONFLICT)$/.test(c))).toBe(true);
    const applied = succeeded(await gw.op('listFinancingsApplied', { as: 'did:scf:supplier-t1', params: { id: 'did:scf:supplier-t1' }, query: { pageSize: 200 } }));
    expect(applied.body.items.filter((f) => f.certificateId === certificateId)).toHaveLength(1);
    await expectTreeWhole(receivableId);
  });

  test('a split, an offer and a financing application racing on one certificate: exactly one of them', async () => {
    const { receivableId, certificateId } = await certificate();
    const answers = await Promise.all(Array.from({ length: 18 }, (_, i) => [
      () => gw.op('splitCertificate', { as: 'did:scf:supplier-t1', key: randomUUID(), params: { id: certificateId }, body: { amounts: ['400000', '600000'] } }),
      () => gw.op('offerCertificate', { as: 'did:scf:supplier-t1', key: randomUUID(), params: { id: certificateId },
        body: { to: 'did:scf:supplier-t2', expiresAt: new Date(Date.now() + 3600_000).toISOString() } }),
      () => gw.op('applyForFinancing', { as: 'did:scf:supplier-t1', key: randomUUID(), body: {
        certificateId, bankId: 'did:scf:bank-one', mode: 'ASSIGNMENT', requestedAmount: '500000', annualRateBps: 450, feeAmount: '0',
        tenorEnd: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10), documentsHash: sha('documents') } }),
    ][i % 3]!()));
    expect(answers.filter((a) => a.status < 300)).toHaveLength(1);
    expect(answers.filter((a) => a.status >= 300).every((a) => a.status === 409)).toBe(true);
    await expectTreeWhole(receivableId);
  });
});
