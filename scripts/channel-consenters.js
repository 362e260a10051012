#!/usr/bin/env node
// A bank runs one of the channel's consenters: its joining adds, in the same config update,
// its organisation to the Orderer group (with its orderer's endpoint) and its orderer to the
// consenters; its leaving takes both out. Raft: the EtcdRaft Consenters list. BFT: the
// ConsenterMapping (/Channel/Orderer/Orderers) and the BlockValidation policy, which Fabric
// derives from it (a quorum of the consenters' identities, as configtxgen writes it).
//   node scripts/channel-consenters.js add <config.json> <MSP> <org.json> <host:port> <tls.crt> <identity.pem>
//   node scripts/channel-consenters.js remove <config.json> <MSP> <host:port>
'use strict';
const fs = require('fs');

const [command, file, msp, ...rest] = process.argv.slice(2);

const b64 = (path) => fs.readFileSync(path).toString('base64');

/** SmartBFT's quorum for n consenters: ceil((n + f + 1) / 2) with f = floor((n - 1) / 3). */
function bftQuorum(n) {
  return Math.ceil((n + Math.floor((n - 1) / 3) + 1) / 2);
}

/** The BlockValidation policy over the consenters, in their order (Fabric's EncodeBFTBlockVerificationPolicy). */
function bftBlockValidation(orderer, mapping) {
  const policy = orderer.policies.BlockValidation.policy;
  policy.value = {
    version: 0,
    identities: mapping.map((c) => ({
      principal_classification: 'IDENTITY',
      principal: { mspid: c.msp_id, id_bytes: c.identity },
    })),
    rule: { n_out_of: { n: bftQuorum(mapping.length), rules: mapping.map((_, i) => ({ signed_by: i })) } },
  };
}

function add(config, orgJson, endpoint, tlsCert, identity) {
  const orderer = config.channel_group.groups.Orderer;
  const [host, port] = [
    endpoint.slice(0, endpoint.lastIndexOf(':')),
    Number(endpoint.slice(endpoint.lastIndexOf(':') + 1)),
  ];
  const org = JSON.parse(fs.readFileSync(orgJson, 'utf8'));
  delete org.values.AnchorPeers;
  orderer.groups[msp] = org;
  const consensus = orderer.values.ConsensusType.value;
  if (consensus.type === 'BFT') {
    const mapping = orderer.values.Orderers.value.consenter_mapping;
    const id = Math.max(0, ...mapping.map((c) => c.id)) + 1;
    mapping.push({
      id,
      host,
      port,
      msp_id: msp,
      identity: b64(identity),
      client_tls_cert: b64(tlsCert),
      server_tls_cert: b64(tlsCert),
    });
    bftBlockValidation(orderer, mapping);
  } else {
    consensus.metadata.consenters.push({ host, port, client_tls_cert: b64(tlsCert), server_tls_cert: b64(tlsCert) });
  }
}

function remove(config, endpoint) {
  const orderer = config.channel_group.groups.Orderer;
  delete orderer.groups[msp];
  const consensus = orderer.values.ConsensusType.value;
  const elsewhere = (c) => `${c.host}:${c.port}` !== endpoint;
  if (consensus.type === 'BFT') {
    const value = orderer.values.Orderers.value;
    value.consenter_mapping = value.consenter_mapping.filter(elsewhere);
    bftBlockValidation(orderer, value.consenter_mapping);
  } else {
    consensus.metadata.consenters = consensus.metadata.consenters.filter(elsewhere);
  }
}

if (command === 'add' && rest.length === 4) {
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  add(config, ...rest);
  fs.writeFileSync(file, JSON.stringify(config));
} else if (command === 'remove' && rest.length === 1) {
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  remove(config, rest[0]);
  fs.writeFileSync(file, JSON.stringify(config));
} else {
  console.error(
    'usage: channel-consenters.js add <config.json> <MSP> <org.json> <host:port> <tls.crt> <identity.pem> | remove <config.json> <MSP> <host:port>',
  );
  process.exit(2);
}
