import { Info, Returns, Transaction } from 'fabric-contract-api';
import { requireHolder, requireOfferRecipient } from '../access/relationships';
import {
  acceptTransfer,
  type ActiveCertificate,
  asOf,
  cancelOffer,
  offerTransfer,
  refuseTransfer,
  requireSplittable,
  requireTradable,
  splitCertificate,
} from '../domain/certificate-rules';
import { requireCertificateRecipient } from '../domain/enterprise-rules';
import { ScfError } from '../domain/errors';
import { AmountList, CertificateId, EnterpriseId, parseArg, parseJsonArg } from '../domain/inputs';
import type { Certificate } from '../domain/model';
import { parseAmount, parseStoredAmount, remainderOf } from '../domain/money';
import { parseInstant } from '../domain/time';
import { enterpriseListing } from './paging';
import { readableCertificate } from './readable';
import { emit, reply, ScfContract } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

@Info({
  title: 'Certificate',
  description: 'Digital debt certificates: split, offered, signed for or refused down the supply chain',
})
export class CertificateContract extends ScfContract {
  constructor() {
    super('Certificate');
  }

  /** `amountsJson`: a JSON array of 2..N amounts (strings of minor units) summing to the piece's amount. */
  @Transaction()
  @Returns('string')
  async Split(ctx: ScfContext, certificateId: string, amountsJson: string): Promise<string> {
    const tx = ctx.tx;
    const parent = await this.heldCertificate(tx, certificateId);
    const amounts = parseJsonArg('amounts', AmountList, amountsJson);
    const active = requireTradable(parent, await tx.receivables.get(parent.receivableId), tx.now, 'split');
    const limits = (await tx.consortium.get()).limits;
    requireSplittable(active, amounts.length, limits);
    const parsed = amounts.map((raw, i) => parseAmount(`amounts[${i}]`, raw));
    const { retired, children } = splitCertificate(active, parsed, limits, tx.now, tx.txId);
    await this.saveSplit(tx, parent, retired, children);
    return emit(tx, { event: 'CertificateSplit', answer: { parent: retired, children } });
  }

  @Transaction()
  @Returns('string')
  async OfferTransfer(
    ctx: ScfContext,
    certificateId: string,
    toEnterpriseId: string,
    expiresAt: string,
  ): Promise<string> {
    const tx = ctx.tx;
    const certificate = await this.heldCertificate(tx, certificateId);
    const active = requireTradable(certificate, await tx.receivables.get(certificate.receivableId), tx.now, 'offered');
    const offered = await this.offer(tx, active, toEnterpriseId, expiresAt);
    await tx.certificates.save(offered, certificate);
    return emit(tx, { event: 'TransferOffered', answer: offered });
  }

  /**
   * Offers part of a piece in one transaction: splits off `amount` and offers it; the
   * remainder stays with the holder. The whole amount simply offers the whole piece.
   */
  @Transaction()
  @Returns('string')
  async OfferPart(
    ctx: ScfContext,
    certificateId: string,
    amount: string,
    toEnterpriseId: string,
    expiresAt: string,
  ): Promise<string> {
    const tx = ctx.tx;
    const certificate = await this.heldCertificate(tx, certificateId);
    const active = requireTradable(certificate, await tx.receivables.get(certificate.receivableId), tx.now, 'offered');
    const part = parseAmount('amount', amount);
    const whole = parseStoredAmount('amount', active.amount);
    if (part > whole) {
      throw new ScfError(
        'INVALID_ARGUMENT',
        `amount ${part} exceeds the ${whole} that certificate ${certificate.id} holds`,
      );
    }
    if (part === whole) {
      const offered = await this.offer(tx, active, toEnterpriseId, expiresAt);
      await tx.certificates.save(offered, certificate);
      return emit(tx, { event: 'TransferOffered', answer: { offered, remainder: null } });
    }
    const limits = (await tx.consortium.get()).limits;
    const { retired, children } = splitCertificate(active, [part, remainderOf(whole, part)], limits, tx.now, tx.txId);
    const [piece, remainder] = children as [ActiveCertificate, ActiveCertificate];
    const offered = await this.offer(tx, piece, toEnterpriseId, expiresAt);
    await this.saveSplit(tx, certificate, retired, [offered, remainder]);
    return emit(tx, { event: 'TransferOffered', answer: { offered, remainder, parent: retired } });
  }

