/**
 * Design-system checks shared by the page e2e tests (issue #18): no native unstyled control left
 * on a page (every select, file input and radio group is one of src-renderer/ui's, marked
 * data-ui), and no card that scrolls sideways at a given window size.
 */
import type { Page } from 'playwright-core';

/** Controls on the page that are not the shared, styled ones: a description of each. */
export async function unstyledControls(page: Page, root = '[data-testid^="page-"]'): Promise<string[]> {
  return page.locator(root).evaluateAll((roots) => {
    const out: string[] = [];
    for (const r of roots) {
      for (const el of r.querySelectorAll('select:not([data-ui="select"]), input[type="file"]:not([data-ui="file"]), input[type="radio"]')) {
        out.push(`${el.tagName.toLowerCase()}${el.id ? '#' + el.id : ''}[${el.getAttribute('type') ?? ''}] ${el.getAttribute('data-testid') ?? ''}`);
      }
    }
    return out;
  });
}

/** Cards (and tables' wrappers) whose content is wider than they are, at the current viewport. */
export async function sidewaysScrollers(page: Page): Promise<string[]> {
  return page.locator('.card, .ui-table-wrap, .table-wrap').evaluateAll((els) =>
    els
      .filter((el) => {
        const cs = getComputedStyle(el);
        const scrolls = cs.overflowX === 'auto' || cs.overflowX === 'scroll';
        const clipped = cs.overflowX !== 'visible';
        return (scrolls || clipped || el.classList.contains('card')) && el.scrollWidth > el.clientWidth + 1;
      })
      .map((el) => `${el.className} ${el.getAttribute('data-testid') ?? el.id ?? ''}: ${el.scrollWidth} > ${el.clientWidth}`),
  );
}

/** At each of the window sizes, the cards that scroll sideways (empty when none). */
export async function sidewaysAtSizes(page: Page, sizes: ReadonlyArray<[number, number]> = [[1024, 700], [1440, 900]]): Promise<string[]> {
  const out: string[] = [];
  const before = page.viewportSize();
  for (const [width, height] of sizes) {
    await page.setViewportSize({ width, height });
    await page.waitForTimeout(150);
    out.push(...(await sidewaysScrollers(page)).map((s) => `${width}×${height} ${s}`));
  }
  if (before) await page.setViewportSize(before);
  return out;
}

/**
 * Opens a chart's values table (ChartFrame `values`) from the keyboard — focus its summary, press
 * Enter — and returns its body rows' cell texts, all of them ("Show all" pressed past 20 rows).
 */
export async function chartValues(page: Page, testId: string): Promise<string[][]> {
  const summary = page.getByTestId(`${testId}-values`).locator('summary');
  await summary.focus();
  await page.keyboard.press('Enter');
  const table = page.getByTestId(`${testId}-values-table`);
  await table.waitFor();
  const more = page.getByTestId(`${testId}-values-table-more`);
  if ((await more.count()) > 0 && /^Show all/.test((await more.textContent()) ?? '')) await more.click();
  return table.locator('tbody tr').evaluateAll((rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent ?? '')));
}
