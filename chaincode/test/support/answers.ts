import type {
  Attestation, Certificate, Credential, Enterprise, EnterpriseStatus, Financing, Payout, Receivable, Settlement, VerificationOutcome,
} from '../../src/domain/model';

/**
 * The shapes of the chaincode's answers that are not a single record, as its contracts
 * reply them (the records themselves are the zod-inferred types of `src/domain/model.ts`).
 * Tests name these as the answer type of `World.submit` / `World.evaluate`.
 */

/** One record in a given state. */
export type CertificateIn<S extends Certificate['status']> = Extract<Certificate, { status: S }>;
export type ReceivableIn<S extends Receivable['status']> = Extract<Receivable, { status: S }>;
export type FinancingIn<S extends Financing['status']> = Extract<Financing, { status: S }>;

/** A page of a listing, with the bookmark of the next. */
export interface Page<T> {
  readonly items: T[];
  readonly bookmark: string;
}

/** `Receivable:Accept`: the receivable and its root certificate. */
export interface Accepted {
  readonly receivable: Receivable;
  readonly certificate: Certificate;
}

/** `Certificate:Split`: the retired parent and its children. */
export interface Split {
  readonly parent: CertificateIn<'SPLIT'>;
  readonly children: Certificate[];
}

/** `Certificate:OfferPart` when the part is less than the piece. */
export interface OfferedPart {
  readonly offered: CertificateIn<'OFFERED'>;
  readonly remainder: Certificate;
  readonly parent: CertificateIn<'SPLIT'>;
}

/** `Financing:Apply`, `Approve`, `Reject`, `Release`: the financing and the piece it locks or frees. */
export interface FinancingWithCertificate {
  readonly financing: Financing;
  readonly certificate: Certificate;
}

/** `Credential:Verify`. */
export interface Verification {
  readonly credential: Credential;
  readonly outcome: VerificationOutcome;
}

/** `Settlement:Pay` and `Settlement:ClearNext`: the payment, the receivable, the payouts of the pieces cleared. */
export interface Cleared {
  readonly settlement: Settlement;
  readonly receivable: Receivable;
  readonly payouts: Payout[];
}

/** `Trace:History`: every committed version of one record, newest first; `value` is null where the key was deleted. */
export interface History<T> {
  readonly kind: string;
  readonly id: string;
  readonly entries: { readonly txId: string; readonly timestamp: string; readonly isDelete: boolean; readonly value: T | null }[];
}

/** `Identity:GetDidDocument`. */
export interface DidDocument {
  readonly id: string;
  readonly controller: string;
  readonly status: EnterpriseStatus;
  readonly verificationMethod: { readonly id: string; readonly type: string; readonly controller: string; readonly mspId: string; readonly clientId: string; readonly keyCustody: 'GATEWAY' | 'SELF' }[];
  readonly service: Enterprise['services'];
  readonly guardians: Enterprise['guardians'];
}

/** `Trace:Attestations`: each attested document with who vouched for it and that identity's credentials. */
export interface Attestations {
  readonly kind: string;
  readonly id: string;
  readonly items: {
    readonly attestation: Attestation;
    readonly identityStillBound: boolean;
    readonly credentials: { readonly id: string; readonly type: string; readonly issuerId: string; readonly outcome: VerificationOutcome }[];
  }[];
}

/** `Credential:GetClaims`: the private claims document of a credential. */
export interface Claims {
  readonly credentialId: string;
  readonly claims: Record<string, unknown>;
}

/** `Receivable:Get` and the receivable listings: the record with what is still owed, as of the transaction time. */
export type ReceivableView = Receivable & { readonly outstandingAmount: string; readonly overdue: boolean };

/** `Settlement:Get`: a payment and the payouts it produced. */
export interface SettlementWithPayouts {
  readonly settlement: Settlement;
  readonly payouts: Payout[];
}

/** `Trace:Tree`: the chaincode's own shape. */
export type { ReceivableTree as Tree, TreeNode } from '../../src/domain/trace';

/** `Trace:Lineage`: the receivable and the path from its root certificate down to one piece. */
export interface Lineage {
  readonly receivable: Receivable;
  readonly path: Certificate[];
}
