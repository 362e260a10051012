import { HOLDING_LINE_KINDS, records } from '@scf/chaincode';
import { z } from 'zod';

/**
 * What each call answers, as zod schemas: the chaincode's replies (built on its record
 * schemas, `chaincode/src/domain/model.ts`, and shaped as its contracts reply) and the
 * gateway's own answers. They only document: the OpenAPI document is generated from them
 * and the API suite checks every answer it receives against that document.
 */
const {
  Attestation,
  Certificate,
  Credential,
  CreditLine,
  Enterprise,
  Financing,
  Payout,
  Proposal,
  Receivable,
  Recovery,
  Settlement,
} = records;

const txId = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe('transaction id: lowercase hex SHA-256');
const storedAmount = z
  .string()
  .regex(/^(0|[1-9][0-9]{0,18})$/)
  .describe('integer minor units as a decimal string, at most 2^63−1');
const instant = z.iso.datetime().describe('ISO-8601 UTC time');
const outcome = z.enum(records.VERIFICATION_OUTCOMES);
/** A page of items and the bookmark of the next. */
type PageSchema<T extends z.ZodType> = z.ZodObject<{ items: z.ZodArray<T>; bookmark: z.ZodString }>;
const page = <T extends z.ZodType>(item: T): PageSchema<T> =>
  z.object({
    items: z.array(item),
    bookmark: z
      .string()
      .regex(/^[A-Za-z0-9_-]*$/)
      .describe('opaque; pass it back to read the next page, empty when none follows'),
  });

/** Each member of a discriminated union of records, with more fields (a record as a read reports it). */
function extended(union: z.ZodDiscriminatedUnion, shape: z.ZodRawShape): z.ZodType {
  const options = union.options.map((option) => (option as z.ZodObject).extend(shape));
  return z.discriminatedUnion('status', options as unknown as [z.ZodObject, z.ZodObject, ...z.ZodObject[]]);
}

export const ReceivableView = extended(Receivable, {
  outstandingAmount: storedAmount.describe('face amount less what has been paid'),
  overdue: z.boolean().describe('past its due date and not paid in full, as of the transaction time'),
});
const boundIdentity = z.object({ mspId: z.string(), clientId: z.string() });
export const EnterpriseWithIdentities = extended(Enterprise, {
  identities: z.array(boundIdentity).describe('the Fabric identities bound to it'),
});

const activeEnterprise = Enterprise.options[0];
export const DidDocument = z.object({
  '@context': z.array(z.string()),
  id: z.string(),
  controller: z.string(),
  status: z.enum(['ACTIVE', 'SUSPENDED', 'DEACTIVATED']),
  verificationMethod: z.array(
    z.object({
      id: z.string().describe('<did>#<first 16 hex digits of SHA-256(mspId NUL clientId)>'),
      type: z.literal('FabricX509Identity'),
      controller: z.string(),
      mspId: z.string(),
      clientId: z.string(),
      keyCustody: z
        .enum(['GATEWAY', 'SELF'])
        .describe(
          "SELF: the key declared its user alone holds it (no gateway signs with it); GATEWAY: its bank's gateway",
        ),
    }),
  ),
  service: activeEnterprise.shape.services,
  guardians: activeEnterprise.shape.guardians,
});

interface TreeNodeShape {
  certificate: z.infer<typeof Certificate>;
  children: TreeNodeShape[];
}
export const TreeNode: z.ZodType<TreeNodeShape> = z.object({
  certificate: Certificate,
  get children() {
    return z.array(TreeNode);
  },
});
export const ReceivableTree = z.object({
  receivable: Receivable,
  root: TreeNode.nullable().describe('null until the receivable is accepted'),
  livePieces: z.number().int().min(0),
  liveAmount: storedAmount,
});
export const Lineage = z.object({
  receivable: Receivable,
  path: z.array(Certificate).min(1).describe('from the root certificate down to the one asked for'),
});
export const Attestations = z.object({
  kind: z.enum(['receivable', 'financing']),
  id: z.string(),
  items: z.array(
    z.object({
      attestation: Attestation,
      identityStillBound: z.boolean(),
      credentials: z.array(z.object({ id: z.string(), type: z.string(), issuerId: z.string(), outcome })),
    }),
  ),
});

type HistorySchema<K extends string> = z.ZodObject<{
  kind: z.ZodLiteral<K>;
  id: z.ZodString;
  entries: z.ZodArray<
    z.ZodObject<{
      txId: z.ZodString;
      timestamp: z.ZodISODateTime;
      isDelete: z.ZodBoolean;
      value: z.ZodNullable<z.ZodType>;
    }>
  >;
}>;
/** `Trace:History`: every committed version of one record, newest first; `value` is null where the key was deleted. */
const historyOf = <K extends string>(kind: K, record: z.ZodType): HistorySchema<K> =>
  z.object({
    kind: z.literal(kind),
    id: z.string(),
    entries: z.array(z.object({ txId, timestamp: instant, isDelete: z.boolean(), value: record.nullable() })).min(1),
  });
