import { Info, Returns, Transaction } from 'fabric-contract-api';
import { requireApplicant, requireNamedBank } from '../access/relationships';
import {
  approveFinancing,
  decideTerms,
  priceAsked,
  proposeTerms,
  rejectFinancing,
  releasePledge,
  requireHeldPledge,
  requireDecisionFor,
  requireFundable,
  standingPrice,
} from '../domain/financing-rules';
import { ScfError } from '../domain/errors';
import {
  DecisionInput,
  FinancingId,
  parseArg,
  PaymentRef,
  QuoteInput,
  Reason,
  RepaymentInput,
  Sha256Hex,
  TermsInput,
} from '../domain/inputs';
import type { Certificate, Financing, FundedPledge } from '../domain/model';
import { parseAmount, parseStoredAmount } from '../domain/money';
import {
  confirmSurplus,
  repaymentRecord,
  requireAccount,
  requireRepaidInFull,
  requireRepayable,
  requireRepaymentFor,
  requireSurplusOwed,
  requireWithinOutstanding,
  withRepayment,
} from '../domain/repayment-rules';
import { requireNotQuoted } from '../domain/quote-rules';
import type { EventType } from '../ledger/change-set';
import { businessToday, pricingDay } from './business-day';
import { applicationOf, applyOnTerms } from './financing-application';
import { positionNow, positionWhereKept } from './financing-position';
import { receiptOf } from './receipt';
import { enterpriseListing } from './paging';
import { readableFinancing } from './readable';
import { termsAsked } from './terms-asked';
import { transientJson } from './transient';
import { emit, reply, ScfContract } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

@Info({ title: 'Financing', description: 'Financing (融资) against certificates: apply, approve or reject, repay' })
export class FinancingContract extends ScfContract {
  constructor() {
    super('Financing');
  }

  /**
   * Step 1 of an application, on the chosen bank's peers only: the holder's terms
   * (transient `terms`: {requestedAmount, annualRateBps, feeAmount, tenorEnd, salt}) are
   * checked against the piece and stored in the bank's collection under their hash, which
   * the answer gives. Nothing public changes, so no other peer endorses or sees them.
   */
  @Transaction()
  @Returns('string')
  async ProposeTerms(ctx: ScfContext, certificateId: string, bankId: string): Promise<string> {
    const tx = ctx.tx;
    const { receivable, active, bank, termsOrg } = await applicationOf(tx, certificateId, bankId);
    tx.terms.requireKept(termsOrg, `the terms of an application to ${bank.id}`);
    const input = transientJson(tx, 'terms', TermsInput, '{requestedAmount, annualRateBps, feeAmount, tenorEnd, salt}');
    const request = { ...termsAsked(input), salt: input.salt };
    const proposed = proposeTerms(active, receivable, bank.id, request, tx.now, await pricingDay(tx, termsOrg));
    return reply({ termsHash: await tx.terms.proposeTerms(termsOrg, proposed), termsOrg });
  }

  /**
   * What terms would cost if the bank funded them today, for the holder before it applies:
   * a query on the chosen bank's peers only (transient `terms`: {requestedAmount,
   * annualRateBps, feeAmount, tenorEnd}), checked as ProposeTerms checks them. Nothing is written.
   */
  @Transaction(false)
  @Returns('string')
  async Quote(ctx: ScfContext, certificateId: string, bankId: string): Promise<string> {
    const tx = ctx.tx;
    const { receivable, active, bank, termsOrg } = await applicationOf(tx, certificateId, bankId);
    tx.terms.requireKept(termsOrg, `a quote of ${bank.id}`);
    const asked = termsAsked(
      transientJson(tx, 'terms', QuoteInput, '{requestedAmount, annualRateBps, feeAmount, tenorEnd}'),
    );
    return reply(priceAsked(active, receivable, asked, await pricingDay(tx, termsOrg)));
  }

