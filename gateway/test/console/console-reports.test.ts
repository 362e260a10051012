import { randomUUID } from 'crypto';
import type { Browser, Download } from 'playwright-core';
import { sha } from '../support/fixtures';
import { GatewayUnderTest } from '../support/gateway-under-test';
import { describeInBrowser, expectAccessible, launchChromium } from './browser';
import { ConsoleUser } from './console-user';

const TIER1 = 'did:scf:supplier-t1';
const TIER2 = 'did:scf:supplier-t2';
const dateIn = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

async function contentOf(download: Download): Promise<string> {
  const stream = await download.createReadStream();
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * The query store's pages in a real headless Chromium: concentration, financings and
 * certificates with their filters and cursor pages, an enterprise's exports saved from a Blob,
 * empty sections that say so, refusals in Chinese, a gateway without a store, and the event
 * stream started from now.
 */
describeInBrowser('the web console\'s reports and exports', () => {
  let gw: GatewayUnderTest;
  let browser: Browser;
  const users: ConsoleUser[] = [];
  const ids = { financing: '', pledged: '', passed: '', parts: [] as string[] };
  const post = async (as: string, url: string, body: object): Promise<any> => {
    const answer = await gw.call('POST', url, { as, key: randomUUID(), body });
    expect({ url, error: answer.body?.error }).toEqual({ url, error: undefined });
    return answer.body;
  };
  const signIn = async (who: string, at = gw): Promise<ConsoleUser> => {
    const user = await ConsoleUser.signIn(browser, at.url, at.keys[who] ?? who);
    users.push(user);
    return user;
  };

  beforeAll(async () => {
    gw = await GatewayUnderTest.start({ env: { SCF_STORE: 'embedded' } });
    browser = await launchChromium();
    const issued = await post('did:scf:core-a', '/receivables', { creditorId: TIER1, faceAmount: '1000000', currency: 'CNY',
      dueDate: dateIn(30), invoiceHash: sha('reports'), contractHash: sha('contract'), creditLineId: gw.keys.creditLineId,
      invoice: { invoiceCode: '3100231130', invoiceNumber: '00090001', sellerRegistrationNumber: '91320000MA1FL0003C',
        buyerRegistrationNumber: '91310000MA1FL0001A' } });
    const root = (await post(TIER1, `/receivables/${issued.result.id}/accept`, {})).result.certificate.id;
    const offered = (await post(TIER1, `/certificates/${root}/offer`, { to: TIER2, amount: '400000',
      expiresAt: new Date(Date.now() + 3_600_000).toISOString() })).result;
    [ids.passed, ids.pledged] = [offered.offered.id, offered.remainder.id];
    await post(TIER2, `/certificates/${ids.passed}/offer/accept`, {});
    // Tier 2 splits its piece into 20 and one of those into 5: 24 live pieces, more than one page (20 rows).
    const pieces = async (id: string, count: number, each: string): Promise<string[]> =>
      (await post(TIER2, `/certificates/${id}/split`, { amounts: Array(count).fill(each) })).result.children.map((c: { id: string }) => c.id);
    const [resplit, ...kept] = await pieces(ids.passed, 20, '20000');
    ids.parts = [...kept, ...(await pieces(resplit!, 5, '4000'))];
    const applied = (await post(TIER1, '/financings', { certificateId: ids.pledged, bankId: 'did:scf:bank-one',
      requestedAmount: '500000', annualRateBps: 400, feeAmount: '0', tenorEnd: dateIn(30), mode: 'PLEDGE',
      documentsHash: sha('reports financing') })).result;
    ids.financing = applied.financing.id;
    const funded = await post('did:scf:bank-one', `/financings/${ids.financing}/approve`,
      { disbursedAmount: applied.terms.price.disbursedAmount, paymentRef: 'PAY-REPORTS-1' });
    expect(await gw.parts.store!.feed.holds(funded.txId, 30_000)).toBe(true);
  }, 180_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });
  afterEach(async () => {
    const problems = users.flatMap((user) => user.problems);
    await Promise.all(users.splice(0).map((user) => user.close()));
    // A refusal a test provokes is expected; anything else failing on a page fails the test.
    expect(problems.filter((p) => !/^(400|404) GET .*\/store\//.test(p))).toEqual([]);
  });

  test('the auditor reads concentration, financings by status and period, and certificates page by page', async () => {
    const auditor = await signIn('did:scf:auditor');
    const { page } = auditor;
    await auditor.open('报表');
    await page.getByTestId('concentration').locator('tbody tr', { hasText: 'did:scf:core-a' }).filter({ hasText: '100.00%' }).waitFor();
    await page.locator('#financings-status').selectOption('FUNDED');
    await page.locator('#financings-from').fill(dateIn(-1));
    await page.locator('#financings-to').fill(dateIn(0));
    await page.locator('section[aria-labelledby=financings-title] button[type=submit]').click();
    await page.getByTestId('store-financings').locator('tbody tr', { hasText: ids.financing }).waitFor();
    await page.locator('#financings-status').selectOption('REJECTED');
    await page.locator('section[aria-labelledby=financings-title] button[type=submit]').click();
    await page.locator('section[aria-labelledby=financings-title] p.empty').waitFor();

    await page.locator('#certificates-holderId').fill(TIER2);
    await page.locator('#certificates-status').selectOption('ACTIVE');
    await page.locator('section[aria-labelledby=certificates-title] button[type=submit]').click();
    const rows = page.getByTestId('store-certificates').locator('tbody tr');
    await rows.nth(19).waitFor();
    const first = await rows.allInnerTexts();
    expect(first).toHaveLength(20);
    await page.getByRole('button', { name: '下一页' }).click();
    await page.getByRole('button', { name: '下一页' }).and(page.locator(':disabled')).waitFor();
    const second = await rows.allInnerTexts();
    expect(second).toHaveLength(4);
    // The first cell is the piece's id: both pages together are every live piece, each once.
    const shown = [...first, ...second].map((row) => row.split('\t')[0]!.trim());
    expect(shown.sort()).toEqual([...ids.parts].sort());
    await expectAccessible(page);
    await page.getByRole('button', { name: '第一页' }).click();
    await rows.nth(19).waitFor();
  });

  test('a refused filter reads in Chinese with the stable code, the gateway\'s words under details', async () => {
    const auditor = await signIn('did:scf:auditor');
    const { page } = auditor;
    await auditor.open('报表');
    await page.locator('#certificates-bankId').fill('not-a-did');
    await page.locator('section[aria-labelledby=certificates-title] button[type=submit]').click();
    const alert = page.locator('section[aria-labelledby=certificates-title] [role=alert]');
    await alert.filter({ hasText: 'VALIDATION_FAILED' }).filter({ hasText: '输入有误' }).waitFor();
    expect(await alert.locator('details span[lang=en]').textContent()).toContain('bankId');
    await expectAccessible(page);
    await page.getByRole('button', { name: 'English' }).click();
    await alert.filter({ hasText: 'Some input is not valid' }).waitFor();
  });

  test('a tier-2 supplier downloads everything it held as JSON Lines and CSV, through fetch and a Blob', async () => {
    const supplier = await signIn(TIER2);
    const { page } = supplier;
    const exportUrls: string[] = [];
    page.on('request', (request) => {
      if (request.url().includes('/store/exports')) exportUrls.push(request.url());
    });
    await supplier.open('对账单');
    await page.locator('#exports-format').selectOption('jsonl');
    await expectAccessible(page);
    const submit = page.locator('section[aria-labelledby=exports-title] button[type=submit]');
    const [jsonl] = await Promise.all([page.waitForEvent('download'), submit.click()]);
    const rows = (await contentOf(jsonl)).trim().split('\n').map((line) => JSON.parse(line) as { recordId: string });
    expect(rows.map((r) => r.recordId)).toEqual(expect.arrayContaining([ids.passed, ...ids.parts]));
    // Need to know: tier 1's pledged piece and its financing were never tier 2's to read.
    expect(rows.map((r) => r.recordId)).not.toContain(ids.pledged);
    expect(rows.map((r) => r.recordId)).not.toContain(ids.financing);
    await page.locator('#exports-format').selectOption('csv');
    const [csv] = await Promise.all([page.waitForEvent('download'), submit.click()]);
    expect((await contentOf(csv)).split('\r\n')[0]).toBe('seq,block,txId,at,type,kind,recordId,status,record');
    expect(exportUrls).toHaveLength(2);
    for (const url of exportUrls) expect(url).not.toContain(gw.keys[TIER2]!);
  });

  test('empty sections say so: a supplier with no applications and no payouts', async () => {
    const supplier = await signIn(TIER2);
    const { page } = supplier;
    await page.locator('section[aria-labelledby=applied-title] p.empty').filter({ hasText: '暂无' }).waitFor();
    await page.locator('section[aria-labelledby=payouts-title] p.empty').filter({ hasText: '暂无' }).waitFor();
    await expectAccessible(page);
  });

  test('without a query store the reports say so plainly; the event stream starts from now', async () => {
    const bare = await GatewayUnderTest.start({ env: { SCF_STORE: 'off' } });
    try {
      const streams: string[] = [];
      const auditor = await ConsoleUser.signIn(browser, bare.url, bare.keys['did:scf:auditor']!, (page) =>
        page.on('request', (request) => {
          if (new URL(request.url()).pathname === '/events') streams.push(request.url());
        }));
      users.push(auditor);
      const { page } = auditor;
      await auditor.open('报表');
      await page.locator('section[aria-labelledby=concentration-title] [role=alert]')
        .filter({ hasText: 'STORE_OFF' }).filter({ hasText: '未启用查询库' }).waitFor();
      await expectAccessible(page);
      // Signing in does not replay the ledger's history: the first connection asks for what comes next only.
      expect(streams[0]).toBe(`${bare.url}/events?after=now`);
      // Nothing has happened since, yet the page shows it is following the ledger.
      await page.locator('[data-testid=live].on').waitFor();
    } finally {
      await bare.stop();
    }
  });
});
