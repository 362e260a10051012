import type { TransactionName } from '@scf/chaincode';
import type { LocalIdentity } from '@scf/chaincode/engine';
import type { Credential, Receivable } from '../../chaincode/src/domain/model';
import type { Accepted, Cleared, OfferedPart, Split } from '../../chaincode/test/support/answers';
import { sha, World } from '../../chaincode/test/support/world';
import { openApiDocument } from '../src/http/openapi';
import { OPERATIONS } from '../src/http/operations';
import { OpenApiValidator } from './support/openapi-validator';

/** Where the REST API exposes each transaction: its route, the status of its success, and whether it is a write. */
interface Exposure { readonly method: string; readonly template: string; readonly status: number; readonly write: boolean }

function exposures(): Map<string, Exposure[]> {
  const byTransaction = new Map<string, Exposure[]>();
  const add = (transaction: string, exposure: Exposure) => byTransaction.set(transaction, [...(byTransaction.get(transaction) ?? []), exposure]);
  for (const op of OPERATIONS) {
    // A flow's answer is the gateway's own, checked over HTTP against the document (see api.test.ts).
    if (!('call' in op)) continue;
    const exposure = { method: op.method, template: op.path.replace(/:(\w+)/g, '{$1}'), status: op.status ?? 200, write: op.mode === 'submit' };
    // The offer operation is OfferTransfer without an amount and OfferPart with one.
    const transactions = new Set([{}, { amount: '1' }].map((body) => op.call({ params: { id: 'x', kind: 'certificate' }, body, query: { pageSize: 1, bookmark: '' } }).transaction));
    transactions.forEach((transaction) => add(transaction, exposure));
  }
  add('Identity:RotateKey', { method: 'post', template: '/me/key-rotations', status: 201, write: true });
  return byTransaction;
}

/**
 * The chaincode's real answers, on the embedded engine with a clock the test moves (so that
 * payments at maturity can be made): each reply of a transaction the REST API exposes must
 * match what the document declares for that route, as a read's body or a write's `result`.
 */
