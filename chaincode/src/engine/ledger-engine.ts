import { createHash, randomBytes } from 'crypto';
import { EVERY_ORGANISATION } from '../ledger/private-store';
import { errorCodeOf, type ErrorCode } from '../domain/errors';
import { ChaincodeHost, type ContractClass } from './chaincode-host';
import { type ReadWriteSet, SimulationStub, splitNamespacedKey } from './simulation-stub';
import { MemoryStateStore, type StateStore, type StateWrite, type Version } from './state-store';
import { type SignatureFault, signatureFault } from './signatures';
import { decodeProposal, digestOf, encodeProposal, encodeTransaction, transactionIdOf } from './signed-proposal';

/** A client identity as a peer sees it: the MSP and the signing certificate. */
export interface SubmitterIdentity {
  readonly mspId: string;
  readonly certificatePem: string;
}

export interface Proposal {
  readonly identity: SubmitterIdentity;
  /** `Contract:Transaction`, as a Fabric client names it. */
  readonly transaction: string;
  readonly args?: readonly string[];
  readonly transient?: Readonly<Record<string, string | Uint8Array>>;
  /** The client chooses a proposal's timestamp on Fabric; by default the engine's clock. */
  readonly timestampMillis?: number;
  /** One proposal sent to several peers keeps its id on each; by default a fresh one, as Fabric derives it. */
  readonly txId?: string;
}

export interface ChaincodeEvent {
  readonly blockNumber: number;
  readonly txId: string;
  readonly chaincodeName: string;
  readonly eventName: string;
  readonly payload: Uint8Array;
  readonly timestampMillis: number;
}

export interface EndorsedTransaction {
  readonly txId: string;
  readonly timestampMillis: number;
  readonly result: Uint8Array;
  readonly rwset: ReadWriteSet;
  readonly event: { name: string; payload: Uint8Array } | undefined;
}

export interface CommitResult {
  readonly txId: string;
  readonly blockNumber: number;
  readonly result: Uint8Array;
}

/** The chaincode refused the proposal; nothing was written. Carries the chaincode's error code. */
export class EndorsementError extends Error {
  readonly code: ErrorCode | undefined;
  constructor(message: string) {
    super(message);
    this.name = 'EndorsementError';
    this.code = errorCodeOf(message);
  }
}

/** A transaction endorsed from a signed proposal, whose creator must sign `transactionBytes` before it commits. */
export interface SignedEndorsement extends EndorsedTransaction {
  readonly creator: SubmitterIdentity;
  readonly proposalDigest: string;
  readonly transactionBytes: Uint8Array;
}

/** An offline signature was refused: the step's bytes were not signed by the creator's certificate (nothing ran). */
export class SignatureRefused extends Error {
  constructor(
    readonly step: 'proposal' | 'transaction',
    readonly fault: SignatureFault | 'NOT_A_PROPOSAL',
  ) {
    super(`the ${step} signature is refused: ${fault}`);
    this.name = 'SignatureRefused';
  }
}

export type ValidationCode = 'VALID' | 'MVCC_READ_CONFLICT' | 'PHANTOM_READ_CONFLICT' | 'DUPLICATE_TXID';

/** The transaction was ordered but failed validation; its writes were discarded, as on a peer. */
export class CommitError extends Error {
  constructor(
    readonly txId: string,
    readonly validationCode: Exclude<ValidationCode, 'VALID'>,
  ) {
    super(`transaction ${txId} failed validation: ${validationCode}`);
    this.name = 'CommitError';
  }
}

/** The chaincode the engine runs: its contract classes (named `scf`), or a host built for them. */
export type ChaincodeSource =
  | { readonly contracts: readonly ContractClass[]; readonly host?: undefined }
  | { readonly host: ChaincodeHost; readonly contracts?: undefined };

export type LedgerEngineOptions = ChaincodeSource & {
  readonly store?: StateStore;
  readonly channelId?: string;
  /** The simulated peer's organisation; by default one node that keeps every organisation's collections. */
  readonly peerMspId?: string;
  /** Milliseconds since the epoch for each proposal's timestamp; tests move it forward. */
  readonly clock?: () => number;
};

