import { LedgerEngine, LocalCertificateAuthority, type LocalIdentity } from '@scf/chaincode/engine';
import { contracts } from '@scf/chaincode';
import { randomBytes } from 'crypto';
import { mkdtempSync, rmSync } from 'fs';
import os from 'os';
import path from 'path';
import { LevelStateStore } from '../../gateway/src/ledger/embedded/level-state-store';
import { percentile } from './load';
import { sha } from '../../gateway/test/support/fixtures';

const DAY = 86_400_000;

/**
 * A small consortium on the embedded engine over LevelDB, with a clock the benchmark
 * moves (settlement needs maturity): a core enterprise, a supplier and a bank.
 */
export class ScalingLedger {
  now = Date.parse('2027-01-04T09:00:00Z');
  readonly engine: LedgerEngine;
  private serial = 0;
  core!: LocalIdentity;
  supplier!: LocalIdentity;
  lineId = '';
  /** Bank1MSP's CA: the supplier's further users are enrolled at it. */
  ca!: LocalCertificateAuthority;

  private constructor(readonly store: LevelStateStore, readonly dir: string) {
    this.engine = new LedgerEngine({ store, contracts, clock: () => this.now });
  }

  static async open(): Promise<ScalingLedger> {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scf-scaling-'));
    const ledger = new ScalingLedger(await LevelStateStore.open(dir), dir);
    const ca = await LocalCertificateAuthority.create('Bank1MSP');
    ledger.ca = ca;
    const admin = await ca.issue({ commonName: 'admin', type: 'admin' });
    await ledger.submit(admin, 'Consortium:Initialize', ['["Bank1MSP"]', '{"maxSplitChildren":100}'], { invoiceSalt: randomBytes(32).toString('base64') });
    const onboard = async (id: string, role: string, registrationNumber: string) => {
      const identity = await ca.issue({ commonName: id, attributes: { 'scf.enterpriseId': `did:scf:${id}` } });
      await ledger.submit(admin, 'Enterprise:Register', [`did:scf:${id}`, id, JSON.stringify([role])], { registrationNumber });
      await ledger.submit(admin, 'Enterprise:BindIdentity', [`did:scf:${id}`, 'Bank1MSP', identity.clientId]);
      return identity;
    };
    ledger.core = await onboard('core', 'CORE', '91310000MA1FL0001A');
    ledger.supplier = await onboard('supplier', 'SUPPLIER', '91320000MA1FL0003C');
    const bank = await onboard('bank', 'BANK', '91100000100000001F');
    ledger.lineId = (await ledger.submit(bank, 'CreditLine:Grant', ['did:scf:core', 'CNY', new Date(ledger.now + 3650 * DAY).toISOString()])).id;
    await ledger.submit(bank, 'CreditLine:SetLimit', [ledger.lineId], { limit: JSON.stringify({ limit: '900000000000000000', salt: randomBytes(32).toString('hex') }) });
    return ledger;
  }

  async submit(identity: LocalIdentity, transaction: string, args: string[], transient?: Record<string, string>): Promise<any> {
    const { result } = await this.engine.submit({ identity, transaction, args, ...(transient ? { transient } : {}) });
    const text = Buffer.from(result).toString('utf8');
    return text ? JSON.parse(text) : null;
  }

  async evaluate(identity: LocalIdentity, transaction: string, args: string[]): Promise<any> {
    return JSON.parse(Buffer.from(await this.engine.evaluate({ identity, transaction, args })).toString('utf8'));
  }

