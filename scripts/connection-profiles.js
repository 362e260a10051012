#!/usr/bin/env node
// Writes Fabric's common connection profile (the format of fabric-sdk and Hyperledger
// Caliper) for each organisation, from the gateway's own profile of the same network:
//   node scripts/connection-profiles.js <run>/gateway/connection.json <out-dir>
// gives <out-dir>/connection-<org>.json and .yaml (org: bank1, bank2, auditor). Every file
// describes the whole network (each organisation with its peers and CAs) and names its own
// organisation as `client.organization`; TLS roots are inlined as PEM, so a file can be
// copied elsewhere and used as it is.
'use strict';
const fs = require('fs');
const path = require('path');

const [source, outDir] = process.argv.slice(2);
if (!source || !outDir) {
  console.error('usage: connection-profiles.js <connection.json> <out-dir>');
  process.exit(2);
}
const ours = JSON.parse(fs.readFileSync(source, 'utf8'));
const pem = (file) => fs.readFileSync(file, 'utf8');
/** Bank1MSP → Bank1; the short name (bank1) names the file. */
const orgOf = (mspId) => mspId.replace(/MSP$/, '');

const mspIds = [...new Set(ours.peers.map((peer) => peer.mspId))];
const organizations = Object.fromEntries(mspIds.map((mspId) => [orgOf(mspId), {
  mspid: mspId,
  peers: ours.peers.filter((peer) => peer.mspId === mspId).map((peer) => peer.hostOverride ?? peer.name),
  certificateAuthorities: ours.cas.filter((ca) => ca.mspId === mspId).map((ca) => ca.caName),
}]));
const peers = Object.fromEntries(ours.peers.map((peer) => [peer.hostOverride ?? peer.name, {
  url: `grpcs://${peer.endpoint}`,
  tlsCACerts: { pem: pem(peer.tlsRootCertPath) },
  grpcOptions: {
    'ssl-target-name-override': peer.hostOverride ?? peer.endpoint.split(':')[0],
    hostnameOverride: peer.hostOverride ?? peer.endpoint.split(':')[0],
  },
}]));
const certificateAuthorities = Object.fromEntries(ours.cas.map((ca) => [ca.caName, {
  url: ca.url,
  caName: ca.caName,
  tlsCACerts: { pem: [pem(ca.tlsRootCertPath)] },
  httpOptions: { verify: false },
}]));

for (const mspId of mspIds) {
  const org = orgOf(mspId);
  const profile = {
    name: `scf-${org.toLowerCase()}`,
    version: '1.0.0',
    client: { organization: org, connection: { timeout: { peer: { endorser: '300' } } } },
    organizations,
    peers,
    certificateAuthorities,
  };
  const base = path.join(outDir, `connection-${org.toLowerCase()}`);
  fs.writeFileSync(`${base}.json`, `${JSON.stringify(profile, null, 2)}\n`);
  fs.writeFileSync(`${base}.yaml`, `---\n${yaml(profile, 0)}`);
}

/** A small YAML writer for this shape: maps, lists and strings (multi-line ones as literal blocks). */
function yaml(value, indent) {
  const pad = ' '.repeat(indent);
  if (Array.isArray(value)) {
    if (value.length === 0) return `${pad}[]\n`;
    return value.map((item) => (typeof item === 'object' && item !== null
      ? `${pad}-\n${yaml(item, indent + 2)}`
      : `${pad}- ${scalar(item, indent + 2)}\n`)).join('');
  }
  return Object.entries(value).map(([key, item]) => {
    if (typeof item === 'object' && item !== null) {
      if (Array.isArray(item) && item.length === 0) return `${pad}${plainKey(key)}: []\n`;
      return `${pad}${plainKey(key)}:\n${yaml(item, indent + 2)}`;
    }
    return `${pad}${plainKey(key)}: ${scalar(item, indent + 2)}\n`;
  }).join('');
}

function plainKey(key) {
  return /^[A-Za-z][A-Za-z0-9_.-]*$/.test(key) ? key : JSON.stringify(key);
}

function scalar(value, indent = 0) {
  if (typeof value !== 'string') return String(value);
  if (value.includes('\n')) {
    const pad = ' '.repeat(indent);
    const body = value.replace(/\n$/, '').split('\n').map((line) => `${pad}${line}`).join('\n');
    return `|${value.endsWith('\n') ? '' : '-'}\n${body}`;
  }
  return JSON.stringify(value);
}
