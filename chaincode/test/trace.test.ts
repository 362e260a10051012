import type { Certificate } from '../src/domain/model';
import type { CertificateIn, Cleared, History, Lineage, Page, Split, Tree, TreeNode } from './support/answers';
import { World } from './support/world';

describe('tracing any piece back to the confirmed trade', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });

  async function threeTierTree() {
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '1000000');
    const first = await world.submit<Split>(world.as('tier1'), 'Certificate:Split', [certificateId, '["700000","300000"]']);
    const piece = first.children[1]!.id;
    await world.transfer(piece, 'tier1', 'tier2');
    const second = await world.submit<Split>(world.as('tier2'), 'Certificate:Split', [piece, '["200000","100000"]']);
    const leaf = second.children[1]!.id;
    await world.transfer(leaf, 'tier2', 'tier3');
    return { receivableId, rootId: certificateId, piece, leaf, keptByTier1: first.children[0]!.id };
  }

  test('a tier-3 supplier\'s piece traces back through every split to the receivable and its issuance', async () => {
    const { receivableId, rootId, piece, leaf } = await threeTierTree();
    const lineage = await world.evaluate<Lineage>(world.as('tier3'), 'Trace:Lineage', [leaf]);
    expect(lineage.receivable).toMatchObject({ id: receivableId, debtorId: world.id('coreA'), status: 'ACCEPTED' });
    expect(lineage.path.map((c) => c.id)).toEqual([rootId, piece, leaf]);
    expect(lineage.path[2]).toMatchObject({ holderId: world.id('tier3'), amount: '100000' });
  });

  test('the whole tree shows every live piece, and the live amounts sum to the face amount', async () => {
    const { receivableId, rootId, keptByTier1 } = await threeTierTree();
    const tree = await world.evaluate<Tree>(world.as('auditor'), 'Trace:Tree', [receivableId]);
    expect(tree.livePieces).toBe(3);
    expect(tree.liveAmount).toBe('1000000');
    expect(tree.root!.certificate.id).toBe(rootId);
    expect(tree.root!.children.map((n) => n.certificate.id)).toContain(keptByTier1);
    const leaves: string[] = [];
    const walk = (node: TreeNode) => {
      if (node.children.length === 0) leaves.push(node.certificate.holderId);
      node.children.forEach((child) => walk(child));
    };
    walk(tree.root!);
    expect(leaves.sort()).toEqual([world.id('tier1'), world.id('tier2'), world.id('tier3')].sort());
  });

  /** Every node of a tree, root first. */
  const nodesOf = (root: TreeNode): TreeNode[] => [root, ...root.children.flatMap(nodesOf)];
  const DAY = 86_400;

  test('a receivable paid in full still traces: every piece of the tree, settled, with what each was paid', async () => {
    const { receivableId, rootId, piece, leaf, keptByTier1 } = await threeTierTree();
    const keptBySecondSplit = (await world.evaluate<CertificateIn<'SPLIT'>>(world.as('auditor'), 'Certificate:Get', [piece])).childIds[0]!;
    world.advance(90 * DAY);
    const paid = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '1000000', 'CNAPS-1', '50']);
    expect(paid.receivable.status).toBe('SETTLED');
    const tree = await world.evaluate<Tree>(world.as('auditor'), 'Trace:Tree', [receivableId]);
    expect(tree).toMatchObject({ receivable: { status: 'SETTLED' }, livePieces: 0, liveAmount: '0' });
    const nodes = nodesOf(tree.root!);
    expect(nodes.map((n) => n.certificate.id).sort()).toEqual([rootId, piece, keptByTier1, keptBySecondSplit, leaf].sort());
    const statuses = Object.fromEntries(nodes.map((n) => [n.certificate.id, n.certificate.status]));
    expect(statuses).toEqual({ [rootId]: 'SPLIT', [piece]: 'SPLIT', [keptByTier1]: 'SETTLED', [keptBySecondSplit]: 'SETTLED', [leaf]: 'SETTLED' });
    const leaves = nodes.filter((n) => n.children.length === 0);
    expect(leaves.every((n) => n.certificate.amount === '0')).toBe(true);
    expect(leaves.reduce((sum, n) => sum + BigInt(n.certificate.paidAmount), 0n)).toBe(1000000n);
    expect(leaves.find((n) => n.certificate.id === leaf)?.certificate).toMatchObject({ holderId: world.id('tier3'), paidAmount: '100000' });
  });

  test('a receivable part-way through settlement (SETTLING) shows paid and unpaid pieces side by side', async () => {
    const { receivableId, rootId, keptByTier1 } = await threeTierTree();
    world.advance(90 * DAY);
    // One piece per page, until a page pays a live piece: the retired split parents (whose ids fall
    // anywhere in id order) pay nothing. With one of three pieces paid the receivable is still SETTLING.
    let first = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '1000000', 'CNAPS-2', '1']);
    while (first.payouts.length === 0) {
      first = await world.submit<Cleared>(world.as('coreA'), 'Settlement:ClearNext', [first.settlement.id, '1']);
    }
    expect(first.receivable.status).toBe('SETTLING');
    const tree = await world.evaluate<Tree>(world.as('regulator'), 'Trace:Tree', [receivableId]);
    expect(tree.receivable.status).toBe('SETTLING');
    expect(tree.root!.certificate.id).toBe(rootId);
    const leaves = nodesOf(tree.root!).filter((n) => n.children.length === 0);
    expect(leaves).toHaveLength(3);
    const settled = leaves.filter((n) => n.certificate.status === 'SETTLED');
    const unpaid = leaves.filter((n) => n.certificate.status === 'ACTIVE');
    expect(settled.map((n) => n.certificate.id)).toEqual([first.payouts[0]!.certificateId]);
    expect(unpaid).toHaveLength(2);
    expect(tree.livePieces).toBe(2);
    // Live plus paid still make up the face amount part-way through (invariant 1).
    expect(leaves.reduce((sum, n) => sum + BigInt(n.certificate.amount) + BigInt(n.certificate.paidAmount), 0n)).toBe(1000000n);
    expect(BigInt(tree.liveAmount) + BigInt(settled[0]!.certificate.paidAmount)).toBe(1000000n);
    expect(nodesOf(tree.root!).map((n) => n.certificate.id)).toContain(keptByTier1);
  });

  test('a short payment leaves the receivable ACCEPTED, and its tree shows each piece\'s part paid', async () => {
    const { receivableId } = await threeTierTree();
    world.advance(90 * DAY);
    await world.submit(world.as('coreA'), 'Settlement:Pay', [receivableId, '500000', 'CNAPS-3', '50']);
    const tree = await world.evaluate<Tree>(world.as('auditor'), 'Trace:Tree', [receivableId]);
    expect(tree).toMatchObject({ receivable: { status: 'ACCEPTED', settledAmount: '500000' }, livePieces: 3, liveAmount: '500000' });
    const leaves = nodesOf(tree.root!).filter((n) => n.children.length === 0);
    expect(leaves.every((n) => n.certificate.status === 'ACTIVE' && BigInt(n.certificate.paidAmount) > 0n)).toBe(true);
  });

  test('only a receivable that never got a certificate (issued, refused) has no tree', async () => {
    const issued = await world.issue('coreA', 'tier1', '1000');
    expect(await world.evaluate(world.as('auditor'), 'Trace:Tree', [issued.id])).toMatchObject({ root: null, livePieces: 0, receivable: { status: 'ISSUED' } });
    await world.submit(world.as('tier1'), 'Receivable:Refuse', [issued.id, 'wrong goods']);
    expect(await world.evaluate(world.as('auditor'), 'Trace:Tree', [issued.id])).toMatchObject({ root: null, livePieces: 0, receivable: { status: 'REFUSED' } });
  });

  test('key history lists every version of a certificate with the transaction id and timestamp that wrote it', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    const acceptedAt = new Date(world.now).toISOString();
    world.advance(60);
    await world.transfer(certificateId, 'tier1', 'tier2');
    const history = await world.evaluate<History<Certificate>>(world.as('auditor'), 'Trace:History', ['certificate', certificateId]);
    expect(history.entries).toHaveLength(3);
    const [latest, offered, created] = history.entries;
    expect(created).toMatchObject({ timestamp: acceptedAt, isDelete: false, value: { status: 'ACTIVE', holderId: world.id('tier1') } });
    expect(offered!.value!.status).toBe('OFFERED');
    expect(latest!.value).toMatchObject({ status: 'ACTIVE', holderId: world.id('tier2') });
    expect(new Set(history.entries.map((e) => e.txId)).size).toBe(3);
    await world.refused('NOT_FOUND', () => world.evaluate(world.as('auditor'), 'Trace:History', ['certificate', `crt_${'0'.repeat(64)}_0`]));
    await world.refused('INVALID_ARGUMENT', () => world.evaluate(world.as('auditor'), 'Trace:History', ['invoice', certificateId]));
  });

  test('holder listings page through the holder\'s index, not the ledger', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    await world.submit(world.as('tier1'), 'Certificate:Split', [certificateId, JSON.stringify(Array(5).fill('200000'))]);
    await world.issued('coreB', 'tier2', '5000');
    const first = await world.evaluate<Page<Certificate>>(world.as('tier1'), 'Certificate:ListByHolder', [world.id('tier1'), '2', '']);
    expect(first.items).toHaveLength(2);
    const second = await world.evaluate<Page<Certificate>>(world.as('tier1'), 'Certificate:ListByHolder', [world.id('tier1'), '2', first.bookmark]);
    const third = await world.evaluate<Page<Certificate>>(world.as('tier1'), 'Certificate:ListByHolder', [world.id('tier1'), '2', second.bookmark]);
    const ids = [...first.items, ...second.items, ...third.items].map((c) => c.id);
    expect(new Set(ids).size).toBe(5);
    expect(third.bookmark).toBe('');
    await world.refused('INVALID_ARGUMENT', () => world.evaluate(world.as('tier1'), 'Certificate:ListByHolder', [world.id('tier1'), '0', '']));
    await world.refused('INVALID_ARGUMENT', () => world.evaluate(world.as('tier1'), 'Certificate:ListByHolder', [world.id('tier1'), '201', '']));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('tier2'), 'Certificate:ListByHolder', [world.id('tier1'), '2', '']));
  });
});