  /** A receivable issued by the core enterprise to the supplier, due in 30 days. */
  async issue(face: string): Promise<{ id: string }> {
    const invoice = JSON.stringify({ invoiceCode: '3100231130', invoiceNumber: String(++this.serial).padStart(8, '0'),
      sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' });
    const due = new Date(this.now + 30 * DAY).toISOString().slice(0, 10);
    return this.submit(this.core, 'Receivable:Issue', ['did:scf:supplier', face, 'CNY', due, sha(invoice), sha('c'), this.lineId], { invoice });
  }

  /** A receivable of `pieces` live certificates (a tree of splits of at most 100 children), due in 30 days. */
  async tree(pieces: number): Promise<{ receivableId: string; leaves: string[] }> {
    const invoice = JSON.stringify({ invoiceCode: '3100231130', invoiceNumber: String(++this.serial).padStart(8, '0'),
      sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' });
    const due = new Date(this.now + 30 * DAY).toISOString().slice(0, 10);
    const face = BigInt(pieces) * 1000n;
    const receivable = await this.submit(this.core, 'Receivable:Issue', ['did:scf:supplier', String(face), 'CNY', due, sha(invoice), sha('c'), this.lineId], { invoice });
    let leaves = [(await this.submit(this.supplier, 'Receivable:Accept', [receivable.id])).certificate.id as string];
    // Split level by level until the tree has `pieces` leaves of 1000 each.
    while (leaves.length < pieces) {
      const width = Math.min(100, Math.ceil(pieces / leaves.length));
      const next: string[] = [];
      for (const leaf of leaves) {
        const remaining = pieces - next.length - (leaves.length - leaves.indexOf(leaf) - 1);
        const children = Math.min(width, remaining);
        if (children < 2) { next.push(leaf); continue; }
        const certificate = await this.evaluate(this.supplier, 'Certificate:Get', [leaf]);
        const each = BigInt(certificate.amount) / BigInt(children);
        const amounts = Array.from({ length: children }, (_, i) => String(i === children - 1 ? BigInt(certificate.amount) - each * BigInt(children - 1) : each));
        const split = await this.submit(this.supplier, 'Certificate:Split', [leaf, JSON.stringify(amounts)]);
        next.push(...split.children.map((c: { id: string }) => c.id));
      }
      leaves = next;
    }
    return { receivableId: receivable.id, leaves };
  }

  async close(): Promise<void> {
    await this.store.close();
    rmSync(this.dir, { recursive: true, force: true });
  }
}

export async function timeMs(times: number, work: () => Promise<unknown>): Promise<{ p50Ms: number; p95Ms: number }> {
  const samples: number[] = [];
  for (let i = 0; i < times; i++) {
    const started = process.hrtime.bigint();
    await work();
    samples.push(Number(process.hrtime.bigint() - started) / 1e6);
  }
  samples.sort((a, b) => a - b);
  return { p50Ms: Math.round(percentile(samples, 50) * 100) / 100, p95Ms: Math.round(percentile(samples, 95) * 100) / 100 };
}

export interface TreeScaling { readonly pieces: number; readonly traceTree: { p50Ms: number; p95Ms: number }; readonly settlementMs: number; readonly settlementTransactions: number }
export interface LedgerScaling {
  readonly certificates: number;
  readonly certificateGet: { p50Ms: number; p95Ms: number };
  readonly holderPage: { p50Ms: number; p95Ms: number };
  readonly lineage: { p50Ms: number; p95Ms: number };
  readonly smallTree: { p50Ms: number; p95Ms: number };
}

/** How trace and settlement cost grow with the size of one receivable's tree. */
export async function treeScaling(sizes: readonly number[], progress: (m: string) => void): Promise<TreeScaling[]> {
  const ledger = await ScalingLedger.open();
  try {
    const rows: TreeScaling[] = [];
    for (const pieces of sizes) {
      progress(`tree of ${pieces} live pieces: building`);
      const { receivableId } = await ledger.tree(pieces);
      const traceTree = await timeMs(10, () => ledger.evaluate(ledger.core, 'Trace:Tree', [receivableId]));
      ledger.now += 31 * DAY;
      const started = process.hrtime.bigint();
      const paid = await ledger.submit(ledger.core, 'Settlement:Pay', [receivableId, String(BigInt(pieces) * 1000n), `pay-${pieces}`, '200']);
      let transactions = 1;
      for (let settlement = paid.settlement; settlement.status !== 'CLEARED'; transactions++) {
        settlement = (await ledger.submit(ledger.core, 'Settlement:ClearNext', [settlement.id, '200'])).settlement;
      }
      rows.push({ pieces, traceTree, settlementMs: Math.round(Number(process.hrtime.bigint() - started) / 1e4) / 100, settlementTransactions: transactions });
      ledger.now -= 31 * DAY;
    }
    return rows;
  } finally {
    await ledger.close();
  }
}

/**
 * Query latency as the ledger grows: the same reads (one certificate, one page of a
 * holder's list, a lineage, a small tree) at each ledger size. Indexed reads should
 * not grow with the ledger, only with their own result.
 */
export async function ledgerScaling(sizes: readonly number[], progress: (m: string) => void): Promise<LedgerScaling[]> {
  const ledger = await ScalingLedger.open();
  try {
    const probe = await ledger.tree(10);
    const rows: LedgerScaling[] = [];
    let certificates = 12;
    for (const target of sizes) {
      while (certificates < target) {
        // Each tree of 1,000 pieces adds 1,011 certificates (the root, 10 retired parents, 1,000 leaves).
        await ledger.tree(1000);
        certificates += 1011;
        if (certificates % 10110 < 1011) progress(`ledger at ${certificates.toLocaleString('en')} certificates of ${target.toLocaleString('en')}`);
      }
      const leaf = probe.leaves[5]!;
      rows.push({
        certificates,
        certificateGet: await timeMs(50, () => ledger.evaluate(ledger.supplier, 'Certificate:Get', [leaf])),
        holderPage: await timeMs(50, () => ledger.evaluate(ledger.supplier, 'Certificate:ListByHolder', ['did:scf:supplier', '50', ''])),
        lineage: await timeMs(50, () => ledger.evaluate(ledger.supplier, 'Trace:Lineage', [leaf])),
        smallTree: await timeMs(50, () => ledger.evaluate(ledger.core, 'Trace:Tree', [probe.receivableId])),
      });
    }
    return rows;
  } finally {
    await ledger.close();
  }
}