export const History = z.discriminatedUnion('kind', [
  historyOf('certificate', Certificate),
  historyOf('receivable', Receivable),
  historyOf('enterprise', Enterprise),
  historyOf('creditLine', CreditLine),
  historyOf('financing', Financing),
  historyOf('settlement', Settlement),
]);

export const WhoAmI = z.union([
  Enterprise,
  z
    .object({
      kind: z.literal('admin'),
      mspId: z.string(),
      clientId: z.string(),
      consortiumBank: z.boolean(),
    })
    .strict()
    .describe('a bank organisation admin (an identity of the organisation, not bound to an enterprise)'),
]);
export const Verification = z.object({ credential: Credential, outcome });
export const SettlementWithPayouts = z.object({ settlement: Settlement, payouts: z.array(Payout) });
export const Cleared = z.object({
  settlement: Settlement,
  receivable: Receivable,
  payouts: z.array(Payout).describe('the payouts of the pieces cleared by this page'),
});
export const Accepted = z.object({
  receivable: Receivable,
  certificate: Certificate.describe('the root certificate, held by the creditor'),
});
export const SplitResult = z.object({
  parent: Certificate.describe('the retired parent (SPLIT)'),
  children: z.array(Certificate).min(2),
});
export const Offered = z.union([
  Certificate.describe('the whole piece, offered (no amount, or OfferTransfer)'),
  z.object({ offered: Certificate, remainder: z.null() }).describe('the amount was the whole piece'),
  z
    .object({ offered: Certificate, remainder: Certificate, parent: Certificate })
    .describe('part split off and offered; the remainder stays with the holder'),
]);
export const FinancingWithCertificate = z.object({ financing: Financing, certificate: Certificate });

/** A financing's private terms, from the deciding bank's peers: what was proposed and what was decided. */
export const FinancingTerms = z.object({
  financingId: z.string(),
  termsOrg: z.string().describe("the bank's organisation, whose peers alone keep the terms"),
  proposed: records.ProposedTerms.nullable(),
  decided: records.DecidedTerms.nullable().describe('null until the bank funds the application'),
  price: records.Price.nullable().describe(
    'the decided price; for an open application, what funding it today would disburse; null otherwise',
  ),
});
export const FinancingWithTerms = FinancingWithCertificate.extend({ terms: FinancingTerms });
/** A repayment recorded: the public financing (the repayment's hash, never its amount) and the account after it. */
export const FinancingRepayment = z.object({
  financing: Financing,
  position: records.FinancingPosition.describe("from the bank's peers: what is still owed"),
});

/** One bank's quote on a request, from that bank's peers: for the holder, that bank and oversight. */
export const QuoteView = z.object({
  quoteRequestId: z.string(),
  bankId: z.string(),
  termsOrg: z.string().describe("the bank's organisation, whose peers alone keep the quote"),
  termsHash: z.string().nullable().describe('what the holder names to accept it; null until the bank quotes'),
  quote: records.ProposedTerms.nullable().describe('the binding terms the bank quoted (with their salt)'),
  price: records.Price.nullable().describe('what funding it today would disburse, while the request is open'),
});
export const QuoteAccepted = FinancingWithCertificate.extend({ quoteRequest: records.QuoteRequest });

const limitHash = z
  .string()
  .regex(/^[0-9a-f]{64}$/)
  .describe("SHA-256 of the salted limit record in the bank's collection, as every peer keeps it");
/** A credit line as every party reads it: the limit only as its hash. */
export const CreditLineView = CreditLine.extend({ limitHash: limitHash.nullable() });
export const CreditLimit = z.object({
  creditLineId: z.string(),
  limit: storedAmount,
  used: storedAmount,
  available: z
    .string()
    .regex(/^-?(0|[1-9][0-9]{0,18})$/)
    .describe('limit − used; negative after a lowered limit'),
  setAt: z.string(),
  salt: z.string().describe('proves the limit against limitHash'),
  limitHash,
});
export const CreditLineWithLimit = CreditLineView.extend({ limit: CreditLimit });
export const Frozen = z
  .union([Certificate, Receivable])
  .describe('the certificate or receivable, with its `frozen` hold set or cleared');
export const KeyRotated = z
  .object({ enterpriseId: z.string(), mspId: z.string(), retired: z.string(), current: z.string() })
  .describe('the retired and the current Fabric client id');

export const CertificatePage = page(Certificate);
export const ReceivablePage = page(ReceivableView);
export const CreditLinePage = page(CreditLine);
export const FinancingPage = page(Financing);
export const PayoutPage = page(Payout);

const signedAmount = z
  .string()
  .regex(/^-?(0|[1-9][0-9]*)$/)
  .describe('signed integer minor units');
