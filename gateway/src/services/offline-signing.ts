import { READ_TABLE } from '@scf/chaincode';
import { signatureFault } from '@scf/chaincode/engine';
import { randomBytes } from 'crypto';
import type { Principal } from '../identity/principals';
import type { EndorsedStep, LedgerBackend, SignableStep, SubmitHooks, SubmitOutcome } from '../ledger/ledger-backend';
import { LedgerUnavailable, OrderingUncertain } from '../ledger/ledger-errors';

/**
 * A prepared call lives this long: the chaincode refuses a proposal whose timestamp is more
 * than SCF_MAX_CLOCK_SKEW_SECONDS (300 s by default) from its clock, so a signer slower than
 * this would be refused anyway.
 */
export const PREPARED_TTL_MS = 240_000;
/** Prepared calls one caller may have open at once, so no caller can fill the gateway's memory. */
export const MAX_OPEN_CALLS = 100;

/** Why an offline step is refused (http/http-error.ts gives each its status). */
export type OfflineRefusalCode =
  'SIGNATURE_INVALID' | 'OFFLINE_CALL_NOT_FOUND' | 'OFFLINE_CALL_EXPIRED' | 'OFFLINE_STEP_DONE' | 'TOO_MANY_REQUESTS';

export class OfflineRefusal extends Error {
  constructor(
    readonly code: OfflineRefusalCode,
    message: string,
  ) {
    super(message);
    this.name = 'OfflineRefusal';
  }
}

export interface OfflineCallInput {
  readonly transaction: string;
  readonly args: readonly string[];
  readonly transient?: Readonly<Record<string, string>>;
}

/** A step for the caller to sign: its digest (what is signed) and the exact bytes it is the SHA-256 of. */
export interface ToSign {
  readonly digest: string;
  readonly message: string;
}

export interface PreparedCall {
  readonly id: string;
  readonly txId: string;
  readonly mode: 'evaluate' | 'submit';
  readonly proposal: ToSign;
  readonly expiresAt: string;
}

/** After the proposal signature: a read's result, or a write's endorsed result and its transaction to sign. */
export type SignedProposalAnswer =
  | { readonly id: string; readonly txId: string; readonly mode: 'evaluate'; readonly result: unknown }
  | {
      readonly id: string;
      readonly txId: string;
      readonly mode: 'submit';
      readonly result: unknown;
      readonly transaction: ToSign;
      readonly expiresAt: string;
    };

/** Where a prepared call is: each stage accepts one signature, and a step under way blocks a second. */
type Stage =
  | { readonly name: 'PROPOSAL'; readonly step: SignableStep }
  | { readonly name: 'TRANSACTION'; readonly step: EndorsedStep }
  | { readonly name: 'BUSY' | 'DONE' };

interface Session {
  readonly owner: string;
  readonly certificatePem: string;
  readonly mode: PreparedCall['mode'];
  readonly expiresAt: number;
  readonly afterCommit?: (outcome: SubmitOutcome) => Promise<void>;
  stage: Stage;
}

const ownerOf = (principal: Principal): string => `${principal.identity.mspId}/${principal.identity.clientId}`;
const toSign = (step: SignableStep): ToSign => ({
  digest: Buffer.from(step.digest).toString('hex'),
  message: Buffer.from(step.message).toString('base64'),
});

/**
 * The offline signing flow for callers who keep their keys themselves: the gateway prepares
 * a call, the caller signs its digests elsewhere, the gateway carries the signatures to the
 * ledger. Every signature is checked against the caller's certificate here first (the one
 * check, signatureFault, which the embedded ledger and Fabric's peers run again), so a wrong
 * key or a tampered digest is refused before any peer sees it. Prepared calls are kept in
 * memory: a gateway restart loses them, and the caller prepares again.
 */
export class OfflineSigningService {
  private readonly sessions = new Map<string, Session>();

  constructor(
    private readonly backend: Pick<LedgerBackend, 'offline'>,
    private readonly clock: () => number = () => Date.now(),
  ) {}

  /** `afterCommit` runs once the call commits through this gateway (a flow's own next step). */
  async prepare(
    principal: Principal,
    input: OfflineCallInput,
    afterCommit?: (outcome: SubmitOutcome) => Promise<void>,
  ): Promise<PreparedCall> {
    this.forgetExpired();
    const owner = ownerOf(principal);
    if ([...this.sessions.values()].filter((session) => session.owner === owner).length >= MAX_OPEN_CALLS)
      throw new OfflineRefusal(
        'TOO_MANY_REQUESTS',
        `the caller has ${MAX_OPEN_CALLS} prepared calls open: sign or let them expire (${PREPARED_TTL_MS / 1000} s)`,
      );
    const mode = Object.prototype.hasOwnProperty.call(READ_TABLE, input.transaction) ? 'evaluate' : 'submit';
    const step = await this.backend.offline.prepare({ identity: principal.identity, ...input }, mode === 'submit');
    const id = `off_${randomBytes(16).toString('hex')}`;
    const expiresAt = this.clock() + PREPARED_TTL_MS;
    this.sessions.set(id, {
      owner,
      certificatePem: principal.identity.certificatePem,
      mode,
      expiresAt,
      stage: { name: 'PROPOSAL', step },
      afterCommit,
    });
    return { id, txId: step.txId, mode, proposal: toSign(step), expiresAt: new Date(expiresAt).toISOString() };
  }

