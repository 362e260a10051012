import { mkdirSync } from 'fs';
import path from 'path';
import type { Browser, Locator, Page } from 'playwright-core';
import { GatewayUnderTest } from '../support/gateway-under-test';
import { describeInBrowser, expectAccessible, launchChromium } from './browser';
import { ConsoleUser } from './console-user';

const DAY = 86_400_000;
/** `npm run console:screenshots` sets it: each role's main page and a tree are written there as PNGs. */
const SCREENSHOTS = process.env.SCF_CONSOLE_SCREENSHOTS;

const section = (page: Page, titleId: string): Locator => page.locator(`section[aria-labelledby="${titleId}"]`);
const committed = (scope: Locator): Promise<void> => scope.locator('p[role=status].ok').first().waitFor();


async function screenshot(page: Page, name: string): Promise<void> {
  if (!SCREENSHOTS) return;
  const dir = path.resolve(__dirname, '../../..', SCREENSHOTS);
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
}

/**
 * The three-tier story played through the web console in a real headless Chromium, on the
 * embedded ledger: the core enterprise issues, tier 1 signs for it, splits and offers part to
 * tier 2, who signs, finances it at bank-one, which approves; at maturity the core pays, and the
 * auditor traces the piece through the drawn tree. Every step is a person's clicks and keys.
 */
