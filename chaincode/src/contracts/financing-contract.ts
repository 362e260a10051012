import { Info, Returns, Transaction } from 'fabric-contract-api';
import { requireApplicant, requireHolder, requireNamedBank } from '../access/relationships';
import { requireTradable } from '../domain/certificate-rules';
import { requireActiveBank } from '../domain/enterprise-rules';
import {
  applyForFinancing,
  approveFinancing,
  rejectFinancing,
  repayFinancing,
  requireFundable,
} from '../domain/financing-rules';
import {
  BasisPoints,
  CertificateId,
  EnterpriseId,
  FinancingId,
  FinancingMode,
  parseArg,
  PaymentRef,
  Reason,
  Sha256Hex,
} from '../domain/inputs';
import type { Certificate, Financing } from '../domain/model';
import type { EventType } from '../ledger/change-set';
import { parseAmount, parseStoredAmount } from '../domain/money';
import { parseDate } from '../domain/time';
import { attestDocuments } from './attestations';
import { enterpriseListing } from './paging';
import { readableFinancing } from './readable';
import { emit, reply, ScfContract } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

@Info({ title: 'Financing', description: 'Financing (融资) against certificates: apply, approve or reject, repay' })
export class FinancingContract extends ScfContract {
  constructor() {
    super('Financing');
  }

  /**
   * The holder applies to a named bank. `mode` PLEDGE keeps the piece with the applicant,
   * locked until repaid; ASSIGNMENT sells it to the bank on approval. The piece is locked
   * from now until the bank decides. `documentsHash` is the SHA-256 of the application's
   * document bundle, attested by the signing identity.
   */
  @Transaction()
  @Returns('string')
  async Apply(
    ctx: ScfContext,
    certificateId: string,
    bankId: string,
    mode: string,
    requestedAmount: string,
    annualRateBps: string,
    feeAmount: string,
    tenorEnd: string,
    documentsHash: string,
  ): Promise<string> {
    const tx = ctx.tx;
    const certificate = await tx.certificates.get(parseArg('certificateId', CertificateId, certificateId));
    requireHolder(tx.signedBy, certificate);
    const receivable = await tx.receivables.get(certificate.receivableId);
    const active = requireTradable(certificate, receivable, tx.now, 'financed');
    const bank = await tx.enterprises.get(parseArg('bankId', EnterpriseId, bankId));
    requireActiveBank(bank);
    const { financing, locked } = applyForFinancing(
      active,
      receivable,
      {
        bankId: bank.id,
        mode: parseArg('mode', FinancingMode, mode),
        annualRateBps: parseArg('annualRateBps', BasisPoints, annualRateBps),
        feeAmount: parseStoredAmount('feeAmount', feeAmount),
        tenorEnd: parseDate('tenorEnd', tenorEnd),
        requestedAmount: parseAmount('requestedAmount', requestedAmount),
      },
      tx.now,
      tx.txId,
    );
    await tx.financings.save(financing, true);
    await tx.certificates.save(locked, certificate);
    await attestDocuments(tx, 'financing', financing.id, {
      documentsHash: parseArg('documentsHash', Sha256Hex, documentsHash),
    });
    return emit(tx, { event: 'FinancingApplied', answer: { financing, certificate: locked } });
  }

  /** The named bank funds the application, recording the disbursement's off-chain payment reference. */
  @Transaction()
  @Returns('string')
  async Approve(ctx: ScfContext, financingId: string, disbursedAmount: string, paymentRef: string): Promise<string> {
    const tx = ctx.tx;
    const financing = await this.addressedToSigner(tx, financingId);
    const certificate = await tx.certificates.get(financing.certificateId);
    const receivable = await tx.receivables.get(financing.receivableId);
    const ref = parseArg('paymentRef', PaymentRef, paymentRef);
    requireFundable(financing, certificate, receivable);
    const outcome = approveFinancing(
      financing,
      certificate,
      receivable,
      parseAmount('disbursedAmount', disbursedAmount),
      ref,
      tx.now,
    );
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

  /** The applicant records repaying the bank (off-chain reference); the pledge is released. */
  @Transaction()
  @Returns('string')
  async Repay(ctx: ScfContext, financingId: string, repaymentRef: string): Promise<string> {
    const tx = ctx.tx;
    const financing = await tx.financings.get(parseArg('financingId', FinancingId, financingId));
    requireApplicant(tx.signedBy, financing);
    const certificate = await tx.certificates.get(financing.certificateId);
    const outcome = repayFinancing(financing, certificate, parseArg('repaymentRef', PaymentRef, repaymentRef), tx.now);
    return this.record(tx, outcome, certificate, 'FinancingRepaid');
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: ScfContext, financingId: string): Promise<string> {
    const tx = ctx.tx;
    return reply(await readableFinancing(tx, parseArg('financingId', FinancingId, financingId)));
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

  /** Only the bank an application names decides it. */
  private async addressedToSigner(tx: TxScope, financingId: string): Promise<Financing> {
    const financing = await tx.financings.get(parseArg('financingId', FinancingId, financingId));
    requireNamedBank(tx.signedBy, financing);
    return financing;
  }
}
