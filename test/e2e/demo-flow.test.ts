import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import type { CdsCard } from '../../src/cds/cds-hooks-types';
import {
  describeWithChromium,
  launchChromium,
  SCREENSHOT_DIR,
  screenshotPath,
} from './support/chromium';
import { startDemoProcess, type DemoProcess } from '../support/demo-process';

jest.setTimeout(120_000);

interface CdsAnswer {
  services: { id: string; cards: CdsCard[]; error?: string }[];
}

describeWithChromium('demo EHR and SMART worksheet in Chromium', () => {
  let demo: DemoProcess;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let context: BrowserContext;
  let page: Page;
  const timings: { patient: string; chartOpenToCardMs: number }[] = [];
  /** Requests the browser sent to the authorization server (proof of the real OAuth flow). */
  const authRequests: string[] = [];

  beforeAll(async () => {
    demo = await startDemoProcess();
    chromium = await launchChromium();
    context = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } });
    context.on('request', (request) => {
      if (request.url().startsWith(demo.urls.auth)) {
        authRequests.push(`${request.method()} ${new URL(request.url()).pathname}`);
      }
    });
    page = await context.newPage();
  }, 150_000);

  afterAll(async () => {
    mkdirSync(SCREENSHOT_DIR, { recursive: true });
    writeFileSync(
      join(SCREENSHOT_DIR, '..', 'chart-open-to-card.json'),
      `${JSON.stringify(timings, null, 2)}\n`,
    );
    await chromium?.close();
    await demo?.stop();
  });

  /** Opens a chart from the census and waits for its decision support to be rendered. */
  async function openChart(bed: string): Promise<{ answer: CdsAnswer; name: string }> {
    await page.goto(demo.urls.ehr);
    const row = page
      .locator('table.census tbody tr')
      .filter({ has: page.locator('td:first-child', { hasText: new RegExp(`^${bed}$`) }) });
    const link = row.locator('th a');
    const name = (await link.textContent()) ?? '';
    const patientId = (await row.getAttribute('data-patient')) ?? '';
    const [response] = await Promise.all([
      page.waitForResponse((r) => r.url().endsWith(`/api/patients/${patientId}/cds`)),
      link.click(),
    ]);
    const answer = (await response.json()) as CdsAnswer;
    await page.waitForSelector('body[data-cds-ready="true"]');
    const ms = await page.evaluate(
      () => performance.getEntriesByName('chart-open-to-card')[0]?.duration ?? -1,
    );
    timings.push({ patient: bed, chartOpenToCardMs: Math.round(ms) });
    return { answer, name };
  }

  it('lists the synthetic ICU census with a hint of what each patient shows', async () => {
    await page.goto(demo.urls.ehr);
    await page.waitForSelector('table.census tbody tr');
    expect(await page.locator('table.census tbody tr').count()).toBe(13);
    for (const hint of ['likely', 'possible', 'not eligible', 'insufficient data']) {
      expect(await page.locator('.hint', { hasText: hint }).count()).toBeGreaterThan(0);
    }
    await page.screenshot({ path: screenshotPath('01-census-1280x800'), fullPage: true });
  });

  it('shows the STELLAR card with rendered Markdown when a likely candidate’s chart opens', async () => {
    const { answer } = await openChart('ICU 1');
    const card = page.locator('article.cds-card');
    await expect(card.count()).resolves.toBe(1);
    expect(await card.locator('.card-summary').textContent()).toMatch(
      /^STELLAR trial: likely candidate, ventilated \d+ days/,
    );
    expect(answer.services[0]?.cards).toHaveLength(1);
    await card.locator('summary', { hasText: 'Criteria and evidence' }).click();
    // Markdown became structure (bold, lists), not literal asterisks.
    expect(await card.locator('.markdown strong').count()).toBeGreaterThan(5);
    expect(await card.locator('.markdown li').count()).toBeGreaterThan(15);
    expect(await card.locator('.markdown').textContent()).not.toContain('**');
    await page.screenshot({ path: screenshotPath('02-chart-with-card-1280x800'), fullPage: true });
  });

  let worksheet: Page;

  it('launches the worksheet from the card’s SMART link through the EHR’s OAuth flow', async () => {
    const name = await page.locator('#patient-name').textContent();
    authRequests.length = 0;
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page.getByRole('button', { name: /Open the STELLAR screening worksheet/ }).click(),
    ]);
    worksheet = popup;
    await worksheet.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(new URL(worksheet.url()).pathname).toBe('/smart/app');
    expect(authRequests).toEqual(expect.arrayContaining(['GET /authorize', 'POST /token']));
    expect(await worksheet.locator('.patient-name').textContent()).toBe(name);
    expect(await worksheet.locator('.badge').textContent()).toBe('Likely candidate');
    expect(await worksheet.locator('.context-note').textContent()).toMatch(
      /^Opened from the STELLAR card \(likely candidate, screened /,
    );
    expect(await worksheet.locator('#inclusion-criteria tbody tr').count()).toBe(10);
    expect(await worksheet.locator('#exclusion-criteria tbody tr').count()).toBe(7);
    // The episode strip and five measurement panels.
    expect(await worksheet.locator('.timeline canvas').count()).toBe(6);
    expect(await worksheet.locator('.pair-legend li').count()).toBeGreaterThan(0);
    await worksheet.screenshot({ path: screenshotPath('03-worksheet-1280x800') });
    await worksheet.screenshot({ path: screenshotPath('04-worksheet-1280-full'), fullPage: true });
  });

  it('keeps a ticked bedside confirmation and counts it', async () => {
    const items = worksheet.locator('.checklist-item input[type="checkbox"]');
    const total = await items.count();
    expect(total).toBeGreaterThan(0);
    await items.first().check();
    await expect(worksheet.locator('.checklist-progress').textContent()).resolves.toBe(
      `1 of ${total} confirmed`,
    );
    await worksheet.reload();
    await worksheet.waitForSelector('body[data-ready="true"]');
    expect(
      await worksheet.locator('.checklist-item input[type="checkbox"]').first().isChecked(),
    ).toBe(true);
  });

  it('sends the study team the same referral the card suggests', async () => {
    const cardResponse = await page.request.post(`${demo.urls.ehr}/api/patients/demo-icu-01/cds`, {
      data: {},
    });
    const suggested = ((await cardResponse.json()) as CdsAnswer).services[0]?.cards[0]
      ?.suggestions?.[0]?.actions?.[0]?.resource as unknown as Record<string, unknown>;
    expect(suggested?.resourceType).toBe('ServiceRequest');

    await worksheet.getByRole('button', { name: 'Notify the STELLAR study team' }).click();
    const dialog = worksheet.locator('dialog.notify-dialog');
    await expect(dialog.isVisible()).resolves.toBe(true);
    await worksheet.screenshot({ path: screenshotPath('05-worksheet-notify-dialog') });
    const [request] = await Promise.all([
      worksheet.waitForRequest((r) => r.method() === 'POST' && r.url().endsWith('/ServiceRequest')),
      dialog.getByRole('button', { name: 'Send request' }).click(),
    ]);
    await worksheet.waitForSelector('.notify-status.success');
    expect(await worksheet.locator('.notify-status').textContent()).toMatch(
      /^Request sent at \d{4}-\d{2}-\d{2} \d{2}:\d{2} UTC\. ServiceRequest\/[A-Za-z0-9-]+$/,
    );
    const sent = request.postDataJSON() as Record<string, unknown>;
    // Built by the same function from the same result: equal but for the time it was written.
    const { authoredOn: _a, ...sentRest } = sent;
    const { authoredOn: _b, ...suggestedRest } = suggested;
    expect(sentRest).toEqual(suggestedRest);
    expect(await worksheet.getByRole('button', { name: /notified/ }).isDisabled()).toBe(true);
  });

  it('is reachable from the keyboard, with a visible focus', async () => {
    await worksheet.setViewportSize({ width: 1280, height: 800 });
    await worksheet.reload();
    await worksheet.waitForSelector('body[data-ready="true"]');
    expect(await worksheet.locator('#app-status').textContent()).toBe(
      'Worksheet ready: Likely candidate.',
    );
    const reached: string[] = [];
    for (let i = 0; i < 12; i++) {
      await worksheet.keyboard.press('Tab');
      const label = await worksheet.evaluate(() => {
        const el = document.activeElement as HTMLElement | null;
        return el
          ? `${el.tagName.toLowerCase()}:${(el.textContent ?? '').trim().slice(0, 40)}`
          : '';
      });
      reached.push(label);
    }
    expect(reached[0]).toBe('a:Skip to the worksheet');
    expect(reached).toEqual(
      expect.arrayContaining(['button:Print screening summary', 'button:Current episode']),
    );
    const print = worksheet.getByRole('button', { name: 'Print screening summary' });
    await print.focus();
    const outline = await print.evaluate((el) => getComputedStyle(el).outlineStyle);
    expect(outline).toBe('solid');
    const box = worksheet.locator('.checklist-item input[type="checkbox"]').nth(1);
    await box.focus();
    await worksheet.keyboard.press('Space');
    expect(await box.isChecked()).toBe(true);
    await worksheet.keyboard.press('Space');
    expect(await box.isChecked()).toBe(false);
  });

  it('prints a screening summary and reads well on a tablet', async () => {
    await worksheet.emulateMedia({ media: 'print' });
    await worksheet.screenshot({ path: screenshotPath('06-worksheet-print'), fullPage: true });
    expect(await worksheet.locator('.signature').isVisible()).toBe(true);
    expect(
      await worksheet.locator('.print-only', { hasText: 'Study team notified at' }).isVisible(),
    ).toBe(true);
    expect(
      await worksheet.getByRole('button', { name: 'Print screening summary' }).isVisible(),
    ).toBe(false);
    await worksheet.emulateMedia({ media: 'screen' });
    await worksheet.setViewportSize({ width: 768, height: 1024 });
    await worksheet.waitForTimeout(300);
    await worksheet.screenshot({ path: screenshotPath('07-worksheet-768x1024') });
    await worksheet.screenshot({ path: screenshotPath('08-worksheet-768-full'), fullPage: true });
    // Nothing wider than the tablet's screen.
    const overflow = await worksheet.evaluate(
      () => document.documentElement.scrollWidth - document.documentElement.clientWidth,
    );
    expect(overflow).toBeLessThanOrEqual(0);
    await worksheet.close();
  });

  it('dismisses a card with a reason, sends feedback, and keeps the card suppressed', async () => {
    await openChart('ICU 2');
    const card = page.locator('article.cds-card');
    expect(await card.count()).toBe(1);
    await card.getByRole('button', { name: 'Dismiss…' }).click();
    await card.getByLabel('Already screened for STELLAR').check();
    await page.screenshot({ path: screenshotPath('09-card-dismiss-form') });
    await card.getByRole('button', { name: 'Dismiss card' }).click();
    await page.waitForSelector('.card-done');
    expect(await page.locator('.card-done').textContent()).toContain(
      'Card dismissed (Already screened for STELLAR)',
    );

    const { answer } = await openChart('ICU 2');
    expect(answer.services[0]?.cards).toEqual([]);
    expect(await page.locator('.no-cards').textContent()).toBe(
      'No decision support alerts for this patient.',
    );
    await page.screenshot({ path: screenshotPath('10-card-suppressed-after-dismiss') });
  });

  it('carries out the card’s suggestion in the EHR and then hides the card', async () => {
    await openChart('ICU 5');
    const card = page.locator('article.cds-card');
    await card.getByRole('button', { name: /Notify the STELLAR study team/ }).click();
    await page.waitForSelector('.card-done');
    expect(await page.locator('.card-done').textContent()).toMatch(
      /done \(ServiceRequest\/[A-Za-z0-9-]+\)\. Feedback sent/,
    );
    const { answer } = await openChart('ICU 5');
    expect(answer.services[0]?.cards).toEqual([]);
  });

  it('shows no card for a patient who is not eligible', async () => {
    const { answer } = await openChart('ICU 4');
    expect(answer.services[0]?.error).toBeUndefined();
    expect(answer.services[0]?.cards).toEqual([]);
    expect(await page.locator('article.cds-card').count()).toBe(0);
    await page.screenshot({ path: screenshotPath('11-not-eligible-no-card') });
  });

  it('launches from the app menu and says when the record has no ventilation data', async () => {
    await openChart('ICU 13');
    expect(await page.locator('article.cds-card').count()).toBe(0);
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      page
        .locator('.app-menu')
        .getByRole('button', { name: /STELLAR screening worksheet/ })
        .click(),
    ]);
    await popup.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(await popup.locator('.badge').textContent()).toBe('Insufficient data');
    expect(await popup.locator('.context-note').count()).toBe(0);
    expect(await popup.locator('.notice', { hasText: 'No ventilation data.' }).count()).toBe(1);
    expect(await popup.locator('#notify-button').isDisabled()).toBe(true);
    await popup.screenshot({ path: screenshotPath('16-app-menu-no-ventilation-data') });

    // The FHIR server goes away: the worksheet says so and offers to try again.
    await popup.route(`${demo.urls.fhir}/**`, (route) => route.abort('connectionrefused'));
    await popup.reload();
    await popup.waitForSelector('.problem');
    expect(await popup.locator('#problem-title').textContent()).toBe(
      'The FHIR server could not be reached',
    );
    expect(await popup.getByRole('button', { name: 'Try again' }).isVisible()).toBe(true);
    await popup.screenshot({ path: screenshotPath('17-fhir-unreachable') });
    await popup.unroute(`${demo.urls.fhir}/**`);
    await popup.getByRole('button', { name: 'Try again' }).click();
    await popup.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    await popup.close();
  });

  it('opens the worksheet standalone, choosing the patient in the EHR’s picker', async () => {
    const standalone = await context.newPage();
    await standalone.goto(`${demo.urls.smartLaunch}?iss=${encodeURIComponent(demo.urls.fhir)}`);
    await standalone.waitForSelector('form.picker-panel');
    await standalone.screenshot({ path: screenshotPath('12-standalone-patient-picker') });
    await standalone.locator('.picker-list li', { hasText: 'ICU 3 ·' }).locator('input').check();
    await standalone.getByRole('button', { name: /Open the record/ }).click();
    await standalone.waitForSelector('body[data-ready="true"]', { timeout: 60_000 });
    expect(await standalone.locator('.badge').textContent()).toBe('Possible candidate');
    expect(await standalone.locator('.context-note').count()).toBe(0);
    await standalone.screenshot({ path: screenshotPath('13-standalone-possible-candidate') });

    // A token the FHIR server no longer accepts: the app says so instead of showing stale data.
    await standalone.evaluate(() => {
      const key = JSON.parse(sessionStorage.getItem('SMART_KEY') ?? '""') as string;
      const state = JSON.parse(sessionStorage.getItem(key) ?? '{}') as {
        tokenResponse: { access_token: string };
      };
      state.tokenResponse.access_token = 'revoked-or-expired';
      sessionStorage.setItem(key, JSON.stringify(state));
    });
    await standalone.reload();
    await standalone.waitForSelector('.problem');
    expect(await standalone.locator('#problem-title').textContent()).toBe(
      'Your session has expired',
    );
    await standalone.screenshot({ path: screenshotPath('14-session-expired') });
    await standalone.close();
  });

  it('tells someone who opens the app page directly to launch it from the EHR', async () => {
    const fresh = await chromium.browser.newContext({ viewport: { width: 1280, height: 800 } });
    const direct = await fresh.newPage();
    await direct.goto(`${demo.urls.service}/smart/app`);
    await direct.waitForSelector('.problem');
    expect(await direct.locator('#problem-title').textContent()).toBe(
      'Open the worksheet from the EHR',
    );
    await direct.screenshot({ path: screenshotPath('15-not-launched') });
    await fresh.close();
  });

  it('keeps patient data out of the demo’s logs', () => {
    const logs = demo.output.join('\n');
    expect(logs).not.toMatch(/demo-icu-\d+/);
    expect(logs).not.toMatch(/Bearer|access_token|eyJ/);
  });
});
