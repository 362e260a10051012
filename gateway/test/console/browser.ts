import { existsSync } from 'fs';
import path from 'path';
import AxeBuilder from '@axe-core/playwright';
import { type Browser, chromium, type Page } from 'playwright-core';
import { CONSOLE_DIR } from '../../src/http/console-pages';

/** Debian's chromium (.ci/run installs it when missing); the suites skip, saying so, where it is absent. */
export const CHROMIUM = process.env.SCF_CHROMIUM ?? '/usr/bin/chromium';
export const chromiumFound = existsSync(CHROMIUM);

/** A quiet, headless browser that fetches nothing of its own while a test runs. */
const ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(path.join(CONSOLE_DIR, 'index.html'))) {
    throw new Error(`the console is not built in ${CONSOLE_DIR}: run \`npm run build\` first`);
  }
  // launch() gives every browser a fresh temporary profile (--user-data-dir), removed on close.
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
}

/** Everything the page reported as wrong: script errors, failed loads and Content-Security-Policy violations. */
export function pageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('console', (message) => {
    // A failed load is reported with its address below; the console's line for it names none.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
      problems.push(`console: ${message.text()}`);
    }
  });
  page.on('response', (response) => {
    if (response.status() >= 400)
      problems.push(`${response.status()} ${response.request().method()} ${response.url()}`);
  });
  return problems;
}

/** `describe`, or a skip that says why when chromium is missing. */
export const describeInBrowser = (name: string, body: () => void): void => {
  if (chromiumFound) return describe(name, body);
  describe(name, () => {
    test.skip(`skipped: no chromium at ${CHROMIUM} (apt-get install chromium, or set SCF_CHROMIUM)`, () => undefined);
  });
};

/** No serious or critical accessibility violation (axe-core) on the page as it stands. */
export async function expectAccessible(page: Page): Promise<void> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  const serious = violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  expect(serious.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`)).toEqual([]);
}
