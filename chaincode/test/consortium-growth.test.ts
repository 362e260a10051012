import { randomBytes } from 'crypto';
import type { Certificate, ConsortiumConfig, Financing } from '../src/domain/model';
import { LocalCertificateAuthority, type LocalIdentity } from '../src/engine/local-ca';
import type { Cleared, FinancingWithCertificate, Split } from './support/answers';
import { sha } from './support/fixtures';
import { checkInvariants } from './support/invariants';
import { World } from './support/world';

const DAY = 86_400;

/** An enterprise Bank3's admin onboards: registered, with one Bank3MSP identity bound to it. */
async function onboardAtBank3(world: World, admin: LocalIdentity, ca: LocalCertificateAuthority,
  enterprise: { id: string; roles: string[]; registrationNumber: string }): Promise<LocalIdentity> {
  const identity = await ca.issue({ commonName: `${enterprise.id.slice('did:scf:'.length)}@bank3` });
  await world.submit(admin, 'Enterprise:Register', [enterprise.id, `${enterprise.id} Co., Ltd.`, JSON.stringify(enterprise.roles)],
    { registrationNumber: enterprise.registrationNumber });
  await world.submit(admin, 'Enterprise:BindIdentity', [enterprise.id, 'Bank3MSP', identity.clientId]);
  return identity;
}

const salt = (): string => randomBytes(32).toString('hex');

describe('the consortium grows (issue #16): a third bank joins by governance, and its customer finances and is paid for pieces issued before', () => {
  test('Bank3 joins, onboards a supplier and a bank; a founder\'s supplier passes it old pieces; it finances one at Bank3\'s bank; at maturity both are paid', async () => {
    const world = await World.create();
    // Before Bank3 exists: coreA (Bank1's customer) owes tier1 (Bank1's) 1,000,000, due in 30 days.
    const { receivableId, certificateId } = await world.issued('coreA', 'tier1', '1000000', 30);
    await checkInvariants(world);

    // Bank3MSP joins by a majority of the founders (2 of 2), then onboards its customers.
    const ca = await LocalCertificateAuthority.create('Bank3MSP');
    const admin3 = await ca.issue({ commonName: 'admin@bank3', type: 'admin' });
    await world.refused('FORBIDDEN', () => world.submit(admin3, 'Enterprise:Register', ['did:scf:supplier-b3', 'Early', '["SUPPLIER"]'],
      { registrationNumber: '91330000MA2BANK3S1' }));
    expect(await world.govern('addBank', { mspId: 'Bank3MSP' })).toMatchObject({ status: 'APPLIED' });
    expect((await world.evaluate<ConsortiumConfig>(world.admins.bank1, 'Consortium:GetConfig')).bankMspIds).toEqual(['Bank1MSP', 'Bank2MSP', 'Bank3MSP']);
    const supplier = await onboardAtBank3(world, admin3, ca, { id: 'did:scf:supplier-b3', roles: ['SUPPLIER'], registrationNumber: '91330000MA2BANK3S1' });
    const bank3 = await onboardAtBank3(world, admin3, ca, { id: 'did:scf:bank-three', roles: ['BANK'], registrationNumber: '91330000MA2BANK3B1' });
    expect(await world.evaluate(supplier, 'Enterprise:WhoAmI')).toMatchObject({ id: 'did:scf:supplier-b3', onboardedByMsp: 'Bank3MSP' });

    // tier1 splits the piece issued before the join and passes two parts to Bank3's supplier.
    const { children } = await world.submit<Split>(world.as('tier1'), 'Certificate:Split', [certificateId, '["500000","300000","200000"]']);
    const [kept, financed, held] = children.map((c) => c.id) as [string, string, string];
    for (const piece of [financed, held]) {
      await world.submit(world.as('tier1'), 'Certificate:OfferTransfer', [piece, 'did:scf:supplier-b3', world.inSeconds(3600)]);
      expect(await world.submit<Certificate>(supplier, 'Certificate:AcceptTransfer', [piece])).toMatchObject({ holderId: 'did:scf:supplier-b3' });
    }
    await checkInvariants(world);

    // Bank3's supplier finances one at Bank3's bank: the terms are kept by Bank3MSP.
    const terms = { requestedAmount: '290000', annualRateBps: 410, feeAmount: '500', tenorEnd: world.dueIn(30), salt: salt() };
    const { termsHash } = await world.submit<{ termsHash: string }>(supplier, 'Financing:ProposeTerms', [financed, 'did:scf:bank-three'],
      { terms: JSON.stringify(terms) });
    const applied = await world.submit<FinancingWithCertificate>(supplier, 'Financing:Apply',
      [financed, 'did:scf:bank-three', 'PLEDGE', termsHash, sha('bank3 application')]);
    expect(applied.financing).toMatchObject({ termsOrg: 'Bank3MSP', status: 'APPLIED' });
    // Bank3's peers price it: 290000 less 30 days' interest at 4.10% (ACT/360) less the fee.
    const { price } = await world.evaluate<{ price: { disbursedAmount: string } }>(bank3, 'Financing:GetTerms', [applied.financing.id]);
    expect(price.disbursedAmount).toBe('288510');
    const { decisionHash } = await world.submit<{ decisionHash: string }>(bank3, 'Financing:DecideTerms', [applied.financing.id],
      { decision: JSON.stringify({ disbursedAmount: price.disbursedAmount, salt: salt() }) });
    const funded = await world.submit<FinancingWithCertificate>(bank3, 'Financing:Approve', [applied.financing.id, decisionHash, 'PAY-B3-1']);
    expect(funded.financing).toMatchObject<Partial<Financing>>({ status: 'FUNDED' });
    expect(funded.certificate).toMatchObject({ status: 'PLEDGED', lien: { bankId: 'did:scf:bank-three', stage: 'PLEDGED' } });
    await checkInvariants(world);

    // At maturity coreA pays once; every current holder is paid its part, Bank3's bank for the pledged piece.
    world.advance(30 * DAY);
    const paid = await world.submit<Cleared>(world.as('coreA'), 'Settlement:Pay', [receivableId, '1000000', 'CNAPS-B3-1', '10']);
    expect(paid.settlement).toMatchObject({ status: 'CLEARED', clearedAmount: '1000000' });
    expect(paid.receivable).toMatchObject({ status: 'SETTLED', settledAmount: '1000000' });
    const byPiece = Object.fromEntries(paid.payouts.map((p) => [p.certificateId, p]));
    expect(byPiece[kept]).toMatchObject({ payeeId: world.id('tier1'), amount: '500000', basis: 'HOLDER' });
    expect(byPiece[financed]).toMatchObject({ payeeId: 'did:scf:bank-three', amount: '300000', basis: 'PLEDGEE' });
    expect(byPiece[held]).toMatchObject({ payeeId: 'did:scf:supplier-b3', amount: '200000', basis: 'HOLDER' });
    // Each reads what it is owed.
    expect(await world.evaluate(supplier, 'Settlement:PayoutsTo', ['did:scf:supplier-b3', '10', ''])).toMatchObject({ items: [{ certificateId: held, amount: '200000' }] });
    expect(await world.evaluate(bank3, 'Settlement:PayoutsTo', ['did:scf:bank-three', '10', ''])).toMatchObject({ items: [{ certificateId: financed, amount: '300000' }] });
    await checkInvariants(world);
  });
});
