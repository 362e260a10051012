import { randomUUID } from 'crypto';
import fc from 'fast-check';
import { type Route, routesOf, valueFor } from './support/campaign';
import { receivableBody } from './support/fixtures';
import { GatewayUnderTest } from './support/gateway-under-test';

/**
 * The generated campaign over concurrent duplicates: valid writes of many operations,
 * generated from /openapi.json's schemas and the ledger's current records, each fired as N
 * simultaneous copies with one Idempotency-Key (sometimes one copy with another body).
 * Exactly one transaction per key: the ledger's height rises by one when a copy succeeded
 * and not at all otherwise, every success carries the same txId and only one is fresh, the
 * other copies are 409 IDEMPOTENCY_KEY_IN_FLIGHT (or 422 for the other body, or the same
 * refusal when the write was refused), and a later retry replays the winner's answer.
 */

type Op = 'issue' | 'accept' | 'refuse' | 'split' | 'offer' | 'accept offer' | 'cancel offer' | 'grant line' | 'set limit' | 'freeze line' | 'unfreeze line'
  | 'services' | 'guardians' | 'credential' | 'refused: wrong party' | 'refused: bad split';
const OPS: readonly { op: Op; weight: number }[] = [
  { op: 'issue', weight: 5 }, { op: 'accept', weight: 4 }, { op: 'refuse', weight: 1 }, { op: 'split', weight: 3 }, { op: 'offer', weight: 3 },
  { op: 'accept offer', weight: 2 }, { op: 'cancel offer', weight: 1 }, { op: 'grant line', weight: 2 }, { op: 'set limit', weight: 1 },
  { op: 'freeze line', weight: 1 }, { op: 'unfreeze line', weight: 1 }, { op: 'services', weight: 2 }, { op: 'guardians', weight: 2 },
  { op: 'credential', weight: 3 }, { op: 'refused: wrong party', weight: 1 }, { op: 'refused: bad split', weight: 1 },
];
const ENTERPRISES = ['did:scf:core-a', 'did:scf:supplier-t1', 'did:scf:supplier-t2', 'did:scf:supplier-t3', 'did:scf:bank-one', 'did:scf:regulator'];
const ISSUERS: readonly [string, string][] = [['KYC', 'did:scf:bank-one'], ['CREDIT_RATING', 'did:scf:bank-one'], ['CREDIT_RATING', 'did:scf:regulator'],
  ['CORE_ENTERPRISE_STATUS', 'did:scf:regulator'], ['AUDIT_OPINION', 'did:scf:auditor']];

interface Held { readonly id: string; readonly amount: bigint; readonly holder: string }
interface Write { readonly op: Op; readonly as: string; readonly path: string; readonly body: unknown; readonly commit?: (result: any) => void }
type Answer = Awaited<ReturnType<GatewayUnderTest['call']>>;

