'use strict';
// The least a Node contract can do per transaction: write one key. Benchmarks divide our
// figures by this chaincode's, measured on the same network in the same run.
const { Contract } = require('fabric-contract-api');

class Baseline extends Contract {
  constructor() {
    super('Baseline');
  }

  async Put(ctx, key, value) {
    await ctx.stub.putState(key, Buffer.from(value));
  }

  async Get(ctx, key) {
    return (await ctx.stub.getState(key)).toString();
  }
}

module.exports.contracts = [Baseline];
