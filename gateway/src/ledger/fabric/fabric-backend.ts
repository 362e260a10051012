import * as grpc from '@grpc/grpc-js';
import {
  type ChaincodeEvent,
  type CloseableAsyncIterable,
  connect,
  type Contract,
  EndorseError,
  type Gateway,
  GatewayError,
  hash,
  type Status,
  StatusCode,
  type Transaction,
} from '@hyperledger/fabric-gateway';
import { readFileSync } from 'fs';
import type {
  EventPosition,
  LedgerBackend,
  LedgerCall,
  LedgerEvent,
  SubmitHooks,
  SubmitOutcome,
  TransactionRecord,
} from '../ledger-backend';
import {
  ChaincodeRefusal,
  CommitPending,
  LedgerUnavailable,
  OrderingUncertain,
  retryOnConflict,
  TransactionInvalidated,
} from '../ledger-errors';
import type { CertifiedIdentity, SigningIdentity } from '../../identity/signing-identity';
import type { ConnectionProfile, PeerProfile } from './connection-profile';
import { newNativeSigner } from '../../identity/native-signer';
import { parseAnswer as parse } from '../chaincode-answer';
import { FabricOfflineSigning } from './fabric-offline';
import { proposalOptions } from './proposal-options';
import { blockNumberOf, heightOf, parseProcessedTransaction, VALIDATION_CODE_NAMES } from './transaction-record';

export interface FabricBackendOptions {
  readonly profile: ConnectionProfile;
  /** The gateway's own identity (a bank admin) for event streams and ledger lookups. */
  readonly serviceIdentity: SigningIdentity;
  /** How long to wait for a commit before answering "pending". */
  readonly commitTimeoutMs: number;
  readonly onWarning?: (message: string, error?: unknown) => void;
}

/** gRPC codes meaning "this peer could not be reached or answer", worth trying another peer for. */
const UNREACHABLE = new Set([grpc.status.UNAVAILABLE, grpc.status.DEADLINE_EXCEEDED]);
const CONFLICTS = new Set<number>([StatusCode.MVCC_READ_CONFLICT, StatusCode.PHANTOM_READ_CONFLICT]);
const EVALUATE_MS = 10_000;
const ENDORSE_MS = 20_000;
const SUBMIT_MS = 10_000;
const RECONNECT_MS = 1_000;
// A peer a block or two behind catches up within a few block times (BatchTimeout 250 ms).
const CATCH_UP_MS = 3_000;
const CATCH_UP_POLL_MS = 100;

function messagesOf(error: GatewayError): string[] {
  return [error.message, ...error.details.map((detail) => detail.message)];
}

/**
 * Chaincode refusals become ChaincodeRefusal. Any other failure to endorse (peers down,
 * the policy unsatisfiable with the peers up) and unreachable peers become
 * LedgerUnavailable: nothing was applied. Anything else stays internal.
 */
function classify(error: unknown): Error {
  if (!(error instanceof GatewayError)) return error as Error;
  const unavailable =
    error instanceof EndorseError || UNREACHABLE.has(error.code) || error.code === grpc.status.ABORTED;
  return (
    ChaincodeRefusal.from(messagesOf(error)) ??
    (unavailable ? new LedgerUnavailable(messagesOf(error).join('; ')) : error)
  );
}

/**
 * Why a transaction did not reach the orderers. Refused or unreachable orderers took nothing; a
 * quorum short (BFT: the consenters that did take it order it once a quorum is back) or a
 * broadcast that timed out may have been taken.
 */
function submitFailure(error: unknown): LedgerUnavailable {
  if (!(error instanceof GatewayError)) return new LedgerUnavailable(String(error));
  const messages = messagesOf(error).join('; ');
  const uncertain = error.code === grpc.status.DEADLINE_EXCEEDED || /insufficient number of orderers/.test(messages);
  return uncertain ? new OrderingUncertain(messages) : new LedgerUnavailable(messages);
}

function toEvent(event: ChaincodeEvent): LedgerEvent {
  return {
    blockNumber: Number(event.blockNumber),
    txId: event.transactionId,
    type: event.eventName,
    payload: parse(event.payload) as LedgerEvent['payload'],
  };
}

/**
 * The ledger on a Fabric network, through the peers' Gateway service. Each caller signs
 * with its own identity (natively, low-S); connections to the peers are shared. A call
 * goes to a peer of the caller's own organisation first and fails over to the others
 * when that peer cannot be reached.
 */
