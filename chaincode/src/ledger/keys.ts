/**
 * Every world-state key the chaincode writes. Composite keys keep attributes apart
 * (concatenated ids could alias), and each index is an empty-valued key read by
 * partial key, so no query scans the ledger.
 */
export const KEY_TYPES = {
  consortium: 'scf.consortium',
  enterprise: 'scf.enterprise',
  identity: 'scf.identity',
  enterpriseIdentity: 'scf.enterprise~identity',
  receivable: 'scf.receivable',
  invoice: 'scf.invoice',
  debtorReceivable: 'scf.debtor~receivable',
  creditorReceivable: 'scf.creditor~receivable',
  certificate: 'scf.certificate',
  receivableCertificate: 'scf.receivable~certificate',
  holderCertificate: 'scf.holder~certificate',
  offereeCertificate: 'scf.offeree~certificate',
  /** Every piece an enterprise ever held, never removed: what its statement walks. */
  pastHolderCertificate: 'scf.pastholder~certificate',
  creditLine: 'scf.creditline',
  coreCreditLine: 'scf.core~creditline',
  bankCreditLine: 'scf.bank~creditline',
  financing: 'scf.financing',
  bankFinancing: 'scf.bank~financing',
  applicantFinancing: 'scf.applicant~financing',
  settlement: 'scf.settlement',
  receivableSettlement: 'scf.receivable~settlement',
  payout: 'scf.payout',
  payeePayout: 'scf.payee~payout',
  credential: 'scf.credential',
  subjectCredential: 'scf.subject~credential',
  issuerCredential: 'scf.issuer~credential',
  attestation: 'scf.attestation',
  recovery: 'scf.recovery',
  /** Each governance proposal its own key, so approving one never contends with another. */
  proposal: 'scf.proposal',
  proposedProposal: 'scf.proposed~proposal',
  /** A maker's instruction awaiting a checker; the index lists an enterprise's pending ones. */
  instruction: 'scf.instruction',
  pendingInstruction: 'scf.pending~instruction',
  /** A holder's request for quotes; its index lists the requests by bank asked. */
  quoteRequest: 'scf.quoterequest',
  bankQuoteRequest: 'scf.bank~quoterequest',
  /** Private (the quoting bank's implicit collection): where its one quote on a request is, by hash. */
  quote: 'scf.quote',
  /** Private (a bank's implicit collection): proposed and decided financing terms, by their own hash. */
  terms: 'scf.terms',
  /** Private (the granting bank's implicit collection): a credit line's limit. */
  creditLimit: 'scf.creditlimit',
} as const;

export type KeyType = (typeof KEY_TYPES)[keyof typeof KEY_TYPES];

/** The banks' private data collection holding consortium secrets such as the invoice salt. */
export const BANK_SECRETS_COLLECTION = 'scfBankSecrets';
export const INVOICE_SALT_KEY = 'invoiceSalt';
/** Full credential claims, shared by the consortium banks' peers; the public ledger holds only hashes. */
export const CREDENTIAL_CLAIMS_COLLECTION = 'scfCredentialClaims';
