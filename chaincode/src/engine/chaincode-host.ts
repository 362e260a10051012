import { JSONSerializer } from 'fabric-contract-api';
import ChaincodeFromContract from 'fabric-shim/lib/contract-spi/chaincodefromcontract';
import type { SimulationStub } from './simulation-stub';

export interface ChaincodeResponse {
  readonly status: number;
  readonly message?: string;
  readonly payload?: Uint8Array;
}

/** A contract class as fabric-contract-api instantiates it. */
export type ContractClass = new () => object;

interface Dispatcher {
  Invoke(stub: SimulationStub): Promise<ChaincodeResponse>;
}

/**
 * Runs contract classes through fabric-contract-api's own dispatch (argument marshalling,
 * before/after hooks, metadata), exactly as the chaincode server does inside a peer.
 */
export class ChaincodeHost {
  private readonly dispatcher: Dispatcher;

  constructor(
    contractClasses: readonly ContractClass[],
    readonly name = 'scf',
    version = '0.0.0',
  ) {
    const serializers = { transaction: 'jsonSerializer', serializers: { jsonSerializer: JSONSerializer } };
    // The constructor appends Fabric's system contract to the array it is given: pass a copy.
    this.dispatcher = new ChaincodeFromContract([...contractClasses], serializers, {}, name, version) as Dispatcher;
  }

  invoke(stub: SimulationStub): Promise<ChaincodeResponse> {
    return this.dispatcher.Invoke(stub);
  }
}
