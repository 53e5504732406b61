// Screenshots of every screen on the mocked backend (tests/mock.html), for a person to look at.
// Usage: node tests/screenshots.mjs  (needs Debian's chromium at /usr/bin/chromium)
// Writes PNGs to /tmp/ui-shots/ and fails on console errors or a broken flow.
import { createServer } from "vite";
import { chromium } from "playwright-core";
import { mkdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const OUT = process.env.SHOTS_DIR ?? "/tmp/ui-shots";
mkdirSync(OUT, { recursive: true });
const root = fileURLToPath(new URL("..", import.meta.url));
const server = await createServer({ root, configFile: `${root}/vite.config.ts`, server: { port: 5199, strictPort: true, host: "127.0.0.1", hmr: false }, logLevel: "warn" });
await server.listen();
const base = "http://127.0.0.1:5199/tests/mock.html";

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
  args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
const problems = [];
const shot = async (page, name) => {
  await page.waitForTimeout(150);
  await page.screenshot({ path: `${OUT}/${name}.png` });
  console.log(`  ${OUT}/${name}.png`);
};

async function open(query) {
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 800 }, locale: "ja-JP" });
  const page = await ctx.newPage();
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`${query}: console.${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`${query}: ${e.message}`));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`${query}: HTTP ${r.status()} ${r.url()}`); });
  await page.goto(`${base}?${query}`);
  return page;
}

/** Scrolls the element's scrolling container (never the window) so the element is at its top. */
const scrollTo = (page, selector) =>
  page.evaluate((sel) => {
    const el = document.querySelector(sel);
    const box = el.closest(".scroll");
    box.scrollTop += el.getBoundingClientRect().top - box.getBoundingClientRect().top - 10;
  }, selector);

const step = async (label, fn) => {
  try {
    await fn();
  } catch (e) {
    problems.push(`${label}: ${e.message.split("\n")[0]} ${e.stack.split("\n").find((l) => l.includes("_tmp_papers"))}`);
    try { await page.screenshot({ path: `${OUT}/fail-${label}.png` }); } catch {}
  }
};

try {
  // 6. 出荷, 請求, 会報誌発送 and the PDF preview.
  let page = await open("staff=%E4%BD%90%E8%97%A4&members=3000");
  /** Waits for the preview's first page to be drawn, shoots it, checks 印刷 and closes with Esc. */
  const previewShot = async (name, minPages = 1) => {
    await page.waitForSelector('[data-testid="pdf-preview"][data-ready="true"] [data-testid="pdf-page"][data-rendered="true"]', { timeout: 15000 });
    const pages = Number(await page.getAttribute('[data-testid="pdf-preview"]', "data-pages"));
    if (pages < minPages) throw new Error(`${name}: ${pages} pages, want ${minPages}+`);
    await shot(page, name);
    await page.keyboard.press("Escape");
    await page.waitForSelector('[data-testid="pdf-preview"]', { state: "detached" });
  };
  await step("shipping", async () => {
    await page.waitForSelector('[data-testid="member-row"]');
    await page.keyboard.press("Control+Shift+S");
    await page.waitForSelector('[data-testid="nav-shipping"][aria-current="page"]');
    await page.waitForSelector('[data-testid="ship-tab-planned"] .count:not(:empty)');
    await shot(page, "60-shipping-empty");
    await page.keyboard.press("Control+n");
    await page.waitForSelector('[data-testid="plan-dialog"]');
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="plan-summary"] ~ .list [data-testid="shipment-row"]');
    await shot(page, "61-shipping-plan");
    await page.fill('[data-testid="plan-orders"]', "J0100101 J0999999");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="plan-refused"]');
    await shot(page, "62-shipping-plan-refused");
    await page.fill('[data-testid="plan-orders"]', "");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="plan-refused"]', { state: "detached" });
    await page.keyboard.press("Control+Enter");
    await page.waitForSelector('[data-testid="plan-dialog"]', { state: "detached" });
    await page.waitForSelector('[data-testid="shipment-row"][data-status="planned"]');
    await shot(page, "63-shipping-planned");
    // The day's parcels: the one without a phone number blocks the B2 file.
    await page.keyboard.press("Control+e");
    await page.waitForSelector('[data-testid="odd-dialog"] [data-testid="odd-problems"]');
    if (!(await page.isDisabled('[data-testid="odd-confirm"]'))) throw new Error("export allowed with a refused row");
    await shot(page, "64-shipping-b2-blocked");
    await page.keyboard.press("Escape");
    await page.waitForSelector('[data-testid="odd-dialog"]', { state: "detached" });
    // Tick the first ten parcels (click, then Space on the next ones), then B2 again: only characters to confirm.
    await page.click('[data-testid="shipment-row"][data-index="0"]');
    for (let i = 1; i < 10; i++) {
      await page.keyboard.press("ArrowDown");
      await page.keyboard.press("Space");
    }
    await page.waitForFunction(() => document.querySelectorAll('[data-testid="shipment-row"][data-checked="true"]').length === 10);
    await page.keyboard.press("Control+e");
    await page.waitForSelector('[data-testid="odd-dialog"] [data-testid="odd-char"]');
    if (await page.$('[data-testid="odd-problems"]')) throw new Error("problems for the ticked parcels");
    await page.focus('[data-testid="odd-replacement"]');
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await shot(page, "65-shipping-odd-chars");
    await page.keyboard.type("薙");
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="toast"]')].some((t) => t.textContent?.includes("B2_")));
    await page.click('[data-testid="ship-tab-exported"]');
    await page.waitForSelector('[data-testid="shipment-row"][data-status="exported"]');
    await shot(page, "66-shipping-exported");
    // 伝票番号取込: the first file has bad lines (nothing written), the next one attaches.
    await page.keyboard.press("Control+i");
    await page.waitForTimeout(1500);
    console.log(await page.evaluate(() => document.querySelector("dialog[open]")?.outerHTML.slice(0, 300) ?? "no dialog; active: " + document.activeElement?.outerHTML.slice(0,200)));
    await page.waitForSelector('[data-testid="tracking-rejected"]');
    await shot(page, "67-tracking-rejected");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+i");
    await page.waitForFunction(() => document.querySelector('[data-testid="tracking-attached"]')?.textContent === "10件");
    await shot(page, "68-tracking-attached");
    await page.keyboard.press("Escape");
    // Labels for the rest of the day's parcels, from position 3 of a used sheet.
    await page.click('[data-testid="ship-tab-planned"]');
    await page.keyboard.press("Control+l");
    await page.waitForSelector('[data-testid="label-dialog"] [data-testid="label-position"]');
    await page.selectOption('[data-testid="label-sheet"]', { label: "A4 12面（86.4×42.3mm）" });
    await page.click('[data-testid="label-position"][data-position="3"]');
    await page.keyboard.press("ArrowDown");
    await page.waitForFunction(() => document.querySelector('[data-testid="label-start"]')?.textContent === "5");
    await page.fill('[data-testid="label-offset-x"]', "abc");
    await page.click('[data-testid="label-go"]');
    await page.waitForSelector('[data-testid="label-dialog"] .field-error');
    await shot(page, "69-labels-dialog");
    await page.fill('[data-testid="label-offset-x"]', "1.5");
    await page.click('[data-testid="label-go"]');
    await page.waitForSelector('[data-testid="pdf-preview"][data-ready="true"] [data-testid="pdf-page"][data-rendered="true"]', { timeout: 15000 });
    // 印刷: every page drawn for paper (window.print is stubbed: headless has no print dialog).
    await page.evaluate(() => { window.print = () => { window.__printed = document.querySelectorAll(".pdf-print img").length; }; });
    await page.keyboard.press("Control+p");
    await page.waitForFunction(() => window.__printed !== undefined, null, { timeout: 15000 });
    const printed = await page.evaluate(() => window.__printed);
    const pages = Number(await page.getAttribute('[data-testid="pdf-preview"]', "data-pages"));
    if (printed !== pages) throw new Error(`printed ${printed} of ${pages} pages`);
    await previewShot("70-labels-preview", 3);
    await page.keyboard.press("Control+d");
    await previewShot("71-delivery-slips", 20);
    // Cancel: without a reason it is refused; with one the parcel stays, cancelled.
    await page.click('[data-testid="shipment-row"][data-index="0"]');
    await page.keyboard.press("Delete");
    await page.waitForSelector('[data-testid="cancel-shipment-dialog"]');
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="cancel-shipment-dialog"] .field-error');
    await page.keyboard.type("お客様のご都合");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="cancel-shipment-dialog"]', { state: "detached" });
    await page.click('[data-testid="ship-tab-cancelled"]');
    await page.waitForSelector('[data-testid="shipment-row"][data-status="cancelled"]');
    // The carrier template editor: add a column, move it up, save.
    await page.click('[data-testid="edit-templates"]');
    await page.waitForSelector('[data-testid="template-editor"] [data-testid="template-column"]');
    await page.click('[data-testid="template-add-column"]');
    await page.keyboard.press("Alt+ArrowUp");
    await shot(page, "72-carrier-template");
    await page.fill('[data-testid="template-name"]', "");
    await page.click('[data-testid="template-save"]');
    await page.waitForSelector('[data-testid="template-editor"] .field-error');
    await page.fill('[data-testid="template-name"]', "佐川 e飛伝");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="template-editor"]', { state: "detached" });
  });

  await step("invoices", async () => {
    await page.keyboard.press("Control+Shift+I");
    await page.waitForSelector('[data-testid="invoice-row"]');
    await page.waitForSelector('[data-testid="invoice-detail"]:not([data-number=""])');
    await shot(page, "73-invoices");
    await page.fill('[data-testid="inv-min"]', "1.5");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="invoice-search"] .field-error');
    await page.fill('[data-testid="inv-min"]', "1,000");
    await page.selectOption('[data-testid="inv-status"]', "void");
    await page.click('[data-testid="inv-search"]');
    await page.waitForSelector('[data-testid="invoice-row"][data-status="void"]');
    await page.waitForSelector('[data-testid="link-replaced-by"]');
    await shot(page, "74-invoices-void");
    await page.click('[data-testid="link-replaced-by"]');
    await page.waitForSelector('[data-testid="link-replaces"]');
    await page.click('[data-testid="preview-invoice"]');
    await previewShot("75-invoice-preview");
    // 今月分を一括発行 with its progress bar.
    await page.click('[data-testid="open-bulk"]');
    await page.waitForSelector('[data-testid="bulk-dialog"]');
    await shot(page, "76-invoices-bulk");
    await page.click('[data-testid="confirm-ok"]');
    await page.waitForSelector('[data-testid="paper-progress"] .fill');
    await shot(page, "77-invoices-bulk-progress");
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="toast"]')].some((t) => t.textContent?.includes("発行しました")), null, { timeout: 10000 });
    // まとめて印刷 of everything issued: hundreds of pages, only the visible ones drawn.
    await page.click('[data-testid="inv-clear"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="invoice-count"]')?.textContent?.startsWith("7"));
    await page.keyboard.press("Control+p");
    await page.waitForSelector('[data-testid="pdf-preview"][data-ready="true"] [data-testid="pdf-page"][data-rendered="true"]', { timeout: 20000 });
    await page.evaluate(() => { const s = document.querySelector('[data-testid="pdf-preview"] .pages'); s.scrollTop = s.scrollHeight / 2; });
    await page.waitForTimeout(400);
    const drawn = await page.evaluate(() => document.querySelectorAll('[data-testid="pdf-page"]').length);
    if (drawn > 6) throw new Error(`${drawn} canvases for a long batch`);
    await previewShot("78-invoices-batch-preview", 300);
    // 取消 with a reason.
    await page.click('[data-testid="invoice-void"]');
    await page.waitForSelector('[data-testid="void-dialog"]');
    await page.keyboard.type("請求先の誤り");
    await shot(page, "79-invoice-void-dialog");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="void-dialog"]', { state: "detached" });
    await page.click('[data-testid="open-issue"]');
    await page.waitForSelector('[data-testid="issue-dialog"]');
    await page.fill('[data-testid="issue-order"]', "X1");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="issue-dialog"] .field-error');
    await shot(page, "80-invoice-issue-error");
    await page.keyboard.press("Escape");
  });

  await step("mailing", async () => {
    await page.keyboard.press("Control+Shift+B");
    await page.waitForSelector('[data-testid="mailing-row"]');
    await shot(page, "81-mailing");
    const before = await page.$$eval('[data-testid="clear-returned"]', (b) => b.length);
    await page.click('[data-testid="clear-returned"]');
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid="clear-returned"]').length === n - 1, before);
    await page.keyboard.press("Control+e");
    await page.waitForSelector('[data-testid="odd-dialog"] [data-testid="odd-char"]');
    await shot(page, "82-mailing-odd-chars");
    // Enter ticks each suggestion; the character without one needs typing first.
    for (const input of await page.$$('[data-testid="odd-replacement"]')) {
      if (!(await input.inputValue())) await input.fill("喜");
      await input.press("Enter");
    }
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid="toast"]')].some((t) => t.textContent?.includes("宛名データを保存しました")));
    await page.click('[data-testid="mailing-template"]');
    await page.waitForSelector('[data-testid="template-editor"] [data-testid="template-column"]');
    await shot(page, "83-mailing-template");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Control+l");
    await page.waitForSelector('[data-testid="label-dialog"] [data-testid="label-position"]');
    await page.keyboard.press("Enter");
    await previewShot("84-mailing-labels", 2);
    await page.fill('[data-testid="mailing-month"]', "2099-01");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="mailing"] .field-error');
    await shot(page, "85-mailing-no-run");
    // 宛先不明 on the member page: the badge and the toggle.
    await page.fill('[data-testid="mailing-month"]', "");
    await page.keyboard.press("Escape");
    await page.keyboard.press("Alt+1");
    await page.fill('[data-testid="member-search"]', "M000001");
    await page.waitForSelector('[data-testid="member-row"][data-code="M000001"]');
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="toggle-mail-returned"]');
    await page.click('[data-testid="toggle-mail-returned"]');
    await page.waitForSelector('[data-testid="mail-returned-badge"]');
    await shot(page, "86-member-mail-returned");
    await page.keyboard.press("Alt+0");
    await page.waitForSelector('[data-testid="settings-papers"]');
    await scrollTo(page, '[data-testid="settings-papers"]');
    await shot(page, "87-settings-b2");
  });
  await page.context().close();
} finally {
  await browser.close();
  await server.close();
}

if (problems.length) {
  console.error("Problems:\n" + problems.map((p) => `  - ${p}`).join("\n"));
  process.exit(1);
}
console.log("screenshots: all flows passed, no console errors");
