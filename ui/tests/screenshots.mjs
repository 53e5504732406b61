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

const step = async (label, fn) => {
  try {
    await fn();
  } catch (e) {
    problems.push(`${label}: ${e.message.split("\n")[0]}`);
  }
};

try {
  // 1. Member list with 100,000 members, search, keyboard into the list, member page.
  let page = await open("staff=%E4%BD%90%E8%97%A4");
  await step("list", async () => {
    await page.waitForSelector('[data-testid="member-row"]');
    await page.waitForFunction(() => !document.querySelector(".count")?.textContent?.includes("…"));
    await shot(page, "01-list");
    await page.keyboard.press("F3");
    await page.keyboard.press("ArrowDown");
    await page.keyboard.press("End");
    await page.waitForSelector('[data-testid="member-row"][data-code]');
    await page.waitForTimeout(400);
    await shot(page, "02-list-end");
    // Open the selected member and come back: the list keeps its place.
    const before = await page.evaluate(() => document.querySelector('[role="grid"]').scrollTop);
    const code = await page.getAttribute('[aria-selected="true"][data-code]', "data-code");
    await page.keyboard.press("Enter");
    await page.waitForSelector(`[data-testid="member-page"][data-code="${code}"] [data-testid="history"]`);
    await page.keyboard.press("Alt+ArrowLeft");
    await page.waitForSelector(`[aria-selected="true"][data-code="${code}"]`);
    const after = await page.evaluate(() => document.querySelector('[role="grid"]').scrollTop);
    if (Math.abs(after - before) > 2 || before < 1000) throw new Error(`scroll not kept: ${before} → ${after}`);
    await page.keyboard.press("/");
    await page.fill('[data-testid="member-search"]', "さとう はなこ");
    await page.waitForTimeout(500);
    await shot(page, "03-list-search");
    await page.fill('[data-testid="member-search"]', "M000001");
    await page.waitForSelector('[data-testid="member-row"][data-code="M000001"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="member-total"]')?.textContent === "1件");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="member-page"] [data-testid="history"]');
    await shot(page, "04-member");
    await page.evaluate(() => document.querySelector('[data-testid="member-page"]').scrollTo(0, 10000));
    await shot(page, "05-member-bottom");
  });

  await step("status dialog", async () => {
    await page.click('[data-testid="change-status"]');
    await page.selectOption('select[name="status"]', "withdrawn");
    await page.click('[data-testid="confirm-status"]');
    await page.waitForSelector(".field-error");
    await shot(page, "06-status-dialog-error");
    await page.fill('input[name="reason"]', "引っ越し");
    await page.keyboard.press("Enter");
    await page.waitForSelector('dialog[open]', { state: "detached" });
    await page.waitForFunction(() => document.querySelector('[data-testid="history-entry"]')?.textContent?.includes("休止 → 退会"));
    await shot(page, "07-member-after-status");
  });

  await step("edit + back", async () => {
    await page.keyboard.press("Control+e");
    await page.waitForSelector('[data-testid="member-form"][data-mode="edit"]');
    await page.fill('input[name="phone"]', "03-9999-0000");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="member-page"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="history-entry"]')?.textContent?.includes("03-9999-0000"));
    await page.keyboard.press("Escape");
    await page.waitForSelector('[data-testid="member-search"]');
    const kept = await page.inputValue('[data-testid="member-search"]');
    if (kept !== "M000001") throw new Error(`search not kept: ${kept}`);
  });

  await step("new member form", async () => {
    await page.keyboard.press("Control+n");
    await page.waitForSelector('[data-testid="member-form"]');
    await shot(page, "08-form-new");
    await page.fill('input[name="kana"]', "yamada");
    await page.fill('input[name="postal_code"]', "12345");
    await page.fill('input[name="phone"]', "03-123");
    await page.fill('input[name="email"]', "yamada@");
    await page.click('[data-testid="save-member"]');
    await page.waitForSelector(".field-error");
    const focused = await page.evaluate(() => document.activeElement?.getAttribute("name"));
    if (focused !== "name") throw new Error(`first bad field not focused: ${focused}`);
    await shot(page, "09-form-errors");
    await page.fill('input[name="name"]', "山田 花子");
    await page.fill('input[name="kana"]', "やまだ はなこ");
    await page.fill('input[name="postal_code"]', "154-0015");
    await page.fill('input[name="phone"]', "03-1234-5678");
    await page.fill('input[name="email"]', "yamada@example.jp");
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="member-page"]');
    await shot(page, "10-member-created");
  });

  await step("settings", async () => {
    await page.click('[data-testid="nav-settings"]');
    await page.waitForSelector('[data-testid="settings-form"]');
    await shot(page, "11-settings");
    await page.fill('input[name="invoice_registration_number"]', "T12345");
    await page.fill('input[name="member_code.prefix"]', "K");
    await page.keyboard.press("Enter");
    await page.waitForSelector(".field-error");
    await shot(page, "12-settings-error");
  });

  await step("duplicates", async () => {
    await page.click('[data-testid="nav-duplicates"]');
    await page.waitForSelector('[data-testid="duplicate-pair"]');
    await shot(page, "13-duplicates");
    await page.click('[data-testid="merge-left"]');
    await page.waitForSelector('[data-testid="merge-dialog"]');
    await shot(page, "14-merge-dialog");
    await page.click('[data-testid="confirm-ok"]');
    await page.waitForSelector('[data-testid="merge-dialog"]', { state: "detached" });
  });
  await page.context().close();

  // 2. データ取込: the wizard on a customer list with bad rows, refused, then imported without them.
  page = await open("staff=%E4%BD%90%E8%97%A4&members=2000");
  await step("import wizard", async () => {
    await page.waitForSelector('[data-testid="member-row"]');
    await page.keyboard.press("Alt+3");
    await page.waitForSelector('[data-testid="import-step-file"] [data-testid="import-batch"]');
    await shot(page, "21-import-file");
    await page.keyboard.press("Enter"); // no file yet: the open dialog (mocked) answers
    await page.waitForFunction(() => document.querySelector('[data-testid="import-path"]')?.value?.endsWith(".csv"));
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="import-step-mapping"]');
    await shot(page, "22-import-mapping");
    await page.selectOption('[data-testid="mapping-row"][data-column="1"] select', "");
    await page.waitForSelector('[data-testid="import-missing"]');
    if (!(await page.isDisabled('[data-testid="import-next"]'))) throw new Error("next enabled with a required field missing");
    await shot(page, "23-import-mapping-missing");
    // お名前 chosen for column A takes 氏名 from nowhere; then back to B.
    await page.selectOption('[data-testid="mapping-row"][data-column="1"] select', "name");
    await page.waitForSelector('[data-testid="import-missing"]', { state: "detached" });
    await page.click('[data-testid="load-mapping"]');
    await page.waitForFunction(() => document.querySelector('[data-testid="mapping-row"][data-column="10"] select')?.value === "tags");
    await page.waitForSelector('[data-testid="import-wizard"][data-busy="false"]');
    await page.evaluate(() => document.querySelector('[data-testid="import-step-mapping"]').focus());
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="import-step-preview"] [data-testid="import-issue"][data-line="5"]');
    await shot(page, "24-import-preview");
    await page.evaluate(() => document.querySelector(".scroll").scrollTo(0, 10000));
    await shot(page, "25-import-preview-bottom");
    // All or nothing: the errors refuse the whole file.
    await page.click('[data-testid="import-run"]');
    await page.waitForSelector('[data-testid="import-refused"]', { timeout: 10000 });
    await shot(page, "26-import-refused");
    await page.keyboard.press("Escape");
    await page.waitForSelector('[data-testid="import-step-preview"]');
    await page.check('[data-testid="skip-invalid"]');
    await page.click('[data-testid="import-run"]');
    await page.waitForSelector('[data-testid="import-progress"] .fill');
    await shot(page, "27-import-progress");
    await page.waitForSelector('[data-testid="import-done"]', { timeout: 15000 });
    const imported = await page.getAttribute('[data-testid="result-imported"]', "data-value");
    const skipped = await page.getAttribute('[data-testid="result-skipped"]', "data-value");
    if (imported !== "245" || skipped !== "3") throw new Error(`summary: imported ${imported}, skipped ${skipped}`);
    await shot(page, "28-import-done");
    await page.evaluate(() => document.querySelector(".scroll").scrollTo(0, 10000));
    await shot(page, "29-import-done-bottom");
    // The old price list cannot be taken back: the reason shows.
    await page.click('[data-testid="import-batch"][data-batch="2"] [data-testid="undo-batch"]');
    await page.waitForSelector('[data-testid="undo-dialog"]');
    await shot(page, "30-undo-dialog");
    await page.click('[data-testid="confirm-ok"]');
    await page.waitForSelector('[data-testid="undo-refused"]');
    await shot(page, "31-undo-refused");
    // The same file again: the wizard says it was imported and asks to confirm.
    await page.click('[data-testid="import-again"]');
    await page.waitForSelector('[data-testid="import-step-file"]');
    await page.keyboard.press("Enter");
    await page.waitForFunction(() => document.querySelector('[data-testid="import-path"]')?.value?.endsWith(".csv"));
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="import-step-mapping"]');
    await page.keyboard.press("Enter");
    await page.waitForSelector('[data-testid="import-same-file"]');
    if (!(await page.isDisabled('[data-testid="import-run"]'))) throw new Error("import enabled before the same-file confirmation");
    await shot(page, "32-import-same-file");
    // The imported members are in the list.
    await page.keyboard.press("Alt+1");
    await page.fill('[data-testid="member-search"]', "100002");
    await page.waitForSelector('[data-testid="member-row"][data-code="100002"]');
  });
  await page.context().close();

  // 2. First start.
  page = await open("scenario=first");
  await step("first start", async () => {
    await page.waitForSelector('[data-testid="first-start"]');
    await page.fill('input[name="company_name"]', "自然食品の森 通販部");
    await shot(page, "15-first-start");
    await page.click('[data-testid="start-demo"]');
    await page.waitForSelector('[data-testid="first-start-progress"]');
    await shot(page, "16-first-start-progress");
    await page.waitForSelector('[data-testid="member-row"]', { timeout: 15000 });
    await shot(page, "17-after-demo");
  });
  await page.context().close();

  // 3. The database could not be opened.
  page = await open("scenario=closed");
  await step("closed", async () => {
    await page.waitForSelector('[data-testid="db-closed"]');
    await shot(page, "18-db-closed");
  });
  await page.context().close();

  // 4. Empty duplicates, small window.
  page = await open("nodups&members=30");
  await step("small window", async () => {
    await page.setViewportSize({ width: 960, height: 600 });
    await page.waitForSelector('[data-testid="member-row"]');
    await shot(page, "19-list-960");
    await page.click('[data-testid="nav-duplicates"]');
    await page.waitForSelector('[data-testid="duplicates-empty"]');
    await shot(page, "20-duplicates-empty");
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
