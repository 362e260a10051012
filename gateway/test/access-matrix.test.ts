import { TRANSACTION_POLICY } from '@scf/chaincode';
import { randomUUID } from 'crypto';
import { z } from 'zod';
import { gateOf, type Operation, OPERATIONS } from '../src/http/operations';
import { GatewayUnderTest } from './support/gateway-under-test';
import { sha } from './support/fixtures';

const ROLES: Record<string, string> = {
  'did:scf:core-a': 'CORE', 'did:scf:supplier-t1': 'SUPPLIER', 'did:scf:supplier-t2': 'SUPPLIER', 'did:scf:bank-one': 'BANK',
  'did:scf:auditor': 'AUDITOR', 'did:scf:regulator': 'REGULATOR',
};
const ADMIN = 'admin:Bank1MSP';
/** How the access gate words its refusals: anything else (404, 409, a relationship check) means the caller passed it. */
const GATE_REFUSAL = /needs one of the roles|only an organisation admin|not bound to an enterprise|not a consortium bank organisation|auditors read only|only a bank organisation admin|only an enterprise/;

interface JsonSchema { const?: unknown; oneOf?: JsonSchema[]; anyOf?: JsonSchema[]; type?: string; pattern?: string; format?: string; enum?: unknown[]; minimum?: number; minItems?: number; minLength?: number; properties?: Record<string, JsonSchema>; required?: string[]; items?: JsonSchema; default?: unknown }

/** A value the gateway's schema accepts, so the request reaches the chaincode's access gate. */
function sample(schema: JsonSchema, name: string): unknown {
  if (schema.const !== undefined) return schema.const;
  // A union's last option (for a governance proposal, a change with required fields only: an empty change of limits is refused).
  const options = schema.oneOf ?? schema.anyOf;
  if (options) return sample(options.at(-1)!, name);
  if (schema.enum) return schema.enum[0];
  if (schema.type === 'integer' || schema.type === 'number') return Math.max(schema.minimum ?? 1, 1);
  if (schema.type === 'boolean') return true;
  if (schema.type === 'array') return Array.from({ length: Math.max(schema.minItems ?? 1, 2) }, () => sample(schema.items ?? {}, name));
  if (schema.type === 'object') return Object.fromEntries(Object.entries(schema.properties ?? {}).filter(([k]) => schema.required?.includes(k)).map(([k, v]) => [k, sample(v, k)]));
  if (schema.format === 'date-time') return new Date(Date.now() + 3 * 86_400_000).toISOString();
  if (schema.format === 'date') return new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  if (schema.format === 'uri') return 'https://scf.example/endpoint';
  const pattern = schema.pattern ?? '';
  if (pattern.includes('did:scf')) return 'did:scf:supplier-t2';
  if (pattern.includes('[0-9a-f]{64}')) return sha(name);
  if (pattern.includes('\\d{4}-\\d{2}-\\d{2}')) return new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10);
  if (pattern.includes('[A-Z]{3}')) return 'CNY';
  if (pattern.startsWith('^[A-Z][A-Z_]')) return 'KYC';
  if (pattern.startsWith('^#')) return '#endpoint';
  if (pattern.startsWith('^[A-Za-z][A-Za-z0-9]')) return 'LinkedDomains';
  if (pattern.startsWith('^[0-9A-Za-z -]')) return '91330000MATRIX9999';
  if (pattern.startsWith('^(0|')) return '0';
  if (pattern.includes('[1-9][0-9]')) return '500';
  return 'sample-value'.padEnd(schema.minLength ?? 0, 'x');
}

