import * as grpc from '@grpc/grpc-js';
import { connect, type Contract, type Gateway, signers } from '@hyperledger/fabric-gateway';
import { execFileSync } from 'child_process';
import { createPrivateKey } from 'crypto';
import { existsSync, readdirSync, readFileSync } from 'fs';
import path from 'path';

export const ROOT = path.resolve(__dirname, '../..');
export const RUN = process.env.SCF_NETWORK_DIR ?? path.join(ROOT, 'network/run');
const CRYPTO = path.join(RUN, 'crypto/peerOrganizations');

/** The Fabric binaries the network needs, found as scripts/network.sh finds them. */
export function fabricBinariesFound(): boolean {
  const dirs = [process.env.FABRIC_BIN, ...(process.env.PATH ?? '').split(path.delimiter)].filter(Boolean) as string[];
  return ['peer', 'orderer', 'configtxgen', 'cryptogen', 'osnadmin'].every((b) => dirs.some((d) => existsSync(path.join(d, b))));
}

export function network(...args: string[]): string {
  return execFileSync('bash', [path.join(ROOT, 'scripts/network.sh'), ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

export const PEERS = {
  bank1: { mspId: 'Bank1MSP', endpoint: 'localhost:7051', org: 'bank1' },
  bank2: { mspId: 'Bank2MSP', endpoint: 'localhost:8051', org: 'bank2' },
  auditor: { mspId: 'AuditorMSP', endpoint: 'localhost:9051', org: 'auditor' },
} as const;
export type PeerName = keyof typeof PEERS;

export interface FabricIdentity { mspId: string; certificatePem: string; keyPem: string }

/** A cryptogen identity: `Admin` or `User1`… of an organisation. */
export function identity(org: PeerName, user: string): FabricIdentity {
  const domain = `${PEERS[org].org}.scf.local`;
  const msp = path.join(CRYPTO, domain, 'users', `${user}@${domain}`, 'msp');
  const keystore = path.join(msp, 'keystore');
  return {
    mspId: PEERS[org].mspId,
    certificatePem: readFileSync(path.join(msp, 'signcerts', `${user}@${domain}-cert.pem`), 'utf8'),
    keyPem: readFileSync(path.join(keystore, readdirSync(keystore)[0] as string), 'utf8'),
  };
}

/** A Gateway connection to one peer, signing as one identity. */
export function gatewayTo(peer: PeerName, who: FabricIdentity): { gateway: Gateway; contract: Contract; close: () => void } {
  const domain = `${PEERS[peer].org}.scf.local`;
  const tlsRoot = readFileSync(path.join(CRYPTO, domain, 'tlsca', `tlsca.${domain}-cert.pem`));
  const client = new grpc.Client(PEERS[peer].endpoint, grpc.credentials.createSsl(tlsRoot), {
    'grpc.ssl_target_name_override': `peer0.${domain}`,
    'grpc.keepalive_time_ms': 120_000,
  });
  const gateway = connect({
    client,
    identity: { mspId: who.mspId, credentials: Buffer.from(who.certificatePem) },
    signer: signers.newPrivateKeySigner(createPrivateKey(who.keyPem)),
    evaluateOptions: () => ({ deadline: Date.now() + 10_000 }),
    endorseOptions: () => ({ deadline: Date.now() + 30_000 }),
    submitOptions: () => ({ deadline: Date.now() + 10_000 }),
    commitStatusOptions: () => ({ deadline: Date.now() + 60_000 }),
  });
  return { gateway, contract: gateway.getNetwork('scf').getContract('scf'), close: () => { gateway.close(); client.close(); } };
}
