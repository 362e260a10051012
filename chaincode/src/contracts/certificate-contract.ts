import { Info, Returns, Transaction } from 'fabric-contract-api';
import { requireHolder, requireOfferRecipient, requireSelfOrOversight } from '../access/relationships';
import { HOLDER_ROLES } from '../access/policy';
import {
  acceptTransfer, asOf, cancelOffer, offerTransfer, refuseTransfer, splitCertificate,
} from '../domain/certificate-rules';
import { ScfError } from '../domain/errors';
import { AmountList, EnterpriseId, ObjectId, parseArg, parseJsonArg } from '../domain/inputs';
import type { Certificate } from '../domain/model';
import { parseAmount, parseStoredAmount } from '../domain/money';
import { parseInstant } from '../domain/time';
import { encodeBookmark, parsePage } from './paging';
import { reply, ScfContract } from './scf-contract';
import { ScfContext, type TxScope } from './scf-context';

@Info({ title: 'Certificate', description: 'Digital debt certificates: split, offered, signed for or refused down the supply chain' })
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
    const { retired, children } = splitCertificate(parent, amounts, (await tx.consortium.get()).limits, tx.now, tx.txId);
    await this.saveSplit(tx, parent, retired, children);
    tx.changes.type = 'CertificateSplit';
    return reply({ parent: retired, children });
  }

  @Transaction()
  @Returns('string')
  async OfferTransfer(ctx: ScfContext, certificateId: string, toEnterpriseId: string, expiresAt: string): Promise<string> {
    const tx = ctx.tx;
    const certificate = await this.heldCertificate(tx, certificateId);
    const offered = await this.offer(tx, certificate, toEnterpriseId, expiresAt);
    await tx.certificates.save(offered, certificate);
    tx.changes.type = 'TransferOffered';
    return reply(offered);
  }

  /**
   * Offers part of a piece in one transaction: splits off `amount` and offers it; the
   * remainder stays with the holder. The whole amount simply offers the whole piece.
   */
  @Transaction()
  @Returns('string')
  async OfferPart(ctx: ScfContext, certificateId: string, amount: string, toEnterpriseId: string, expiresAt: string): Promise<string> {
    const tx = ctx.tx;
    const certificate = await this.heldCertificate(tx, certificateId);
    const part = parseAmount('amount', amount);
    const whole = parseStoredAmount('amount', certificate.amount);
    if (part > whole) {
      throw new ScfError('INVALID_ARGUMENT', `amount ${part} exceeds the ${whole} that certificate ${certificate.id} holds`);
    }
    tx.changes.type = 'TransferOffered';
    if (part === whole) {
      const offered = await this.offer(tx, certificate, toEnterpriseId, expiresAt);
      await tx.certificates.save(offered, certificate);
      return reply({ offered, remainder: null });
    }
    const limits = (await tx.consortium.get()).limits;
    const { retired, children } = splitCertificate(certificate, [part.toString(), (whole - part).toString()], limits, tx.now, tx.txId);
    const [piece, remainder] = children as [Certificate, Certificate];
    const offered = await this.offer(tx, piece, toEnterpriseId, expiresAt);
    await this.saveSplit(tx, certificate, retired, [offered, remainder]);
    return reply({ offered, remainder, parent: retired });
  }

  @Transaction()
  @Returns('string')
  async AcceptTransfer(ctx: ScfContext, certificateId: string): Promise<string> {
    const tx = ctx.tx;
    const certificate = await tx.certificates.get(parseArg('certificateId', ObjectId, certificateId));
    requireOfferRecipient(tx.signedBy, certificate);
    const accepted = acceptTransfer(certificate, tx.now);
    await tx.certificates.save(accepted, certificate);
    tx.changes.type = 'TransferAccepted';
    return reply(accepted);
  }

  @Transaction()
  @Returns('string')
  async RefuseTransfer(ctx: ScfContext, certificateId: string): Promise<string> {
    const tx = ctx.tx;
    const certificate = await tx.certificates.get(parseArg('certificateId', ObjectId, certificateId));
    requireOfferRecipient(tx.signedBy, certificate);
    const returned = refuseTransfer(certificate, tx.now);
    await tx.certificates.save(returned, certificate);
    tx.changes.type = 'TransferRefused';
    return reply(returned);
  }

  @Transaction()
  @Returns('string')
  async CancelOffer(ctx: ScfContext, certificateId: string): Promise<string> {
    const tx = ctx.tx;
    const certificate = await this.heldCertificate(tx, certificateId);
    const returned = cancelOffer(certificate);
    await tx.certificates.save(returned, certificate);
    tx.changes.type = 'TransferCancelled';
    return reply(returned);
  }

  @Transaction(false)
  @Returns('string')
  async Get(ctx: ScfContext, certificateId: string): Promise<string> {
    const tx = ctx.tx;
    return reply(asOf(await tx.certificates.get(parseArg('certificateId', ObjectId, certificateId)), tx.now));
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

  private async list(tx: TxScope, index: 'holder' | 'offeree', enterpriseId: string, pageSize: string, bookmark: string) {
    const id = parseArg('enterpriseId', EnterpriseId, enterpriseId);
    requireSelfOrOversight(tx.signedBy, id);
    const page = parsePage(pageSize, bookmark);
    const { ids, bookmark: next } = await tx.certificates.pageIds(index, id, page.size, page.bookmark);
    const current = (await Promise.all(ids.map((cid) => tx.certificates.get(cid)))).map((c) => asOf(c, tx.now));
    const items = index === 'offeree' ? current.filter((c) => c.status === 'OFFERED') : current;
    return reply({ items, bookmark: encodeBookmark(next) });
  }

  private async heldCertificate(tx: TxScope, certificateId: string): Promise<Certificate> {
    const certificate = await tx.certificates.get(parseArg('certificateId', ObjectId, certificateId));
    requireHolder(tx.signedBy, certificate);
    return certificate;
  }

  /** The recipient must be a registered, active enterprise that can hold certificates. */
  private async offer(tx: TxScope, certificate: Certificate, toEnterpriseId: string, expiresAt: string): Promise<Certificate> {
    const recipient = await tx.enterprises.get(parseArg('toEnterpriseId', EnterpriseId, toEnterpriseId));
    if (recipient.status !== 'ACTIVE') {
      throw new ScfError('INVALID_STATE', `recipient ${recipient.id} is suspended`);
    }
    if (!recipient.roles.some((role) => HOLDER_ROLES.includes(role))) {
      throw new ScfError('INVALID_ARGUMENT', `recipient ${recipient.id} cannot hold certificates (roles ${recipient.roles.join(', ')})`);
    }
    const expiry = parseInstant('expiresAt', expiresAt);
    return offerTransfer(certificate, recipient.id, expiry, (await tx.consortium.get()).limits, tx.now);
  }

  private async saveSplit(tx: TxScope, parent: Certificate, retired: Certificate, children: readonly Certificate[]): Promise<void> {
    await tx.certificates.save(retired, parent);
    for (const child of children) {
      await tx.certificates.save(child);
    }
  }
}
