import { contracts } from '../src';
import { EndorsementError, LedgerEngine } from '../src/engine/ledger-engine';
import type { Certificate, Financing, ProposedTerms, QuoteRequest } from '../src/domain/model';
import { sha } from './support/fixtures';
import { World } from './support/world';

interface QuoteView { quoteRequestId: string; bankId: string; termsHash: string | null; quote: ProposedTerms | null; price: { disbursedAmount: string } | null }
interface Accepted { quoteRequest: QuoteRequest; financing: Financing; certificate: Certificate }

describe('competing quotes: a holder asks several banks, each quotes privately, the holder accepts one', () => {
  let world: World;
  let certificateId: string;
  beforeEach(async () => {
    world = await World.create();
    ({ certificateId } = await world.issued('coreA', 'tier1', '1000000'));
  });
  const request = (expiresIn = 3600) => world.submit<QuoteRequest>(world.as('tier1'), 'QuoteRequest:Open',
    [certificateId, JSON.stringify([world.id('bank'), world.id('bankTwo')]), world.inSeconds(expiresIn)]);
  const quote = (bank: 'bank' | 'bankTwo', requestId: string, rateBps: number, fee = '1000') =>
    world.submit<{ termsHash: string }>(world.as(bank), 'QuoteRequest:Answer', [requestId],
      { quote: JSON.stringify({ requestedAmount: '900000', annualRateBps: rateBps, feeAmount: fee, tenorEnd: world.dueIn(60), salt: sha(`salt ${bank} ${rateBps}`) }) });
  const quoteOf = (who: 'tier1' | 'bank' | 'bankTwo' | 'auditor' | 'tier2', requestId: string, bank: 'bank' | 'bankTwo') =>
    world.evaluate<QuoteView>(world.as(who), 'QuoteRequest:GetQuote', [requestId, world.id(bank)]);
  const accept = (requestId: string, bank: 'bank' | 'bankTwo', termsHash: string) =>
    world.submit<Accepted>(world.as('tier1'), 'QuoteRequest:Accept', [requestId, world.id(bank), 'PLEDGE', termsHash, sha('quote docs')]);

  test('asking leaves the piece free; each bank sees its own quote only; accepting one finances the piece on it and lapses the other', async () => {
    const asked = await request();
    expect(asked).toMatchObject({ status: 'OPEN', holderId: world.id('tier1'), bankIds: [world.id('bank'), world.id('bankTwo')].sort() });
    expect((await world.evaluate<Certificate>(world.as('tier1'), 'Certificate:Get', [certificateId])).status).toBe('ACTIVE');
    const addressed = await world.evaluate<{ items: QuoteRequest[] }>(world.as('bankTwo'), 'QuoteRequest:ListByBank', [world.id('bankTwo'), '10', '']);
    expect(addressed.items.map((r) => r.id)).toEqual([asked.id]);
    const one = await quote('bank', asked.id, 385);
    const two = await quote('bankTwo', asked.id, 350);
    // A quote binds: the bank cannot replace it.
    await world.refused('ALREADY_EXISTS', () => quote('bank', asked.id, 300));
    // The holder reads both, each from its bank's peers; neither bank reads the other's.
    expect((await quoteOf('tier1', asked.id, 'bank')).quote).toMatchObject({ annualRateBps: 385, quoteRequestId: asked.id, applicantId: world.id('tier1') });
    expect((await quoteOf('tier1', asked.id, 'bankTwo')).termsHash).toBe(two.termsHash);
    expect((await quoteOf('bank', asked.id, 'bank')).termsHash).toBe(one.termsHash);
    await world.refused('FORBIDDEN', () => quoteOf('bank', asked.id, 'bankTwo'));
    await world.refused('FORBIDDEN', () => quoteOf('bankTwo', asked.id, 'bank'));
    await world.refused('FORBIDDEN', () => quoteOf('tier2', asked.id, 'bank'));
    expect((await quoteOf('auditor', asked.id, 'bankTwo')).quote).toMatchObject({ annualRateBps: 350 });
    // Another bank's quote hash does not back an acceptance of this one.
    await world.refused('TERMS_MISMATCH', () => accept(asked.id, 'bank', two.termsHash));
    const accepted = await accept(asked.id, 'bankTwo', two.termsHash);
    expect(accepted.quoteRequest).toMatchObject({ status: 'ACCEPTED', acceptedBankId: world.id('bankTwo'), financingId: accepted.financing.id });
    expect(accepted.financing).toMatchObject({ status: 'APPLIED', bankId: world.id('bankTwo'), termsHash: two.termsHash, termsOrg: 'Bank2MSP', quoteRequestId: asked.id });
    expect(accepted.certificate).toMatchObject({ status: 'PLEDGED', lien: { stage: 'APPLIED', bankId: world.id('bankTwo') } });
    // The others lapse: nothing more is quoted or accepted on the request.
    await world.refused('INVALID_STATE', () => accept(asked.id, 'bank', one.termsHash));
    await world.refused('INVALID_STATE', () => quote('bank', asked.id, 300));
    // The accepting bank funds on its quote, at its price.
    const funded = await world.approve('bankTwo', accepted.financing.id, 'PAY-Q-1');
    expect(funded.financing.status).toBe('FUNDED');
  });

  test('the request expires by the transaction time: no quote and no acceptance after it; it reads EXPIRED', async () => {
    const asked = await request(600);
    const { termsHash } = await quote('bank', asked.id, 385);
    world.advance(600);
    await world.refused('QUOTE_EXPIRED', () => quote('bankTwo', asked.id, 350));
    await world.refused('QUOTE_EXPIRED', () => accept(asked.id, 'bank', termsHash));
    expect((await world.evaluate<QuoteRequest>(world.as('bank'), 'QuoteRequest:Get', [asked.id])).status).toBe('EXPIRED');
  });

  test('only the holder asks, only banks asked quote, a quote is not applied on outside its request; the piece may move meanwhile', async () => {
    await world.refused('FORBIDDEN', () => world.submit(world.as('tier2'), 'QuoteRequest:Open', [certificateId, JSON.stringify([world.id('bank')]), world.inSeconds(60)]));
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('tier1'), 'QuoteRequest:Open', [certificateId, JSON.stringify([world.id('tier2')]), world.inSeconds(60)]));
    await world.refused('INVALID_ARGUMENT', () => world.submit(world.as('tier1'), 'QuoteRequest:Open', [certificateId, '[]', world.inSeconds(60)]));
    const asked = await world.submit<QuoteRequest>(world.as('tier1'), 'QuoteRequest:Open', [certificateId, JSON.stringify([world.id('bank')]), world.inSeconds(3600)]);
    await world.refused('FORBIDDEN', () => quote('bankTwo', asked.id, 350));
    await world.refused('FORBIDDEN', () => world.evaluate(world.as('bankTwo'), 'QuoteRequest:Get', [asked.id]));
    const { termsHash } = await quote('bank', asked.id, 385);
    await world.refused('TERMS_MISMATCH', () => world.applyOn('tier1', certificateId, {}, termsHash));
    // Not locked while asked: the holder may still pass the piece on, and then the quote cannot be accepted.
    await world.transfer(certificateId, 'tier1', 'tier2');
    await world.refused('FORBIDDEN', () => accept(asked.id, 'bank', termsHash));
  });

  test('a rival bank\'s peer neither stores nor returns a quote', async () => {
    const asked = await request();
    const rival = new LedgerEngine({ contracts, store: world.engine.store, peerMspId: 'Bank2MSP', clock: () => world.now });
    const quoteDoc = JSON.stringify({ requestedAmount: '900000', annualRateBps: 385, feeAmount: '0', tenorEnd: world.dueIn(60), salt: sha('s') });
    const outcome = await rival.endorse({ identity: world.as('bank'), transaction: 'QuoteRequest:Answer', args: [asked.id], transient: { quote: quoteDoc } })
      .then(() => undefined, (error: unknown) => (error instanceof EndorsementError ? error.code : String(error)));
    expect(outcome).toBe('TERMS_ELSEWHERE');
    await quote('bank', asked.id, 385);
    const read = await rival.evaluate({ identity: world.as('tier1'), transaction: 'QuoteRequest:GetQuote', args: [asked.id, world.id('bank')] })
      .then(() => undefined, (error: unknown) => (error instanceof EndorsementError ? error.code : String(error)));
    expect(read).toBe('TERMS_ELSEWHERE');
  });
});