  /**
   * Step 2, public: the holder applies to a named bank on the terms it proposed, named by
   * their hash. Every peer checks that the bank's collection holds that hash; the bank's
   * peers also check that the terms were proposed for this piece. `mode` PLEDGE keeps the
   * piece with the applicant, locked until repaid; ASSIGNMENT sells it to the bank on
   * approval. The piece is locked from now until the bank decides. `documentsHash` is the
   * SHA-256 of the application's document bundle, attested by the signing identity.
   */
  @Transaction()
  @Returns('string')
  async Apply(
    ctx: ScfContext,
    certificateId: string,
    bankId: string,
    mode: string,
    termsHash: string,
    documentsHash: string,
  ): Promise<string> {
    const tx = ctx.tx;
    const application = await applicationOf(tx, certificateId, bankId);
    const args = { mode, termsHash, documentsHash };
    const { financing, locked } = await applyOnTerms(tx, application, args, requireNotQuoted);
    return emit(tx, { event: 'FinancingApplied', answer: { financing, certificate: locked } });
  }

  /**
   * Step 1 of funding, on the bank's own peers: the named bank decides what it pays out
   * (transient `decision`: {disbursedAmount, salt}), at most what was asked. Stored under
   * its hash in the bank's collection; nothing public changes.
   */
  @Transaction()
  @Returns('string')
  async DecideTerms(ctx: ScfContext, financingId: string): Promise<string> {
    const tx = ctx.tx;
    const financing = await this.addressedToSigner(tx, financingId);
    // What funding will check, checked first: no decision is stored on an application it could not fund.
    requireFundable(
      financing,
      await tx.certificates.get(financing.certificateId),
      await tx.receivables.get(financing.receivableId),
    );
    tx.terms.requireKept(financing.termsOrg, `the terms of financing ${financing.id}`);
    const proposed = await tx.terms.proposed(financing.termsOrg, financing.termsHash);
    if (!proposed) throw new ScfError('TERMS_MISMATCH', `the proposed terms of ${financing.id} are missing`);
    const input = transientJson(tx, 'decision', DecisionInput, '{disbursedAmount, salt}');
    const decision = { ...input, disbursed: parseAmount('decision.disbursedAmount', input.disbursedAmount) };
    const decided = decideTerms(financing, proposed, decision, tx.now, await pricingDay(tx, financing.termsOrg));
    return reply({ decisionHash: await tx.terms.decide(financing.termsOrg, decided) });
  }

  /** Step 2, public: the named bank funds on the decision it stored (named by its hash), with the payment reference. */
  @Transaction()
  @Returns('string')
  async Approve(ctx: ScfContext, financingId: string, decisionHash: string, paymentRef: string): Promise<string> {
    const tx = ctx.tx;
    const financing = await this.addressedToSigner(tx, financingId);
    const certificate = await tx.certificates.get(financing.certificateId);
    const receivable = await tx.receivables.get(financing.receivableId);
    const ref = parseArg('paymentRef', PaymentRef, paymentRef);
    const decision = parseArg('decisionHash', Sha256Hex, decisionHash);
    requireFundable(financing, certificate, receivable);
    await this.requireDecided(tx, financing, decision);
    const outcome = approveFinancing(financing, certificate, receivable, decision, ref, tx.now);
    return this.record(tx, outcome, certificate, 'FinancingFunded');
  }

  @Transaction()
  @Returns('string')
  async Reject(ctx: ScfContext, financingId: string, reason: string): Promise<string> {
    const tx = ctx.tx;
    const financing = await this.addressedToSigner(tx, financingId);
    const certificate = await tx.certificates.get(financing.certificateId);
    const outcome = rejectFinancing(financing, certificate, parseArg('reason', Reason, reason), tx.now);
    return this.record(tx, outcome, certificate, 'FinancingRejected');
  }