export class FabricBackend implements LedgerBackend {
  readonly kind = 'fabric' as const;
  /** An ordered transaction commits within a few block times; two minutes leaves room for an orderer election. */
  readonly orphanAfterMs = 120_000;
  readonly offline = new FabricOfflineSigning(this);
  private readonly clients: ReadonlyArray<{ readonly peer: PeerProfile; readonly client: grpc.Client }>;
  private readonly gateways = new Map<string, Gateway>();
  /** One past the highest block this backend saw its own transactions commit in. */
  private committedHeight = 0;

  constructor(private readonly options: FabricBackendOptions) {
    this.clients = options.profile.peers.map((peer) => ({
      peer,
      client: new grpc.Client(peer.endpoint, grpc.credentials.createSsl(readFileSync(peer.tlsRootCertPath)), {
        ...(peer.hostOverride ? { 'grpc.ssl_target_name_override': peer.hostOverride } : {}),
        // Above the peers' minimum ping interval (60 s), so idle connections stay up without being refused.
        'grpc.keepalive_time_ms': 120_000,
        'grpc.keepalive_timeout_ms': 20_000,
      }),
    }));
  }

  /**
   * Peers in the order to try them for an identity: its own organisation's first; for a
   * call that carries private terms, the keeping organisation's peers and no other.
   */
  private peersFor(mspId: string, keptBy?: string): number[] {
    const indexes = this.clients.map((_, i) => i);
    if (keptBy !== undefined) {
      const keeping = indexes.filter((i) => this.clients[i]!.peer.mspId === keptBy);
      if (keeping.length === 0)
        throw new LedgerUnavailable(
          `the connection profile names no peer of ${keptBy}, whose peers alone keep these terms`,
        );
      return keeping;
    }
    return [
      ...indexes.filter((i) => this.clients[i]!.peer.mspId === mspId),
      ...indexes.filter((i) => this.clients[i]!.peer.mspId !== mspId),
    ];
  }

  private gateway(peerIndex: number, identity: SigningIdentity): Gateway {
    const key = `${peerIndex}\u0000${identity.mspId}\u0000${identity.clientId}`;
    let gateway = this.gateways.get(key);
    if (!gateway) {
      gateway = connect({
        client: this.clients[peerIndex]!.client,
        identity: { mspId: identity.mspId, credentials: Buffer.from(identity.certificatePem) },
        signer: newNativeSigner(identity.privateKeyPem),
        hash: hash.none,
        evaluateOptions: () => ({ deadline: Date.now() + EVALUATE_MS }),
        endorseOptions: () => ({ deadline: Date.now() + ENDORSE_MS }),
        submitOptions: () => ({ deadline: Date.now() + SUBMIT_MS }),
        commitStatusOptions: () => ({ deadline: Date.now() + this.options.commitTimeoutMs }),
      });
      this.gateways.set(key, gateway);
    }
    return gateway;
  }

  private contract(peerIndex: number, identity: SigningIdentity, chaincode = this.options.profile.chaincode): Contract {
    return this.gateway(peerIndex, identity).getNetwork(this.options.profile.channel).getContract(chaincode);
  }

  /**
   * The chaincode as an identity whose key the gateway does not hold sees it: connected with its
   * certificate and no signer, so it can build proposals (with SHA-256 digests to sign elsewhere) only.
   */
  offlineContract(peerIndex: number, identity: CertifiedIdentity): Contract {
    const key = `offline\u0000${peerIndex}\u0000${identity.mspId}\u0000${identity.clientId}`;
    let gateway = this.gateways.get(key);
    if (!gateway) {
      gateway = connect({
        client: this.clients[peerIndex]!.client,
        identity: { mspId: identity.mspId, credentials: Buffer.from(identity.certificatePem) },
      });
      this.gateways.set(key, gateway);
    }
    return gateway.getNetwork(this.options.profile.channel).getContract(this.options.profile.chaincode);
  }

  /**
   * The gateway's own connection to a peer, for carrying a caller's signed messages: a signed
   * proposal or transaction keeps its creator whoever carries it, and the commit status request
   * that follows is the gateway's own (asking after a transaction needs no authority over it).
   */
  serviceGateway(peerIndex: number): Gateway {
    return this.gateway(peerIndex, this.options.serviceIdentity);
  }