/** GET /enterprises/{id}/statement: holdings over [from, to), one line per transaction and step. */
export const Statement = z.object({
  enterpriseId: z.string(),
  from: z.string(),
  to: z.string(),
  opening: signedAmount.describe('what the enterprise held of live pieces at `from`'),
  closing: signedAmount.describe("what it held at `to`: opening plus every line's change"),
  totals: z
    .record(z.string(), signedAmount)
    .describe("per kind, the sum of its lines' changes (paid: the cash received)"),
  lines: z.array(
    z.object({
      kind: z.enum([...HOLDING_LINE_KINDS, 'paid']),
      txId: z.string(),
      timestamp: z.string(),
      certificateIds: z.array(z.string()),
      change: signedAmount.describe('the change to the balance'),
      cash: signedAmount.describe('money confirmed received (paid lines); "0" otherwise'),
    }),
  ),
});
export const ProposalPage = page(Proposal);
export const InstructionPage = page(records.Instruction);
export const QuoteRequestPage = page(records.QuoteRequest);
export const Settlements = z.object({ items: z.array(Settlement) });
export const CredentialClaims = z.object({
  credentialId: z.string(),
  claims: z
    .record(z.string(), z.unknown())
    .describe('the claims document the issuer wrote, from the private collection'),
});
export const SubjectCredentials = z.object({ items: z.array(Verification) });

/** A committed write: the chaincode's reply is `result`. */
export const committed = (
  result: z.ZodType,
): z.ZodObject<{ txId: z.ZodString; blockNumber: z.ZodNumber; result: z.ZodType; attempts: z.ZodNumber }> =>
  z.object({
    txId,
    blockNumber: z.number().int().min(0),
    result,
    attempts: z.number().int().min(1).describe('endorsements it took: more than one after MVCC conflicts'),
  });
export const Pending = z
  .object({
    status: z.literal('PENDING'),
    txId,
    transaction: z.string().describe('/transactions/<txId>, where its outcome will show'),
    message: z.string(),
  })
  .describe(
    'ordered, but its commit was not seen in time: ' +
      'repeat the request with the same Idempotency-Key, or GET the transaction',
  );

export const Onboarded = z.object({
  enterprise: Enterprise,
  clientId: z.string().describe('the Fabric identity enrolled and bound for it'),
  apiKey: z
    .string()
    .regex(/^scf_[A-Za-z0-9_-]{43}$/)
    .optional()
    .describe('its first API key: in the first answer only (a replay omits it), stored only as a hash'),
});
export const Revoked = z.object({ revoked: z.literal(true) });
const apiKey = z
  .string()
  .regex(/^scf_[A-Za-z0-9_-]{43}$/)
  .optional()
  .describe('the new API key: in the first answer only (a replay omits it), stored only as a hash');
const keyId = z
  .string()
  .regex(/^[0-9a-f]{16}$/)
  .describe("the key's id: the start of its SHA-256");
export const ApiKeys = z.object({ items: z.array(z.object({ keyId })) });
export const ApiKeyIssued = z.object({ keyId, apiKey });
export const UserAdded = z.object({ user: records.IdentityBinding, keyId, apiKey });
export const RecoveryPrepared = z.object({
  enterpriseId: z.string(),
  newMspId: z.string().describe('guardians propose the recovery with these two'),
  newClientId: z.string(),
});
export const RecoveryCompleted = z.object({
  enterpriseId: z.string(),
  recoveryId: z.string(),
  user: z.object({ mspId: z.string(), clientId: z.string(), role: z.literal('ADMIN') }),
  keyId,
  apiKey: apiKey.describe("the new admin user's key: shown in this answer only, never in a replay"),
  revokedKeys: z.number().int().min(0).describe('API keys of the identities the recovery unbound, now withdrawn'),
});
export const TransactionRecord = z.object({
  txId,
  blockNumber: z.number().int().min(0),
  valid: z.boolean(),
  validationCode: z
    .string()
    .describe('VALID, or why the peers invalidated it (MVCC_READ_CONFLICT, ENDORSEMENT_POLICY_FAILURE, …)'),
  timestamp: instant,
  endorsers: z.array(z.string()).describe('MSP ids of the endorsing organisations (empty on the embedded ledger)'),
});
export const Health = z.object({ status: z.literal('ok') });
export const Readiness = z.object({
  status: z.enum(['ready', 'unavailable']),
  backend: z.enum(['embedded', 'fabric']),
});

/** The schemas named in the document's components, so that answers refer to them instead of repeating them. */
export const NAMED_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  Certificate,
  Receivable,
  ReceivableView,
  Enterprise,
  EnterpriseWithIdentities,
  CreditLine,
  Financing,
  Settlement,
  Payout,
  Credential,
  Attestation,
  Recovery,
  Proposal,
  ConsortiumConfig: records.ConsortiumConfig,
  TreeNode,
  DidDocument,
  TransactionRecord,
  Pending,
  Verification,
  CertificatePage,
  ReceivablePage,
  CreditLinePage,
  FinancingPage,
  PayoutPage,
  ProposalPage,
  InstructionPage,
  Onboarded,
  Revoked,
  ApiKeys,
  ApiKeyIssued,
  UserAdded,
  RecoveryPrepared,
  RecoveryCompleted,
  Health,
  Readiness,
};