  /**
   * Step 1 of a repayment, on the bank's peers only: the applicant records what it repays
   * (transient `repayment`: {amount, salt}), at most what is outstanding today, penalty
   * included. Stored under its hash in the bank's collection; nothing public changes.
   */
  @Transaction()
  @Returns('string')
  async RecordRepayment(ctx: ScfContext, financingId: string): Promise<string> {
    const tx = ctx.tx;
    const financing = await this.owedBySigner(tx, financingId);
    tx.terms.requireKept(financing.termsOrg, `the repayments of financing ${financing.id}`);
    const input = transientJson(tx, 'repayment', RepaymentInput, '{amount, salt}');
    const amount = parseAmount('repayment.amount', input.amount);
    requireWithinOutstanding(await positionNow(tx, financing), amount, true);
    const record = repaymentRecord(financing, amount, input.salt, tx.now);
    return reply({ repaymentHash: await tx.terms.recordRepayment(financing.termsOrg, record) });
  }

  /**
   * Step 2, public: the applicant records the repayment it stored (named by hash) with its
   * payment reference. Every peer checks the bank's collection holds the hash; the bank's
   * peers check it was recorded on this financing and still fits what is outstanding.
   */
  @Transaction()
  @Returns('string')
  async Repay(ctx: ScfContext, financingId: string, repaymentHash: string, repaymentRef: string): Promise<string> {
    const tx = ctx.tx;
    const financing = await this.owedBySigner(tx, financingId);
    const hash = parseArg('repaymentHash', Sha256Hex, repaymentHash);
    const entry = { repaymentHash: hash, ref: parseArg('repaymentRef', PaymentRef, repaymentRef), at: tx.now };
    const next = withRepayment(financing, { ...entry, txId: tx.txId });
    const missing = `no repayment with hash ${hash} was recorded on ${financing.id}`;
    const record = await tx.terms.named(financing.termsOrg, hash, 'repayment', missing);
    const position = await positionWhereKept(tx, financing);
    if (record && position) {
      requireRepaymentFor(record, financing);
      requireWithinOutstanding(position, parseStoredAmount('amount', record.amount), false);
    }
    await tx.financings.save(next);
    return emit(tx, { event: 'RepaymentRecorded', answer: next });
  }

  /**
   * The bank confirms it was repaid in full, with its own reference, and releases the pledge.
   * Its peers refuse while anything is outstanding (`NOT_REPAID`).
   */
  @Transaction()
  @Returns('string')
  async Release(ctx: ScfContext, financingId: string, receiptRef: string): Promise<string> {
    const tx = ctx.tx;
    const financing = await this.addressedToSigner(tx, financingId);
    const certificate = await tx.certificates.get(financing.certificateId);
    const pledge = requireHeldPledge(financing);
    const receipt = receiptOf(tx, parseArg('receiptRef', PaymentRef, receiptRef));
    const outcome = releasePledge(pledge, certificate, receipt);
    const position = await positionWhereKept(tx, pledge);
    if (position) requireRepaidInFull(position);
    return this.record(tx, outcome, certificate, 'FinancingRepaid');
  }

  /**
   * The holder confirms, with its own reference, that the bank paid over the surplus its
   * piece's settlement left beyond the debt. The bank's peers refuse it when none was left.
   */
  @Transaction()
  @Returns('string')
  async ConfirmSurplus(ctx: ScfContext, financingId: string, receiptRef: string): Promise<string> {
    const tx = ctx.tx;
    const financing = await tx.financings.get(parseArg('financingId', FinancingId, financingId));
    requireApplicant(tx.signedBy, financing);
    const next = confirmSurplus(financing, receiptOf(tx, parseArg('receiptRef', PaymentRef, receiptRef)));
    const position = await positionWhereKept(tx, requireAccount(next));
    if (position) requireSurplusOwed(position);
    await tx.financings.save(next);
    return emit(tx, { event: 'SurplusReceived', answer: next });
  }

