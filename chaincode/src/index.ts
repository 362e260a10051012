import { CertificateContract } from './contracts/certificate-contract';
import { ConsortiumContract } from './contracts/consortium-contract';
import { EnterpriseContract } from './contracts/enterprise-contract';
import { ReceivableContract } from './contracts/receivable-contract';
import { TraceContract } from './contracts/trace-contract';

export { CertificateContract, ConsortiumContract, EnterpriseContract, ReceivableContract, TraceContract };
export { ERROR_CODES, errorCodeOf, ScfError } from './domain/errors';
export type { ErrorCode } from './domain/errors';
export type { EventPayload, EventType } from './ledger/change-set';

/** fabric-chaincode-node loads this list; the first is the default contract. */
export const contracts = [ReceivableContract, CertificateContract, EnterpriseContract, ConsortiumContract, TraceContract];
