import * as grpc from '@grpc/grpc-js';
import { connect, type Contract, type Gateway, signers } from '@hyperledger/fabric-gateway';
import { execFileSync } from 'child_process';
import { createPrivateKey } from 'crypto';
import { existsSync, readdirSync, readFileSync } from 'fs';
import path from 'path';

export const ROOT = path.resolve(__dirname, '../..');
export const RUN = process.env.SCF_NETWORK_DIR ?? path.join(ROOT, 'network/run');

/** The Fabric binaries the network needs, found as scripts/network.sh finds them. */
export function fabricBinariesFound(): boolean {
  const dirs = [process.env.FABRIC_BIN, ...(process.env.PATH ?? '').split(path.delimiter)].filter(Boolean) as string[];
  return ['peer', 'orderer', 'configtxgen', 'cryptogen', 'osnadmin', 'fabric-ca-server', 'fabric-ca-client'].every((b) => dirs.some((d) => existsSync(path.join(d, b))));
}

/** Runs scripts/network.sh for the default network. */
export function network(...args: string[]): string {
  return networkAt({})(...args);
}

/** scripts/network.sh for a network of its own: its run folder and port offset, so test files never share one. */
export function networkAt(env: { SCF_NETWORK_DIR?: string; SCF_PORT_OFFSET?: string }): (...args: string[]) => string {
  return (...args) => execFileSync('bash', [path.join(ROOT, 'scripts/network.sh'), ...args],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
}

export const PEERS = {
  bank1: { mspId: 'Bank1MSP', endpoint: 'localhost:7051', org: 'bank1' },
  bank2: { mspId: 'Bank2MSP', endpoint: 'localhost:8051', org: 'bank2' },
  auditor: { mspId: 'AuditorMSP', endpoint: 'localhost:9051', org: 'auditor' },
} as const;
export type PeerName = keyof typeof PEERS;
/** The founding peers and a bank that joins later (`scripts/network.sh add-bank bank3`). */
export const ALL_PEERS = { ...PEERS, bank3: { mspId: 'Bank3MSP', endpoint: 'localhost:10051', org: 'bank3' } } as const;
export type AnyPeerName = keyof typeof ALL_PEERS;

export interface FabricIdentity { mspId: string; certificatePem: string; keyPem: string }

/** A cryptogen identity: `Admin` or `User1`… of an organisation (of the network in `run`, the default network's unless given). */
export function identity(org: AnyPeerName, user: string, run = RUN): FabricIdentity {
  const domain = `${ALL_PEERS[org].org}.scf.local`;
  const msp = path.join(run, 'crypto/peerOrganizations', domain, 'users', `${user}@${domain}`, 'msp');
  const keystore = path.join(msp, 'keystore');
  return {
    mspId: ALL_PEERS[org].mspId,
    certificatePem: readFileSync(path.join(msp, 'signcerts', `${user}@${domain}-cert.pem`), 'utf8'),
    keyPem: readFileSync(path.join(keystore, readdirSync(keystore)[0] as string), 'utf8'),
  };
}

/** A Gateway connection to one peer, signing as one identity (on the default network unless a run folder and port offset are given). */
export function gatewayTo(peer: AnyPeerName, who: FabricIdentity, at: { run: string; portOffset: number } = { run: RUN, portOffset: 0 }):
  { gateway: Gateway; contract: Contract; close: () => void } {
  const domain = `${ALL_PEERS[peer].org}.scf.local`;
  const tlsRoot = readFileSync(path.join(at.run, 'crypto/peerOrganizations', domain, 'tlsca', `tlsca.${domain}-cert.pem`));
  const [host, port] = ALL_PEERS[peer].endpoint.split(':') as [string, string];
  const client = new grpc.Client(`${host}:${Number(port) + at.portOffset}`, grpc.credentials.createSsl(tlsRoot), {
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

const CAS = { bank1: { port: 7054, name: 'ca-bank1' }, bank2: { port: 8054, name: 'ca-bank2' } } as const;

/**
 * Registers and enrolls a client identity at a bank's Fabric CA with the given
 * attributes in its certificate, as a bank onboarding a customer would.
 */
export function enrollAtBankCa(bank: keyof typeof CAS, enrollmentId: string, attributes: Record<string, string>): FabricIdentity {
  const ca = CAS[bank];
  const tls = path.join(RUN, 'ca', bank, 'tls-cert.pem');
  const home = path.join(RUN, 'ca-clients', bank);
  const client = (...args: string[]) => execFileSync('fabric-ca-client', [...args, '--caname', ca.name, '--tls.certfiles', tls],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FABRIC_CA_CLIENT_HOME: home } });
  if (!existsSync(path.join(home, 'msp', 'signcerts'))) client('enroll', '-u', `https://admin:adminpw@localhost:${ca.port}`);
  const attrs = Object.entries(attributes).map(([k, v]) => `${k}=${v}:ecert`).join(',');
  client('register', '--id.name', enrollmentId, '--id.secret', 'enrollpw', '--id.type', 'client', '--id.attrs', attrs, '-u', `https://localhost:${ca.port}`);
  const mspDir = path.join(RUN, 'ca-clients', enrollmentId, 'msp');
  client('enroll', '-u', `https://${enrollmentId}:enrollpw@localhost:${ca.port}`, '-M', mspDir);
  const keystore = path.join(mspDir, 'keystore');
  return {
    mspId: PEERS[bank].mspId,
    certificatePem: readFileSync(path.join(mspDir, 'signcerts', 'cert.pem'), 'utf8'),
    keyPem: readFileSync(path.join(keystore, readdirSync(keystore)[0] as string), 'utf8'),
  };
}
