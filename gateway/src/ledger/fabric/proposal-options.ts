import type { ProposalOptions } from '@hyperledger/fabric-gateway';
import type { LedgerCall } from '../ledger-backend';

/** A call's arguments, transient data and, when named, its endorsing organisations, as fabric-gateway takes them. */
export function proposalOptions(call: Omit<LedgerCall, 'identity'>, endorsers?: readonly string[]): ProposalOptions {
  return {
    arguments: [...call.args],
    transientData: call.transient ? { ...call.transient } : undefined,
    ...(endorsers ? { endorsingOrganizations: [...endorsers] } : {}),
  };
}
