import type { z } from 'zod';
import { ScfError } from '../domain/errors';
import { CertificateId, FinancingId, ReceivableId } from '../domain/inputs';
import { AMOUNT_PATTERN } from '../domain/vocabulary';
import type { CertificateRepository } from '../ledger/repositories/certificate-repository';
import type { FinancingRepository } from '../ledger/repositories/financing-repository';
import type { ReceivableRepository } from '../ledger/repositories/receivable-repository';
import type { Actor } from './actor';
import type { TransactionName } from './policy';

/**
 * Where a gated transaction's amount comes from: an argument, or the caller's own record
 * named by an argument (read by the transaction body anyway, so the gate adds no read).
 * `none`: the transaction has no public amount and needs a second user whenever listed.
 */
type AmountSource =
  | { readonly from: 'argument'; readonly index: number }
  | { readonly from: 'certificate' | 'receivable' | 'financing'; readonly index: number }
  | { readonly from: 'none' };

interface Gate {
  readonly amount: AmountSource;
  /** Transient values the transaction reads: an instruction binds their hashes, not the values. */
  readonly transient: readonly string[];
}

const gate = (amount: AmountSource, transient: readonly string[] = []): Gate => ({ amount, transient });

/** The transactions an enterprise may put under four eyes, and how each one's amount is found. */
export const FOUR_EYES_TRANSACTIONS = {
  'Receivable:Issue': gate({ from: 'argument', index: 1 }, ['invoice']),
  'Receivable:Accept': gate({ from: 'receivable', index: 0 }),
  'Certificate:OfferTransfer': gate({ from: 'certificate', index: 0 }),
  'Certificate:OfferPart': gate({ from: 'argument', index: 1 }),
  'Financing:Apply': gate({ from: 'certificate', index: 0 }),
  'Financing:Approve': gate({ from: 'financing', index: 0 }),
  'CreditLine:Grant': gate({ from: 'none' }),
  'Settlement:Pay': gate({ from: 'argument', index: 1 }),
  /** The policy itself: always four eyes, whatever it says. */
  'Instruction:SetPolicy': gate({ from: 'none' }),
} as const satisfies Partial<Record<TransactionName, Gate>>;

export type FourEyesTransaction = keyof typeof FOUR_EYES_TRANSACTIONS;

export function isFourEyesTransaction(name: string): name is FourEyesTransaction {
  return Object.prototype.hasOwnProperty.call(FOUR_EYES_TRANSACTIONS, name);
}

export interface FourEyesRepositories {
  readonly certificates: CertificateRepository;
  readonly receivables: ReceivableRepository;
  readonly financings: FinancingRepository;
}

/**
 * Whether the actor's call needs a second user under its enterprise's policy. An amount that
 * cannot be told (a malformed argument, a record that is not the caller's) needs none here:
 * the transaction refuses it for what it is.
 */
export async function needsSecondUser(
  transaction: string,
  actor: Actor,
  args: readonly string[],
  repos: FourEyesRepositories,
): Promise<boolean> {
  if (actor.kind !== 'enterprise' || !isFourEyesTransaction(transaction)) return false;
  if (transaction === 'Instruction:SetPolicy') return true;
  const threshold = actor.enterprise.fourEyes?.[transaction];
  if (threshold === undefined) return false;
  const amount = await amountOf(FOUR_EYES_TRANSACTIONS[transaction].amount, args, actor.enterprise.id, repos);
  return amount === null || (amount !== undefined && amount >= BigInt(threshold));
}

/** The gate on a direct call: what needs a second user is proposed instead (Instruction:Propose). */
export async function requireOneUserSuffices(
  transaction: string,
  actor: Actor,
  args: readonly string[],
  repos: FourEyesRepositories,
): Promise<void> {
  if (await needsSecondUser(transaction, actor, args, repos)) {
    throw new ScfError(
      'FOUR_EYES_REQUIRED',
      `${transaction} needs a second user under ${actingId(actor)}'s policy: propose it with Instruction:Propose`,
    );
  }
}

function actingId(actor: Actor): string {
  return actor.kind === 'enterprise' ? actor.enterprise.id : actor.signer.mspId;
}

type RecordAmount = (id: string, enterpriseId: string, repos: FourEyesRepositories) => Promise<bigint | undefined>;

/** The amount of the caller's own record: its piece, the receivable it owes or is owed, the financing it funds. */
const RECORD_AMOUNTS: Readonly<Record<'certificate' | 'receivable' | 'financing', RecordAmount>> = {
  certificate: async (id, enterpriseId, repos) => {
    const certificate = await ownRecord(CertificateId, id, (valid) => repos.certificates.get(valid));
    return certificate?.holderId === enterpriseId ? BigInt(certificate.amount) : undefined;
  },
  receivable: async (id, enterpriseId, repos) => {
    const receivable = await ownRecord(ReceivableId, id, (valid) => repos.receivables.get(valid));
    const parties = receivable ? [receivable.debtorId, receivable.creditorId] : [];
    return receivable && parties.includes(enterpriseId) ? BigInt(receivable.faceAmount) : undefined;
  },
  financing: async (id, enterpriseId, repos) => {
    const financing = await ownRecord(FinancingId, id, (valid) => repos.financings.get(valid));
    if (financing?.bankId !== enterpriseId) return undefined;
    return BigInt((await repos.certificates.get(financing.certificateId)).amount);
  },
};

async function amountOf(
  source: AmountSource,
  args: readonly string[],
  enterpriseId: string,
  repos: FourEyesRepositories,
): Promise<bigint | null | undefined> {
  if (source.from === 'none') return null;
  const arg = args[source.index] ?? '';
  if (source.from === 'argument') return AMOUNT_PATTERN.test(arg) ? BigInt(arg) : undefined;
  return RECORD_AMOUNTS[source.from](arg, enterpriseId, repos);
}

async function ownRecord<T>(schema: z.ZodString, id: string, load: (id: string) => Promise<T>): Promise<T | undefined> {
  if (!schema.safeParse(id).success) return undefined;
  try {
    return await load(id);
  } catch (error) {
    if (error instanceof ScfError && error.code === 'NOT_FOUND') return undefined;
    throw error;
  }
}
