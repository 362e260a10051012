/**
 * The records the console reads, as the gateway's OpenAPI document describes them
 * (GET /openapi.json); only the fields the console shows. Amounts stay decimal strings of
 * minor units until money.ts formats them.
 */
export type CertificateStatus = 'ACTIVE' | 'OFFERED' | 'PLEDGED' | 'SPLIT' | 'SETTLED';
export type ReceivableStatus = 'ISSUED' | 'ACCEPTED' | 'SETTLING' | 'SETTLED' | 'REFUSED';
export type FinancingStatus = 'APPLIED' | 'REJECTED' | 'FUNDED' | 'REPAID' | 'SETTLED';
export type Role = 'CORE' | 'SUPPLIER' | 'BANK' | 'AUDITOR' | 'REGULATOR';

export interface Freeze {
  readonly by: string;
  readonly reason: string;
  readonly at: string;
}

export interface Certificate {
  readonly id: string;
  readonly receivableId: string;
  readonly debtorId: string;
  readonly parentId: string | null;
  readonly holderId: string;
  readonly amount: string;
  readonly currency: string;
  readonly depth: number;
  readonly createdAt: string;
  readonly paidAmount: string;
  readonly status: CertificateStatus;
  readonly frozen: Freeze | null;
  readonly offer?: { readonly to: string; readonly expiresAt: string };
  readonly lien?: { readonly financingId: string; readonly bankId: string; readonly stage: 'APPLIED' | 'PLEDGED' };
  readonly childIds?: readonly string[];
}

export interface Receivable {
  readonly id: string;
  readonly debtorId: string;
  readonly creditorId: string;
  readonly faceAmount: string;
  readonly currency: string;
  readonly dueDate: string;
  readonly creditLineId: string;
  readonly issuedAt: string;
  readonly settledAmount: string;
  readonly status: ReceivableStatus;
  readonly frozen: Freeze | null;
  readonly rootCertificateId?: string;
  readonly outstandingAmount?: string;
  readonly overdue?: boolean;
}

export interface TreeNode {
  readonly certificate: Certificate;
  readonly children: readonly TreeNode[];
}

export interface ReceivableTree {
  readonly receivable: Receivable;
  readonly root: TreeNode | null;
  readonly livePieces: number;
  readonly liveAmount: string;
}

export interface Lineage {
  readonly receivable: Receivable;
  readonly path: readonly Certificate[];
}

export interface Financing {
  readonly id: string;
  readonly certificateId: string;
  readonly receivableId: string;
  readonly applicantId: string;
  readonly bankId: string;
  readonly mode: 'PLEDGE' | 'ASSIGNMENT';
  readonly appliedAt: string;
  readonly status: FinancingStatus;
  readonly reason?: string;
}

export interface Price {
  readonly financedAmount: string;
  readonly annualRateBps: number;
  readonly valueDate: string;
  readonly tenorEnd: string;
  readonly days: number;
  readonly interestAmount: string;
  readonly feeAmount: string;
  readonly disbursedAmount: string;
}

export interface FinancingTerms {
  readonly financingId: string;
  readonly price: Price | null;
}

export interface Attestations {
  readonly items: readonly {
    readonly attestation: { readonly field: string; readonly hash: string; readonly at: string; readonly txId: string };
    readonly identityStillBound: boolean;
    readonly credentials: readonly {
      readonly id: string;
      readonly type: string;
      readonly issuerId: string;
      readonly outcome: string;
    }[];
  }[];
}

export interface SubjectCredentials {
  readonly items: readonly {
    readonly credential: {
      readonly id: string;
      readonly type: string;
      readonly issuerId: string;
      readonly expiresAt: string;
    };
    readonly outcome: string;
  }[];
}

export interface HistoryEntry {
  readonly txId: string;
  readonly timestamp: string;
  readonly isDelete: boolean;
  readonly value: Record<string, unknown> | null;
}

export interface History {
  readonly kind: string;
  readonly id: string;
  readonly entries: readonly HistoryEntry[];
}

export interface TransactionRecord {
  readonly txId: string;
  readonly blockNumber: number;
  readonly valid: boolean;
  readonly validationCode: string;
  readonly timestamp: string;
  readonly endorsers: readonly string[];
}

export interface Settlement {
  readonly id: string;
  readonly receivableId: string;
  readonly collectingBankId: string;
  readonly amount: string;
  readonly paidAt: string;
  readonly payment: { readonly status: 'RECORDED' | 'CONFIRMED' };
}

export interface Payout {
  readonly settlementId: string;
  readonly certificateId: string;
  readonly payeeId: string;
  readonly amount: string;
  readonly status: 'PAYABLE' | 'HELD' | 'PAID';
}

export interface Page<T> {
  readonly items: readonly T[];
  readonly bookmark: string;
}

export type Me =
  | { readonly kind?: undefined; readonly id: string; readonly name: string; readonly roles: readonly Role[] }
  | { readonly kind: 'admin'; readonly mspId: string };

/** A write's answer: committed with its result, or ordered and not yet seen committed (202). */
export type WriteOutcome<T> =
  | { readonly status: 'committed'; readonly txId: string; readonly result: T }
  | { readonly status: 'pending'; readonly txId: string }
  /** A gateway flow that answers with its own shape (adding a user, issuing a key): no one transaction to name. */
  | { readonly status: 'answered'; readonly result: T };
