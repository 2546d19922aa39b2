// A shopper in a real browser: browse, search, open a product, choose a
// variant, add it to the cart, register, check out, see the order.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, DESKTOP, PHONE, launch, shot, watchErrors } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  test(`a shopper buys a T-shirt (${size})`, async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const errors = [];
    watchErrors(page, errors);

    await page.goto(`${BASE}/`);
    await assert.doesNotReject(page.getByRole("heading", { name: "New arrivals" }).waitFor());
    await shot(page, `${size}-home`);

    // Browse a category, then search.
    await page.getByRole("link", { name: "Clothing" }).first().click();
    await page.waitForURL(/\/categories\/clothing/);
    await shot(page, `${size}-category`);
    await page.getByRole("searchbox", { name: "Search products" }).fill("crew t-shirt");
    await page.getByRole("button", { name: "Search" }).click();
    await page.waitForURL(/\/products\?q=/);
    await shot(page, `${size}-search`);

    // Open the product and choose a variant.
    await page.getByRole("link", { name: /Organic Cotton Crew T-Shirt/ }).first().click();
    await page.waitForURL(/\/products\/organic-cotton-crew-t-shirt/);
    await shot(page, `${size}-product`);
    // One picker per option; the price, stock and SKU follow the choice,
    // and on a phone the button is on the first screen.
    const addButton = page.getByRole("button", { name: "Add to cart" });
    const box = await addButton.boundingBox();
    assert.ok(box && box.y + box.height <= viewport.height, `Add to cart on the first screen: ${JSON.stringify(box)}`);
    await page.getByRole("radio", { name: "Black", exact: true }).check();
    await page.getByRole("radio", { name: "L", exact: true }).check();
    await assert.doesNotReject(page.getByText("Size: L").waitFor());
    assert.match(await page.locator(".choice-status").innerText(), /(In stock|left).*SKU/s);
    await shot(page, `${size}-product-chosen`);
    await page.getByLabel("Quantity").fill("2");
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.waitForURL(/\/cart$/);
    await assert.doesNotReject(page.getByText("Added to your cart.").waitFor());
    assert.match(await page.locator("main").innerText(), /colour: Black, size: L/);
    await shot(page, `${size}-cart`);

    // Check out: the guest registers on the way and keeps the cart.
    await page.getByRole("link", { name: "Check out" }).click();
    await page.waitForURL(/\/login\?next=/);
    await page.getByRole("link", { name: "Create an account" }).click();
    const email = `shopper-${size}-${Date.now()}@example.com`;
    await page.getByLabel("Your name").fill("Sam Shopper");
    await page.getByLabel("Email").fill(email);
    await page.getByLabel(/^Password/).fill("a good long password");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL(/\/checkout$/);
    await page.getByLabel("Full name").fill("Sam Shopper");
    await page.getByLabel("Address", { exact: true }).fill("12 Harbour Road");
    await page.getByLabel("Postal code").fill("94107");
    await page.getByLabel("City").fill("San Francisco");
    await page.getByLabel("Country").selectOption("US");
    await page.getByRole("radio", { name: /Bank transfer/ }).check();
    await shot(page, `${size}-checkout`);
    await page.getByRole("button", { name: "Place order" }).click();

    // The order page.
    await page.waitForURL(/\/account\/orders\/[0-9a-f-]+$/);
    const order = await page.locator("main").innerText();
    assert.match(order, /Thank you! Your order is placed\./);
    assert.match(order, /Organic Cotton Crew T-Shirt/);
    assert.match(order, /pending payment/);
    await shot(page, `${size}-order`);
    await page.getByRole("link", { name: "Invoice" }).click();
    await assert.doesNotReject(page.getByRole("heading", { name: "Invoice" }).waitFor());
    await shot(page, `${size}-invoice`);

    // Nothing overflows the window sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `the page is ${overflow}px wider than the window`);
    assert.deepEqual(errors, []);
    await context.close();
  });
}

test("a missing page looks like the shop", async () => {
  const page = await browser.newPage({ viewport: DESKTOP });
  const response = await page.goto(`${BASE}/no-such-page`);
  assert.equal(response.status(), 404);
  await assert.doesNotReject(page.getByRole("heading", { name: "Page not found" }).waitFor());
  await shot(page, "desktop-404");
  await page.close();
});

test("a shopper whose card is declined pays with another and the order is paid once", async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  await page.goto(`${BASE}/register`);
  await page.getByLabel("Your name").fill("Carla Card");
  await page.getByLabel("Email").fill(`card-${Date.now()}@example.com`);
  await page.getByLabel(/^Password/).fill("a good long password");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.goto(`${BASE}/products/linen-button-down-shirt`);
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.waitForURL(/\/cart$/);
  await page.getByRole("link", { name: "Check out" }).click();
  await page.getByLabel("Full name").fill("Carla Card");
  await page.getByLabel("Address", { exact: true }).fill("3 Quay Street");
  await page.getByLabel("Postal code").fill("10115");
  await page.getByLabel("City").fill("Berlin");
  await page.getByLabel("Country").selectOption("DE");
  await page.getByRole("radio", { name: /^Card/ }).check();
  await page.getByRole("button", { name: "Place order" }).click();

  await page.waitForURL(/\/pay\//);
  await shot(page, "desktop-pay");
  const declinedAt = page.url();
  await page.getByLabel("Card number").fill("4000000000000002");
  await page.getByRole("button", { name: /^Pay/ }).click();
  await assert.doesNotReject(page.getByRole("heading", { name: "Card declined" }).waitFor());
  await shot(page, "desktop-pay-declined");
  await page.getByRole("button", { name: "Try another card" }).click();
  await page.waitForURL((url) => /\/pay\//.test(url) && url.toString() !== declinedAt);
  await page.getByLabel("Card number").fill("4242424242424242");
  await page.getByRole("button", { name: /^Pay/ }).click();
  await assert.doesNotReject(page.getByRole("heading", { name: "Payment accepted" }).waitFor());
  await page.getByRole("link", { name: "Back to your order" }).click();

  // The signed webhook reaches the shop through the job queue.
  let status = "";
  for (let i = 0; i < 40 && !/\bpaid\b/.test(status); i++) {
    await page.waitForTimeout(250);
    await page.reload();
    status = await page.locator("main").innerText();
  }
  assert.match(status, /\bpaid\b/);
  assert.doesNotMatch(status, /Pay again|Pay now/);
  await context.close();
});

test("the dark theme", async () => {
  const context = await browser.newContext({ viewport: DESKTOP, colorScheme: "dark" });
  const page = await context.newPage();
  await page.goto(`${BASE}/products/organic-cotton-crew-t-shirt`);
  const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  assert.equal(background, "rgb(17, 19, 24)");
  await shot(page, "desktop-dark-product");
  await page.goto(`${BASE}/categories/tops`);
  await shot(page, "desktop-dark-category");
  await context.close();
});