  /**
   * The organisations a proposal names as its endorsers. A call with private terms goes to
   * the keeping organisation alone. A public write goes to the consortium banks, named:
   * when its first endorser is the bank whose terms it checks (an issuance against the
   * bank's limit, an application or approval against its terms), that peer reads private
   * data, and the peers' gateway would then offer the proposal only to members of that
   * bank's collection, which no set of peers satisfying the chaincode policy is.
   */
  endorsersOf(call: Pick<LedgerCall, 'keptBy'>, write: boolean): readonly string[] | undefined {
    if (call.keptBy !== undefined) return [call.keptBy];
    return write ? this.options.profile.endorsingOrganizations : undefined;
  }

  /** Runs `work` through the identity's peers in turn until one can be reached. */
  async failover<T>(
    identity: { readonly mspId: string },
    work: (peerIndex: number) => Promise<T>,
    keptBy?: string,
  ): Promise<T> {
    let last: Error | undefined;
    for (const index of this.peersFor(identity.mspId, keptBy)) {
      try {
        return await work(index);
      } catch (error) {
        const classified = classify(error);
        if (!(classified instanceof LedgerUnavailable)) throw classified;
        last = classified;
        this.options.onWarning?.(
          `peer ${this.clients[index]!.peer.name} could not serve the call; trying the next one`,
          error,
        );
      }
    }
    throw last ?? new LedgerUnavailable('no peers configured');
  }

  async submit(call: LedgerCall, hooks: SubmitHooks = {}): Promise<SubmitOutcome> {
    const { value, attempts } = await retryOnConflict<Omit<SubmitOutcome, 'attempts'>>(
      call.transaction,
      async () => {
        // Endorsement fails over between peers; nothing has been ordered yet, so that is safe.
        const endorsed = await this.failover(call.identity, (peer) => this.endorse(peer, call), call.keptBy);
        const txId = endorsed.getTransactionId();
        const result = parse(endorsed.getResult());
        await hooks.onEndorsed?.(txId, result);
        const status = await this.orderAndWait(endorsed, result);
        if (CONFLICTS.has(status.code)) return { conflict: true as const };
        return { conflict: false as const, value: this.outcome(status, result) };
      },
      hooks.onRetry,
    );
    return { ...value, attempts };
  }

  /** Sends an endorsed, signed transaction to the orderers and waits for its commit status. */
  async orderAndWait(endorsed: Transaction, result: unknown): Promise<Status> {
    let commit;
    try {
      commit = await endorsed.submit();
    } catch (error) {
      throw submitFailure(error);
    }
    try {
      return await commit.getStatus();
    } catch {
      // Ordered, but its commit was not seen in time: it may still commit. Never rebuild it.
      throw new CommitPending(endorsed.getTransactionId(), result);
    }
  }

  /** A committed transaction's outcome; an invalidated one (an MVCC conflict included) is TransactionInvalidated. */
  outcome(status: Status, result: unknown): Omit<SubmitOutcome, 'attempts'> {
    if (!status.successful)
      throw new TransactionInvalidated(
        status.transactionId,
        VALIDATION_CODE_NAMES.get(status.code) ?? String(status.code),
      );
    this.committedHeight = Math.max(this.committedHeight, Number(status.blockNumber) + 1);
    return { txId: status.transactionId, blockNumber: Number(status.blockNumber), result };
  }

  /**
   * Endorses on the entry peer and the other banks' peers. A commit is confirmed by one
   * peer only, so a peer endorsing the next transaction (the entry peer itself, when the
   * caller belongs to another bank, or another bank's peer) may not hold that block yet
   * and refuse on stale state. A peer's refusal does not say which block it simulated on,
   * so every chaincode refusal is endorsed once more after the refusing peers have caught
   * up with every block known here; a refusal on current state stands.
   */
  private endorse(peer: number, call: LedgerCall): Promise<Transaction> {
    return this.endorseCaughtUp(peer, () =>
      this.contract(peer, call.identity)
        .newProposal(call.transaction, proposalOptions(call, this.endorsersOf(call, true)))
        .endorse(),
    );
  }

  /** Endorses, and once more after the refusing peers caught up when the chaincode refused (see `endorse`). */
  async endorseCaughtUp(peer: number, endorseOnce: () => Promise<Transaction>): Promise<Transaction> {
    try {
      return await endorseOnce();
    } catch (error) {
      if (
        !(error instanceof GatewayError) ||
        !ChaincodeRefusal.from(messagesOf(error)) ||
        !(await this.refusersCaughtUp(peer, error))
      )
        throw error;
      return endorseOnce();
    }
  }

