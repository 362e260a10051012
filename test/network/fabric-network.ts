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
  return ['peer', 'orderer', 'configtxgen', 'configtxlator', 'osnadmin', 'fabric-ca-server', 'fabric-ca-client'].every((b) => dirs.some((d) => existsSync(path.join(d, b))));
}

/** A network's run folder and port offset (the default network's: SCF_NETWORK_DIR and SCF_PORT_OFFSET, as scripts/network.sh reads them). */
export interface NetworkAt { run: string; portOffset: number }
export const DEFAULT_AT: NetworkAt = { run: RUN, portOffset: Number(process.env.SCF_PORT_OFFSET ?? '0') };

/** What scripts/network.sh says of a running network: its mode and, per organisation, the address clients dial and its namespace. */
export interface NetworkDescription {
  mode: 'netns' | 'loopback';
  orgs: Record<string, { address: string; namespace: string | null }>;
}
export function networkDescription(run = RUN): NetworkDescription {
  return JSON.parse(readFileSync(path.join(run, 'network.json'), 'utf8')) as NetworkDescription;
}
/** The address an organisation's services listen on and a client on this machine dials (its namespace's, or 127.0.0.1). */
export function orgAddress(org: string, run = RUN): string {
  const described = networkDescription(run).orgs[org];
  if (!described) throw new Error(`no organisation ${org} in ${run}/network.json`);
  return described.address;
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

/** Each organisation's peer: its MSP and its port before the offset. */
export const PEERS = {
  bank1: { mspId: 'Bank1MSP', port: 7051, org: 'bank1' },
  bank2: { mspId: 'Bank2MSP', port: 8051, org: 'bank2' },
  auditor: { mspId: 'AuditorMSP', port: 9051, org: 'auditor' },
} as const;
export type PeerName = keyof typeof PEERS;
/** The founding peers and a bank that joins later (`scripts/network.sh add-bank bank3`). */
export const ALL_PEERS = { ...PEERS, bank3: { mspId: 'Bank3MSP', port: 10051, org: 'bank3' } } as const;
export type AnyPeerName = keyof typeof ALL_PEERS;

export interface FabricIdentity { mspId: string; certificatePem: string; keyPem: string }

/** An identity an organisation's CA enrolled: `Admin` or `User1`… (in orgs/<org>/users of the network in `run`, the default network's unless given). */
export function identity(org: AnyPeerName, user: string, run = RUN): FabricIdentity {
  const msp = path.join(run, 'orgs', org, 'users', user, 'msp');
  const keystore = path.join(msp, 'keystore');
  return {
    mspId: ALL_PEERS[org].mspId,
    certificatePem: readFileSync(path.join(msp, 'signcerts', 'cert.pem'), 'utf8'),
    keyPem: readFileSync(path.join(keystore, readdirSync(keystore)[0] as string), 'utf8'),
  };
}

/** An organisation's TLS root, from the public package it handed over. */
export const tlsRootOf = (org: AnyPeerName, run = RUN) => path.join(run, 'packages', org, 'msp', 'tlscacerts', 'tlsca.pem');

/** The address (host:port) a client on this machine dials for an organisation's peer. */
export const peerAddress = (peer: AnyPeerName, at: NetworkAt = DEFAULT_AT) => `${orgAddress(peer, at.run)}:${ALL_PEERS[peer].port + at.portOffset}`;

/** A Gateway connection to one peer, signing as one identity (on the default network unless a run folder and port offset are given). */
export function gatewayTo(peer: AnyPeerName, who: FabricIdentity, at: NetworkAt = DEFAULT_AT):
  { gateway: Gateway; contract: Contract; close: () => void } {
  const client = new grpc.Client(peerAddress(peer, at), grpc.credentials.createSsl(readFileSync(tlsRootOf(peer, at.run))), {
    'grpc.ssl_target_name_override': `peer0.${peer}.scf.local`,
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

/** The `peer` CLI as an organisation's admin, against that organisation's peer (dialled by address: its TLS certificate names it). */
export function peerCli(org: AnyPeerName, at: NetworkAt, ...args: string[]): string {
  return execFileSync('peer', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: {
    ...process.env, FABRIC_CFG_PATH: path.join(at.run, 'config'), CORE_PEER_LOCALMSPID: ALL_PEERS[org].mspId,
    CORE_PEER_ADDRESS: peerAddress(org, at), CORE_PEER_TLS_ENABLED: 'true', CORE_PEER_TLS_ROOTCERT_FILE: tlsRootOf(org, at.run),
    CORE_PEER_MSPCONFIGPATH: path.join(at.run, 'orgs', org, 'users', 'Admin', 'msp') } });
}

const CAS = { bank1: { port: 7054, name: 'ca-bank1' }, bank2: { port: 8054, name: 'ca-bank2' } } as const;

/**
 * Registers and enrolls a client identity at a bank's Fabric CA with the given
 * attributes in its certificate, as a bank onboarding a customer would.
 */
export function enrollAtBankCa(bank: keyof typeof CAS, enrollmentId: string, attributes: Record<string, string>, at: NetworkAt = DEFAULT_AT): FabricIdentity {
  const ca = CAS[bank];
  const url = `${orgAddress(bank, at.run)}:${ca.port + at.portOffset}`;
  const tls = path.join(at.run, 'packages', bank, 'msp', 'cacerts', 'ca.pem');
  const home = path.join(at.run, 'ca-clients', bank);
  const client = (...args: string[]) => execFileSync('fabric-ca-client', [...args, '--caname', ca.name, '--tls.certfiles', tls],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, FABRIC_CA_CLIENT_HOME: home } });
  if (!existsSync(path.join(home, 'msp', 'signcerts'))) client('enroll', '-u', `https://admin:adminpw@${url}`);
  const attrs = Object.entries(attributes).map(([k, v]) => `${k}=${v}:ecert`).join(',');
  client('register', '--id.name', enrollmentId, '--id.secret', 'enrollpw', '--id.type', 'client', '--id.attrs', attrs, '-u', `https://${url}`);
  const mspDir = path.join(at.run, 'ca-clients', enrollmentId, 'msp');
  client('enroll', '-u', `https://${enrollmentId}:enrollpw@${url}`, '-M', mspDir);
  const keystore = path.join(mspDir, 'keystore');
  return {
    mspId: PEERS[bank].mspId,
    certificatePem: readFileSync(path.join(mspDir, 'signcerts', 'cert.pem'), 'utf8'),
    keyPem: readFileSync(path.join(keystore, readdirSync(keystore)[0] as string), 'utf8'),
  };
}

/** The ordering mode a network was made with (scripts/network.sh keeps it in <run>/ordering). */
export const orderingOf = (run: string): 'raft' | 'bft' => (readFileSync(path.join(run, 'ordering'), 'utf8').trim() === 'bft' ? 'bft' : 'raft');

/** Each consenter with its organisation and operations port before the offset, as scripts/network.sh runs them (orderer.bank3 once bank3 joined). */
export const CONSENTERS = [
  { name: 'orderer0', org: 'orderer', ops: 9443 }, { name: 'orderer.bank1', org: 'bank1', ops: 9463 },
  { name: 'orderer.bank2', org: 'bank2', ops: 9464 }, { name: 'orderer.auditor', org: 'auditor', ops: 9465 },
  { name: 'orderer.bank3', org: 'bank3', ops: 9466 },
] as const;

/** The consenter that leads now, from the consenters' own metrics (none while no quorum has elected one). */
export async function currentLeader(at: NetworkAt): Promise<string | undefined> {
  const isLeader = orderingOf(at.run) === 'raft' ? /consensus_etcdraft_is_leader\{channel="scf"\} 1/ : /consensus_BFT_is_leader\{channel="scf"\} 1/;
  const orgs = networkDescription(at.run).orgs;
  for (const { name, org, ops } of CONSENTERS) {
    if (!orgs[org]) continue;
    const metrics = await fetch(`http://${orgs[org].address}:${ops + at.portOffset}/metrics`).then((r) => r.text(), () => '');
    if (isLeader.test(metrics)) return name;
  }
  return undefined;
}

/** The leader, once there is one. */
export async function leaderOf(at: NetworkAt): Promise<string> {
  for (let attempt = 0; attempt < 60; attempt++) {
    const found = await currentLeader(at);
    if (found) return found;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  throw new Error('no consenter leads');
}