  /** Step 2: a read answers its result; a write is endorsed and answers the transaction to sign. */
  async signProposal(principal: Principal, id: string, signature: Uint8Array): Promise<SignedProposalAnswer> {
    const session = this.open(principal, id);
    const stage = this.take(session, 'PROPOSAL', signature);
    try {
      if (session.mode === 'evaluate') {
        const result = await this.backend.offline.evaluateSigned(stage.step, signature);
        session.stage = { name: 'DONE' };
        return { id, txId: stage.step.txId, mode: 'evaluate', result };
      }
      const endorsed = await this.backend.offline.endorseSigned(stage.step, signature);
      session.stage = { name: 'TRANSACTION', step: endorsed };
      const expiresAt = new Date(session.expiresAt).toISOString();
      const { txId, result } = endorsed;
      return { id, txId, mode: 'submit', result, transaction: toSign(endorsed), expiresAt };
    } catch (error) {
      // Refused or out of reach: nothing ran, so the same signed proposal may be sent again.
      session.stage = stage;
      throw error;
    }
  }

  /** Step 3: the signed transaction is ordered; the answer is the committed outcome. */
  async signTransaction(
    principal: Principal,
    id: string,
    signature: Uint8Array,
    hooks: SubmitHooks = {},
  ): Promise<SubmitOutcome> {
    const session = this.open(principal, id);
    const stage = this.take(session, 'TRANSACTION', signature);
    try {
      // Noted before it is ordered, as for any write: a retry looks the transaction up.
      await hooks.onEndorsed?.(stage.step.txId, stage.step.result);
      const outcome = await this.backend.offline.submitSigned(stage.step, signature);
      session.stage = { name: 'DONE' };
      await session.afterCommit?.(outcome);
      return outcome;
    } catch (error) {
      // Not ordered: the same signed transaction may be sent again. Ordered, perhaps ordered, or
      // invalidated: never again (the Idempotency-Key's record follows a pending one).
      session.stage =
        error instanceof LedgerUnavailable && !(error instanceof OrderingUncertain) ? stage : { name: 'DONE' };
      throw error;
    }
  }

  private open(principal: Principal, id: string): Session {
    const session = this.sessions.get(id);
    if (!session || session.owner !== ownerOf(principal))
      throw new OfflineRefusal('OFFLINE_CALL_NOT_FOUND', `no prepared call ${id} of the caller; prepare it again`);
    if (this.clock() > session.expiresAt) {
      this.sessions.delete(id);
      throw new OfflineRefusal('OFFLINE_CALL_EXPIRED', `the prepared call ${id} expired; prepare it again`);
    }
    return session;
  }

  /**
   * Takes the stage that expects this signature once the signature verifies, so a second
   * signature sent while the step runs is refused.
   */
  private take<N extends 'PROPOSAL' | 'TRANSACTION'>(
    session: Session,
    name: N,
    signature: Uint8Array,
  ): Extract<Stage, { name: N }> {
    const stage = session.stage;
    if (stage.name !== name)
      throw new OfflineRefusal(
        'OFFLINE_STEP_DONE',
        `this step was already signed (the call is at ${stage.name === 'BUSY' ? 'a step under way' : stage.name}); ` +
          'repeat the earlier request with its Idempotency-Key to read its answer',
      );
    const taken = stage as Extract<Stage, { name: N }>;
    const { step } = taken as { step: SignableStep };
    const fault = signatureFault(session.certificatePem, step.message, signature);
    if (fault)
      throw new OfflineRefusal(
        'SIGNATURE_INVALID',
        `the ${name.toLowerCase()} signature is not the caller's (${fault}): sign the digest answered (SHA-256 of ` +
          "the message) with the caller's own key, ECDSA P-256, DER-encoded, low-S, and send it base64",
      );
    session.stage = { name: 'BUSY' };
    return taken;
  }

  private forgetExpired(): void {
    const now = this.clock();
    for (const [id, session] of this.sessions) if (now > session.expiresAt) this.sessions.delete(id);
  }
}
