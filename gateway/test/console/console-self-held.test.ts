import { randomUUID } from 'crypto';
import { mkdtempSync } from 'fs';
import os from 'os';
import path from 'path';
import type { Browser, BrowserContext } from 'playwright-core';
import { sha } from '../support/fixtures';
import { GatewayUnderTest } from '../support/gateway-under-test';
import { scfSign } from '../support/signer-process';
import { describeInBrowser, expectAccessible, launchChromium, pageProblems } from './browser';

const TIER1 = 'did:scf:supplier-t1';

/**
 * A self-held user at the console, in a real headless Chromium on the embedded ledger: Alice's
 * key is made by scf-sign in its own process (as on her machine), her admin adds her with its
 * CSR, and she signs in with her API key and her key file. The browser signs the offline
 * flow's steps with WebCrypto; the gateway never sees her key.
 */
describeInBrowser('the web console for a user who keeps its key', () => {
  let gw: GatewayUnderTest;
  let browser: Browser;
  let aliceKeyFile = '';
  let strangerKeyFile = '';
  let aliceApiKey = '';
  let receivableId = '';
  const contexts: BrowserContext[] = [];
  const post = (as: string, url: string, body: object) => gw.call('POST', url, { as, key: randomUUID(), body });

  /**
   * The sign-in page, filled in as a person would: API key, and the key file if one is given.
   * `answers`: the person's answer to each signing question in turn (then yes).
   */
  const signIn = async (apiKey: string, keyFile?: string, answers: boolean[] = []) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
    contexts.push(context);
    const page = await context.newPage();
    const problems = pageProblems(page);
    const dialogs: string[] = [];
    // What the person is shown before the transaction signature; agreeing is the person's part.
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void ((answers.shift() ?? true) ? dialog.accept() : dialog.dismiss());
    });
    await page.goto(`${gw.url}/console/`);
    await page.locator('#api-key').fill(apiKey);
    if (keyFile) await page.locator('#key-file').setInputFiles(keyFile);
    await page.locator('form button[type=submit]').click();
    return { page, problems, dialogs };
  };

  beforeAll(async () => {
    gw = await GatewayUnderTest.start({ env: { SCF_STORE: 'embedded' } });
    browser = await launchChromium();
    const dir = mkdtempSync(path.join(os.tmpdir(), 'scf-console-alice-'));
    aliceKeyFile = path.join(dir, 'alice.pem');
    strangerKeyFile = path.join(dir, 'stranger.pem');
    await scfSign(['keygen', '--key', aliceKeyFile]);
    await scfSign(['keygen', '--key', strangerKeyFile]);
    const csr = await scfSign(['csr', '--key', aliceKeyFile, '--cn', 'supplier-t1.alice']);
    const added = await post(TIER1, '/me/users', { login: 'alice', role: 'MAKER', csr });
    expect(added.status).toBe(201);
    aliceApiKey = added.body.apiKey;
    const issued = await post('did:scf:core-a', '/receivables', { creditorId: TIER1, faceAmount: '250000', currency: 'CNY',
      dueDate: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10), invoiceHash: sha('self-held'),
      contractHash: sha('contract'), creditLineId: gw.keys.creditLineId, invoice: { invoiceCode: '3100231130',
        invoiceNumber: '00080002', sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' } });
    expect(issued.status).toBe(201);
    receivableId = issued.body.result.id;
  }, 120_000);
  afterAll(async () => {
    await Promise.all(contexts.map((context) => context.close()));
    await browser?.close();
    await gw?.stop();
  });

  test('the sign-in page with its key file input is accessible, and a self-held user without the file is told to choose it', async () => {
    const { page, problems } = await signIn(aliceApiKey);
    await page.getByRole('alert').filter({ hasText: 'KEY_FILE_REQUIRED' }).waitFor();
    await expectAccessible(page);
    // GET /me answered her 403 KEY_SELF_HELD: the gateway cannot sign for her.
    expect(problems).toEqual([`403 GET ${gw.url}/me`]);
  });

  test('another key file is refused by the gateway with SIGNATURE_INVALID, shown plainly', async () => {
    const { page, problems } = await signIn(aliceApiKey, strangerKeyFile);
    await page.getByRole('alert').filter({ hasText: 'SIGNATURE_INVALID' }).waitFor();
    expect(await page.getByRole('alert').innerText()).toContain('私钥文件不是此用户的密钥');
    expect(problems).toEqual([expect.stringMatching(/^400 POST .*\/offline-calls\/off_[0-9a-f]{32}\/proposal-signature$/)]);
  });

  test('with her key file she reads her pages and accepts a receivable through the offline flow, and the ledger has it', async () => {
    // She declines the first time she is asked, then signs for it.
    const { page, problems, dialogs } = await signIn(aliceApiKey, aliceKeyFile, [false]);
    await page.getByTestId('who').waitFor();
    await page.getByTestId('self-held').waitFor();
    const row = page.getByTestId(`to-accept-${receivableId}`);
    await row.getByRole('button', { name: '签收' }).click();
    await row.getByRole('alert').filter({ hasText: 'SIGNING_DECLINED' }).waitFor();
    expect((await gw.call('GET', `/receivables/${receivableId}`, { as: 'did:scf:auditor' })).body.status).toBe('ISSUED');
    // The same action again resumes its steps with their keys and signatures (a new signature would be 422).
    await row.getByRole('button', { name: '签收' }).click();
    await row.locator('p[role=status].ok').waitFor();
    // She saw the transaction and its arguments before signing it, both times.
    const shown = expect.stringContaining(`Receivable:Accept\n参数：${JSON.stringify([receivableId])}`);
    expect(dialogs).toEqual([shown, shown]);
    const receivable = await gw.call('GET', `/receivables/${receivableId}`, { as: 'did:scf:auditor' });
    expect(receivable.body).toMatchObject({ status: 'ACCEPTED' });
    const kept = await page.evaluate('({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie, url: location.href })');
    expect(kept).toEqual({ local: 0, session: 0, cookie: '', url: expect.not.stringContaining(aliceApiKey) });
    expect(problems).toEqual([]);
  });
});
