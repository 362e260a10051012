import type { Certificate } from '../src/domain/model';
import type { CertificateIn, OfferedPart, Page, Split } from './support/answers';
import { World } from './support/world';

describe('splitting and transferring certificates down the supply chain', () => {
  let world: World;
  beforeEach(async () => { world = await World.create(); });

  test('a tier-1 supplier splits its piece; children sum to the parent, which is retired with links to them', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    const { parent, children } = await world.submit<Split>(world.as('tier1'), 'Certificate:Split', [certificateId, '["600000","300000","100000"]']);
    expect(parent).toMatchObject({ id: certificateId, status: 'SPLIT', childIds: children.map((c) => c.id) });
    expect(children.map((c) => c.amount)).toEqual(['600000', '300000', '100000']);
    expect(children.every((c) =>
      c.parentId === certificateId && c.depth === 1 && c.holderId === world.id('tier1'))).toBe(true);
    await world.refused('INVALID_STATE', () => world.submit(world.as('tier1'), 'Certificate:Split', [certificateId, '["500000","500000"]']));
  });

  test.each([
    ['amounts that do not sum to the piece', '["600000","300000"]', 'INVALID_ARGUMENT'],
    ['a single piece', '["1000000"]', 'INVALID_ARGUMENT'],
    ['a zero piece', '["1000000","0"]', 'INVALID_ARGUMENT'],
    ['a float', '[999999.5, "0.5"]', 'INVALID_ARGUMENT'],
    ['a piece below the minimum', '["999950","50"]', 'LIMIT_EXCEEDED'],
    ['not JSON', '600000,400000', 'INVALID_ARGUMENT'],
  ])('splitting into %s is refused and changes nothing', async (_label, amounts, code) => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    await world.refused(code as 'INVALID_ARGUMENT', () => world.submit(world.as('tier1'), 'Certificate:Split', [certificateId, amounts]));
  });

  test('split depth and width are bounded by the consortium limits', async () => {
    const limited = await World.create({ limits: { maxSplitDepth: 2, maxSplitChildren: 3 } });
    const { certificateId } = await limited.issued('coreA', 'tier1', '100000');
    await limited.refused('LIMIT_EXCEEDED', () => limited.submit(limited.as('tier1'), 'Certificate:Split', [certificateId, '["25000","25000","25000","25000"]']));
    const first = await limited.submit<Split>(limited.as('tier1'), 'Certificate:Split', [certificateId, '["50000","50000"]']);
    const second = await limited.submit<Split>(limited.as('tier1'), 'Certificate:Split', [first.children[0]!.id, '["25000","25000"]']);
    await limited.refused('LIMIT_EXCEEDED', () =>
      limited.submit(limited.as('tier1'), 'Certificate:Split', [second.children[0]!.id, '["12500","12500"]']));
  });

  test('a piece passes from tier 1 to tier 2 to tier 3, each signing for it', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    const offered = await world.submit<Certificate>(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(3600)]);
    expect(offered).toMatchObject({ status: 'OFFERED', holderId: world.id('tier1'), offer: { to: world.id('tier2') } });
    const incoming = await world.evaluate<Page<Certificate>>(world.as('tier2'), 'Certificate:ListOffersTo', [world.id('tier2'), '10', '']);
    expect(incoming.items.map((c) => c.id)).toEqual([certificateId]);
    const accepted = await world.submit<Certificate>(world.as('tier2'), 'Certificate:AcceptTransfer', [certificateId]);
    expect(accepted).toMatchObject({ status: 'ACTIVE', holderId: world.id('tier2') });
    expect(accepted).not.toHaveProperty('offer');
    await world.transfer(certificateId, 'tier2', 'tier3');
    const held = await world.evaluate<Page<Certificate>>(world.as('tier3'), 'Certificate:ListByHolder', [world.id('tier3'), '10', '']);
    expect(held.items.map((c) => c.id)).toEqual([certificateId]);
    const formerHolder = await world.evaluate<Page<Certificate>>(world.as('tier1'), 'Certificate:ListByHolder', [world.id('tier1'), '10', '']);
    expect(formerHolder.items).toEqual([]);
  });

  test('offering part of a piece splits it and offers the part in one transaction, with one event', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    const eventsBefore = world.events.length;
    const { offered, remainder, parent } = await world.submit<OfferedPart>(world.as('tier1'), 'Certificate:OfferPart',
      [certificateId, '250000', world.id('tier2'), world.inSeconds(3600)]);
    expect(world.events.length).toBe(eventsBefore + 1);
    expect(parent.status).toBe('SPLIT');
    expect(offered).toMatchObject({ amount: '250000', status: 'OFFERED', parentId: certificateId });
    expect(remainder).toMatchObject({ amount: '750000', status: 'ACTIVE', holderId: world.id('tier1') });
    const { payload } = world.lastEvent();
    expect(payload.type).toBe('TransferOffered');
    expect(payload.certificates.map((c: { id: string }) => c.id).sort()).toEqual([certificateId, offered.id, remainder.id].sort());
    expect(payload.parties).toEqual([world.id('tier1'), world.id('tier2')].sort());
  });

  test('the recipient may refuse, and the holder may cancel an open offer; either way the piece stays put', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    await world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(3600)]);
    const refused = await world.submit<Certificate>(world.as('tier2'), 'Certificate:RefuseTransfer', [certificateId]);
    expect(refused).toMatchObject({ status: 'ACTIVE', holderId: world.id('tier1') });
    await world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier3'), world.inSeconds(3600)]);
    const cancelled = await world.submit<Certificate>(world.as('tier1'), 'Certificate:CancelOffer', [certificateId]);
    expect(cancelled.status).toBe('ACTIVE');
    // The cancelled offer is no longer addressed to tier3.
    await world.refused('FORBIDDEN', () => world.submit(world.as('tier3'), 'Certificate:AcceptTransfer', [certificateId]));
  });

  test('an offer not signed for by its expiry goes back to the holder, who may offer it again', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    await world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(600)]);
    world.advance(601);
    await world.refused('OFFER_EXPIRED', () => world.submit(world.as('tier2'), 'Certificate:AcceptTransfer', [certificateId]));
    expect(await world.evaluate(world.as('tier1'), 'Certificate:Get', [certificateId])).toMatchObject({ status: 'ACTIVE', holderId: world.id('tier1') });
    expect((await world.evaluate<Page<Certificate>>(world.as('tier2'), 'Certificate:ListOffersTo', [world.id('tier2'), '10', ''])).items).toEqual([]);
    const again = await world.submit<CertificateIn<'OFFERED'>>(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier3'), world.inSeconds(600)]);
    expect(again.offer.to).toBe(world.id('tier3'));
    await world.submit(world.as('tier3'), 'Certificate:AcceptTransfer', [certificateId]);
  });

  test('an offered piece cannot be split or offered twice until the offer ends', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    await world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(600)]);
    await world.refused('INVALID_STATE', () => world.submit(world.as('tier1'), 'Certificate:Split', [certificateId, '["500000","500000"]']));
    await world.refused('INVALID_STATE', () => world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier3'), world.inSeconds(600)]));
  });

  test.each([
    ['to the holder itself', (w: World) => w.id('tier1'), 'INVALID_ARGUMENT'],
    ['to an unknown enterprise', () => 'did:scf:nobody', 'NOT_FOUND'],
    ['to an auditor, who cannot hold pieces', (w: World) => w.id('auditor'), 'INVALID_ARGUMENT'],
    ['to a malformed id', () => 'supplier-t2', 'INVALID_ARGUMENT'],
  ])('an offer %s is refused', async (_label, to, code) => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    await world.refused(code as 'NOT_FOUND', () => world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, to(world), world.inSeconds(600)]));
  });

  test('offer expiry must lie in the future and within the consortium\'s maximum', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(-1)]));
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), '2027-13-01']));
    await world.refused('LIMIT_EXCEEDED', () => world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(31 * 86400)]));
  });

  test('only the holder moves a piece and only the named recipient signs for it', async () => {
    const { certificateId } = await world.issued('coreA', 'tier1', '1000000');
    await world.refused('FORBIDDEN', () => world.submit(world.as('tier2'), 'Certificate:Split', [certificateId, '["500000","500000"]']));
    await world.refused('FORBIDDEN', () => world.submit(world.as('coreA'), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(60)]));
    await world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [certificateId, world.id('tier2'), world.inSeconds(600)]);
    await world.refused('FORBIDDEN', () => world.submit(world.as('tier3'), 'Certificate:AcceptTransfer', [certificateId]));
    await world.refused('FORBIDDEN', () => world.submit(world.as('tier1'), 'Certificate:AcceptTransfer', [certificateId]));
    await world.refused('FORBIDDEN', () => world.submit(world.as('tier2'), 'Certificate:CancelOffer', [certificateId]));
  });
});
