import type { Browser, BrowserContext, Page } from 'playwright-core';
import { pageProblems } from './browser';

/**
 * One person at the console: a browser context of their own (nothing shared with another
 * user's), signed in with their API key through the sign-in page.
 */
export class ConsoleUser {
  private constructor(
    readonly context: BrowserContext,
    readonly page: Page,
    readonly problems: string[],
    private readonly base: string,
  ) {}

  /** `watch` sees the page before it loads (to follow its requests from the first). */
  static async signIn(browser: Browser, base: string, apiKey: string, watch?: (page: Page) => void): Promise<ConsoleUser> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 860 }, locale: 'zh-CN' });
    const page = await context.newPage();
    watch?.(page);
    const user = new ConsoleUser(context, page, pageProblems(page), base);
    await page.goto(`${base}/console/`);
    await page.locator('#api-key').fill(apiKey);
    await page.locator('form button[type=submit]').click();
    await page.getByTestId('who').waitFor();
    return user;
  }

  /** Follows the console's own links, as a person would (no reload: the key lives in the page's memory only). */
  async open(linkName: string | RegExp): Promise<void> {
    await this.page.getByRole('link', { name: linkName }).first().click();
  }

  async text(testId: string): Promise<string> {
    return this.page.getByTestId(testId).innerText();
  }

  /** The console never writes the key where it would outlive the page, nor into its address. */
  async expectKeyKeptInMemoryOnly(apiKey: string): Promise<void> {
    // Evaluated in the page (a string: the gateway's tests compile without the DOM's types).
    const kept = await this.page.evaluate(
      '({ local: localStorage.length, session: sessionStorage.length, cookie: document.cookie, url: location.href })',
    );
    expect(kept).toEqual({ local: 0, session: 0, cookie: '', url: expect.not.stringContaining(apiKey) });
  }

  async close(): Promise<void> {
    await this.context.close();
  }
}
