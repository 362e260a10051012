import { readEvents } from './event-reader';
import { type GatewayUnderTest, METRICS_TOKEN } from './gateway-under-test';
import { sha } from './fixtures';
import { succeeded } from './typed-api';
import { signingPrincipal } from '../../src/identity/principals';

// Unique per run: a Fabric network outlives one suite run's gateway folders.
let invoiceNumber = Date.now() % 1e7;
const issueBody = (gw: GatewayUnderTest, overrides: Record<string, unknown> = {}) => ({
  creditorId: 'did:scf:supplier-t1', faceAmount: '1000000', currency: 'CNY',
  dueDate: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10),
  invoiceHash: sha('invoice'), contractHash: sha('contract'), creditLineId: gw.keys.creditLineId!,
  invoice: { invoiceCode: '3100231130', invoiceNumber: String(++invoiceNumber).padStart(8, '0'),
    sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' },
  ...overrides,
});

/**
 * The REST API, over real HTTP, for every backend: the embedded ledger in every run, a
 * real Fabric network when its binaries are found (test/network). `start` opens a gateway,
 * on a new data folder or, for a restart, on the given one.
 */
export function describeGatewayApi(backend: 'embedded' | 'fabric', start: (dataDir?: string) => Promise<GatewayUnderTest>): void {
  describe(`the REST gateway over the ${backend} ledger`, () => {
    let gw: GatewayUnderTest;
    beforeAll(async () => { gw = await start(); }, 120_000);
    afterAll(async () => { await gw.stop(); });

    test('a receivable travels from the core enterprise down two tiers, over HTTP', async () => {
      const issued = succeeded(await gw.op('issueReceivable', { as: 'did:scf:core-a', key: 'issue-1', body: issueBody(gw) }));
      expect(issued.status).toBe(201);
      expect(issued.body).toMatchObject({ txId: expect.stringMatching(/^[0-9a-f]{64}$/), result: { status: 'ISSUED' } });
      const accepted = succeeded(await gw.op('acceptReceivable', { as: 'did:scf:supplier-t1', key: 'acc-1', params: { id: issued.body.result.id }, body: {} }));
      expect(accepted.status).toBe(200);
      const certificateId = accepted.body.result.certificate.id;
      const offered = succeeded(await gw.op('offerCertificate', { as: 'did:scf:supplier-t1', key: 'offer-1', params: { id: certificateId },
        body: { to: 'did:scf:supplier-t2', amount: '400000', expiresAt: new Date(Date.now() + 3600_000).toISOString() } }));
      expect(offered.status).toBe(200);
      const piece = 'offered' in offered.body.result ? offered.body.result.offered.id : undefined;
      const inbox = succeeded(await gw.op('listOffersTo', { as: 'did:scf:supplier-t2', params: { id: 'did:scf:supplier-t2' } }));
      expect(inbox.body.items.map((c) => c.id)).toEqual([piece]);
      expect((await gw.op('acceptOffer', { as: 'did:scf:supplier-t2', key: 'sign-1', params: { id: piece! }, body: {} })).status).toBe(200);
      // The new holder traces its piece to the receivable; the whole tree is the debtor's (and oversight's) only.
      const lineage = succeeded(await gw.op('getCertificateLineage', { as: 'did:scf:supplier-t2', params: { id: piece! } }));
      expect(lineage.body.path.map((c) => c.id)).toEqual([certificateId, piece]);
      const tree = await gw.op('getReceivableTree', { as: 'did:scf:core-a', params: { id: issued.body.result.id } });
      expect(tree.body).toMatchObject({ livePieces: 2, liveAmount: '1000000' });
      const notTheirs = await gw.op('getReceivableTree', { as: 'did:scf:supplier-t2', params: { id: issued.body.result.id } });
      expect(notTheirs).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
      const tx = await gw.op('getTransaction', { as: 'did:scf:auditor', params: { txId: issued.body.txId } });
      expect(tx.body).toMatchObject({ txId: issued.body.txId, valid: true, validationCode: 'VALID' });
      const history = succeeded(await gw.op('getHistory', { as: 'did:scf:auditor', params: { kind: 'certificate', id: piece! } }));
      expect(history.body.entries).toHaveLength(2);
    });

    test('a holder sees the price before applying; the bank funds at exactly that price and at no other', async () => {
      const issued = succeeded(await gw.op('issueReceivable', { as: 'did:scf:core-a', key: 'price-issue', body: issueBody(gw) }));
      const accepted = succeeded(await gw.op('acceptReceivable', { as: 'did:scf:supplier-t1', key: 'price-accept', params: { id: issued.body.result.id }, body: {} }));
      const ask = { certificateId: accepted.body.result.certificate.id, bankId: 'did:scf:bank-one', requestedAmount: '900000', annualRateBps: 385,
        feeAmount: '1500', tenorEnd: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10) };
      const quote = succeeded(await gw.op('quoteFinancing', { as: 'did:scf:supplier-t1', body: ask }));
      const interest = (900_000n * 385n * BigInt(quote.body.days)) / 3_600_000n;
      expect(quote.body).toMatchObject({ financedAmount: '900000', dayCount: 'ACT/360', tenorEnd: ask.tenorEnd, feeAmount: '1500',
        interestAmount: String(interest), disbursedAmount: String(900_000n - interest - 1500n) });
      // A quote is the holder's: not another supplier's, the bank's or oversight's (the read table's row).
      for (const as of ['did:scf:supplier-t2', 'did:scf:bank-one', 'did:scf:auditor']) {
        expect(await gw.op('quoteFinancing', { as, body: ask })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
      }
      expect(await gw.op('quoteFinancing', { as: 'did:scf:supplier-t1', body: { ...ask, feeAmount: '900000' } }))
        .toMatchObject({ status: 400, body: { error: { code: 'INVALID_ARGUMENT' } } });
      const applied = succeeded(await gw.op('applyForFinancing', { as: 'did:scf:supplier-t1', key: 'price-apply',
        body: { ...ask, mode: 'PLEDGE', documentsHash: sha('priced application') } }));
      const price = applied.body.result.terms.price!;
      expect(BigInt(price.disbursedAmount) + BigInt(price.interestAmount) + BigInt(price.feeAmount)).toBe(900_000n);
      const financing = { id: applied.body.result.financing.id };
      const wrong = await gw.op('approveFinancing', { as: 'did:scf:bank-one', key: 'price-wrong', params: financing,
        body: { disbursedAmount: '900000', paymentRef: 'PAY-PRICE-1' } });
      expect(wrong).toMatchObject({ status: 409, body: { error: { code: 'PRICE_MISMATCH' } } });
      expect((wrong.body as { error: { message: string } }).error.message).toContain(`not the priced ${price.disbursedAmount}`);
      const funded = succeeded(await gw.op('approveFinancing', { as: 'did:scf:bank-one', key: 'price-funded', params: financing,
        body: { disbursedAmount: price.disbursedAmount, paymentRef: 'PAY-PRICE-1' } }));
      expect(funded.body.result.financing.status).toBe('FUNDED');
      expect(funded.body.result.terms.decided).toMatchObject({ disbursedAmount: price.disbursedAmount, price, recourse: true, penaltyRateBps: 0 });
    });

    test('the applicant repays in part and in full on the bank\'s peers, reads what it owes, and the bank releases the pledge', async () => {
      const issued = succeeded(await gw.op('issueReceivable', { as: 'did:scf:core-a', key: 'repay-issue', body: issueBody(gw) }));
      const accepted = succeeded(await gw.op('acceptReceivable', { as: 'did:scf:supplier-t1', key: 'repay-accept', params: { id: issued.body.result.id }, body: {} }));
      const certificateId = accepted.body.result.certificate.id;
      const applied = succeeded(await gw.op('applyForFinancing', { as: 'did:scf:supplier-t1', key: 'repay-apply', body: { certificateId, bankId: 'did:scf:bank-one',
        requestedAmount: '700000', annualRateBps: 400, feeAmount: '0', tenorEnd: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10),
        mode: 'PLEDGE', documentsHash: sha('repaid application') } }));
      const financing = { id: applied.body.result.financing.id };
      const funded = succeeded(await gw.op('approveFinancing', { as: 'did:scf:bank-one', key: 'repay-fund', params: financing,
        body: { disbursedAmount: applied.body.result.terms.price!.disbursedAmount, paymentRef: 'PAY-REPAY-1', recourse: false, penaltyRateBps: 1825 } }));
      expect(funded.body.result.terms.decided).toMatchObject({ recourse: false, penaltyRateBps: 1825 });
      const owed = succeeded(await gw.op('getFinancingPosition', { as: 'did:scf:supplier-t1', params: financing }));
      expect(owed.body).toMatchObject({ principalDue: '700000', outstanding: '700000', overdueDays: 0, recourse: false, penaltyRateBps: 1825 });
      for (const as of ['did:scf:supplier-t2', 'did:scf:core-a']) {
        expect(await gw.op('getFinancingPosition', { as, params: financing })).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
        expect(await gw.op('repayFinancing', { as, key: `repay-stranger-${as}`, params: financing, body: { amount: '1000', repaymentRef: 'R-X' } })).toMatchObject({ status: 403 });
      }
      expect(await gw.op('repayFinancing', { as: 'did:scf:supplier-t1', key: 'repay-zero', params: financing, body: { amount: '0', repaymentRef: 'R-0' } }))
        .toMatchObject({ status: 400 });
      expect(await gw.op('repayFinancing', { as: 'did:scf:supplier-t1', key: 'repay-over', params: financing, body: { amount: '700001', repaymentRef: 'R-0' } }))
        .toMatchObject({ status: 409, body: { error: { code: 'REPAYMENT_EXCEEDS_OUTSTANDING' } } });
      const part = succeeded(await gw.op('repayFinancing', { as: 'did:scf:supplier-t1', key: 'repay-part', params: financing, body: { amount: '300000', repaymentRef: 'R-1' } }));
      expect(part.body.result.position).toMatchObject({ repaid: '300000', outstanding: '400000' });
      expect(part.body.result.financing).toMatchObject({ status: 'FUNDED', repayments: [{ ref: 'R-1' }] });
      expect(JSON.stringify(part.body.result.financing)).not.toContain('300000');
      expect(await gw.op('releaseFinancing', { as: 'did:scf:bank-one', key: 'release-early', params: financing, body: { receiptRef: 'RCPT-0' } }))
        .toMatchObject({ status: 409, body: { error: { code: 'NOT_REPAID' } } });
      const rest = succeeded(await gw.op('repayFinancing', { as: 'did:scf:supplier-t1', key: 'repay-rest', params: financing, body: { amount: '400000', repaymentRef: 'R-2' } }));
      expect(rest.body.result.position).toMatchObject({ repaid: '700000', outstanding: '0' });
      expect(await gw.op('releaseFinancing', { as: 'did:scf:supplier-t1', key: 'release-self', params: financing, body: { receiptRef: 'RCPT-1' } })).toMatchObject({ status: 403 });
      const released = succeeded(await gw.op('releaseFinancing', { as: 'did:scf:bank-one', key: 'release', params: financing, body: { receiptRef: 'RCPT-1' } }));
      expect(released.body.result).toMatchObject({ financing: { status: 'REPAID', receipt: { by: 'did:scf:bank-one', ref: 'RCPT-1' } }, certificate: { id: certificateId, status: 'ACTIVE' } });
      const auditorView = succeeded(await gw.op('getFinancingPosition', { as: 'did:scf:auditor', params: financing }));
      expect(auditorView.body).toMatchObject({ repaid: '700000', outstanding: '0' });
    }, 60_000);

    test('a holder asks for quotes, the bank quotes on its own peers, the holder accepts and the bank funds at the quoted price', async () => {
      const issued = succeeded(await gw.op('issueReceivable', { as: 'did:scf:core-a', key: 'quote-issue', body: issueBody(gw) }));
      const accepted = succeeded(await gw.op('acceptReceivable', { as: 'did:scf:supplier-t1', key: 'quote-accept-rcv', params: { id: issued.body.result.id }, body: {} }));
      const certificateId = accepted.body.result.certificate.id;
      const asked = succeeded(await gw.op('requestQuotes', { as: 'did:scf:supplier-t1', key: 'quote-ask',
        body: { certificateId, bankIds: ['did:scf:bank-one'], expiresAt: new Date(Date.now() + 3600_000).toISOString() } }));
      expect(asked).toMatchObject({ status: 201, body: { result: { status: 'OPEN', bankIds: ['did:scf:bank-one'] } } });
      const request = { id: asked.body.result.id };
      const terms = { requestedAmount: '800000', annualRateBps: 410, feeAmount: '900', tenorEnd: new Date(Date.now() + 60 * 86_400_000).toISOString().slice(0, 10) };
      expect(await gw.op('answerQuoteRequest', { as: 'did:scf:supplier-t2', key: 'quote-not-a-bank', params: request, body: terms }))
        .toMatchObject({ status: 403 });
      const quoted = succeeded(await gw.op('answerQuoteRequest', { as: 'did:scf:bank-one', key: 'quote-answer', params: request, body: terms }));
      expect(quoted).toMatchObject({ status: 201, body: { result: { bankId: 'did:scf:bank-one', quote: { annualRateBps: 410, quoteRequestId: request.id } } } });
      const read = succeeded(await gw.op('getQuote', { as: 'did:scf:supplier-t1', params: { ...request, bankId: 'did:scf:bank-one' } }));
      expect(read.body.termsHash).toBe(quoted.body.result.termsHash);
      expect(await gw.op('getQuote', { as: 'did:scf:supplier-t2', params: { ...request, bankId: 'did:scf:bank-one' } })).toMatchObject({ status: 403 });
      const financed = succeeded(await gw.op('acceptQuote', { as: 'did:scf:supplier-t1', key: 'quote-take', params: request,
        body: { bankId: 'did:scf:bank-one', termsHash: read.body.termsHash!, mode: 'PLEDGE', documentsHash: sha('quoted application') } }));
      expect(financed.body.result).toMatchObject({ quoteRequest: { status: 'ACCEPTED' }, financing: { status: 'APPLIED', quoteRequestId: request.id },
        certificate: { status: 'PLEDGED' } });
      const price = read.body.price!;
      const funded = succeeded(await gw.op('approveFinancing', { as: 'did:scf:bank-one', key: 'quote-funded', params: { id: financed.body.result.financing.id },
        body: { disbursedAmount: price.disbursedAmount, paymentRef: 'PAY-QUOTE-1' } }));
      expect(funded.body.result.terms.decided).toMatchObject({ disbursedAmount: price.disbursedAmount });
    });

    test('Server-Timing gives each answer\'s time in the gateway and, where the ledger was called, the ledger\'s share', async () => {
      const timings = (headers: Headers) => Object.fromEntries((headers.get('server-timing') ?? '').split(',')
        .map((metric) => /^\s*(\w+);dur=(\d+\.\d)$/.exec(metric)).filter((m) => m !== null).map((m) => [m[1], Number(m[2])]));
      const body = issueBody(gw);
      const started = Date.now();
      const issued = succeeded(await gw.op('issueReceivable', { as: 'did:scf:core-a', key: 'timed-1', body }));
      const elapsed = Date.now() - started;
      expect(issued.status).toBe(201);
      const { ledger, total } = timings(issued.headers);
      expect(ledger).toBeGreaterThan(0);
      expect(total).toBeGreaterThanOrEqual(ledger!);
      expect(total).toBeLessThanOrEqual(elapsed + 1);
      const read = await gw.op('getReceivable', { as: 'did:scf:auditor', params: { id: issued.body.result.id } });
      expect(Object.keys(timings(read.headers)).sort()).toEqual(['ledger', 'total']);
      const replay = await gw.op('issueReceivable', { as: 'did:scf:core-a', key: 'timed-1', body });
      expect(replay).toMatchObject({ status: 201, body: issued.body });
      expect(Object.keys(timings(replay.headers))).toEqual(['total']);
      const invalid = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: 'timed-2', body: issueBody(gw, { faceAmount: 'ten' }) });
      expect(invalid.status).toBe(400);
      expect(Object.keys(timings(invalid.headers))).toEqual(['total']);
    });

    test('callers must authenticate; a wrong key is refused', async () => {
      expect(await gw.call('GET', '/me')).toMatchObject({ status: 401, body: { error: { code: 'AUTHENTICATION_REQUIRED' } } });
      expect(await gw.call('GET', '/me', { as: 'scf_not-a-key' })).toMatchObject({ status: 401 });
      expect(await gw.op('getMe', { as: 'did:scf:supplier-t3' })).toMatchObject({ ok: true, body: { id: 'did:scf:supplier-t3' } });
      // The document's second scheme: the key in X-API-Key.
      expect(await gw.op('getMe', { headers: { 'x-api-key': gw.keys['did:scf:supplier-t3']! } })).toMatchObject({ ok: true, body: { id: 'did:scf:supplier-t3' } });
    });

    test('bad input gets a 400 naming the field, and changes nothing', async () => {
      const height = await gw.height();
      const bad = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: 'bad-1', body: issueBody(gw, { faceAmount: 10.5 }) });
      expect(bad).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', field: 'body.faceAmount' } } });
      const extra = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: 'bad-2', body: issueBody(gw, { status: 'ACCEPTED' }) });
      expect(extra).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
      const notJson = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: 'bad-3', rawBody: '{oops' });
      expect(notJson).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED' } } });
      const plain = await gw.call('POST', '/me/key-rotations', { as: 'did:scf:core-a', key: 'bad-5', headers: { 'content-type': 'text/plain' } });
      expect(plain).toMatchObject({ status: 415, body: { error: { code: 'UNSUPPORTED_MEDIA_TYPE' } } });
      const huge = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: 'bad-4', body: issueBody(gw, { padding: 'x'.repeat(20_000) }) });
      expect(huge).toMatchObject({ status: 413, body: { error: { code: 'PAYLOAD_TOO_LARGE' } } });
      // What the chaincode would refuse is refused at the edge, naming the field: amounts over 2^63−1, days that do not exist, claims without a nonce, ...
      const overMax = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: 'bad-6', body: issueBody(gw, { faceAmount: '9223372036854775808' }) });
      expect(overMax).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', field: 'body.faceAmount' } } });
      const noSuchDay = await gw.call('POST', '/receivables', { as: 'did:scf:core-a', key: 'bad-7', body: issueBody(gw, { dueDate: '2027-02-30' }) });
      expect(noSuchDay).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', field: 'body.dueDate' } } });
      const noNonce = await gw.call('POST', '/credentials', { as: 'did:scf:bank-one', key: 'bad-8',
        body: { subjectId: 'did:scf:supplier-t1', type: 'KYC', expiresAt: new Date(Date.now() + 86_400_000).toISOString(), claims: { kyc: 'passed' } } });
      expect(noNonce).toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', field: 'body.claims.nonce' } } });
      // ... and path parameters the server cannot take: an enterprise id that is no DID, a history kind there is none of.
      expect(await gw.call('GET', '/enterprises/supplier-t1', { as: 'did:scf:auditor' }))
        .toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', field: 'path.id' } } });
      expect(await gw.call('GET', '/history/ledger/x', { as: 'did:scf:auditor' }))
        .toMatchObject({ status: 400, body: { error: { code: 'VALIDATION_FAILED', field: 'path.kind' } } });
      expect(await gw.height()).toBe(height);
    });

    test('chaincode refusals keep their code and map to the right status, without internal detail', async () => {
      const forbidden = await gw.op('issueReceivable', { as: 'did:scf:supplier-t1', key: 'f-1', body: issueBody(gw) });
      expect(forbidden).toMatchObject({ status: 403, body: { error: { code: 'FORBIDDEN' } } });
      const body = issueBody(gw);
      expect((await gw.op('issueReceivable', { as: 'did:scf:core-a', key: 'dup-a', body })).status).toBe(201);
      const again = await gw.op('issueReceivable', { as: 'did:scf:core-a', key: 'dup-b', body });
      expect(again).toMatchObject({ status: 409, body: { error: { code: 'INVOICE_ALREADY_USED' } } });
      const missing = await gw.op('getReceivable', { as: 'did:scf:auditor', params: { id: `rcv_${'0'.repeat(64)}` } });
      expect(missing).toMatchObject({ status: 404, body: { error: { code: 'NOT_FOUND' } } });
      expect(JSON.stringify([forbidden.body, again.body, missing.body])).not.toMatch(/at |\.ts|node_modules|127\.0\.0\.1/);
    });

    test('every write needs an idempotency key; a retry replays the original answer and applies nothing twice', async () => {
      const body = issueBody(gw);
      expect(await gw.call('POST', '/receivables', { as: 'did:scf:core-a', body })).toMatchObject({ status: 400, body: { error: { code: 'IDEMPOTENCY_KEY_REQUIRED' } } });
      const first = succeeded(await gw.op('issueReceivable', { as: 'did:scf:core-a', key: 'idem-1', body }));
      const height = await gw.height();
      const replay = succeeded(await gw.op('issueReceivable', { as: 'did:scf:core-a', key: 'idem-1', body }));
      expect(replay.status).toBe(201);
      expect(replay.body.txId).toBe(first.body.txId);
      expect(replay.headers.get('idempotent-replay')).toBe('true');
      expect(await gw.height()).toBe(height);
      const other = await gw.op('issueReceivable', { as: 'did:scf:core-a', key: 'idem-1', body: issueBody(gw) });
      expect(other).toMatchObject({ status: 422, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
      const racing = issueBody(gw);
      const [a, b] = await Promise.all([1, 2].map(() => gw.op('issueReceivable', { as: 'did:scf:core-a', key: 'idem-race', body: racing })));
      expect([a!.status, b!.status].sort()).toEqual([201, 409]);
    });

    test('auditors read only; onboarding is for bank admins and gives the new enterprise its own key', async () => {
      const audit = await gw.op('issueReceivable', { as: 'did:scf:auditor', key: 'aud-1', body: issueBody(gw) });
      expect(audit).toMatchObject({ status: 403, body: { error: { code: 'READ_ONLY_CALLER' } } });
      const newcomer = { id: 'did:scf:supplier-t4', name: 'Tier-4 Ltd', roles: ['SUPPLIER' as const], registrationNumber: '91440300MA5DXXXX1K' };
      expect((await gw.op('onboardEnterprise', { as: 'did:scf:bank-one', key: 'on-0', body: newcomer })).status).toBe(403);
      const onboarded = succeeded(await gw.op('onboardEnterprise', { as: 'admin:Bank2MSP', key: 'on-1', body: newcomer }));
      expect(onboarded.status).toBe(201);
      expect((await gw.op('getMe', { as: onboarded.body.apiKey })).body).toMatchObject({ id: 'did:scf:supplier-t4', onboardedByMsp: 'Bank2MSP' });
    });

    test('credentials are issued with private claims and verified against a presented document; guardians are named', async () => {
      const claims = { nonce: 'a9f3e1c07b2d4e6f', kyc: 'passed', reviewer: 'desk 7' };
      const issued = succeeded(await gw.op('issueCredential', { as: 'did:scf:bank-one', key: 'vc-1',
        body: { subjectId: 'did:scf:supplier-t1', type: 'KYC', expiresAt: new Date(Date.now() + 86_400_000).toISOString(), claims } }));
      expect(issued.status).toBe(201);
      const id = issued.body.result.id;
      expect(await gw.op('verifyPresentedClaims', { as: 'did:scf:supplier-t2', params: { id }, body: { claims } })).toMatchObject({ ok: true, body: { outcome: 'VALID' } });
      expect(await gw.op('verifyPresentedClaims', { as: 'did:scf:supplier-t2', params: { id }, body: { claims: { ...claims, kyc: 'failed' } } }))
        .toMatchObject({ ok: true, body: { outcome: 'HASH_MISMATCH' } });
      const guardians = succeeded(await gw.op('setMyGuardians', { as: 'did:scf:supplier-t3', key: 'g-1', body: { guardianIds: ['did:scf:supplier-t1', 'did:scf:supplier-t2'], threshold: 2 } }));
      expect(guardians.body.result.guardians).toEqual({ ids: ['did:scf:supplier-t1', 'did:scf:supplier-t2'], threshold: 2 });
      expect(succeeded(await gw.op('getDidDocument', { as: 'did:scf:auditor', params: { id: 'did:scf:supplier-t3' } })).body.guardians?.threshold).toBe(2);
    });

    test('an enterprise rotates its key: its API key signs with the new identity and the old one is refused', async () => {
      const retired = signingPrincipal((await gw.parts.principals.authenticate(gw.keys['did:scf:supplier-t3']!))!)!.identity;
      const rotated = succeeded(await gw.op('rotateMyKey', { as: 'did:scf:supplier-t3', key: 'rot-1', body: {} }));
      expect(rotated).toMatchObject({ status: 201, body: { result: { enterpriseId: 'did:scf:supplier-t3', retired: retired.clientId } } });
      expect(rotated.body.result.current).not.toBe(retired.clientId);
      expect((await gw.op('setMyGuardians', { as: 'did:scf:supplier-t3', key: 'rot-2',
        body: { guardianIds: ['did:scf:supplier-t1', 'did:scf:supplier-t2'], threshold: 1 } })).status).toBe(200);
      await expect(gw.parts.backend.evaluate({ identity: retired, transaction: 'Enterprise:WhoAmI', args: [] })).rejects.toMatchObject({ code: 'UNAUTHENTICATED' });
      expect((await gw.op('rotateMyKey', { as: 'did:scf:auditor', key: 'rot-3', body: {} })).status).toBe(403);
    });

    test('Prometheus metrics count requests by route template and time ledger submissions', async () => {
      expect((await gw.call('GET', '/metrics')).status).toBe(401);
      expect((await gw.call('GET', '/metrics', { as: 'did:scf:core-a' })).status).toBe(401);
      const { body: metrics } = await gw.call('GET', '/metrics', { as: METRICS_TOKEN });
      expect(metrics).toMatch(/scf_http_requests_total\{method="POST",route="\/receivables",status="201"\} [1-9]/);
      expect(metrics).toMatch(/scf_http_requests_total\{method="GET",route="\/certificates\/:id\/lineage",status="200"\} [1-9]/);
      expect(metrics).toMatch(/scf_ledger_submit_duration_seconds_count\{transaction="Receivable:Issue",outcome="committed"\} [1-9]/);
      expect(metrics).toMatch(/scf_ledger_submit_duration_seconds_count\{transaction="Receivable:Issue",outcome="refused"\} [1-9]/);
      expect(metrics).not.toContain('rcv_');
    });

    test('the OpenAPI document and the docs page describe every operation', async () => {
      const { body } = await gw.call('GET', '/openapi.json');
      expect(body.openapi).toBe('3.1.0');
      expect(Object.keys(body.paths)).toEqual(expect.arrayContaining(['/receivables', '/certificates/{id}/split', '/financings/{id}/approve', '/enterprises']));
      expect(body.paths['/receivables'].post.requestBody.content['application/json'].schema.required).toContain('invoice');
      const page = await gw.call('GET', '/docs');
      expect(page.body).toContain('/certificates/{id}/offer');
      expect((await gw.call('GET', '/readyz')).status).toBe(200);
    });
  });

  describe(`the ${backend} gateway survives a restart`, () => {
    test('state, keys and idempotency records are there after the gateway restarts', async () => {
      const first = await start();
      const body = issueBody(first);
      const issued = succeeded(await first.op('issueReceivable', { as: 'did:scf:core-a', key: 'persist-1', body }));
      await first.stop();
      const second = await start(first.dataDir);
      const read = await second.op('getReceivable', { as: 'did:scf:supplier-t1', params: { id: issued.body.result.id } });
      expect(read.body).toMatchObject({ id: issued.body.result.id, status: 'ISSUED' });
      const height = await second.height();
      const replay = await second.op('issueReceivable', { as: 'did:scf:core-a', key: 'persist-1', body });
      expect(replay).toMatchObject({ status: 201, body: { txId: issued.body.txId } });
      expect(await second.height()).toBe(height);
      await second.stop();
    });
  });

  describe('events as a server-sent stream', () => {
    test('a caller sees only events that concern it, resumes from its checkpoint and misses nothing', async () => {
      const gw = await start();
      const issued = succeeded(await gw.op('issueReceivable', { as: 'did:scf:core-a', key: 'ev-1', body: issueBody(gw) }));
      // The demo gives tier 1 a maker and a checker after onboarding it.
      const mine = await readEvents(gw, 'did:scf:supplier-t1', '-1', 5);
      expect(mine.map((e) => e.type)).toEqual(['EnterpriseRegistered', 'IdentityBound', 'UserAdded', 'UserAdded', 'ReceivableIssued']);
      expect(mine.every((e) => e.data.parties.includes('did:scf:supplier-t1'))).toBe(true);
      const checkpoint = mine.at(-1)!;
      await gw.op('acceptReceivable', { as: 'did:scf:supplier-t1', key: 'ev-2', params: { id: issued.body.result.id }, body: {} });
      const resumed = await readEvents(gw, 'did:scf:supplier-t1', checkpoint.id, 10);
      expect(resumed.every((e) => e.block >= checkpoint.block && e.id !== checkpoint.id)).toBe(true);
      expect(resumed[0]!.type).not.toBe('ReceivableIssued');
      expect(resumed.map((e) => e.type)).toContain('ReceivableAccepted');
      const auditor = await readEvents(gw, 'did:scf:auditor', '-1', 100);
      expect(auditor.length).toBeGreaterThan(mine.length);
      expect(new Set(auditor.map((e) => e.id)).size).toBe(auditor.length);
      await gw.stop();
    }, 60_000);
  });
}