describe('the OpenAPI document describes what the contracts answer', () => {
  test('every transaction the REST API exposes, through a whole life cycle, answers as documented', async () => {
    const validator = new OpenApiValidator(openApiDocument('test'));
    const exposed = exposures();
    const seen = new Set<string>();
    const mismatches: string[] = [];
    const world = await World.create();
    const check = (transaction: string, result: unknown) => {
      for (const { method, template, status, write } of exposed.get(transaction) ?? []) {
        seen.add(transaction);
        const body = write ? { txId: 'e'.repeat(64), blockNumber: 1, result, attempts: 1 } : result;
        const url = template.replace(/\{\w+\}/g, 'x');
        mismatches.push(...validator.check({ method, url, status, contentType: 'application/json', body }).map((p) => `${transaction}: ${p.detail}`));
      }
    };
    const submit = async <T>(who: LocalIdentity, transaction: TransactionName, args: string[], transient?: Record<string, string>) => {
      const result = await world.submit<T>(who, transaction, args, transient);
      check(transaction, result);
      return result;
    };
    const evaluate = async (who: LocalIdentity, transaction: string, args: string[] = [], transient?: Record<string, string>) => {
      const bytes = await world.engine.evaluate({ identity: who, transaction, args, ...(transient ? { transient } : {}) });
      const result = JSON.parse(Buffer.from(bytes).toString('utf8'));
      check(transaction, result);
      return result;
    };
    const { as, id } = { as: world.as.bind(world), id: world.id.bind(world) };

    // Enterprises and identity.
    await evaluate(as('tier1'), 'Enterprise:WhoAmI');
    await evaluate(as('bank'), 'Enterprise:Get', [id('tier1')]);
    await submit(as('tier1'), 'Identity:SetServices', [JSON.stringify([{ id: '#invoices', type: 'InvoiceApi', endpoint: 'https://erp.tier1.example/api' }])]);
    await evaluate(as('auditor'), 'Identity:GetDidDocument', [id('tier1')]);
    await submit(as('coreB'), 'Identity:SetGuardians', [JSON.stringify([id('tier2'), id('tier3')]), '2']);
    const replacement = await world.cas.bank2.issue({ commonName: 'core-b-recovered' });
    await submit(as('tier2'), 'Identity:ProposeRecovery', [id('coreB'), 'Bank2MSP', replacement.clientId, world.inSeconds(86_400)]);
    await evaluate(as('tier3'), 'Identity:GetRecovery', [id('coreB')]);
    await submit(as('tier3'), 'Identity:ApproveRecovery', [id('coreB')]);
    const another = await world.cas.bank2.issue({ commonName: 'core-b-recovered-again' });
    await submit(as('tier2'), 'Identity:ProposeRecovery', [id('coreB'), 'Bank2MSP', another.clientId, world.inSeconds(86_400)]);
    await submit(as('tier3'), 'Identity:CancelRecovery', [id('coreB'), 'proposed in error']);
    await submit(world.admins.bank1, 'Enterprise:Suspend', [id('tier3'), 'KYC review']);
    await submit(world.admins.bank1, 'Enterprise:Reinstate', [id('tier3')]);
    const spare = await world.cas.bank1.issue({ commonName: 'tier1-spare' });
    await submit(world.admins.bank1, 'Enterprise:BindIdentity', [id('tier1'), 'Bank1MSP', spare.clientId]);
    await submit(world.admins.bank1, 'Enterprise:UnbindIdentity', ['Bank1MSP', spare.clientId]);

    // Governance: a change both banks approve, and the configuration it changed.
    const proposal = await submit<{ id: string }>(world.admins.bank1, 'Governance:Propose', ['suspendBank', JSON.stringify({ mspId: 'Bank2MSP', reason: 'review' }), world.inSeconds(3600)]);
    await evaluate(world.admins.bank2, 'Governance:Get', [proposal.id]);
    await submit(world.admins.bank2, 'Governance:Approve', [proposal.id]);
    await evaluate(as('regulator'), 'Governance:List', ['10', '']);
    await evaluate(as('coreA'), 'Consortium:GetConfig');
    await world.govern('reinstateBank', { mspId: 'Bank2MSP' });

    // A receivable, split, offered in every way, financed and frozen.
    const invoice = world.invoice('tier1', 'coreA');
    const issued = await submit<Receivable>(as('coreA'), 'Receivable:Issue',
      [id('tier1'), '1000000', 'CNY', world.dueIn(30), sha(`invoice ${invoice}`), sha('contract'), world.lineOf('coreA')], { invoice });
    const refusedInvoice = world.invoice('tier1', 'coreA');
    const unwanted = await submit<Receivable>(as('coreA'), 'Receivable:Issue',
      [id('tier1'), '5000', 'CNY', world.dueIn(30), sha(`invoice ${refusedInvoice}`), sha('contract'), world.lineOf('coreA')], { invoice: refusedInvoice });
    await submit(as('tier1'), 'Receivable:Refuse', [unwanted.id, 'wrong goods']);
    const { certificate: root } = await submit<Accepted>(as('tier1'), 'Receivable:Accept', [issued.id]);
    await evaluate(as('auditor'), 'Receivable:Get', [issued.id]);
    const { children } = await submit<Split>(as('tier1'), 'Certificate:Split', [root.id, '["500000","300000","200000"]']);
    const [a, b, c] = children.map((piece) => piece.id) as [string, string, string];
    const part = await submit<OfferedPart>(as('tier1'), 'Certificate:OfferPart', [a, '100000', id('tier2'), world.inSeconds(3600)]);
    await submit(as('tier2'), 'Certificate:AcceptTransfer', [part.offered.id]);
    await submit(as('tier1'), 'Certificate:OfferPart', [b, '300000', id('tier2'), world.inSeconds(3600)]);
    await submit(as('tier2'), 'Certificate:RefuseTransfer', [b]);
    await submit(as('tier1'), 'Certificate:OfferTransfer', [b, id('tier2'), world.inSeconds(3600)]);
    await submit(as('tier1'), 'Certificate:CancelOffer', [b]);
    await submit(as('tier1'), 'Certificate:OfferTransfer', [b, id('tier2'), world.inSeconds(3600)]);
    await evaluate(as('tier2'), 'Certificate:ListOffersTo', [id('tier2'), '10', '']);
    await evaluate(as('tier1'), 'Certificate:ListByHolder', [id('tier1'), '10', '']);
    await evaluate(as('tier1'), 'Certificate:Get', [b]);
    // Applying and funding are flows of the gateway (their answers are checked over HTTP); the steps run here.
    const pledge = await world.apply('tier1', c, { amount: '190000', tenorEnd: world.dueIn(29) });
    await world.approve('bank', pledge.financing.id, 'DISB-1');
    // Repaying is a flow (its answer is checked over HTTP); the bank's release is one transaction.
    await world.repay('tier1', pledge.financing.id, (await world.position('tier1', pledge.financing.id)).outstanding);
    await submit(as('bank'), 'Financing:Release', [pledge.financing.id, 'RCPT-1']);
    // A pledge of half a small receivable, left to its settlement: the bank is paid the debt, the holder the surplus.
    const surplusInvoice = world.invoice('tier1', 'coreA');
    const small = await submit<Receivable>(as('coreA'), 'Receivable:Issue',
      [id('tier1'), '200000', 'CNY', world.dueIn(30), sha(`invoice ${surplusInvoice}`), sha('contract'), world.lineOf('coreA')], { invoice: surplusInvoice });
    const { certificate: smallRoot } = await submit<Accepted>(as('tier1'), 'Receivable:Accept', [small.id]);
    const halfPledge = await world.apply('tier1', smallRoot.id, { amount: '100000', tenorEnd: world.dueIn(29) });
    await world.approve('bank', halfPledge.financing.id, 'DISB-2');
    const declined = await world.apply('tier1', part.remainder.id, { mode: 'ASSIGNMENT', amount: '390000', rateBps: 400, fee: '1000', tenorEnd: world.dueIn(29) });
    await submit(as('bank'), 'Financing:Reject', [declined.financing.id, 'not this quarter']);
    // Competing quotes: asked publicly, quoted on the bank's peers (a private step, run here), accepted publicly.
    const quoteAsked = await submit<{ id: string }>(as('tier2'), 'QuoteRequest:Open', [part.offered.id, JSON.stringify([id('bank')]), world.inSeconds(3600)]);
    const { termsHash: quoteHash } = await world.submit<{ termsHash: string }>(as('bank'), 'QuoteRequest:Answer', [quoteAsked.id],
      { quote: JSON.stringify({ requestedAmount: '50000', annualRateBps: 400, feeAmount: '0', tenorEnd: world.dueIn(29), salt: sha('quote salt') }) });
    await evaluate(as('bank'), 'QuoteRequest:ListByBank', [id('bank'), '10', '']);
    await submit(as('tier2'), 'QuoteRequest:Accept', [quoteAsked.id, id('bank'), 'PLEDGE', quoteHash, sha('quote docs')]);
    await evaluate(as('tier2'), 'QuoteRequest:Get', [quoteAsked.id]);
    await evaluate(as('bank'), 'Financing:Get', [pledge.financing.id]);
    await evaluate(as('bank'), 'Financing:ListByBank', [id('bank'), '10', '']);
    await evaluate(as('tier1'), 'Financing:ListByApplicant', [id('tier1'), '10', '']);
    await submit(as('regulator'), 'Regulator:Freeze', ['certificate', c, 'court order']);
    await submit(as('regulator'), 'Regulator:Unfreeze', ['certificate', c]);
    await submit(as('regulator'), 'Regulator:Freeze', ['receivable', issued.id, 'investigation']);
    await submit(as('regulator'), 'Regulator:Unfreeze', ['receivable', issued.id]);
    await evaluate(as('coreA'), 'Receivable:ListByDebtor', [id('coreA'), '10', '']);
    await evaluate(as('tier1'), 'Receivable:ListByCreditor', [id('tier1'), '10', '']);

    // Credit lines and credentials.
    const line = world.lineOf('coreA');
    await world.setLimit('bank', line, '2000000000000');
    await submit(as('bank'), 'CreditLine:Freeze', [line]);
    await submit(as('bank'), 'CreditLine:Unfreeze', [line]);
    await evaluate(as('coreA'), 'CreditLine:Get', [line]);
    await evaluate(as('auditor'), 'CreditLine:ListByCore', [id('coreA'), '10', '']);
    await evaluate(as('bank'), 'CreditLine:ListByBank', [id('bank'), '10', '']);
    await world.grantLine('bank', 'coreB', '50000000', 365 * 86400, 'USD');
    const claims = JSON.stringify({ nonce: 'b3f1c9a07e5d4c2a', kyc: 'passed' });
    const credential = await submit<Credential>(as('bank'), 'Credential:Issue', [id('tier1'), 'KYC', world.inSeconds(30 * 86400)], { claims });
    await evaluate(as('coreA'), 'Credential:Verify', [credential.id]);
    await evaluate(as('coreA'), 'Credential:Verify', [credential.id], { claims });
    await evaluate(as('coreA'), 'Credential:ListBySubject', [id('tier1')]);
    await evaluate(as('tier1'), 'Credential:GetClaims', [credential.id]);
    await submit(as('bank'), 'Credential:Revoke', [credential.id, 'superseded']);

    // Audit views.
    await evaluate(as('auditor'), 'Trace:Tree', [issued.id]);
    await evaluate(as('auditor'), 'Trace:Lineage', [part.offered.id]);
    await evaluate(as('auditor'), 'Trace:Attestations', ['receivable', issued.id]);
    await evaluate(as('auditor'), 'Trace:Attestations', ['financing', pledge.financing.id]);

    // Payment at maturity, cleared page by page.
    world.advance(31 * 86400);
    const paid = await submit<Cleared>(as('coreA'), 'Settlement:Pay', [issued.id, '400000', 'CNAPS-1', '1']);
    const cleared = await submit<Cleared>(as('coreA'), 'Settlement:ClearNext', [paid.settlement.id, '200']);
    await submit(as('bank'), 'Settlement:ConfirmPayment', [paid.settlement.id, 'BANK-RCPT-1']);
    const payout = [...paid.payouts, ...cleared.payouts].find((p) => p.payeeId === id('tier1'))!;
    await submit(as('tier1'), 'Settlement:ConfirmPayout', [paid.settlement.id, payout.certificateId, 'T1-RCPT-1']);
    await evaluate(as('coreA'), 'Settlement:Get', [paid.settlement.id]);
    await evaluate(as('tier1'), 'Settlement:ListByReceivable', [issued.id]);
    await evaluate(as('tier1'), 'Settlement:PayoutsTo', [id('tier1'), '10', '']);
    await submit(as('coreA'), 'Settlement:Pay', [small.id, '200000', 'CNAPS-2', '10']);
    await submit(as('tier1'), 'Financing:ConfirmSurplus', [halfPledge.financing.id, 'T1-SURPLUS-1']);
    for (const [kind, key] of [['certificate', c], ['receivable', issued.id], ['enterprise', id('tier3')], ['creditLine', line],
      ['financing', pledge.financing.id], ['settlement', paid.settlement.id]] as const) {
      await evaluate(as('auditor'), 'Trace:History', [kind, key]);
    }

    // Users and four eyes: tier 1's admin adds a maker and a checker, the policy is set by four eyes, a proposal is rejected.
    const [maker, checker] = [await world.cas.bank1.issue({ commonName: 'maker@t1' }), await world.cas.bank1.issue({ commonName: 'checker@t1' })];
    await world.submit(as('tier1'), 'User:Add', [maker.mspId, maker.clientId, 'VIEWER']);
    await world.submit(as('tier1'), 'User:Add', [checker.mspId, checker.clientId, 'CHECKER']);
    await submit(as('tier1'), 'User:SetRole', [maker.mspId, maker.clientId, 'MAKER']);
    await evaluate(as('tier1'), 'User:List', [id('tier1')]);
    const expiresAt = world.inSeconds(3600);
    const policy = await submit<{ id: string; argsHash: string }>(as('tier1'), 'Instruction:Propose', ['Instruction:SetPolicy', JSON.stringify(['{"Certificate:OfferTransfer":"0"}']), expiresAt]);
    await submit(checker, 'Instruction:Approve', [policy.id, policy.argsHash]);
    const offer = await submit<{ id: string }>(maker, 'Instruction:Propose', ['Certificate:OfferTransfer', JSON.stringify([c, id('tier2'), expiresAt]), expiresAt]);
    await evaluate(checker, 'Instruction:Get', [offer.id]);
    await evaluate(checker, 'Instruction:ListPending', [id('tier1'), '10', '']);
    await submit(checker, 'Instruction:Reject', [offer.id, 'not now']);
    await submit(as('tier1'), 'User:Remove', [maker.mspId, maker.clientId]);

    // Keys last: the rotated and deactivated enterprises act no more.
    const fresh = await world.cas.bank2.issue({ commonName: 'tier2-2027' });
    await submit(as('tier2'), 'Identity:RotateKey', [fresh.clientId]);
    await submit(as('tier3'), 'Identity:Deactivate', ['business closed']);

    expect(mismatches).toEqual([]);
    expect([...exposed.keys()].filter((transaction) => !seen.has(transaction))).toEqual([]);
  }, 120_000);
});