  /**
   * Waits until the peers that refused hold every block known here (the entry peer's and
   * this backend's own last commit).
   */
  private async refusersCaughtUp(entry: number, error: GatewayError): Promise<boolean> {
    const refusingMsps = new Set(
      error.details.length > 0 ? error.details.map((d) => d.mspId) : [this.clients[entry]!.peer.mspId],
    );
    const refusers = this.clients.flatMap((client, i) => (refusingMsps.has(client.peer.mspId) ? [i] : []));
    const known = Math.max(this.committedHeight, (await this.heightAt(entry)) ?? 0);
    for (const deadline = Date.now() + CATCH_UP_MS; ;) {
      const heights = await Promise.all(refusers.map((i) => this.heightAt(i)));
      if (heights.every((h) => h !== undefined && h >= known)) return true;
      if (Date.now() >= deadline) return false;
      await new Promise((resolve) => setTimeout(resolve, CATCH_UP_POLL_MS));
    }
  }

  private chainInfo(peer: number): Promise<Uint8Array> {
    return this.contract(peer, this.options.serviceIdentity, 'qscc').evaluate('GetChainInfo', {
      arguments: [this.options.profile.channel],
    });
  }

  /** A peer's ledger height, or undefined when it cannot tell. */
  private heightAt(peer: number): Promise<number | undefined> {
    return this.chainInfo(peer).then(heightOf, () => undefined);
  }

  async evaluate(call: LedgerCall): Promise<unknown> {
    return parse(
      await this.failover(
        call.identity,
        (peer) =>
          this.contract(peer, call.identity).evaluate(
            call.transaction,
            proposalOptions(call, this.endorsersOf(call, false)),
          ),
        call.keptBy,
      ),
    );
  }

  async transaction(txId: string): Promise<TransactionRecord | undefined> {
    const identity = this.options.serviceIdentity;
    const { channel } = this.options.profile;
    try {
      return await this.failover(identity, async (peer) => {
        const qscc = this.contract(peer, identity, 'qscc');
        const [processed, block] = await Promise.all([
          qscc.evaluateTransaction('GetTransactionByID', channel, txId),
          qscc.evaluateTransaction('GetBlockByTxID', channel, txId),
        ]);
        return parseProcessedTransaction(txId, blockNumberOf(block), processed);
      });
    } catch (error) {
      if (error instanceof GatewayError && messagesOf(error).some((m) => /no such transaction ID/i.test(m)))
        return undefined;
      throw error;
    }
  }

  /**
   * Follows chaincode events from a checkpoint. When the peer serving the stream goes
   * away, the stream resumes from the last delivered event on the next peer, so no event
   * is lost or repeated. Fabric delivers events of valid transactions only.
   */
  async subscribe(after: EventPosition, listener: (event: LedgerEvent) => void): Promise<() => void> {
    const identity = this.options.serviceIdentity;
    let position = after;
    let closed = false;
    let stream: CloseableAsyncIterable<ChaincodeEvent> | undefined;
    const peers = this.peersFor(identity.mspId);
    const open = (attempt: number): Promise<CloseableAsyncIterable<ChaincodeEvent>> =>
      this.gateway(peers[attempt % peers.length]!, identity)
        .getNetwork(this.options.profile.channel)
        .getChaincodeEvents(this.options.profile.chaincode, {
          // A checkpoint names the block to read and the last transaction already delivered in it.
          checkpoint: {
            getBlockNumber: () => BigInt(position.txId === undefined ? position.blockNumber + 1 : position.blockNumber),
            getTransactionId: () => position.txId,
          },
        });
    stream = await open(0);
    void (async () => {
      for (let attempt = 0; !closed; attempt++) {
        try {
          stream ??= await open(attempt);
          for await (const event of stream) {
            position = { blockNumber: Number(event.blockNumber), txId: event.transactionId };
            listener(toEvent(event));
          }
        } catch (error) {
          if (closed) return;
          this.options.onWarning?.(
            'the event stream was interrupted; resuming from its checkpoint on the next peer',
            error,
          );
          await new Promise((resolve) => setTimeout(resolve, RECONNECT_MS));
        }
        stream = undefined;
      }
    })();
    return () => {
      closed = true;
      stream?.close();
    };
  }

  async height(): Promise<number> {
    return heightOf(await this.failover(this.options.serviceIdentity, (peer) => this.chainInfo(peer)));
  }

  async ready(): Promise<boolean> {
    return this.height().then(
      () => true,
      () => false,
    );
  }

  async close(): Promise<void> {
    this.gateways.forEach((gateway) => gateway.close());
    this.clients.forEach(({ client }) => client.close());
  }
}
