// The details every shop has: the theme switch (chosen, kept, painted
// dark from the first frame), adding to the cart from a listing's card,
// and the dark theme looked at on a phone and a desktop.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, PHONE, assertAccessible, launch, shot, watchErrors } from "./browser.js";

const DESKTOP = { width: 1280, height: 800 };
/// The dark theme's page background (`--bg`).
const DARK_BG = "rgb(17, 19, 24)";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

const background = (page) => page.evaluate(() => getComputedStyle(document.body).backgroundColor);

test("the theme switch chooses dark, and a reload is dark from its first paint", async () => {
  // A light system: only the choice makes the page dark.
  const context = await browser.newContext({ viewport: DESKTOP, colorScheme: "light" });
  const page = await context.newPage();
  const errors = [];
  watchErrors(page, errors);
  await page.goto(`${BASE}/products`);
  assert.notEqual(await background(page), DARK_BG);
  const kept = page.waitForResponse((r) => r.url().endsWith("/theme") && r.request().method() === "POST");
  await page.getByRole("group", { name: "Colour theme" }).getByRole("button", { name: "Dark" }).click();
  // The script applies the choice at once and keeps it in the background.
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "dark");
  await kept;
  assert.equal(await page.getByRole("button", { name: "Dark" }).getAttribute("aria-pressed"), "true");

  // Reloaded: the server's HTML already says dark, so the stylesheet (in
  // the head, before the first paint) paints it dark; nothing flips later.
  const response = await page.reload();
  const html = await response.text();
  assert.match(html, /<html lang="en" data-theme="dark">/);
  assert.equal(await background(page), DARK_BG);
  await assertAccessible(page, "/products (dark, chosen)");

  // The product page's schema.org data is not a script the policy refuses.
  await page.goto(`${BASE}/products/organic-cotton-crew-t-shirt`);
  assert.equal(await page.locator('script[type="application/ld+json"]').count(), 1);
  assert.equal(await background(page), DARK_BG);

  // Back to the system's (light here).
  await page.getByRole("button", { name: "System" }).click();
  await page.waitForFunction(() => !document.documentElement.hasAttribute("data-theme"));
  await page.reload();
  assert.notEqual(await background(page), DARK_BG);
  assert.deepEqual(errors, []);
  await context.close();
});

test("without JavaScript the switch posts and comes back in the chosen theme", async () => {
  const context = await browser.newContext({ viewport: PHONE, javaScriptEnabled: false, colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto(`${BASE}/about`);
  await page.getByRole("button", { name: "Light" }).click();
  await page.waitForURL(/\/about$/);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.theme), "light");
  assert.notEqual(await background(page), DARK_BG, "light wins over a dark system");
  await context.close();
});

test("a card adds its product to the cart and the shopper stays on the listing", async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  const errors = [];
  watchErrors(page, errors);
  await page.goto(`${BASE}/products?sort=name`);
  const badge = page.locator(".cart-link .badge");
  const before = Number(await badge.innerText());
  const card = page.locator(".card").filter({ has: page.getByRole("button", { name: /^Add to cart/ }) }).first();
  const name = (await card.locator(".name").innerText()).trim();
  await card.getByRole("button", { name: /^Add to cart/ }).click();
  await page.waitForURL(/\/products\?sort=name$/);
  await assert.doesNotReject(page.getByText("Added to your cart.").waitFor());
  assert.equal(Number(await badge.innerText()), before + 1);
  // A product with options to choose sends the shopper to its page.
  assert.ok(await page.getByRole("link", { name: /^Choose options/ }).count() > 0);
  await page.goto(`${BASE}/cart`);
  assert.match(await page.locator("main").innerText(), new RegExp(name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [size, viewport] of [["phone", PHONE], ["desktop", DESKTOP]]) {
  test(`the dark theme on a ${size}`, async () => {
    const context = await browser.newContext({ viewport, colorScheme: "light" });
    await context.addCookies([{ name: "souk_theme", value: "dark", url: BASE }]);
    const page = await context.newPage();
    const errors = [];
    watchErrors(page, errors);
    await page.goto(`${BASE}/`);
    assert.equal(await background(page), DARK_BG);
    await shot(page, `details-dark-${size}-home`);
    await page.screenshot({ path: `screenshots/details-dark-${size}-home-first-screen.png` });
    await assertAccessible(page, `/ (dark, ${size})`);
    await page.goto(`${BASE}/products/organic-cotton-crew-t-shirt`);
    await shot(page, `details-dark-${size}-product`);
    await page.screenshot({ path: `screenshots/details-dark-${size}-product-first-screen.png` });
    await assertAccessible(page, `product (dark, ${size})`);
    await page.goto(`${BASE}/products`);
    await shot(page, `details-dark-${size}-listing`);
    await page.locator(".grid").first().screenshot({ path: `screenshots/details-dark-${size}-cards.png` });
    await assertAccessible(page, `/products (dark, ${size})`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
