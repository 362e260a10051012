// fabric-shim ships no types for its contract dispatcher; the engine needs only its shape.
declare module 'fabric-shim/lib/contract-spi/chaincodefromcontract' {
  class ChaincodeFromContract {
    constructor(contracts: unknown[], serializers: unknown, metadata: unknown, title: string, version: string);
  }
  export = ChaincodeFromContract;
}