describe('the access matrix: every endpoint, every caller', () => {
  let gw: GatewayUnderTest;
  const ids: Record<string, string> = {};
  beforeAll(async () => {
    gw = await GatewayUnderTest.start();
    const issued = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: randomUUID(), body: {
      creditorId: 'did:scf:supplier-t1', faceAmount: '1000000', currency: 'CNY', dueDate: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
      invoiceHash: sha('matrix'), contractHash: sha('contract'), creditLineId: gw.keys.creditLineId,
      invoice: { invoiceCode: '3100231130', invoiceNumber: '00090001', sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' },
    } });
    ids.receivable = issued.body.result.id;
    ids.certificate = (await gw.call('POST', `/receivables/${ids.receivable}/accept`, { as: 'did:scf:supplier-t1', key: randomUUID(), body: {} })).body.result.certificate.id;
    // A customer that admins may suspend, and the targets of enterprise-wide operations.
    const target = await gw.call('POST', '/enterprises', { as: ADMIN, key: randomUUID(),
      body: { id: 'did:scf:matrix-target', name: 'Matrix Target', roles: ['SUPPLIER'], registrationNumber: '91330000MATRIX0001' } });
    ids.enterprise = target.body.enterprise.id;
  }, 60_000);
  afterAll(async () => { await gw.stop(); });

  const paramsFor = (path: string) => {
    const id = path.startsWith('/receivables') ? ids.receivable : path.startsWith('/certificates') ? ids.certificate
      : path.startsWith('/credit-lines') ? gw.keys.creditLineId : path.startsWith('/enterprises') || path.startsWith('/dids') ? ids.enterprise
        : path.startsWith('/history') ? ids.certificate
          // A well-formed id no financing has: flows look the financing up before their gated step.
          : path.startsWith('/financings') ? `fin_${'0'.repeat(64)}`
            : path.startsWith('/governance') ? `prp_${'0'.repeat(64)}`
              : path.startsWith('/quote-requests') ? `qrq_${'0'.repeat(64)}` : `x_${'0'.repeat(64)}`;
    return path.replace(':kind', 'certificate').replace(':id', encodeURIComponent(id!)).replace(':bankId', 'did:scf:bank-one');
  };
  // Destructive operations (deactivation) go last, so they cannot hide the others' outcomes.
  const operations = [...(OPERATIONS as readonly Operation[])].sort((a, b) => Number(a.path.includes('deactivat')) - Number(b.path.includes('deactivat')));

  test('no key, an unknown key and a revoked key are refused on every endpoint (401), changing nothing', async () => {
    const revoked = (await gw.call('POST', '/enterprises', { as: ADMIN, key: randomUUID(),
      body: { id: 'did:scf:matrix-revoked', name: 'Revoked', roles: ['SUPPLIER'], registrationNumber: '91330000MATRIX0002' } })).body.apiKey as string;
    expect((await gw.call('GET', '/me', { as: revoked })).status).toBe(200);
    expect(await gw.call('POST', '/me/api-key/revocation', { as: revoked, body: {} })).toMatchObject({ status: 200, body: { revoked: true } });
    const height = await gw.height();
    for (const op of operations) {
      for (const key of [undefined, `scf_${randomUUID()}`, revoked]) {
        const answer = await gw.call(op.method.toUpperCase(), paramsFor(op.path), { as: key, key: randomUUID(), body: op.method === 'post' ? {} : undefined });
        expect({ op: `${op.method} ${op.path}`, status: answer.status, code: answer.body?.error?.code })
          .toEqual({ op: `${op.method} ${op.path}`, status: 401, code: 'AUTHENTICATION_REQUIRED' });
      }
    }
    expect(await gw.height()).toBe(height);
  }, 60_000);

  test('each operation, for each role: callers the policy does not name are refused (403) and change nothing; those it names pass the gate', async () => {
    const refused: string[] = [];
    const passed: string[] = [];
    for (const op of operations) {
      const schema = op.body ? z.toJSONSchema(op.body, { io: 'input' }) as JsonSchema : undefined;
      const transaction = gateOf(op, { params: { id: 'x', kind: 'certificate' }, body: schema ? sample(schema, 'body') : {}, query: { pageSize: 50, bookmark: '' } });
      const policy = TRANSACTION_POLICY[transaction]!;
      for (const caller of [...Object.keys(ROLES), ADMIN]) {
        const role = ROLES[caller];
        // The bank admin is a consortium bank's admin: it passes where the policy opens a read to those too.
        const allowed = policy.kind === 'consortium-admin' ? caller === ADMIN
          : policy.kind === 'enterprise' && (role === undefined
            ? caller === ADMIN && policy.consortiumAdmins
            : policy.roles.includes(role as never) && !(role === 'AUDITOR' && op.mode === 'submit'));
        const height = await gw.height();
        const answer = await gw.call(op.method.toUpperCase(), paramsFor(op.path), { as: caller, key: randomUUID(), body: op.method === 'post' ? (schema ? sample(schema, 'body') : {}) : undefined });
        const label = `${caller} ${op.method.toUpperCase()} ${op.path} (${transaction}) → ${answer.status} ${answer.body?.error?.code ?? ''} ${answer.body?.error?.message ?? ''}`;
        // The gateway's own schema must accept the sample, or the request never reaches the chaincode's gate.
        expect({ label, refusedByGateway: answer.body?.error?.code === 'VALIDATION_FAILED' }).toEqual({ label, refusedByGateway: false });
        if (allowed) {
          expect({ label, gate: answer.status === 401 || (answer.status === 403 && GATE_REFUSAL.test(answer.body.error.message)) }).toEqual({ label, gate: false });
          passed.push(label);
        } else {
          // Every caller here is known to the chaincode (bound, or a bank admin): refused, never unauthenticated.
          expect({ label, refused: answer.status === 403 }).toEqual({ label, refused: true });
          expect(await gw.height()).toBe(height);
          refused.push(label);
        }
      }
    }
    console.log(`access matrix: ${operations.length} operations × 7 callers: ${passed.length} passed the gate, ${refused.length} refused with nothing changed`);
  }, 120_000);

  test('gateway-level routes: onboarding is for bank admins, key rotation for enterprises, writes never for auditors', async () => {
    const body = { id: 'did:scf:matrix-newcomer', name: 'Newcomer', roles: ['SUPPLIER'], registrationNumber: '91330000MATRIX0003' };
    for (const caller of Object.keys(ROLES)) {
      expect((await gw.call('POST', '/enterprises', { as: caller, key: randomUUID(), body })).status).toBe(403);
    }
    expect((await gw.call('POST', '/me/key-rotations', { as: ADMIN, key: randomUUID(), body: {} })).status).toBe(403);
    // GET /me (WhoAmI) describes a bank admin rather than refusing it.
    expect(await gw.call('GET', '/me', { as: ADMIN })).toMatchObject({ status: 200, body: { kind: 'admin', mspId: 'Bank1MSP', consortiumBank: true } });
    expect(await gw.call('POST', '/me/key-rotations', { as: 'did:scf:auditor', key: randomUUID(), body: {} })).toMatchObject({ status: 403, body: { error: { code: 'READ_ONLY_CALLER' } } });
  });

  test('a suspended enterprise is refused every write and read, and is served again once reinstated', async () => {
    const onboarded = await gw.call('POST', '/enterprises', { as: ADMIN, key: randomUUID(),
      body: { id: 'did:scf:matrix-suspended', name: 'Suspended Co', roles: ['SUPPLIER'], registrationNumber: '91330000MATRIX0004' } });
    const key = onboarded.body.apiKey as string;
    expect((await gw.call('POST', '/enterprises/did:scf:matrix-suspended/suspend', { as: ADMIN, key: randomUUID(), body: { reason: 'KYC review' } })).status).toBe(200);
    const height = await gw.height();
    const write = await gw.call('POST', '/me/guardians', { as: key, key: randomUUID(), body: { guardianIds: ['did:scf:supplier-t1'], threshold: 1 } });
    expect(write).toMatchObject({ status: 403, body: { error: { code: 'ENTERPRISE_SUSPENDED' } } });
    expect(await gw.call('GET', '/me', { as: key })).toMatchObject({ status: 403, body: { error: { code: 'ENTERPRISE_SUSPENDED' } } });
    expect(await gw.height()).toBe(height);
    expect((await gw.call('POST', '/enterprises/did:scf:matrix-suspended/reinstate', { as: ADMIN, key: randomUUID(), body: {} })).status).toBe(200);
    expect((await gw.call('GET', '/me', { as: key })).status).toBe(200);
  });
});

