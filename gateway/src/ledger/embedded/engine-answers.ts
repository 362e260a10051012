import { EndorsementError } from '@scf/chaincode/engine';
import { ChaincodeRefusal } from '../ledger-errors';

/** The engine's endorsement failures carry the chaincode's `[CODE] message`. */
export function refusal(error: unknown): never {
  throw (error instanceof EndorsementError && ChaincodeRefusal.from([error.message])) || error;
}