describe('the generated campaign over concurrent duplicates of one Idempotency-Key (valid writes of many operations)', () => {
  let gw: GatewayUnderTest;
  let routes: Route[];
  beforeAll(async () => {
    gw = await GatewayUnderTest.start();
    routes = routesOf((await gw.call('GET', '/openapi.json')).body);
  }, 60_000);
  afterAll(async () => { await gw?.stop(); });

  test('one transaction per key, one txId, the others 409 (or 422), and a retry replays the winner', async () => {
    const schema = (template: string) => routes.find((r) => r.template === template && r.method === 'post')!.body!;
    const plans = fc.sample(fc.record({
      op: fc.oneof(...OPS.map(({ op, weight }) => ({ weight, arbitrary: fc.constant(op) }))),
      copies: fc.integer({ min: 2, max: 12 }),
      differ: fc.integer({ min: 0, max: 4 }).map((n) => n === 0),
      amount: fc.bigInt({ min: 2n, max: 100_000_000n }),
      parts: fc.array(fc.integer({ min: 1, max: 1000 }), { minLength: 2, maxLength: 5 }),
      share: fc.double({ min: 0.01, max: 1, noNaN: true }),
      days: fc.integer({ min: 1, max: 700 }),
      who: fc.constantFrom(...ENTERPRISES),
      issuer: fc.constantFrom(...ISSUERS),
      subject: fc.constantFrom(...ENTERPRISES),
      guardians: fc.subarray(ENTERPRISES, { minLength: 1, maxLength: 4 }),
      threshold: fc.integer({ min: 1, max: 4 }),
      reason: fc.string({ minLength: 1, maxLength: 40 }),
      services: valueFor(schema('/me/services')),
      claims: valueFor(schema('/credentials').properties!.claims!),
    }), { numRuns: 160, seed: 51_000 });

    const pending: { id: string; face: bigint }[] = [];
    const held: Held[] = [];
    const offers: (Held & { to: string })[] = [];
    const lines: string[] = [];
    const future = (days: number) => new Date(Date.now() + days * 86_400_000).toISOString();
    const heldBy = (c: any): Held => ({ id: c.id, amount: BigInt(c.amount), holder: c.holderId });
    const take = <T>(list: T[], ok: (t: T) => boolean = () => true): T | undefined => {
      const i = list.findIndex(ok);
      return i < 0 ? undefined : list.splice(i, 1)[0];
    };

    /** The plan as a request on the ledger's current records (an issue when the records it needs are not there yet). */
    function build(plan: (typeof plans)[number]): Write {
      const issue = (): Write => {
        const face = plan.amount;
        return { op: 'issue', as: 'did:scf:core-a', path: '/receivables', body: receivableBody(gw, String(face)), commit: (r) => pending.push({ id: r.id, face }) };
      };
      switch (plan.op) {
        case 'accept': case 'refuse': case 'refused: wrong party': {
          const receivable = take(pending);
          if (!receivable) return issue();
          if (plan.op === 'refuse') return { op: plan.op, as: 'did:scf:supplier-t1', path: `/receivables/${receivable.id}/refuse`, body: { reason: plan.reason } };
          // Someone other than the creditor signs: refused, and the receivable stays pending for a later accept.
          if (plan.op === 'refused: wrong party') {
            pending.push(receivable);
            return { op: plan.op, as: 'did:scf:supplier-t2', path: `/receivables/${receivable.id}/accept`, body: {} };
          }
          return { op: plan.op, as: 'did:scf:supplier-t1', path: `/receivables/${receivable.id}/accept`, body: {},
            commit: (r) => held.push(heldBy(r.certificate)) };
        }
        case 'split': case 'refused: bad split': {
          const piece = take(held, (h) => h.amount >= BigInt(plan.parts.length));
          if (!piece) return issue();
          const total = plan.parts.reduce((a, b) => a + b, 0);
          const amounts = plan.parts.map((p) => (piece.amount * BigInt(p)) / BigInt(total) || 1n);
          amounts[0] = piece.amount - amounts.slice(1).reduce((a, b) => a + b, 0n);
          if (amounts[0] <= 0n) amounts.splice(0, amounts.length, piece.amount - 1n, 1n);
          if (plan.op === 'refused: bad split') {
            held.push(piece);
            amounts[0] = amounts[0]! + 1n; // one unit more than the piece holds
          }
          return { op: plan.op, as: piece.holder, path: `/certificates/${piece.id}/split`, body: { amounts: amounts.map(String) },
            commit: (r) => held.push(...r.children.map(heldBy)) };
        }
        case 'offer': {
          const piece = take(held);
          if (!piece) return issue();
          const to = piece.holder === 'did:scf:supplier-t2' ? 'did:scf:supplier-t3' : 'did:scf:supplier-t2';
          const part = BigInt(Math.floor(Number(piece.amount) * plan.share));
          const body = { to, expiresAt: future(1 + (plan.days % 30)), ...(part > 0n && part < piece.amount ? { amount: String(part) } : {}) };
          return { op: plan.op, as: piece.holder, path: `/certificates/${piece.id}/offer`, body, commit: (r) => {
            const offered = r.offered ?? r;
            offers.push({ ...heldBy(offered), holder: piece.holder, to });
            if (r.remainder) held.push(heldBy(r.remainder));
          } };
        }
        case 'accept offer': case 'cancel offer': {
          const offer = take(offers);
          if (!offer) return issue();
          return plan.op === 'accept offer'
            ? { op: plan.op, as: offer.to, path: `/certificates/${offer.id}/offer/accept`, body: {}, commit: (r) => held.push(heldBy(r)) }
            : { op: plan.op, as: offer.holder, path: `/certificates/${offer.id}/offer/cancel`, body: {}, commit: (r) => held.push(heldBy(r)) };
        }
        case 'grant line':
          return { op: plan.op, as: 'did:scf:bank-one', path: '/credit-lines', commit: (r) => lines.push(r.id),
            body: { coreId: 'did:scf:core-a', currency: 'CNY', limit: String(plan.amount), expiresAt: future(plan.days + 30) } };
        case 'set limit': case 'freeze line': case 'unfreeze line': {
          const line = lines[plan.days % Math.max(lines.length, 1)];
          if (!line) return { op: 'grant line', as: 'did:scf:bank-one', path: '/credit-lines', commit: (r) => lines.push(r.id),
            body: { coreId: 'did:scf:core-a', currency: 'CNY', limit: String(plan.amount), expiresAt: future(plan.days + 30) } };
          if (plan.op === 'set limit') return { op: plan.op, as: 'did:scf:bank-one', path: `/credit-lines/${line}/limit`, body: { limit: String(plan.amount) } };
          return { op: plan.op, as: 'did:scf:bank-one', path: `/credit-lines/${line}/${plan.op === 'freeze line' ? 'freeze' : 'unfreeze'}`, body: {} };
        }
        case 'services':
          return { op: plan.op, as: plan.who, path: '/me/services', body: plan.services };
        case 'guardians':
          return { op: plan.op, as: plan.who, path: '/me/guardians',
            body: { guardianIds: plan.guardians.filter((g) => g !== plan.who).concat(plan.guardians.includes(plan.who) ? ['did:scf:supplier-t3'] : []),
              threshold: Math.min(plan.threshold, plan.guardians.length) } };
        case 'credential':
          return { op: plan.op, as: plan.issuer[1], path: '/credentials',
            body: { subjectId: plan.subject, type: plan.issuer[0], expiresAt: future(plan.days), claims: plan.claims } };
        default:
          return issue();
      }
    }

    const failures: string[] = [];
    const tally = { keys: 0, committed: 0, requests: 0, inFlight: 0, replays: 0, reused: 0 };
    const statuses = new Map<number, number>();
    for (const [i, plan] of plans.entries()) {
      const write = build(plan);
      const key = `dup-${i}-${randomUUID()}`;
      // One copy may carry another body (the same request, one field changed): it must never run as a second transaction.
      const other = plan.differ && write.body && typeof write.body === 'object' && Object.keys(write.body).length > 0;
      const bodies = Array.from({ length: plan.copies }, (_, c) => (other && c === plan.copies - 1 ? { ...(write.body as object), ...altered(write.body as Record<string, unknown>) } : write.body));
      const before = await gw.height();
      const answers: Answer[] = await Promise.all(bodies.map((body) => gw.call('POST', write.path, { as: write.as, key, body })));
      const after = await gw.height();
      tally.keys++;
      tally.requests += answers.length;
      answers.forEach((a) => statuses.set(a.status, (statuses.get(a.status) ?? 0) + 1));
      const what = `key ${key}: ${plan.copies} copies of ${write.op} as ${write.as} on ${write.path}${other ? ' (the last with another body)' : ''}`;
      const outcome = answers.map((a, c) => `${c}:${a.status} ${a.body?.error?.code ?? a.body?.txId?.slice(0, 8) ?? ''}${a.headers.get('idempotent-replay') ? ' replay' : ''}`).join(', ');
      const won = answers.map((a, c) => ({ a, c })).filter(({ a }) => a.status < 300);
      const txIds = new Set(won.map(({ a }) => a.body.txId));
      const fresh = won.filter(({ a }) => a.headers.get('idempotent-replay') !== 'true');
      const refusals = answers.filter((a) => a.status >= 300 && a.body?.error?.code !== 'IDEMPOTENCY_KEY_IN_FLIGHT' && a.body?.error?.code !== 'IDEMPOTENCY_KEY_REUSED');
      tally.inFlight += answers.filter((a) => a.body?.error?.code === 'IDEMPOTENCY_KEY_IN_FLIGHT').length;
      tally.reused += answers.filter((a) => a.body?.error?.code === 'IDEMPOTENCY_KEY_REUSED').length;
      tally.replays += won.length - fresh.length;
      if (txIds.size > 1) failures.push(`${what}: ${txIds.size} transactions (${outcome})`);
      // Granting a line is a flow of two transactions: the public grant and the bank's private limit.
      const perWrite = write.op === 'grant line' ? 2 : 1;
      if (after - before !== txIds.size * perWrite) failures.push(`${what}: the height rose by ${after - before} for ${txIds.size} committed write(s) (${outcome})`);
      if (won.length > 0 && fresh.length !== 1) failures.push(`${what}: ${fresh.length} fresh successes (${outcome})`);
      if (won.length > 0 && refusals.length > 0 && !other) failures.push(`${what}: copies refused beside a success (${outcome})`);
      // A refused write changed nothing and freed its key: every copy that ran was refused the same way.
      if (won.length === 0 && new Set(refusals.map((a) => `${a.status} ${a.body?.error?.code}`)).size !== 1 && !other) {
        failures.push(`${what}: refusals differ, or none ran (${outcome})`);
      }
      // A later retry (of the winner's body) replays the winner's answer; a refused write is refused again, changing nothing.
      const winner = won[0];
      const retry = await gw.call('POST', write.path, { as: write.as, key, body: winner ? bodies[winner.c] : write.body });
      tally.requests++;
      statuses.set(retry.status, (statuses.get(retry.status) ?? 0) + 1);
      if (winner) {
        tally.committed++;
        write.commit?.(winner.a.body.result);
        if (retry.status !== winner.a.status || retry.headers.get('idempotent-replay') !== 'true' || retry.body?.txId !== winner.a.body.txId) {
          failures.push(`${what}: the retry got ${retry.status} ${retry.body?.txId ?? retry.body?.error?.code}, not the replay of ${winner.a.status} ${winner.a.body.txId} (${outcome})`);
        }
      } else if (!other && (retry.status !== refusals[0]?.status || retry.body?.error?.code !== refusals[0]?.body?.error?.code)) {
        failures.push(`${what}: the retry got ${retry.status} ${retry.body?.error?.code}, not ${refusals[0]?.status} ${refusals[0]?.body?.error?.code} (${outcome})`);
      }
      if (await gw.height() !== after) failures.push(`${what}: the retry changed the ledger (${outcome})`);
    }
    console.log(`fuzz-idempotency: ${tally.requests} requests (idempotency duplicates ${tally.requests}); ${tally.keys} keys, ${tally.committed} committed once each,`
      + ` ${tally.replays} replays, ${tally.inFlight} in flight, ${tally.reused} reused; statuses ${JSON.stringify(Object.fromEntries([...statuses].sort(([a], [b]) => a - b)))}`);
    expect(failures).toEqual([]);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    // The campaign commits for real: most keys end in a transaction, and duplicates met one in flight.
    expect(tally.committed).toBeGreaterThan(tally.keys * 0.6);
    expect(tally.inFlight).toBeGreaterThan(0);
  }, 180_000);
});

/** The same request with one field changed, so its fingerprint differs. */
function altered(body: Record<string, unknown>): Record<string, unknown> {
  const [field, value] = Object.entries(body)[0]!;
  if (typeof value === 'string') return { [field]: /^[0-9]+$/.test(value) ? String(BigInt(value) + 1n) : `${value.slice(0, -1)}${value.endsWith('a') ? 'b' : 'a'}` };
  if (Array.isArray(value)) return { [field]: [...value].reverse().concat(value.length ? [] : [value[0]]) };
  return { [field]: value };
}
