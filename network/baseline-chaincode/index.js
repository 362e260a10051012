'use strict';
// The least a Node contract can do per transaction: write one key. Benchmarks divide our
// figures by this chaincode's, measured on the same network in the same run.
const { Contract } = require('fabric-contract-api');

const FILL = 120; // 'x'

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

  /** Writes the keys `Shaped` reads: `count` values of `bytes` bytes. */
  async Seed(ctx, count, bytes) {
    for (let i = 0; i < Number(count); i++) await ctx.stub.putState(`seed~${i}`, Buffer.alloc(Number(bytes), FILL));
  }

  /**
   * A transaction with the footprint of one of ours and none of its logic: the same state
   * calls (reads of seeded keys, values written, one-byte index entries, deletes), event and
   * reply sizes. What our transactions cost beyond this is our code's.
   */
  async Shaped(ctx, shapeJson) {
    const shape = JSON.parse(shapeJson);
    const id = ctx.stub.getTxID();
    for (let i = 0; i < shape.reads; i++) await ctx.stub.getState(`seed~${i}`);
    for (let i = 0; i < shape.records; i++) await ctx.stub.putState(`${id}~r${i}`, Buffer.alloc(shape.recordBytes, FILL));
    for (let i = 0; i < shape.markers; i++) await ctx.stub.putState(`${id}~m${i}`, Buffer.from([0]));
    for (let i = 0; i < shape.deletes; i++) await ctx.stub.deleteState(`${id}~d${i}`);
    if (shape.eventBytes > 0) ctx.stub.setEvent('Shaped', Buffer.alloc(shape.eventBytes, FILL));
    // A JSON string, as clients parse replies, of exactly `replyBytes` bytes.
    return JSON.stringify('x'.repeat(Math.max(0, shape.replyBytes - 2)));
  }
}

module.exports.contracts = [Baseline];
