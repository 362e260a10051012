import { requireCounterpartyInBusiness } from '../access/bank-suspension';
import { requireHolder } from '../access/relationships';
import { type ActiveCertificate, requireTradable } from '../domain/certificate-rules';
import { requireActiveBank } from '../domain/enterprise-rules';
import { applyForFinancing, requireTermsFor, type TermsReference } from '../domain/financing-rules';
import { CertificateId, EnterpriseId, FinancingMode, parseArg, Sha256Hex } from '../domain/inputs';
import type { Certificate, Enterprise, Financing, ProposedTerms, Receivable } from '../domain/model';
import { attestDocuments } from './attestations';
import { termsOrgOf } from './terms-org';
import type { TxScope } from './scf-context';

/** The holder's tradable piece and an active bank in business: what every step of applying checks. */
export interface Application {
  readonly certificate: Certificate;
  readonly receivable: Receivable;
  readonly active: ActiveCertificate;
  readonly bank: Enterprise;
  readonly termsOrg: string;
}

export async function applicationOf(tx: TxScope, certificateId: string, bankId: string): Promise<Application> {
  const certificate = await tx.certificates.get(parseArg('certificateId', CertificateId, certificateId));
  requireHolder(tx.signedBy, certificate);
  const receivable = await tx.receivables.get(certificate.receivableId);
  const active = requireTradable(certificate, receivable, tx.now, 'financed');
  const bank = await tx.enterprises.get(parseArg('bankId', EnterpriseId, bankId));
  requireActiveBank(bank);
  requireCounterpartyInBusiness(await tx.consortium.get(), bank);
  return { certificate, receivable, active, bank, termsOrg: await termsOrgOf(tx, bank) };
}

/**
 * Applies on stored terms named by hash: every peer sees that the bank's collection holds
 * the hash; the bank's peers also check what it names (`check`: made for this piece, holder
 * and bank, and of the right origin). Locks the piece and attests the documents.
 */
export async function applyOnTerms(
  tx: TxScope,
  application: Application,
  args: { mode: string; termsHash: string; documentsHash: string; quoteRequestId?: string },
  check: (proposed: ProposedTerms) => void,
): Promise<{ financing: Financing; locked: Certificate }> {
  const { certificate, active, bank, termsOrg } = application;
  const terms: TermsReference = { termsOrg, termsHash: parseArg('termsHash', Sha256Hex, args.termsHash) };
  const missing = `no terms with hash ${terms.termsHash} were proposed to ${bank.id}`;
  const proposed = await tx.terms.named(terms.termsOrg, terms.termsHash, 'proposed', missing);
  if (proposed) {
    requireTermsFor(proposed, certificate, bank.id);
    check(proposed);
  }
  const mode = parseArg('mode', FinancingMode, args.mode);
  const applied = applyForFinancing(active, bank.id, mode, terms, tx.now, tx.txId);
  const { locked } = applied;
  const financing: Financing = args.quoteRequestId
    ? { ...applied.financing, quoteRequestId: args.quoteRequestId }
    : applied.financing;
  await tx.financings.save(financing, true);
  await tx.certificates.save(locked, certificate);
  await attestDocuments(tx, 'financing', financing.id, {
    documentsHash: parseArg('documentsHash', Sha256Hex, args.documentsHash),
  });
  return { financing, locked };
}
