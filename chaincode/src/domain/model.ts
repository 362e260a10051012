import { z } from 'zod';

/**
 * The ledger's records. Each schema checks a record whenever it is read back, so a
 * corrupted or foreign value is refused at the boundary instead of flowing into rules.
 * States are closed unions: an offer exists only on an OFFERED certificate, children
 * only on a SPLIT one, so a bad combination cannot be represented.
 */

export const ROLES = ['CORE', 'SUPPLIER', 'BANK', 'AUDITOR', 'REGULATOR'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

const amountString = z.string().regex(/^(0|[1-9][0-9]*)$/);
const isoTime = z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{3})?Z$/);
const sha256Hex = z.string().regex(/^[0-9a-f]{64}$/);

const enterpriseBase = z.object({
  id: z.string(),
  name: z.string(),
  registrationNumberHash: sha256Hex,
  roles: z.array(Role).min(1),
  onboardedByMsp: z.string(),
  registeredAt: isoTime,
});
export const Enterprise = z.discriminatedUnion('status', [
  enterpriseBase.extend({ status: z.literal('ACTIVE') }),
  enterpriseBase.extend({ status: z.literal('SUSPENDED'), suspendedAt: isoTime, suspensionReason: z.string() }),
]);
export type Enterprise = z.infer<typeof Enterprise>;
export type EnterpriseStatus = Enterprise['status'];

/** Binds one Fabric client identity (MSP id + X.509 subject/issuer id) to an enterprise. */
export const IdentityBinding = z.object({
  enterpriseId: z.string(),
  mspId: z.string(),
  clientId: z.string(),
  boundAt: isoTime,
});
export type IdentityBinding = z.infer<typeof IdentityBinding>;

export const ConsortiumConfig = z.object({
  bankMspIds: z.array(z.string()).min(1),
  limits: z.object({
    minPieceAmount: amountString,
    maxSplitDepth: z.number().int().min(1),
    maxSplitChildren: z.number().int().min(2),
    maxOfferSeconds: z.number().int().min(60),
  }),
  initialisedAt: isoTime,
});
export type ConsortiumConfig = z.infer<typeof ConsortiumConfig>;
export type ConsortiumLimits = ConsortiumConfig['limits'];

const receivableBase = z.object({
  id: z.string(),
  debtorId: z.string(),
  creditorId: z.string(),
  faceAmount: amountString,
  currency: z.string().regex(/^[A-Z]{3}$/),
  dueDate: z.string().regex(/^\d{4}-\d{2}-\d{2}$/),
  invoiceHash: sha256Hex,
  contractHash: sha256Hex,
  /** Salted hash of the invoice's identifying fields: the double-financing guard. */
  invoiceKey: sha256Hex,
  issuedAt: isoTime,
  issueTxId: z.string(),
});
export const Receivable = z.discriminatedUnion('status', [
  receivableBase.extend({ status: z.literal('ISSUED') }),
  receivableBase.extend({ status: z.literal('ACCEPTED'), acceptedAt: isoTime, rootCertificateId: z.string() }),
  receivableBase.extend({ status: z.literal('REFUSED'), refusedAt: isoTime, refusalReason: z.string() }),
]);
export type Receivable = z.infer<typeof Receivable>;
export type ReceivableStatus = Receivable['status'];

export const TransferOffer = z.object({
  to: z.string(),
  offeredAt: isoTime,
  expiresAt: isoTime,
});
export type TransferOffer = z.infer<typeof TransferOffer>;

const certificateBase = z.object({
  id: z.string(),
  receivableId: z.string(),
  parentId: z.string().nullable(),
  holderId: z.string(),
  amount: amountString,
  currency: z.string(),
  /** 0 for the root certificate, parent's depth + 1 for a split child. */
  depth: z.number().int().min(0),
  createdAt: isoTime,
  createdTxId: z.string(),
});
export const Certificate = z.discriminatedUnion('status', [
  certificateBase.extend({ status: z.literal('ACTIVE') }),
  certificateBase.extend({ status: z.literal('OFFERED'), offer: TransferOffer }),
  certificateBase.extend({ status: z.literal('SPLIT'), childIds: z.array(z.string()).min(2), retiredAt: isoTime }),
]);
export type Certificate = z.infer<typeof Certificate>;
export type CertificateStatus = Certificate['status'];
export type LiveCertificate = Extract<Certificate, { status: 'ACTIVE' | 'OFFERED' }>;
