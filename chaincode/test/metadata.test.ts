import { contracts } from '../src';
import { TRANSACTION_NAMES } from '../src/access/policy';
import { READ_TABLE } from '../src/access/read-policy';
import { LedgerEngine } from '../src/engine/ledger-engine';
import { LocalCertificateAuthority } from '../src/engine/local-ca';

/**
 * `peer chaincode query -c '{"Args":["org.hyperledger.fabric:GetMetadata"]}'` runs
 * fabric-contract-api's system contract through the same dispatch as every transaction
 * (ChaincodeFromContract, which the engine uses too). Its answer is an object, so it
 * goes through the JSON serializer (class-transformer), unlike our string answers.
 */
describe('contract metadata (org.hyperledger.fabric:GetMetadata)', () => {
  test('answers every contract with its transactions, as the peer would', async () => {
    const engine = new LedgerEngine({ contracts });
    const caller = await (await LocalCertificateAuthority.create('Bank1MSP')).issue({ commonName: 'operator' });
    const bytes = await engine.evaluate({ identity: caller, transaction: 'org.hyperledger.fabric:GetMetadata' });
    const metadata = JSON.parse(Buffer.from(bytes).toString('utf8')) as {
      contracts: Record<string, { name: string; transactions: { name: string }[] }>;
    };
    const names = contracts.map((Contract) => (new Contract() as { getName(): string }).getName());
    expect(Object.keys(metadata.contracts).sort()).toEqual([...names, 'org.hyperledger.fabric'].sort());
    const listed = Object.values(metadata.contracts)
      .filter((contract) => contract.name !== 'org.hyperledger.fabric')
      .flatMap((contract) => contract.transactions.map((t) => `${contract.name}:${t.name}`));
    // Every transaction the policy table opens is described, and nothing else.
    expect(listed.sort()).toEqual([...TRANSACTION_NAMES].sort());
    expect(metadata.contracts['org.hyperledger.fabric']?.transactions.map((t) => t.name)).toContain('GetMetadata');
  });

  test('every query transaction (evaluate-only) has its row in the read table, and every row is a query', async () => {
    const engine = new LedgerEngine({ contracts });
    const caller = await (await LocalCertificateAuthority.create('Bank1MSP')).issue({ commonName: 'operator' });
    const bytes = await engine.evaluate({ identity: caller, transaction: 'org.hyperledger.fabric:GetMetadata' });
    const metadata = JSON.parse(Buffer.from(bytes).toString('utf8')) as {
      contracts: Record<string, { name: string; transactions: { name: string; tag?: string[] }[] }>;
    };
    const queries = Object.values(metadata.contracts)
      .filter((contract) => contract.name !== 'org.hyperledger.fabric')
      .flatMap((contract) => contract.transactions.filter((t) => t.tag?.includes('EVALUATE')).map((t) => `${contract.name}:${t.name}`));
    expect(queries.length).toBeGreaterThan(20);
    expect(queries.sort()).toEqual(Object.keys(READ_TABLE).sort());
  });
});
