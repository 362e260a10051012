#!/usr/bin/env node
// The channel's Application Admins policy counts the banks only: a signature policy
// OutOf(floor(n/2)+1, each bank's admin), not Fabric's default MAJORITY of every application
// organisation's admins, in which the auditor's organisation would count toward a majority
// meant for banks. network/configtx.yaml sets it for the founders; a bank's joining or
// leaving rewrites it in the same config update (scripts/network.sh add-bank, remove-bank).
//   node scripts/channel-admins.js needed <config.json | config_block.json>
//     prints how many admins' signatures /Channel/Application/Admins asks for now
//   node scripts/channel-admins.js rewrite <config.json> <BankMSP>...
//     sets that policy, in the decoded config, to a majority of the named banks' admins
//   node scripts/channel-admins.js signers <config.json> <org>=<MSP>...
//     prints the first of the given organisations whose admins' signatures satisfy both that
//     policy and /Channel/Orderer/Admins (a MAJORITY of the organisations that run a consenter),
//     which an update that changes the consenters needs too; exits 1 when all of them do not
'use strict';
const fs = require('fs');

const [command, file, ...banks] = process.argv.slice(2);
const SIGNATURE = 1;
const IMPLICIT_META = 3;

/** The decoded channel config, from a decoded config block or from the config itself. */
function configOf(json) {
  return json.data ? json.data.data[0].payload.data.config : json;
}

function needed(config) {
  const application = config.channel_group.groups.Application;
  const { policy } = application.policies.Admins;
  if (policy.type === SIGNATURE) return policy.value.rule.n_out_of.n;
  // A channel created before the policy counted banks only: MAJORITY of every organisation.
  if (policy.type === IMPLICIT_META && policy.value.rule === 'MAJORITY') {
    return Math.floor(Object.keys(application.groups).length / 2) + 1;
  }
  throw new Error(`unexpected /Channel/Application/Admins policy: ${JSON.stringify(policy)}`);
}

function banksOnly(mspIds) {
  const sorted = [...mspIds].sort();
  return {
    type: SIGNATURE,
    value: {
      version: 0,
      identities: sorted.map((msp) => ({
        principal_classification: 'ROLE',
        principal: { msp_identifier: msp, role: 'ADMIN' },
      })),
      rule: {
        n_out_of: { n: Math.floor(sorted.length / 2) + 1, rules: sorted.map((_, i) => ({ signed_by: i })) },
      },
    },
  };
}

/** How many of the Orderer group's organisations' admins its MAJORITY Admins policy asks for. */
function neededForOrdering(config) {
  return Math.floor(Object.keys(config.channel_group.groups.Orderer.groups).length / 2) + 1;
}

/** Whose admin signatures /Channel/Application/Admins counts: the banks it names (or, legacy, every application organisation). */
function countedForBanks(config) {
  const application = config.channel_group.groups.Application;
  const { policy } = application.policies.Admins;
  if (policy.type !== SIGNATURE) return new Set(Object.keys(application.groups));
  return new Set(policy.value.identities.map((identity) => identity.principal.msp_identifier));
}

function signers(config, candidates) {
  const banks = countedForBanks(config);
  const ordering = new Set(Object.keys(config.channel_group.groups.Orderer.groups));
  const [bankNeed, orderingNeed] = [needed(config), neededForOrdering(config)];
  const chosen = [];
  for (const candidate of candidates) {
    const [org, msp] = candidate.split('=');
    const count = (set) => chosen.filter(([, m]) => set.has(m)).length;
    if (count(banks) >= bankNeed && count(ordering) >= orderingNeed) break;
    if (banks.has(msp) || ordering.has(msp)) chosen.push([org, msp]);
  }
  const enough =
    chosen.filter(([, m]) => banks.has(m)).length >= bankNeed &&
    chosen.filter(([, m]) => ordering.has(m)).length >= orderingNeed;
  return { enough, orgs: chosen.map(([org]) => org), bankNeed, orderingNeed, ordering: ordering.size };
}

if (command === 'needed' && file) {
  console.log(needed(configOf(JSON.parse(fs.readFileSync(file, 'utf8')))));
} else if (command === 'rewrite' && file && banks.length > 0) {
  const config = JSON.parse(fs.readFileSync(file, 'utf8'));
  config.channel_group.groups.Application.policies.Admins.policy = banksOnly(banks);
  fs.writeFileSync(file, JSON.stringify(config));
} else if (command === 'signers' && file && banks.length > 0) {
  const chosen = signers(configOf(JSON.parse(fs.readFileSync(file, 'utf8'))), banks);
  console.log(`${chosen.bankNeed} ${chosen.orderingNeed} ${chosen.ordering} ${chosen.orgs.join(' ')}`);
  process.exit(chosen.enough ? 0 : 1);
} else {
  console.error(
    'usage: channel-admins.js needed <config.json> | rewrite <config.json> <BankMSP>... | signers <config.json> <org>=<MSP>...',
  );
  process.exit(2);
}
