#!/usr/bin/env node
// npm run check-store: asks a running gateway to compare its query store with the ledger
// (GET /store/check, with an auditor's or regulator's API key) and names any drift.
// SCF_URL (default http://127.0.0.1:8080), SCF_API_KEY (required). Exit status 1 on drift.
const url = `${process.env.SCF_URL ?? 'http://127.0.0.1:8080'}/store/check`;
const key = process.env.SCF_API_KEY;
if (!key) {
  console.error("check-store: set SCF_API_KEY to an auditor's or a regulator's API key (see data/demo-keys.json)");
  process.exit(2);
}
console.log(`comparing the query store with the ledger through ${url} …`);
const response = await fetch(url, { headers: { authorization: `Bearer ${key}` } }).catch((error) => {
  console.error(`check-store: no gateway answers at ${url} (${error.cause?.code ?? error.message}); start it or set SCF_URL`);
  process.exit(2);
});
const body = await response.json();
if (!response.ok) {
  console.error(`check-store: ${response.status} ${body.error?.code}: ${body.error?.message}`);
  process.exit(2);
}
const { checkpoint, receivables, certificates, liveAmount, digest, drift } = body;
console.log(`store read to block ${checkpoint.blockNumber} (${checkpoint.events} events)`);
console.log(`ledger: ${receivables} receivables, ${certificates} certificates, live amount ${liveAmount}`);
console.log(`digest: store ${digest.store}\n        ledger ${digest.ledger}`);
for (const d of drift) console.log(`DRIFT ${d.kind} ${d.id} ${d.field}: store ${d.store ?? '(none)'}, ledger ${d.ledger ?? '(none)'}`);
if (drift.length > 0 || digest.store !== digest.ledger) {
  console.log(`${drift.length} difference(s): rebuild the store from block 0 (restart the gateway with SCF_STORE_REBUILD=true)`);
  process.exit(1);
}
console.log('the store agrees with the ledger');
