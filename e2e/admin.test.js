// Staff in a real browser: sign in, look at the dashboard, create a
// product with variants and find it in the shop, move an order through
// its statuses, and see every admin page at phone and desktop size.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, DESKTOP, PHONE, api, assertFits, launch, shot, watchErrors } from "./browser.js";

const STAFF = { email: "staff@example.com", password: "staff-password-1" };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// A customer who ordered one T-shirt by bank transfer; the order.
async function placeOrder() {
  const email = `buyer-${Date.now()}@example.com`;
  const { access_token: token } = await api("POST", "/api/v1/auth/register", {
    email, password: "a good long password", name: "Bo Buyer",
  });
  await api("POST", "/api/v1/store/cart/items", { variant_id: 1, quantity: 1 }, token);
  return api("POST", "/api/v1/store/checkout", {
    shipping_address: { full_name: "Bo Buyer", line1: "3 Quay Street", city: "Leith", postal_code: "EH6 6AB", country: "GB" },
    shipping_method: 1,
    payment_method: "bank_transfer",
  }, token, { "idempotency-key": `e2e-${email}` });
}

async function signIn(page) {
  await page.goto(`${BASE}/admin`);
  await page.waitForURL(/\/login\?next=%2Fadmin/);
  await page.getByLabel("Email").fill(STAFF.email);
  await page.getByLabel(/^Password/).fill(STAFF.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL(/\/admin$/);
}

test("staff move an order from payment to delivery", async () => {
  const order = await placeOrder();
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  const errors = [];
  watchErrors(page, errors);
  await signIn(page);
  await assert.doesNotReject(page.getByRole("heading", { name: "Sales per day" }).waitFor());
  await shot(page, "admin-dashboard");

  await page.getByRole("navigation", { name: "Admin" }).getByRole("link", { name: "Orders" }).click();
  await page.waitForURL(/\/admin\/orders$/);
  await page.getByLabel("Order number").fill(order.number);
  await page.getByRole("button", { name: "Filter" }).click();
  await shot(page, "admin-orders");
  await page.getByRole("link", { name: order.number }).click();
  await page.waitForURL(new RegExp(`/admin/orders/${order.id}$`));

  for (const [status, note] of [["paid", "Transfer received"], ["processing", ""], ["shipped", "Parcel 1Z999"], ["delivered", ""]]) {
    await page.getByLabel("New status").selectOption(status);
    if (note) await page.getByLabel("Note (optional)").fill(note);
    await page.getByRole("button", { name: "Change status" }).click();
    await assert.doesNotReject(page.getByText(`is now ${status}`).waitFor());
  }
  const history = await page.locator(".timeline").innerText();
  assert.match(history, /Transfer received/);
  assert.match(history, /Parcel 1Z999/);
  assert.match(history, /delivered/);
  await shot(page, "admin-order");
  assert.deepEqual(errors, []);
  await context.close();
});

test("staff create a product with variants and find it in the shop", async () => {
  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  const errors = [];
  watchErrors(page, errors);
  await signIn(page);
  await page.goto(`${BASE}/admin/products`);
  await page.getByRole("link", { name: "New product" }).click();
  await page.waitForURL(/\/admin\/products\/new$/);
  const name = `Harbour Apron ${Date.now()}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Description").fill("A full apron in heavy washed linen.");
  await page.getByLabel("Category").selectOption({ label: "Clothing" });
  await page.getByLabel("Status").selectOption("active");
  const rows = [["APRON-NAT", "colour=Natural", "24.00", "7"], ["APRON-CHAR", "colour=Charcoal", "26.50", "3"]];
  for (const [i, [sku, options, price, stock]] of rows.entries()) {
    const row = page.getByRole("group", { name: `Variant ${i + 1}` });
    await row.getByLabel("SKU").fill(`${sku}-${Date.now()}`);
    await row.getByLabel("Options").fill(options);
    await row.getByLabel("Price").fill(price);
    await row.getByLabel("Stock").fill(stock);
  }
  await shot(page, "admin-product-new");
  await page.getByRole("button", { name: "Create product" }).click();
  await page.waitForURL(/\/admin\/products\/\d+$/);
  await assert.doesNotReject(page.getByText(`${name} is created.`).waitFor());
  await shot(page, "admin-product-edit");

  await page.getByRole("link", { name: "View in shop" }).click();
  await page.waitForURL(/\/products\/harbour-apron-/);
  await assert.doesNotReject(page.getByRole("heading", { name }).waitFor());
  await page.getByRole("radio", { name: "Charcoal", exact: true }).check();
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.waitForURL(/\/cart$/);
  assert.match(await page.locator("main").innerText(), /colour: Charcoal/);
  assert.deepEqual(errors, []);
  await context.close();
});

for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  test(`every admin page fits a ${size} window`, async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const errors = [];
    watchErrors(page, errors);
    await signIn(page);
    for (const path of ["", "/orders", "/products", "/categories", "/customers", "/shipping", "/vouchers", "/jobs", "/settings"]) {
      await page.goto(`${BASE}/admin${path}`);
      assert.equal(new URL(page.url()).pathname, `/admin${path}`);
      await shot(page, `${size}-admin${path.replace("/", "-") || "-dashboard"}`);
      await assertFits(page, `/admin${path}`);
    }
    assert.deepEqual(errors, []);
    await context.close();
  });
}
