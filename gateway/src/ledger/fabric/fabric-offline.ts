import { gateway as protos } from '@hyperledger/fabric-protos';
import { createHash } from 'crypto';
import { parseAnswer } from '../chaincode-answer';
import type { EndorsedStep, OfflineCall, OfflineSigning, SignableStep, SubmitOutcome } from '../ledger-backend';
import type { Contract, Gateway, Status, Transaction } from '@hyperledger/fabric-gateway';
import { proposalOptions } from './proposal-options';

const sha256 = (bytes: Uint8Array): Uint8Array => createHash('sha256').update(bytes).digest();

/** What a step keeps for the next: the serialized fabric-gateway message, and where it goes. */
interface FabricState {
  readonly bytes: Uint8Array;
  readonly mspId: string;
  readonly keptBy?: string;
  /** The peer that endorsed, which the transaction goes back through. */
  readonly peer?: number;
}

/** What the offline flow uses of FabricBackend: its peers, connections and commit handling. */
export interface FabricPeers {
  failover<T>(identity: { readonly mspId: string }, work: (peer: number) => Promise<T>, keptBy?: string): Promise<T>;
  offlineContract(peer: number, identity: OfflineCall['identity']): Contract;
  serviceGateway(peer: number): Gateway;
  endorsersOf(call: Pick<OfflineCall, 'keptBy'>, write: boolean): readonly string[] | undefined;
  endorseCaughtUp(peer: number, endorseOnce: () => Promise<Transaction>): Promise<Transaction>;
  orderAndWait(endorsed: Transaction, result: unknown): Promise<Status>;
  outcome(status: Status, result: unknown): Omit<SubmitOutcome, 'attempts'>;
}

/**
 * `@hyperledger/fabric-gateway`'s offline signing on the Fabric network: proposals are built
 * by a connection with the caller's certificate and no signer; the signed proposal and
 * transaction are carried by the gateway's own connection (they keep their creator), which
 * also signs the commit status request. Peers verify the caller's signatures themselves.
 */
export class FabricOfflineSigning implements OfflineSigning {
  constructor(private readonly backend: FabricPeers) {}

  prepare(call: OfflineCall, write: boolean): Promise<SignableStep> {
    return this.backend.failover(
      call.identity,
      async (peer) => {
        const proposal = this.backend
          .offlineContract(peer, call.identity)
          .newProposal(call.transaction, proposalOptions(call, this.backend.endorsersOf(call, write)));
        const bytes = proposal.getBytes();
        const message = protos.ProposedTransaction.deserializeBinary(bytes).getProposal()!.getProposalBytes_asU8();
        const state: FabricState = { bytes, mspId: call.identity.mspId, keptBy: call.keptBy };
        return { txId: proposal.getTransactionId(), message, digest: sha256(message), state };
      },
      call.keptBy,
    );
  }

  async evaluateSigned(proposal: SignableStep, signature: Uint8Array): Promise<unknown> {
    const state = proposal.state as FabricState;
    const result = await this.backend.failover(
      { mspId: state.mspId },
      (peer) => this.backend.serviceGateway(peer).newSignedProposal(state.bytes, signature).evaluate(),
      state.keptBy,
    );
    return parseAnswer(result);
  }

  async endorseSigned(proposal: SignableStep, signature: Uint8Array): Promise<EndorsedStep> {
    const state = proposal.state as FabricState;
    let endorsedBy = -1;
    const transaction = await this.backend.failover(
      { mspId: state.mspId },
      (peer) => {
        endorsedBy = peer;
        return this.backend.endorseCaughtUp(peer, () =>
          this.backend.serviceGateway(peer).newSignedProposal(state.bytes, signature).endorse(),
        );
      },
      state.keptBy,
    );
    const bytes = transaction.getBytes();
    const message = protos.PreparedTransaction.deserializeBinary(bytes).getEnvelope()!.getPayload_asU8();
    const next: FabricState = { ...state, bytes, peer: endorsedBy };
    return {
      txId: transaction.getTransactionId(),
      message,
      digest: sha256(message),
      state: next,
      result: parseAnswer(transaction.getResult()),
    };
  }

  /** A transaction that fails validation (an MVCC conflict too) cannot be endorsed again without a new signature. */
  async submitSigned(transaction: EndorsedStep, signature: Uint8Array): Promise<SubmitOutcome> {
    const state = transaction.state as FabricState;
    const signed = this.backend.serviceGateway(state.peer ?? 0).newSignedTransaction(state.bytes, signature);
    const status = await this.backend.orderAndWait(signed, transaction.result);
    return { ...this.backend.outcome(status, transaction.result), attempts: 1 };
  }
}