describeInBrowser('the web console, in a real browser', () => {
  let gw: GatewayUnderTest;
  let browser: Browser;
  const users: ConsoleUser[] = [];
  const story = { receivableId: '', rootId: '', tier2PieceId: '' };
  const signIn = async (who: string): Promise<ConsoleUser> => {
    const user = await ConsoleUser.signIn(browser, gw.url, gw.keys[who]!);
    users.push(user);
    return user;
  };

  beforeAll(async () => {
    gw = await GatewayUnderTest.start();
    browser = await launchChromium();
  }, 120_000);
  afterAll(async () => {
    jest.useRealTimers();
    await browser?.close();
    await gw?.stop();
  });
  afterEach(async () => {
    // A CSP violation, a failed load or a script error on any page fails the step that caused it.
    const problems = users.flatMap((user) => user.problems);
    await Promise.all(users.splice(0).map((user) => user.close()));
    expect(problems).toEqual([]);
  });

  test('the page is served with a strict policy of its own, compressed, and the API keeps its headers', async () => {
    const page = await fetch(`${gw.url}/console/core`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    const html = await page.text();
    const script = /src="(\/console\/assets\/[^"]+\.js)"/.exec(html)?.[1];
    expect(html).not.toMatch(/<script>|<style>|style="/);
    const asset = await fetch(`${gw.url}${script}`, { headers: { 'accept-encoding': 'br' } });
    expect([asset.headers.get('content-encoding'), asset.headers.get('cache-control')]).toEqual([
      'br',
      'public, max-age=31536000, immutable',
    ]);
    const api = await fetch(`${gw.url}/healthz`);
    expect([api.headers.get('cache-control'), api.headers.get('content-security-policy')]).toEqual([
      'no-store',
      expect.stringContaining("default-src 'none'"),
    ]);
    expect((await fetch(`${gw.url}/console/assets/nothing.js`)).status).toBe(404);
  });

  test("a wrong key is refused at sign-in with the gateway's code, and nothing is kept", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${gw.url}/console/`);
    await screenshot(page, 'sign-in');
    await expectAccessible(page);
    await page.locator('#api-key').fill('not-a-key');
    await page.locator('form button[type=submit]').click();
    await page.getByRole('alert').filter({ hasText: 'AUTHENTICATION_REQUIRED' }).waitFor();
    await context.close();
  });

  test('the core enterprise issues a receivable; invalid fields are named and nothing is sent until all are valid', async () => {
    const core = await signIn('did:scf:core-a');
    await core.expectKeyKeptInMemoryOnly(gw.keys['did:scf:core-a']!);
    await expectAccessible(core.page);
    await core.open('签发应收账款');
    const { page } = core;
    await page.locator('#issue-creditorId').fill('did:scf:supplier-t1');
    await page.locator('#issue-amount').fill('1,000,000.00');
    await page.locator('#issue-dueDate').fill('2027-02-30');
    await page.getByTestId('issue-invalid').filter({ hasText: '到期日' }).waitFor();
    await page.locator('#issue-dueDate').fill(new Date(Date.now() + DAY).toISOString().slice(0, 10));
    await page.locator('#issue-invoiceCode').fill('3100231130');
    await page.locator('#issue-invoiceNumber').fill('00090001');
    await page.locator('#issue-sellerRegistrationNumber').fill('91320000MA1FL0003C');
    await page.locator('#issue-buyerRegistrationNumber').fill('91310000MA1FL0001A');
    const submit = page.locator('form button[type=submit]');
    expect(await submit.isDisabled()).toBe(true);
    await page.setInputFiles('#issue-invoice-file', {
      name: 'invoice.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('invoice 00090001'),
    });
    await page.setInputFiles('#issue-contract-file', {
      name: 'contract.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('contract'),
    });
    await submit.click();
    story.receivableId = (await core.text('issued')).trim();
    expect(story.receivableId).toMatch(/^rcv_[0-9a-f]{64}$/);
    const issued = await gw.call('GET', `/receivables/${story.receivableId}`, { as: 'did:scf:core-a' });
    expect(issued.body).toMatchObject({ faceAmount: '100000000', status: 'ISSUED', creditorId: 'did:scf:supplier-t1' });
  });

  test('tier 1 signs for it, splits it with the remainder shown as it types, and offers part to tier 2', async () => {
    const t1 = await signIn('did:scf:supplier-t1');
    const { page } = t1;
    await page.getByTestId(`to-accept-${story.receivableId}`).getByRole('button', { name: '签收' }).click();
    // The event stream refreshes the open page: the new certificate appears without a reload.
    await page.getByTestId('certificates').getByRole('link').first().waitFor();
    await expectAccessible(page);
    await page.getByTestId('certificates').getByRole('link').first().click();
    story.rootId = (await t1.text('certificate-id')).trim();
    const split = section(page, 'split-title');
    await page.locator('#split-0').fill('600000');
    await page.getByTestId('split-remainder').filter({ hasText: '400,000.00' }).waitFor();
    expect(await split.locator('button[type=submit]').isDisabled()).toBe(true);
    await page.locator('#split-1').fill('400,000.01');
    await page.getByTestId('split-remainder').filter({ hasText: '-0.01' }).waitFor();
    expect(await split.locator('button[type=submit]').isDisabled()).toBe(true);
    await page.locator('#split-1').fill('400,000.00');
    await page.getByTestId('split-remainder').filter({ hasText: '0.00' }).waitFor();
    await split.locator('button[type=submit]').click();
    // The event stream refreshes the piece: split, it names what it became.
    await page.getByTestId('children').getByRole('link').nth(1).click();
    await page.getByTestId('certificate-status').filter({ hasText: '有效' }).waitFor();
    const offer = section(page, 'offer-title');
    await page.locator('#offer-to').fill('did:scf:supplier-t2');
    await page.locator('#offer-amount').fill('300,000.00');
    await page.getByTestId('offer-remainder').filter({ hasText: '100,000.00' }).waitFor();
    await screenshot(page, 'supplier-certificate');
    await offer.locator('button[type=submit]').click();
    // Offering a part splits the piece: the offered part and what tier 1 keeps.
    await page.getByTestId('children').getByRole('link').nth(1).waitFor();
  });

  test('tier 2 signs for the offered part and applies to finance it at the quoted price', async () => {
    const t2 = await signIn('did:scf:supplier-t2');
    const { page } = t2;
    await page.locator('[data-testid^="offer-"]').getByRole('button', { name: '签收' }).click();
    await page.getByTestId('certificates').getByRole('link').first().waitFor();
    await screenshot(page, 'supplier');
    await expectAccessible(page);
    await page.getByTestId('certificates').getByRole('link').first().click();
    story.tier2PieceId = (await t2.text('certificate-id')).trim();
    await page.getByTestId('lineage').locator('li').nth(3).waitFor();
    const finance = section(page, 'finance-title');
    await page.locator('#finance-amount').fill('300,000.00');
    await page.locator('#finance-rate').fill('3.85');
    await finance.getByRole('button', { name: '询价' }).click();
    await page.getByTestId('quote').waitFor();
    await page.setInputFiles('#finance-documents', {
      name: 'docs.pdf',
      mimeType: 'application/pdf',
      buffer: Buffer.from('trade docs'),
    });
    await finance.locator('button[type=submit]').click();
    await page.getByTestId('certificate-status').filter({ hasText: '已质押' }).waitFor();
    const piece = await gw.call('GET', `/certificates/${story.tier2PieceId}`, { as: 'did:scf:supplier-t2' });
    expect(piece.body).toMatchObject({ amount: '30000000', holderId: 'did:scf:supplier-t2', status: 'PLEDGED' });
  });

  test('the bank reads the lineage and attestations of the application and approves it', async () => {
    const bank = await signIn('did:scf:bank-one');
    const { page } = bank;
    await page.getByTestId('applications').getByRole('link').first().waitFor();
    await screenshot(page, 'bank');
    await expectAccessible(page);
    await page.getByTestId('applications').getByRole('link').first().click();
    await page.getByTestId('lineage').locator('li').nth(3).waitFor();
    expect(await page.getByTestId('attestations').locator('li').count()).toBeGreaterThan(0);
    await page.getByTestId('price').waitFor();
    await screenshot(page, 'bank-application');
    await expectAccessible(page);
    await page.locator('#approve-ref').fill('PAY-E2E-1');
    await page.getByRole('button', { name: '批准并放款' }).click();
    await committed(page.locator('article'));
    const financings = await gw.call('GET', '/enterprises/did:scf:supplier-t2/financings/applied', {
      as: 'did:scf:supplier-t2',
    });
    expect(financings.body.items).toEqual([expect.objectContaining({ status: 'FUNDED', bankId: 'did:scf:bank-one' })]);
  });

  test("at maturity the core enterprise pays and sees each payout's status", async () => {
    // Maturity: only Date moves (the embedded engine's clock), as in the cash-leg suite.
    jest.useFakeTimers({
      doNotFake: [
        'nextTick',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'setTimeout',
        'clearTimeout',
        'queueMicrotask',
        'hrtime',
        'performance',
      ],
    });
    jest.setSystemTime(Date.now() + 2 * DAY);
    const core = await signIn('did:scf:core-a');
    const { page } = core;
    const row = page.getByTestId(`owed-${story.receivableId}`);
    // The debtor sees the whole tree it owes before paying: split, offered on, pledged to the bank.
    await row.getByRole('link').click();
    await page.locator('[data-testid=tree-graph][data-rendered="5"]').waitFor();
    expect(await page.locator('.piece.piece-pledged').count()).toBe(1);
    await screenshot(page, 'core-tree');
    await page.goBack();
    await row.locator('input').fill('CNAPS-E2E-1');
    await row.locator('button[type=submit]').click();
    const payouts = page.getByTestId(`payouts-${story.receivableId}`);
    await payouts.locator('li').nth(2).waitFor();
    const lines = await payouts.locator('li').allInnerTexts();
    expect(lines.join('\n')).toContain('did:scf:bank-one');
    expect(lines.join('\n')).toContain('did:scf:supplier-t1');
    await screenshot(page, 'core');
    await expectAccessible(page);
  });

  test('the collecting bank confirms the payment arrived, then the payees confirm their payouts', async () => {
    const settlements = await gw.call('GET', `/receivables/${story.receivableId}/settlements`, { as: 'did:scf:core-a' });
    const settlementId = settlements.body.items[0].id as string;
    const bank = await signIn('did:scf:bank-one');
    const collect = bank.page.getByTestId(`collect-${settlementId}`);
    await collect.locator('input').fill('B1-RCPT-E2E');
    await collect.locator('button[type=submit]').click();
    await collect.filter({ hasText: '已确认' }).waitFor();
    // The bank is the pledged piece's payee: it confirms that payout too.
    const pledged = bank.page.getByTestId(`payout-${story.tier2PieceId}`);
    await pledged.locator('input').fill('B1-PAYOUT-E2E');
    await pledged.locator('button[type=submit]').click();
    await pledged.filter({ hasText: '已到账' }).waitFor();
    await expectAccessible(bank.page);
    const t1 = await signIn('did:scf:supplier-t1');
    const own = t1.page.locator('[data-testid^="payout-"]').filter({ hasText: '待付款' }).first();
    const ownId = await own.getAttribute('data-testid');
    await own.locator('input').fill('T1-RCPT-E2E');
    await own.locator('button[type=submit]').click();
    await t1.page.getByTestId(ownId!).filter({ hasText: '已到账' }).waitFor();
    const settlement = await gw.call('GET', `/settlements/${settlementId}`, { as: 'did:scf:auditor' });
    expect(settlement.body.settlement.payment.status).toBe('CONFIRMED');
    expect(settlement.body.payouts.map((p: { status: string }) => p.status).sort()).toEqual(['PAID', 'PAID', 'PAYABLE']);
  });

  test('the auditor traces the piece: the tree drawn, its path highlighted, the history and a transaction', async () => {
    const auditor = await signIn('did:scf:auditor');
    const { page } = auditor;
    await screenshot(page, 'auditor');
    await expectAccessible(page);
    await page.locator('#search-id').fill(story.receivableId);
    await page.locator('form[role=search] button[type=submit]').click();
    // root, its two parts, and the offered part and what tier 1 kept of the 400,000.00 piece
    await page.locator('[data-testid=tree-graph][data-rendered="5"]').waitFor();
    await page.locator('#piece-choice').selectOption(story.tier2PieceId);
    await page.getByTestId('chosen-piece').waitFor();
    expect(await page.locator('.piece.on-path').count()).toBe(3);
    expect(await page.locator('.link.on-path').count()).toBe(2);
    expect(await page.locator(`.piece[data-id="${story.tier2PieceId}"]`).getAttribute('class')).toContain(
      'piece-settled',
    );
    await page.getByTestId('timeline').locator('li').nth(2).waitFor();
    await screenshot(page, 'auditor-tree');
    await expectAccessible(page);
    await page.getByTestId('timeline').getByRole('link').first().click();
    await page.getByTestId('transaction').filter({ hasText: 'VALID' }).waitFor();
    await page.getByRole('button', { name: 'English' }).click();
    await page.getByRole('heading', { name: 'Transaction' }).waitFor();
  });
});