  /**
   * Where a funded financing's account stands today (amount due, penalty, repaid, collected
   * from settlements, written off, outstanding, overdue days), on the bank's peers only.
   */
  @Transaction(false)
  @Returns('string')
  async GetPosition(ctx: ScfContext, financingId: string): Promise<string> {
    const tx = ctx.tx;
    const financing = await readableFinancing(tx, parseArg('financingId', FinancingId, financingId));
    return reply(await positionNow(tx, requireAccount(financing)));
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: ScfContext, financingId: string): Promise<string> {
    const tx = ctx.tx;
    return reply(await readableFinancing(tx, parseArg('financingId', FinancingId, financingId)));
  }

  /**
   * The private terms of a financing, from the bank's peers (refused elsewhere): for the
   * applicant, the bank, auditors and regulators. Each comes with the salt, so its holder
   * can prove it against the hash every peer keeps. `price` is the decided price, or for an
   * open application what funding it today would disburse.
   */
  @Transaction(false)
  @Returns('string')
  async GetTerms(ctx: ScfContext, financingId: string): Promise<string> {
    const tx = ctx.tx;
    const financing = await readableFinancing(tx, parseArg('financingId', FinancingId, financingId));
    const proposed = await tx.terms.proposed(financing.termsOrg, financing.termsHash);
    const decided =
      'decisionHash' in financing ? await tx.terms.decided(financing.termsOrg, financing.decisionHash) : undefined;
    const day = await pricingDay(tx, financing.termsOrg);
    return reply({
      financingId: financing.id,
      termsOrg: financing.termsOrg,
      proposed: proposed ?? null,
      decided: decided ?? null,
      price: proposed ? standingPrice(financing, proposed, decided, day) : null,
    });
  }

  /** Applications addressed to a bank, one page at a time. */
  @Transaction(false)
  @Returns('string')
  async ListByBank(ctx: ScfContext, bankId: string, pageSize: string, bookmark: string): Promise<string> {
    return this.list(ctx.tx, 'bank', bankId, pageSize, bookmark);
  }

  @Transaction(false)
  @Returns('string')
  async ListByApplicant(ctx: ScfContext, applicantId: string, pageSize: string, bookmark: string): Promise<string> {
    return this.list(ctx.tx, 'applicant', applicantId, pageSize, bookmark);
  }

  private async list(
    tx: TxScope,
    party: 'bank' | 'applicant',
    enterpriseId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    return reply(
      await enterpriseListing(
        tx,
        enterpriseId,
        pageSize,
        bookmark,
        (id, size, mark) => tx.financings.pageIds(party, id, size, mark),
        (id) => tx.financings.get(id),
      ),
    );
  }

  /** A decision or repayment changes the financing and its certificate together. */
  private async record(
    tx: TxScope,
    outcome: { financing: Financing; certificate: Certificate },
    previous: Certificate,
    type: EventType,
  ): Promise<string> {
    await tx.financings.save(outcome.financing);
    await tx.certificates.save(outcome.certificate, previous);
    return emit(tx, { event: type, answer: outcome });
  }

  private async requireDecided(tx: TxScope, financing: Financing, decisionHash: string): Promise<void> {
    const missing = `no decision with hash ${decisionHash} was stored for ${financing.id}`;
    const decided = await tx.terms.named(financing.termsOrg, decisionHash, 'decided', missing);
    if (decided) requireDecisionFor(decided, financing, await businessToday(tx));
  }

  /** A funded pledge of the signer's, with something to repay. */
  private async owedBySigner(tx: TxScope, financingId: string): Promise<FundedPledge> {
    const financing = await tx.financings.get(parseArg('financingId', FinancingId, financingId));
    requireApplicant(tx.signedBy, financing);
    return requireRepayable(financing);
  }

  /** Only the bank an application names decides it. */
  private async addressedToSigner(tx: TxScope, financingId: string): Promise<Financing> {
    const financing = await tx.financings.get(parseArg('financingId', FinancingId, financingId));
    requireNamedBank(tx.signedBy, financing);
    return financing;
  }
}