function sameVersion(a: Version | null | undefined, b: Version | null | undefined): boolean {
  if (!a || !b) return !a && !b;
  return a.blockNumber === b.blockNumber && a.txNumber === b.txNumber;
}

/**
 * A single-node development ledger that runs the real contracts with Fabric's semantics:
 * endorse by simulation, then validate read versions and range results (MVCC and
 * phantom checks) and commit one transaction per block, with history and events.
 */
export class LedgerEngine {
  readonly store: StateStore;
  readonly host: ChaincodeHost;
  private readonly channelId: string;
  private readonly peerMspId: string;
  private readonly clock: () => number;
  private readonly listeners = new Set<(event: ChaincodeEvent) => void>();
  private commitQueue: Promise<unknown> = Promise.resolve();

  constructor(options: LedgerEngineOptions) {
    this.store = options.store ?? new MemoryStateStore();
    this.host = options.host ?? new ChaincodeHost(options.contracts);
    this.channelId = options.channelId ?? 'scf';
    this.peerMspId = options.peerMspId ?? EVERY_ORGANISATION;
    this.clock = options.clock ?? (() => Date.now());
  }

  /** Runs a query: simulated, never ordered or committed. */
  async evaluate(proposal: Proposal): Promise<Uint8Array> {
    return (await this.endorse(proposal)).result;
  }

  async submit(proposal: Proposal): Promise<CommitResult> {
    return this.commit(await this.endorse(proposal));
  }

  async endorse(proposal: Proposal): Promise<EndorsedTransaction> {
    const creator = { mspid: proposal.identity.mspId, idBytes: Buffer.from(proposal.identity.certificatePem, 'utf8') };
    // Fabric's transaction id: SHA-256 over a fresh nonce and the serialized creator.
    const txId =
      proposal.txId ??
      createHash('sha256').update(randomBytes(24)).update(creator.mspid).update(creator.idBytes).digest('hex');
    const timestampMillis = proposal.timestampMillis ?? this.clock();
    const stub = new SimulationStub(this.store, this.host.name, {
      txId,
      channelId: this.channelId,
      timestampMillis,
      creator,
      args: [proposal.transaction, ...(proposal.args ?? [])],
      transient: new Map(
        Object.entries(proposal.transient ?? {}).map(([k, v]) => [
          k,
          typeof v === 'string' ? Buffer.from(v, 'utf8') : v,
        ]),
      ),
      peerMspId: this.peerMspId,
      endorserClock: this.clock,
    });
    const response = await this.host.invoke(stub);
    if (response.status >= 400) {
      throw new EndorsementError(response.message ?? `chaincode answered status ${response.status}`);
    }
    const rwset = stub.readWriteSet();
    if (rwset.paginated && rwset.writes.size > 0) {
      throw new EndorsementError('paginated queries are supported only in a read-only transaction');
    }
    return {
      txId,
      timestampMillis,
      result: response.payload ?? new Uint8Array(0),
      rwset,
      event: stub.chaincodeEvent(),
    };
  }

  /**
   * Offline signing, step 1: the bytes of a proposal for its creator to sign elsewhere (the
   * embedded ledger's own encoding; see signed-proposal.ts). Nothing runs until it is signed.
   */
  prepare(proposal: Proposal): { readonly txId: string; readonly bytes: Uint8Array } {
    const creator = { mspId: proposal.identity.mspId, certificatePem: proposal.identity.certificatePem };
    const nonce = randomBytes(24).toString('hex');
    const txId = transactionIdOf(nonce, creator);
    const transient = Object.fromEntries(
      Object.entries(proposal.transient ?? {}).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
    );
    const bytes = encodeProposal({
      kind: 'scf.embedded.proposal',
      channelId: this.channelId,
      chaincode: this.host.name,
      transaction: proposal.transaction,
      args: [...(proposal.args ?? [])],
      transient,
      creator,
      nonce,
      timestampMillis: proposal.timestampMillis ?? this.clock(),
      txId,
    });
    return { txId, bytes };
  }

