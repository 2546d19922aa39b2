// Every main page of the shop, the account, the seller panel and the
// admin panel at 360, 390 and 1366 px: nothing scrolls sideways, no table
// or panel cuts off its content, and axe-core finds no violation.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, SIZES, assertAccessible, assertFits, launch, shot, watchErrors } from "./browser.js";

const STAFF = { email: "staff@example.com", password: "staff-password-1" };
const NORTHWIND = { email: "seller-northwind-ceramics@example.com", password: "seller-password-1" };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signIn(page, { email, password }) {
  await page.goto(`${BASE}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

/// Opens a page, checks that it fits and has no violation, and keeps a
/// screenshot of it.
async function look(page, path, name, size, status = 200) {
  const response = await page.goto(`${BASE}${path}`);
  assert.equal(response.status(), status, path);
  await check(page, path, name, size);
}

/// What failed, page by page, so that one run reports every page.
let failures = [];

async function check(page, path, name, size) {
  for (const assertion of [assertFits, assertAccessible]) {
    try {
      await assertion(page, path);
    } catch (e) {
      failures.push(e.message.split("\n+ actual")[0]);
    }
  }
  await shot(page, `pages-${name}-${size}`);
  await page.screenshot({ path: `screenshots/pages-${name}-${size}-screen.png` });
}

for (const [size, viewport] of SIZES) {
  test(`the shop, the account and both panels fit a ${size} window and pass axe`, async () => {
    const stamp = `${size}-${Date.now()}`;
    failures = [];
    const errors = [];
    const shopper = await browser.newContext({ viewport });
    const page = await shopper.newPage();
    watchErrors(page, errors);

    // The shop as a guest.
    await look(page, "/", "home", size);
    await look(page, "/products", "catalogue", size);
    await look(page, "/products?q=" + "x".repeat(300), "search-long-word", size);
    await look(page, "/categories/clothing", "category", size);
    await look(page, "/sellers/northwind-ceramics", "seller-shop", size);
    await look(page, "/products/linen-button-down-shirt", "product", size);
    await look(page, "/cart", "cart-empty", size);
    await look(page, "/login", "sign-in", size);
    await look(page, "/register", "register", size);
    await look(page, "/forgot-password", "forgot", size);
    // The missing page's 404 is logged by the browser; it is not watched.
    const missing = await shopper.newPage();
    await look(missing, "/no-such-page", "not-found", size, 404);
    await missing.close();

    // A shopper with a long name and a long e-mail address buys by card.
    await page.goto(`${BASE}/products/linen-button-down-shirt`);
    await page.getByRole("button", { name: "Add to cart" }).click();
    await page.waitForURL(/\/cart$/);
    await check(page, "/cart", "cart", size);
    await page.goto(`${BASE}/register`);
    await page.getByLabel("Your name").fill("Alexandrina Montgomery-Featherstonehaugh");
    await page.getByLabel("Email").fill(`alexandrina.montgomery-featherstonehaugh.${stamp}@a-rather-long-example-domain.example.com`);
    await page.getByLabel(/^Password/).fill("a good long password");
    await page.getByRole("button", { name: "Create account" }).click();
    await page.waitForURL((url) => url.pathname !== "/register");
    await look(page, "/checkout", "checkout", size);
    for (const step of ["1 Address", "2 Shipping", "3 Payment"]) {
      await assert.doesNotReject(page.getByRole("heading", { name: step }).waitFor(), step);
    }
    // The order's summary is folded on a phone, beside the steps on a
    // wide screen.
    const totals = page.locator(".order-summary dl");
    assert.equal(await totals.isVisible(), size === "desktop", "the summary's totals");
    if (size !== "desktop") {
      await page.locator(".order-summary > summary").click();
      assert.ok(await totals.isVisible(), "the summary opens");
    }
    // One "Place order" for every size. On a phone it stays on the screen
    // with the total while the steps scroll, and rests above the footer,
    // clear of the last field, at the end of the page.
    const place = page.getByRole("button", { name: "Place order" });
    assert.equal(await place.count(), 1, "one Place order button");
    const onScreen = async (where) => {
      const box = await place.boundingBox();
      const height = await page.evaluate(() => window.innerHeight);
      assert.ok(box && box.y >= 0 && box.y + box.height <= height, `Place order on the screen ${where} at ${size}: ${JSON.stringify(box)}`);
    };
    if (size !== "desktop") {
      await page.evaluate(() => window.scrollTo(0, 0));
      await onScreen("on arrival");
      await page.getByRole("heading", { name: "2 Shipping" }).evaluate((h) => h.scrollIntoView());
      await onScreen("halfway down");
      await page.evaluate(() => window.scrollTo(0, document.documentElement.scrollHeight));
      const bar = await page.locator(".place-bar").boundingBox();
      const footer = await page.locator(".site-footer").boundingBox();
      const update = await page.getByRole("button", { name: "Update totals" }).boundingBox();
      assert.ok(bar.y + bar.height <= footer.y, `the bar ends above the footer: ${JSON.stringify({ bar, footer })}`);
      assert.ok(update.y + update.height <= bar.y, `the bar leaves the last field clear: ${JSON.stringify({ bar, update })}`);
      await page.screenshot({ path: `screenshots/pages-checkout-end-${size}-screen.png` });
      await page.evaluate(() => window.scrollTo(0, 0));
    }
    await page.getByLabel("Full name").fill("Alexandrina Montgomery-Featherstonehaugh");
    await page.getByLabel("Address", { exact: true }).fill("Flat 12, Harbourmaster's Warehouse, 3 Quay Street");
    await page.getByLabel("Postal code").fill("EH6 6AB");
    await page.getByLabel("City").fill("Edinburgh");
    await page.getByLabel(/^Country/).selectOption("GB");
    await page.getByRole("radio", { name: /^Card/ }).check();
    if (size !== "desktop") {
      await onScreen("once the address is typed");
      await page.screenshot({ path: `screenshots/pages-checkout-filled-${size}-screen.png` });
    }
    await place.click();
    await page.waitForURL(/\/pay\//);
    await check(page, "/pay", "pay", size);
    await look(page, "/account", "account", size);
    await look(page, "/account/orders", "orders", size);
    const order = await page.locator("main a[href^='/account/orders/']").first().getAttribute("href");
    await look(page, order, "order", size);
    await look(page, `${order}/invoice`, "invoice", size);
    await look(page, "/sell", "sell", size);

    // Staff.
    const staff = await browser.newContext({ viewport });
    const admin = await staff.newPage();
    watchErrors(admin, errors);
    await signIn(admin, STAFF);
    const orderId = order.split("/").pop();
    for (const [path, name] of [
      ["/admin", "admin-dashboard"], ["/admin/products", "admin-products"], ["/admin/products/new", "admin-product-new"],
      ["/admin/products/1", "admin-product-edit"], ["/admin/orders", "admin-orders"], [`/admin/orders/${orderId}`, "admin-order"],
      ["/admin/categories", "admin-categories"], ["/admin/customers", "admin-customers"], ["/admin/shipping", "admin-shipping"],
      ["/admin/vouchers", "admin-vouchers"], ["/admin/sellers", "admin-sellers"], ["/admin/sellers/1", "admin-seller"],
      ["/admin/commissions", "admin-commissions"], ["/admin/payouts", "admin-payouts"], ["/admin/payouts/1", "admin-payout"],
      ["/admin/jobs", "admin-jobs"], ["/admin/settings", "admin-settings"],
    ]) {
      await look(admin, path, name, size);
    }
    await admin.goto(`${BASE}/admin/orders/${orderId}`);
    assert.match(await admin.locator("main").innerText(), /Payments[\s\S]*testpay/, "the order was paid by card");

    // A seller.
    const seller = await browser.newContext({ viewport });
    const panel = await seller.newPage();
    watchErrors(panel, errors);
    await signIn(panel, NORTHWIND);
    for (const [path, name] of [
      ["/seller", "seller-dashboard"], ["/seller/orders", "seller-orders"], ["/seller/products", "seller-products"],
      ["/seller/money", "seller-money"], ["/seller/payouts/1", "seller-payout"], ["/seller/profile", "seller-profile"],
      ["/seller/shipping", "seller-shipping"],
    ]) {
      await look(panel, path, name, size);
    }

    assert.deepEqual(failures, []);
    assert.deepEqual(errors, []);
    await Promise.all([shopper.close(), staff.close(), seller.close()]);
  });
}

test("the main pages pass axe in the dark theme", async () => {
  failures = [];
  const context = await browser.newContext({ viewport: SIZES[2][1], colorScheme: "dark" });
  const page = await context.newPage();
  const errors = [];
  watchErrors(page, errors);
  for (const path of ["/", "/products", "/products/linen-button-down-shirt", "/login", "/cart"]) {
    await look(page, path, `dark${path.replaceAll("/", "-")}`, "desktop");
  }
  await signIn(page, STAFF);
  for (const path of ["/admin", "/admin/orders", "/admin/products", "/account", "/account/orders"]) {
    await look(page, path, `dark${path.replaceAll("/", "-")}`, "desktop");
  }
  assert.deepEqual(failures, []);
  assert.deepEqual(errors, []);
  await context.close();
});