describe('events: one per transaction, carrying everything it changed', () => {
  test('each state change emits exactly one event whose payload names its type, actor, parties and records', async () => {
    const world = await World.create();
    const start = world.events.length;
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    const { children } = await world.submit<Split>(world.as('tier1'), 'Certificate:Split', [certificateId, '["400000","600000"]']);
    await world.transfer(children[0]!.id, 'tier1', 'tier2');
    const emitted = world.events.slice(start).map((e) => ({ name: e.eventName, payload: JSON.parse(Buffer.from(e.payload).toString()) }));
    expect(emitted.map((e) => e.name)).toEqual(['ReceivableIssued', 'ReceivableAccepted', 'CertificateSplit', 'TransferOffered', 'TransferAccepted']);
    for (const { name, payload } of emitted) {
      expect(payload.type).toBe(name);
      expect(payload.txId).toMatch(/^[0-9a-f]{64}$/);
      expect(payload.timestamp).toMatch(/Z$/);
    }
    const split = emitted[2]!.payload;
    expect(split.actor).toBe(world.id('tier1'));
    expect(split.certificates).toHaveLength(3);
    expect(emitted[4]!.payload.parties).toEqual([world.id('tier2')]);
    const blockNumbers = world.events.slice(start).map((e) => e.blockNumber);
    expect(blockNumbers).toEqual([...blockNumbers].sort((a, b) => a - b));
  });

  test('queries and refused transactions emit nothing', async () => {
    const world = await World.create();
    const start = world.events.length;
    await world.evaluate(world.as('coreA'), 'Enterprise:WhoAmI');
    await world.refused('FORBIDDEN', () => world.issue('tier1', 'tier2', '1000'));
    expect(world.events.length).toBe(start);
  });
});