/**
 * The read matrix over real HTTP (the chaincode's read table, access/read-policy.ts): every read
 * route of records refuses an unrelated enterprise 403 FORBIDDEN and serves auditors and regulators;
 * the event stream gives each party its projection and the stranger nothing of the business.
 */
describe('the read matrix: every read route, a stranger and oversight; events per party', () => {
  const OVERSIGHT = ['did:scf:auditor', 'did:scf:regulator'];
  /** Registry reads, open to every member: not need-to-know. */
  const OPEN_TO_MEMBERS = new Set(['/me', '/consortium', '/enterprises/:id', '/dids/:id', '/credentials/:id/verification', '/enterprises/:id/credentials', '/enterprises/:id/recovery']);
  const DAY = 86_400_000;
  let gw: GatewayUnderTest;
  let stranger = '';
  const reads: Record<string, string> = {};
  const txIds: Record<string, string> = {};
  const write = async (as: string, method: string, url: string, body: object): Promise<any> => {
    const answer = await gw.call(method, url, { as, key: randomUUID(), body });
    expect({ url, status: answer.status, error: answer.body?.error }).toMatchObject({ url, status: expect.any(Number), error: undefined });
    txIds[url] = answer.body.txId;
    return answer.body.result;
  };

  beforeAll(async () => {
    gw = await GatewayUnderTest.start();
    stranger = (await gw.call('POST', '/enterprises', { as: ADMIN, key: randomUUID(),
      body: { id: 'did:scf:read-stranger', name: 'Stranger', roles: ['SUPPLIER'], registrationNumber: '91330000MATRIX0009' } })).body.apiKey;
    const receivable = await write('did:scf:core-a', 'POST', '/receivables', {
      creditorId: 'did:scf:supplier-t1', faceAmount: '1000000', currency: 'CNY', dueDate: new Date(Date.now() + DAY).toISOString().slice(0, 10),
      invoiceHash: sha('read-matrix'), contractHash: sha('contract'), creditLineId: gw.keys.creditLineId,
      invoice: { invoiceCode: '3100231130', invoiceNumber: '00090077', sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' } });
    const root = (await write('did:scf:supplier-t1', 'POST', `/receivables/${receivable.id}/accept`, {})).certificate.id;
    const part = await write('did:scf:supplier-t1', 'POST', `/certificates/${root}/offer`, { to: 'did:scf:supplier-t2', amount: '400000', expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    await write('did:scf:supplier-t2', 'POST', `/certificates/${part.offered.id}/offer/accept`, {});
    const quoteRequest = await write('did:scf:supplier-t2', 'POST', '/quote-requests', { certificateId: part.offered.id,
      bankIds: ['did:scf:bank-one'], expiresAt: new Date(Date.now() + 3600_000).toISOString() });
    const applied = await write('did:scf:supplier-t1', 'POST', '/financings', { certificateId: part.remainder.id, bankId: 'did:scf:bank-one', mode: 'PLEDGE',
      requestedAmount: '500000', annualRateBps: 450, feeAmount: '0', tenorEnd: new Date(Date.now() + DAY).toISOString().slice(0, 10), documentsHash: sha('documents') });
    await write('did:scf:bank-one', 'POST', `/financings/${applied.financing.id}/reject`, { reason: 'not this time' });
    // A funded pledge on a receivable of its own, not yet due, so the payment below pays no bank.
    const owed = await write('did:scf:core-a', 'POST', '/receivables', {
      creditorId: 'did:scf:supplier-t1', faceAmount: '600000', currency: 'CNY', dueDate: new Date(Date.now() + 90 * DAY).toISOString().slice(0, 10),
      invoiceHash: sha('read-matrix pledged'), contractHash: sha('contract'), creditLineId: gw.keys.creditLineId,
      invoice: { invoiceCode: '3100231130', invoiceNumber: '00090078', sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' } });
    const owedPiece = (await write('did:scf:supplier-t1', 'POST', `/receivables/${owed.id}/accept`, {})).certificate.id;
    const pledged = await write('did:scf:supplier-t1', 'POST', '/financings', { certificateId: owedPiece, bankId: 'did:scf:bank-one', mode: 'PLEDGE',
      requestedAmount: '500000', annualRateBps: 450, feeAmount: '0', tenorEnd: new Date(Date.now() + 30 * DAY).toISOString().slice(0, 10), documentsHash: sha('pledged') });
    await write('did:scf:bank-one', 'POST', `/financings/${pledged.financing.id}/approve`, { disbursedAmount: pledged.terms.price.disbursedAmount, paymentRef: 'DISB-READ', penaltyRateBps: 3650 });
    const kyc = await write('did:scf:bank-one', 'POST', '/credentials', { subjectId: 'did:scf:supplier-t1', type: 'KYC',
      expiresAt: new Date(Date.now() + 30 * DAY).toISOString(), claims: { nonce: 'read-matrix-nonce-0001', checkedBy: 'desk' } });
    const proposal = await write(ADMIN, 'POST', '/governance/proposals', { kind: 'limits', change: { maxSplitDepth: 8 }, expiresAt: new Date(Date.now() + 30 * DAY).toISOString() });
    const instruction = await write('did:scf:supplier-t1', 'POST', '/instructions', { transaction: 'Instruction:SetPolicy',
      args: ['{"Certificate:OfferTransfer":"0"}'], expiresAt: new Date(Date.now() + 30 * DAY).toISOString() });
    // Maturity: only Date moves (the embedded engine's clock), so the debtor may pay.
    jest.useFakeTimers({ doNotFake: ['nextTick', 'setImmediate', 'clearImmediate', 'setInterval', 'clearInterval', 'setTimeout', 'clearTimeout', 'queueMicrotask', 'hrtime', 'performance'] });
    jest.setSystemTime(Date.now() + 2 * DAY);
    const paid = await write('did:scf:core-a', 'POST', `/receivables/${receivable.id}/payments`, { amount: '1000000', paymentRef: 'CNAPS-READ', pageSize: 10 });
    const [piece, line, financing, settlement] = [part.offered.id, gw.keys.creditLineId, applied.financing.id, paid.settlement.id];
    const page = '?pageSize=10';
    Object.assign(reads, {
      '/receivables/:id': `/receivables/${receivable.id}`, '/receivables/:id/tree': `/receivables/${receivable.id}/tree`,
      '/receivables/:id/attestations': `/receivables/${receivable.id}/attestations`, '/receivables/:id/settlements': `/receivables/${receivable.id}/settlements`,
      '/certificates/:id': `/certificates/${piece}`, '/certificates/:id/lineage': `/certificates/${piece}/lineage`,
      '/credit-lines/:id': `/credit-lines/${line}`, '/financings/:id': `/financings/${financing}`, '/settlements/:id': `/settlements/${settlement}`,
      '/credit-lines/:id/limit': `/credit-lines/${line}/limit`, '/financings/:id/terms': `/financings/${financing}/terms`,
      '/financings/:id/position': `/financings/${pledged.financing.id}/position`,
      '/history/:kind/:id receivable': `/history/receivable/${receivable.id}`, '/history/:kind/:id certificate': `/history/certificate/${piece}`,
      '/history/:kind/:id creditLine': `/history/creditLine/${line}`, '/history/:kind/:id financing': `/history/financing/${financing}`,
      '/history/:kind/:id settlement': `/history/settlement/${settlement}`,
      '/enterprises/:id/receivables/owed': `/enterprises/did:scf:core-a/receivables/owed${page}`,
      '/enterprises/:id/receivables/held': `/enterprises/did:scf:supplier-t1/receivables/held${page}`,
      '/enterprises/:id/certificates': `/enterprises/did:scf:supplier-t1/certificates${page}`,
      '/enterprises/:id/offers': `/enterprises/did:scf:supplier-t2/offers${page}`,
      '/enterprises/:id/credit-lines': `/enterprises/did:scf:core-a/credit-lines${page}`,
      '/enterprises/:id/credit-lines/granted': `/enterprises/did:scf:bank-one/credit-lines/granted${page}`,
      '/financings/:id/attestations': `/financings/${financing}/attestations`, '/credentials/:id/claims': `/credentials/${kyc.id}/claims`,
      '/governance/proposals/:id': `/governance/proposals/${proposal.id}`, '/governance/proposals': `/governance/proposals${page}`,
      '/enterprises/:id/financings/addressed': `/enterprises/did:scf:bank-one/financings/addressed${page}`,
      '/enterprises/:id/financings/applied': `/enterprises/did:scf:supplier-t1/financings/applied${page}`,
      '/enterprises/:id/payouts': `/enterprises/did:scf:supplier-t2/payouts${page}`,
      '/enterprises/:id/statement': '/enterprises/did:scf:supplier-t2/statement',
      '/enterprises/:id/statement csv': '/enterprises/did:scf:supplier-t2/statement?format=csv',
      '/quote-requests/:id': `/quote-requests/${quoteRequest.id}`,
      '/enterprises/:id/users': '/enterprises/did:scf:supplier-t1/users',
      '/instructions/:id': `/instructions/${instruction.id}`,
      '/enterprises/:id/instructions/pending': `/enterprises/did:scf:supplier-t1/instructions/pending${page}`,
      '/quote-requests/:id/quotes/:bankId': `/quote-requests/${quoteRequest.id}/quotes/did:scf:bank-one`,
      '/enterprises/:id/quote-requests': `/enterprises/did:scf:bank-one/quote-requests${page}`,
      '/transactions/:txId issuance': `/transactions/${txIds['/receivables']}`,
      '/transactions/:txId payment': `/transactions/${txIds[`/receivables/${receivable.id}/payments`]}`,
    });
  }, 60_000);
  afterAll(async () => {
    jest.useRealTimers();
    await gw.stop();
  });

  test('the matrix names every read route of the gateway', () => {
    const routes = (OPERATIONS as readonly Operation[]).filter((op) => op.method === 'get').map((op) => op.path);
    const covered = new Set(Object.keys(reads).map((name) => name.split(' ')[0]!));
    expect(routes.filter((route) => !covered.has(route) && !OPEN_TO_MEMBERS.has(route))).toEqual([]);
  });

  test('an unrelated enterprise is refused every record read (403 FORBIDDEN, history and transactions too); oversight reads them all', async () => {
    for (const [name, url] of Object.entries(reads)) {
      const refused = await gw.call('GET', url, { as: stranger });
      expect({ name, status: refused.status, code: refused.body?.error?.code }).toEqual({ name, status: 403, code: 'FORBIDDEN' });
      for (const overseer of OVERSIGHT) expect({ name, overseer, status: (await gw.call('GET', url, { as: overseer })).status }).toEqual({ name, overseer, status: 200 });
    }
    for (const url of ['/enterprises/did:scf:core-a', '/dids/did:scf:core-a', '/enterprises/did:scf:core-a/credentials']) expect((await gw.call('GET', url, { as: stranger })).status).toBe(200);
    expect((await gw.call('GET', `/certificates/crt_${'0'.repeat(64)}_0`, { as: 'did:scf:auditor' })).status).toBe(404);
    expect((await gw.call('GET', `/certificates/crt_${'0'.repeat(64)}_0`, { as: stranger })).status).toBe(403);
  }, 60_000);

  test('the parties read what the table gives them, and a payee its own payouts of the settlement only', async () => {
    const status = async (as: string, name: string): Promise<number> => (await gw.call('GET', reads[name]!, { as })).status;
    expect(await status('did:scf:supplier-t2', '/certificates/:id/lineage')).toBe(200);
    expect(await status('did:scf:core-a', '/receivables/:id/tree')).toBe(200);
    expect(await status('did:scf:supplier-t1', '/receivables/:id/tree')).toBe(403);
    expect(await status('did:scf:bank-one', '/financings/:id')).toBe(200);
    expect(await status('did:scf:core-a', '/financings/:id')).toBe(403);
    expect(await status('did:scf:supplier-t2', '/transactions/:txId payment')).toBe(200);
    expect(await status('did:scf:supplier-t2', '/transactions/:txId issuance')).toBe(403);
    expect(await status(ADMIN, '/transactions/:txId payment')).toBe(403);
    const asPayee = await gw.call('GET', reads['/settlements/:id']!, { as: 'did:scf:supplier-t2' });
    expect(asPayee.body.payouts.map((p: { payeeId: string }) => p.payeeId)).toEqual(['did:scf:supplier-t2']);
    expect((await gw.call('GET', reads['/settlements/:id']!, { as: 'did:scf:core-a' })).body.payouts).toHaveLength(2);
  });

  /** Every event the caller's stream replays (it stops reading a second after the last one arrives). */
  async function streamed(as: string): Promise<{ type: string; data: any }[]> {
    const controller = new AbortController();
    const response = await fetch(`${gw.url}/events`, { headers: { authorization: `Bearer ${gw.keys[as] ?? as}` }, signal: controller.signal });
    const reader = response.body!.getReader();
    let text = '';
    let quiet = setTimeout(() => controller.abort(), 1000);
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        text += Buffer.from(value).toString('utf8');
        clearTimeout(quiet);
        quiet = setTimeout(() => controller.abort(), 1000);
      }
    } catch { /* aborted once quiet */ } finally { clearTimeout(quiet); }
    return text.split('\n\n').map((block) => Object.fromEntries(block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)])))
      .filter((lines) => lines.id).map((lines) => ({ type: lines.event!, data: JSON.parse(lines.data!) }));
  }
  const ids = (records: { id: string }[]): string[] => records.map((r) => r.id);

  test('the event stream projects each event per party: creditor, offer recipient, payee, bank; the stranger gets none of the business', async () => {
    const last = (events: { type: string; data: any }[], type: string): any => events.filter((e) => e.type === type).at(-1)?.data;
    const creditor = await streamed('did:scf:supplier-t1');
    expect(last(creditor, 'ReceivableIssued')).toMatchObject({ parties: ['did:scf:supplier-t1'], creditLines: [] });
    expect(last(creditor, 'ReceivableIssued').receivables).toHaveLength(1);
    const recipient = await streamed('did:scf:supplier-t2');
    const offered = last(recipient, 'TransferOffered');
    expect(offered.certificates.map((c: any) => c.holderId)).toEqual(['did:scf:supplier-t1']);
    expect(offered.certificates.map((c: any) => c.status)).toEqual(['OFFERED']);
    const paid = last(recipient, 'PaymentRecorded');
    expect(paid.payouts.map((p: any) => p.payeeId)).toEqual(['did:scf:supplier-t2']);
    expect(paid).toMatchObject({ parties: ['did:scf:supplier-t2'], receivables: [], creditLines: [] });
    expect(recipient.map((e) => e.type)).not.toContain('FinancingApplied');
    const bank = await streamed('did:scf:bank-one');
    expect(ids(last(bank, 'FinancingApplied').financings)).toHaveLength(1);
    expect(last(bank, 'FinancingApplied').certificates).toHaveLength(1);
    // The bank granted the debtor's line, so it collects the payment: it gets the settlement to confirm, not the payouts.
    expect(last(bank, 'PaymentRecorded')).toMatchObject({
      payouts: [], certificates: [], settlements: [{ collectingBankId: 'did:scf:bank-one', payment: { status: 'RECORDED' } }],
    });
    const outsider = await streamed(stranger);
    expect(outsider.map((e) => e.type)).toEqual(['EnterpriseRegistered', 'IdentityBound']);
    const auditor = await streamed('did:scf:auditor');
    expect(last(auditor, 'PaymentRecorded').payouts).toHaveLength(2);
    const admin = await streamed(ADMIN);
    expect(admin.map((e) => e.type)).not.toContain('PaymentRecorded');
    expect(admin.map((e) => e.type)).toContain('EnterpriseRegistered');
  }, 30_000);
});