  @Transaction()
  @Returns('string')
  async AcceptTransfer(ctx: ScfContext, certificateId: string): Promise<string> {
    const tx = ctx.tx;
    const certificate = await tx.certificates.get(parseArg('certificateId', CertificateId, certificateId));
    requireOfferRecipient(tx.signedBy, certificate);
    const accepted = acceptTransfer(certificate, await tx.receivables.get(certificate.receivableId), tx.now);
    await tx.certificates.save(accepted, certificate);
    return emit(tx, { event: 'TransferAccepted', answer: accepted });
  }

  @Transaction()
  @Returns('string')
  async RefuseTransfer(ctx: ScfContext, certificateId: string): Promise<string> {
    const tx = ctx.tx;
    const certificate = await tx.certificates.get(parseArg('certificateId', CertificateId, certificateId));
    requireOfferRecipient(tx.signedBy, certificate);
    const returned = refuseTransfer(certificate, tx.now);
    await tx.certificates.save(returned, certificate);
    return emit(tx, { event: 'TransferRefused', answer: returned });
  }

  @Transaction()
  @Returns('string')
  async CancelOffer(ctx: ScfContext, certificateId: string): Promise<string> {
    const tx = ctx.tx;
    const certificate = await this.heldCertificate(tx, certificateId);
    const returned = cancelOffer(certificate);
    await tx.certificates.save(returned, certificate);
    return emit(tx, { event: 'TransferCancelled', answer: returned });
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: ScfContext, certificateId: string): Promise<string> {
    const tx = ctx.tx;
    return reply(await readableCertificate(tx, parseArg('certificateId', CertificateId, certificateId)));
  }

  /** Live pieces an enterprise holds, one page at a time. */
  @Transaction(false)
  @Returns('string')
  async ListByHolder(ctx: ScfContext, holderId: string, pageSize: string, bookmark: string): Promise<string> {
    return this.list(ctx.tx, 'holder', holderId, pageSize, bookmark);
  }

  /** Open offers awaiting an enterprise's signature; expired ones have gone back and are left out. */
  @Transaction(false)
  @Returns('string')
  async ListOffersTo(ctx: ScfContext, enterpriseId: string, pageSize: string, bookmark: string): Promise<string> {
    return this.list(ctx.tx, 'offeree', enterpriseId, pageSize, bookmark);
  }

  private async list(
    tx: TxScope,
    index: 'holder' | 'offeree',
    enterpriseId: string,
    pageSize: string,
    bookmark: string,
  ): Promise<string> {
    const page = await enterpriseListing(
      tx,
      enterpriseId,
      pageSize,
      bookmark,
      (id, size, mark) => tx.certificates.pageIds(index, id, size, mark),
      async (id) => asOf(await tx.certificates.get(id), tx.now),
    );
    // Expired offers have gone back to their holders; the index entry lingers until the piece next moves.
    return reply(index === 'offeree' ? { ...page, items: page.items.filter((c) => c.status === 'OFFERED') } : page);
  }

  private async heldCertificate(tx: TxScope, certificateId: string): Promise<Certificate> {
    const certificate = await tx.certificates.get(parseArg('certificateId', CertificateId, certificateId));
    requireHolder(tx.signedBy, certificate);
    return certificate;
  }

  /** The recipient must be a registered, active enterprise that can hold certificates. */
  private async offer(
    tx: TxScope,
    certificate: ActiveCertificate,
    toEnterpriseId: string,
    expiresAt: string,
  ): Promise<Certificate> {
    const recipient = await tx.enterprises.get(parseArg('toEnterpriseId', EnterpriseId, toEnterpriseId));
    requireCertificateRecipient(recipient);
    const expiry = parseInstant('expiresAt', expiresAt);
    return offerTransfer(certificate, recipient.id, expiry, (await tx.consortium.get()).limits, tx.now);
  }

  private async saveSplit(
    tx: TxScope,
    parent: Certificate,
    retired: Certificate,
    children: readonly Certificate[],
  ): Promise<void> {
    await tx.certificates.save(retired, parent);
    for (const child of children) {
      await tx.certificates.save(child);
    }
  }
}