  /**
   * Step 2: endorses exactly what the creator signed, once the signature verifies against the
   * certificate in the proposal (as a peer checks the creator's signature). Returns the
   * transaction bytes the creator signs next.
   */
  async endorseSigned(bytes: Uint8Array, signature: Uint8Array): Promise<SignedEndorsement> {
    const content = decodeProposal(bytes);
    if (!content) throw new SignatureRefused('proposal', 'NOT_A_PROPOSAL');
    const fault = signatureFault(content.creator.certificatePem, bytes, signature);
    if (fault) throw new SignatureRefused('proposal', fault);
    const endorsed = await this.endorse({
      identity: content.creator,
      transaction: content.transaction,
      args: content.args,
      transient: Object.fromEntries(Object.entries(content.transient).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
      timestampMillis: content.timestampMillis,
      txId: content.txId,
    });
    const proposalDigest = digestOf(bytes);
    return {
      ...endorsed,
      creator: content.creator,
      proposalDigest,
      transactionBytes: encodeTransaction({ ...endorsed, proposalDigest }),
    };
  }

  /** Step 3: commits the endorsement once its creator's signature over the transaction verifies. */
  commitSigned(endorsement: SignedEndorsement, signature: Uint8Array): Promise<CommitResult> {
    // Encoded again from what will be committed, so bytes that do not match the writes verify nothing.
    const fault = signatureFault(endorsement.creator.certificatePem, encodeTransaction(endorsement), signature);
    if (fault) return Promise.reject(new SignatureRefused('transaction', fault));
    return this.commit(endorsement);
  }

  /** Orders and validates one endorsed transaction. Commits are serialised, like blocks. */
  commit(endorsed: EndorsedTransaction): Promise<CommitResult> {
    const next = this.commitQueue.then(() => this.validateAndCommit(endorsed));
    this.commitQueue = next.catch(() => undefined);
    return next;
  }

  onEvent(listener: (event: ChaincodeEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private async validateAndCommit(endorsed: EndorsedTransaction): Promise<CommitResult> {
    if (await this.store.transaction(endorsed.txId)) {
      throw new CommitError(endorsed.txId, 'DUPLICATE_TXID');
    }
    const validationCode = await this.validate(endorsed.rwset);
    const blockNumber = this.store.height;
    const writes: StateWrite[] = [...endorsed.rwset.writes].map(([composite, value]) => ({
      ...splitNamespacedKey(composite),
      value,
    }));
    await this.store.commit({
      blockNumber,
      txId: endorsed.txId,
      timestampMillis: endorsed.timestampMillis,
      valid: validationCode === 'VALID',
      validationCode,
      writes: validationCode === 'VALID' ? writes : [],
      ...(validationCode === 'VALID' && endorsed.event ? { event: endorsed.event } : {}),
    });
    if (validationCode !== 'VALID') {
      throw new CommitError(endorsed.txId, validationCode);
    }
    if (endorsed.event) {
      const event: ChaincodeEvent = {
        blockNumber,
        txId: endorsed.txId,
        chaincodeName: this.host.name,
        eventName: endorsed.event.name,
        payload: endorsed.event.payload,
        timestampMillis: endorsed.timestampMillis,
      };
      this.listeners.forEach((listener) => listener(event));
    }
    return { txId: endorsed.txId, blockNumber, result: endorsed.result };
  }

  private async validate(rwset: ReadWriteSet): Promise<ValidationCode> {
    for (const [composite, version] of rwset.reads) {
      const { namespace, key } = splitNamespacedKey(composite);
      if (!sameVersion(version, (await this.store.get(namespace, key))?.version)) {
        return 'MVCC_READ_CONFLICT';
      }
    }
    for (const range of rwset.rangeReads) {
      const now = await this.store.range(range.namespace, range.startKey, range.endKey);
      const changed =
        now.length !== range.results.length ||
        now.some(
          ([key, { version }], i) => key !== range.results[i]?.[0] || !sameVersion(version, range.results[i]?.[1]),
        );
      if (changed) return 'PHANTOM_READ_CONFLICT';
    }
    return 'VALID';
  }
}
