/**
 * The web console's figures for `npm run bench`: how long the certificate tree takes to draw
 * in Chromium for a receivable split into `pieces` live pieces (measured in the page by the
 * console itself: `scf-tree-render`, from before the layout to the first frame after it), and
 * how many compressed bytes of script a first visit transfers. Skipped, saying so, without
 * chromium.
 */
import { randomUUID } from 'crypto';
import path from 'path';
import { sha } from '../../gateway/test/support/fixtures';
import { GatewayUnderTest } from '../../gateway/test/support/gateway-under-test';
import { CHROMIUM, chromiumFound, launchChromium } from '../../gateway/test/console/browser';
import { ConsoleUser } from '../../gateway/test/console/console-user';
import { percentile } from './load';

/** The consortium's default split limit is 20 children: the tree is built ten by ten. */
const FAN_OUT = 10;
const LEAF_AMOUNT = 1000n;
export const TARGETS = { renderMs: 1000, scriptKiB: 300 };

export interface ConsoleFigures {
  readonly pieces: number;
  /** Every certificate drawn: the live pieces and the split ones above them. */
  readonly drawn: number;
  readonly render: { readonly runs: number; readonly p50Ms: number; readonly maxMs: number };
  /** Script a first visit loads (the page's own and its preloads), as served to a browser accepting br or gzip. */
  readonly scriptBytes: { readonly identity: number; readonly gzip: number; readonly br: number };
  readonly targets: typeof TARGETS;
}

type Ok = (as: string, route: string, body: object) => Promise<any>;

/** A receivable split level by level until it has `pieces` live pieces (a power of ten). */
async function buildTree(gw: GatewayUnderTest, pieces: number): Promise<{ receivableId: string; drawn: number }> {
  const levels = Math.log10(pieces);
  if (!Number.isInteger(levels) || levels < 1) throw new Error(`the console bench draws 10, 100, 1000 … pieces, not ${pieces}`);
  const ok: Ok = async (as, route, body) => {
    const answer = await gw.call('POST', route, { as, key: randomUUID(), body });
    if (answer.status >= 300) throw new Error(`${route}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body.result;
  };
  const face = LEAF_AMOUNT * BigInt(pieces);
  const receivable = await ok('did:scf:core-a', '/receivables', {
    creditorId: 'did:scf:supplier-t1', faceAmount: String(face), currency: 'CNY',
    dueDate: new Date(Date.now() + 90 * 86_400_000).toISOString().slice(0, 10), invoiceHash: sha(`console-bench-${pieces}`),
    contractHash: sha('contract'), creditLineId: gw.keys.creditLineId,
    invoice: { invoiceCode: '3100231130', invoiceNumber: String(pieces).padStart(8, '0'),
      sellerRegistrationNumber: '91320000MA1FL0003C', buyerRegistrationNumber: '91310000MA1FL0001A' } });
  let level: { id: string; amount: bigint }[] = [{ id: (await ok('did:scf:supplier-t1', `/receivables/${receivable.id}/accept`, {})).certificate.id, amount: face }];
  let drawn = 1;
  for (let depth = 0; depth < levels; depth++) {
    const next: typeof level = [];
    for (const piece of level) {
      const part = piece.amount / BigInt(FAN_OUT);
      const split = await ok('did:scf:supplier-t1', `/certificates/${piece.id}/split`, { amounts: Array.from({ length: FAN_OUT }, () => String(part)) });
      next.push(...split.children.map((child: { id: string }) => ({ id: child.id, amount: part })));
    }
    level = next;
    drawn += level.length;
  }
  return { receivableId: receivable.id, drawn };
}

/** The script of a first visit, as the gateway serves it: each asset's compressed length, per encoding. */
async function scriptBytes(base: string): Promise<ConsoleFigures['scriptBytes']> {
  const html = await (await fetch(`${base}/console/`)).text();
  const scripts = [...html.matchAll(/(?:src|href)="(\/console\/assets\/[^"]+\.js)"/g)].map((m) => m[1]!);
  const sizes = { identity: 0, gzip: 0, br: 0 };
  for (const script of new Set(scripts)) {
    for (const encoding of ['identity', 'gzip', 'br'] as const) {
      const answer = await fetch(`${base}${script}`, { headers: { 'accept-encoding': encoding } });
      await answer.arrayBuffer();
      sizes[encoding] += Number(answer.headers.get('content-length'));
    }
  }
  return sizes;
}

/** With SCF_CONSOLE_SCREENSHOTS set, the big tree with one leaf's path chosen is written there (tree-large.png). */
async function screenshotLeafPath(page: import('playwright-core').Page): Promise<void> {
  const dir = process.env.SCF_CONSOLE_SCREENSHOTS;
  if (!dir) return;
  const leaf = await page.locator('#piece-choice option').last().getAttribute('value');
  await page.locator('#piece-choice').selectOption(leaf!);
  await page.getByTestId('chosen-piece').waitFor();
  await page.locator('[data-testid=tree-graph]').screenshot({ path: path.resolve(__dirname, '../..', dir, 'tree-large.png') });
}

export async function consoleBench(pieces: number, progress: (message: string) => void, options = { runs: 5 }): Promise<ConsoleFigures | undefined> {
  if (!chromiumFound) {
    progress(`console: SKIPPED — no chromium at ${CHROMIUM} (apt-get install chromium, or set SCF_CHROMIUM)`);
    return undefined;
  }
  const gw = await GatewayUnderTest.start();
  const browser = await launchChromium();
  try {
    progress(`console: building a receivable of ${pieces} pieces`);
    const { receivableId, drawn } = await buildTree(gw, pieces);
    const auditor = await ConsoleUser.signIn(browser, gw.url, gw.keys['did:scf:auditor']!);
    const { page } = auditor;
    const durations: number[] = [];
    for (let run = 0; run < options.runs; run++) {
      // Each run mounts the view afresh from the search page: the tree is laid out and drawn again.
      await page.getByRole('link', { name: '追溯与审计' }).click();
      await page.locator('#search-id').fill(receivableId);
      await page.locator('form[role=search] button[type=submit]').click();
      await page.locator(`[data-testid=tree-graph][data-rendered="${drawn}"]`).waitFor({ timeout: 120_000 });
      durations.push(await page.evaluate(`performance.getEntriesByName('scf-tree-render').at(-1).duration`) as number);
    }
    await screenshotLeafPath(page);
    await auditor.close();
    const sorted = [...durations].sort((a, b) => a - b);
    const render = { runs: sorted.length, p50Ms: Math.round(percentile(sorted, 50)), maxMs: Math.round(sorted.at(-1)!) };
    progress(`console: tree of ${pieces} pieces (${drawn} drawn) rendered in ${render.p50Ms} ms (p50 of ${render.runs})`);
    return { pieces, drawn, render, scriptBytes: await scriptBytes(gw.url), targets: TARGETS };
  } finally {
    await browser.close();
    await gw.stop();
  }
}
