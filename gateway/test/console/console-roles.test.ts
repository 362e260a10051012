import { randomUUID } from 'crypto';
import type { Browser } from 'playwright-core';
import { sha } from '../support/fixtures';
import { GatewayUnderTest } from '../support/gateway-under-test';
import { describeInBrowser, expectAccessible, launchChromium } from './browser';
import { ConsoleUser } from './console-user';

const TIER1 = 'did:scf:supplier-t1';


/**
 * The console's other pages, each person in a real headless Chromium: four eyes (a maker's
 * acceptance proposed and a checker's approval), users and keys, the statement and its CSV,
 * the regulator's freeze, the query store's reports, and a bank admin's consortium page.
 */
describeInBrowser('the web console for teams, oversight and bank admins', () => {
  let gw: GatewayUnderTest;
  let browser: Browser;
  const users: ConsoleUser[] = [];
  const post = (as: string, url: string, body: object) => gw.call('POST', url, { as, key: randomUUID(), body });
  const signIn = async (who: string): Promise<ConsoleUser> => {
    const user = await ConsoleUser.signIn(browser, gw.url, gw.keys[who] ?? who);
    users.push(user);
    return user;
  };
  let receivableId = '';
  let pieceId = '';

  beforeAll(async () => {
    gw = await GatewayUnderTest.start({ env: { SCF_STORE: 'embedded' } });
    browser = await launchChromium();
    // Four eyes from 500,000 minor units on tier 1's acceptances: its admin proposes, its checker approves.
    const policy = await post(TIER1, '/instructions', { transaction: 'Instruction:SetPolicy',
      args: [JSON.stringify({ 'Receivable:Accept': '500000' })], expiresAt: new Date(Date.now() + 3_600_000).toISOString() });
    await post(`checker:${TIER1}`, `/instructions/${policy.body.result.id}/approve`, { argsHash: policy.body.result.argsHash });
    const issued = await post('did:scf:core-a', '/receivables', { creditorId: TIER1, faceAmount: '900000', currency: 'CNY',
      dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10), invoiceHash: sha('roles'), contractHash: sha('contract'),
      creditLineId: gw.keys.creditLineId, invoice: { invoiceCode: '3100231130', invoiceNumber: '00080001',
        sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' } });
    receivableId = issued.body.result.id;
  }, 120_000);
  afterAll(async () => {
    await browser?.close();
    await gw?.stop();
  });
  afterEach(async () => {
    const problems = users.flatMap((user) => user.problems);
    await Promise.all(users.splice(0).map((user) => user.close()));
    // A four-eyes refusal is the business working; anything else failing on a page fails the test.
    expect(problems.filter((p) => !p.startsWith(`409 POST ${gw.url}/receivables/`))).toEqual([]);
  });

  test('a maker\'s acceptance above the policy is proposed from the console, and a checker approves it in the queue', async () => {
    const maker = await signIn(`maker:${TIER1}`);
    const row = maker.page.getByTestId(`to-accept-${receivableId}`);
    await row.getByRole('button', { name: '签收' }).click();
    await row.getByRole('alert').filter({ hasText: 'FOUR_EYES_REQUIRED' }).waitFor();
    await row.getByRole('button', { name: '提交审核人批准' }).click();
    await row.locator('p[role=status].ok').waitFor();
    const checker = await signIn(`checker:${TIER1}`);
    await checker.open('用户与密钥');
    const queued = checker.page.locator('[data-testid^="instruction-"]');
    await queued.filter({ hasText: 'Receivable:Accept' }).waitFor();
    await expectAccessible(checker.page);
    await queued.getByRole('button', { name: '批准' }).click();
    await queued.locator('p[role=status].ok').waitFor();
    const receivable = await gw.call('GET', `/receivables/${receivableId}`, { as: 'did:scf:auditor' });
    expect(receivable.body).toMatchObject({ status: 'ACCEPTED' });
    pieceId = receivable.body.rootCertificateId;
  });

  test('an admin adds a user, whose key is shown once and signs in; the statement reads and downloads as CSV', async () => {
    const admin = await signIn(TIER1);
    const { page } = admin;
    await admin.open('用户与密钥');
    await page.locator('#user-login').fill('clerk-2');
    await page.locator('#user-role').selectOption('VIEWER');
    await page.locator('section[aria-labelledby=add-user-title] button[type=submit]').click();
    const key = (await page.getByTestId('new-key').locator('code').innerText()).trim();
    expect(key).toMatch(/^scf_/);
    await page.getByTestId('users').locator('tr', { hasText: '查看' }).waitFor();
    await admin.open('对账单');
    await page.getByTestId('statement').locator('tbody tr').first().waitFor();
    await expectAccessible(page);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: '下载 CSV' }).click()]);
    const csv = await new Promise<string>((resolve, reject) => {
      download.createReadStream().then((stream) => {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk)).on('end', () => resolve(Buffer.concat(chunks).toString('utf8'))).on('error', reject);
      }, reject);
    });
    expect(csv.split('\n')[0]).toContain('kind');
    expect(csv).toContain(`issued,`);
    expect(csv).toContain(pieceId);
    const viewer = await signIn(key);
    expect(await viewer.text('who')).toContain(TIER1);
  });

  test('the regulator freezes a piece from its page and lifts the freeze', async () => {
    const regulator = await signIn('did:scf:regulator');
    const { page } = regulator;
    await page.locator('#search-id').fill(pieceId);
    await page.locator('form[role=search] button[type=submit]').click();
    await page.locator('#freeze-reason').fill('court order 2027-1');
    await expectAccessible(page);
    await page.getByRole('button', { name: '冻结' }).click();
    await page.getByRole('button', { name: '解冻' }).waitFor();
    expect((await gw.call('GET', `/certificates/${pieceId}`, { as: 'did:scf:auditor' })).body.frozen).toMatchObject({ reason: 'court order 2027-1' });
    await page.getByRole('button', { name: '解冻' }).click();
    await page.locator('#freeze-reason').waitFor();
    expect((await gw.call('GET', `/certificates/${pieceId}`, { as: 'did:scf:auditor' })).body.frozen).toBeNull();
  });

  test('the auditor reads the query store\'s exposure report', async () => {
    const auditor = await signIn('did:scf:auditor');
    await auditor.open('报表');
    await auditor.page.getByTestId('exposure').locator('tbody tr', { hasText: 'did:scf:core-a' }).waitFor();
    await expectAccessible(auditor.page);
  });

  test('a bank grants a core enterprise a credit line from its page', async () => {
    const bank = await signIn('did:scf:bank-one');
    const { page } = bank;
    await page.locator('#line-coreId').fill('did:scf:core-a');
    await page.locator('#line-limit').fill('5,000,000.00');
    await page.locator('#line-expires').fill(new Date(Date.now() + 365 * 86_400_000).toISOString().slice(0, 10));
    await expectAccessible(page);
    await page.locator('section[aria-labelledby=grant-title] button[type=submit]').click();
    await page.locator('section[aria-labelledby=grant-title] p[role=status].ok').waitFor();
    const lines = await gw.call('GET', '/enterprises/did:scf:core-a/credit-lines', { as: 'did:scf:core-a' });
    expect(lines.body.items).toHaveLength(2);
  });

  test('a bank admin onboards a customer from the consortium page, its key shown once', async () => {
    const admin = await signIn('admin:Bank1MSP');
    const { page } = admin;
    await page.getByRole('heading', { name: '治理提案' }).waitFor();
    await expectAccessible(page);
    await page.locator('#onboard-id').fill('did:scf:supplier-t4');
    await page.locator('#onboard-name').fill('Tier-4 Fasteners Ltd');
    await page.locator('#onboard-reg').fill('91320000MA1FL0009X');
    await page.locator('section[aria-labelledby=onboard-title] button[type=submit]').click();
    const key = (await page.getByTestId('onboarded-key').locator('code').innerText()).trim();
    expect(await gw.call('GET', '/me', { as: key })).toMatchObject({ status: 200, body: { id: 'did:scf:supplier-t4' } });
  });
});
