// The marketplace in a real browser: a new user applies to sell, staff
// approve, the seller lists a product with two variants in its panel, and
// a shopper finds it in the seller's shop. Every page is looked at on a
// phone and a desktop, with a paid order of three parcels on staff's order
// page.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, DESKTOP, PHONE, api, assertFits, launch, shot, watchErrors } from "./browser.js";

const STAFF = { email: "staff@example.com", password: "staff-password-1" };
// The demo seller whose password scripts/e2e.sh sets; the demo shop has
// paid it once (payout 1).
const NORTHWIND = { email: "seller-northwind-ceramics@example.com", password: "seller-password-1" };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

async function signIn(page, email, password) {
  await page.goto(`${BASE}/login`);
  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/^Password/).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));
}

test("a new user applies, staff approve, the seller lists a product and a shopper finds it", async () => {
  const stamp = Date.now();
  const slug = `tide-pottery-${stamp}`;
  const seller = await browser.newContext({ viewport: DESKTOP });
  const page = await seller.newPage();
  const errors = [];
  watchErrors(page, errors);

  await page.goto(`${BASE}/register`);
  await page.getByLabel("Your name").fill("Tia Potter");
  const email = `tia-${stamp}@example.com`;
  await page.getByLabel("Email").fill(email);
  await page.getByLabel(/^Password/).fill("a good long password");
  await page.getByRole("button", { name: /Create account|Register/ }).click();
  await page.waitForURL((url) => url.pathname !== "/register");

  await page.getByRole("link", { name: "Sell with us" }).click();
  await page.waitForURL(/\/sell$/);
  await page.getByLabel("Shop name").fill("Tide Pottery");
  await page.getByLabel(/Shop address/).fill(slug);
  await page.getByLabel(/About the shop/).fill("Stoneware thrown by the sea.");
  await page.getByLabel("Payout details").fill("IBAN GB00 0000 0000 0000");
  await shot(page, "sell-form");
  await page.getByRole("button", { name: "Apply to sell" }).click();
  await assert.doesNotReject(page.getByText(/will review your application/).waitFor());
  await shot(page, "sell-pending");

  const staff = await browser.newContext({ viewport: DESKTOP });
  const admin = await staff.newPage();
  watchErrors(admin, errors);
  await signIn(admin, STAFF.email, STAFF.password);
  await admin.goto(`${BASE}/admin/sellers`);
  await shot(admin, "admin-sellers");
  await admin.getByRole("link", { name: "Tide Pottery" }).click();
  await admin.waitForURL(/\/admin\/sellers\/\d+$/);
  await shot(admin, "admin-seller");
  await admin.getByRole("button", { name: "Approve" }).click();
  await assert.doesNotReject(admin.getByText("Tide Pottery is now approved.").waitFor());

  // The seller signs in again and finds its panel.
  await page.goto(`${BASE}/seller`);
  await assert.doesNotReject(page.getByRole("heading", { name: /Tide Pottery/ }).waitFor());
  await shot(page, "seller-dashboard");
  await page.getByRole("navigation", { name: "Seller panel" }).getByRole("link", { name: "Products" }).click();
  await page.getByRole("link", { name: "New product" }).click();
  await page.waitForURL(/\/seller\/products\/new$/);
  const name = `Tide Bowl ${stamp}`;
  await page.getByLabel("Name", { exact: true }).fill(name);
  await page.getByLabel("Description").fill("A wide bowl in a sea-green glaze.");
  await page.getByLabel("Status").selectOption("active");
  const rows = [["BOWL-S", "size=Small", "28.00", "6"], ["BOWL-L", "size=Large", "42.00", "2"]];
  for (const [i, [sku, options, price, stock]] of rows.entries()) {
    const row = page.getByRole("group", { name: `Variant ${i + 1}` });
    await row.getByLabel("SKU").fill(`${sku}-${stamp}`);
    await row.getByLabel("Options").fill(options);
    await row.getByLabel("Price").fill(price);
    await row.getByLabel("Stock").fill(stock);
  }
  await page.getByRole("button", { name: "Create product" }).click();
  await page.waitForURL(/\/seller\/products\/\d+$/);
  await assert.doesNotReject(page.getByText(`${name} is created.`).waitFor());
  await shot(page, "seller-product-edit");
  await page.setViewportSize({ width: 360, height: 740 });
  for (const path of ["/seller", "/seller/products", "/seller/orders", "/seller/profile"]) {
    await page.goto(`${BASE}${path}`);
    await assertFits(page, path);
    await shot(page, `${path.replaceAll("/", "-").slice(1)}-narrow`);
  }

  const shopper = await browser.newContext({ viewport: PHONE });
  const shop = await shopper.newPage();
  watchErrors(shop, errors);
  await shop.goto(`${BASE}/sellers/${slug}`);
  await assert.doesNotReject(shop.getByRole("heading", { name: "Tide Pottery" }).waitFor());
  await assertFits(shop, "the seller's shop");
  await shot(shop, "seller-shop-phone");
  await shop.getByRole("link", { name: new RegExp(name) }).first().click();
  await assert.doesNotReject(shop.getByRole("link", { name: "Tide Pottery" }).waitFor());

  // The shopper buys the large bowl, a Northwind piece and the shop's own
  // T-shirt: three parcels, Northwind's with a method of its own.
  await shop.getByRole("radio", { name: "Large", exact: true }).check();
  await shop.getByRole("button", { name: "Add to cart" }).click();
  await shop.waitForURL(/\/cart$/);
  const northwind = await api("GET", "/api/v1/store/products?seller=northwind-ceramics&in_stock=true");
  for (const slug of [northwind.items[0].slug, "organic-cotton-crew-t-shirt"]) {
    await shop.goto(`${BASE}/products/${slug}`);
    await shop.getByRole("button", { name: "Add to cart" }).click();
    await shop.waitForURL(/\/cart$/);
  }
  await shop.getByRole("link", { name: "Check out" }).click();
  await shop.getByRole("link", { name: "Create an account" }).click();
  await shop.getByLabel("Your name").fill("Bo Buyer");
  await shop.getByLabel("Email").fill(`bo-${stamp}@example.com`);
  await shop.getByLabel(/^Password/).fill("a good long password");
  await shop.getByRole("button", { name: "Create account" }).click();
  await shop.waitForURL(/\/checkout$/);
  await shop.getByLabel("Full name").fill("Bo Buyer");
  await shop.getByLabel("Address", { exact: true }).fill("4 Dock Lane");
  await shop.getByLabel("Postal code").fill("EH6 6AB");
  await shop.getByLabel("City").fill("Leith");
  await shop.getByLabel("Country").selectOption("GB");
  const studio = shop.getByRole("group", { name: "Shipped by Northwind Ceramics" });
  await studio.getByRole("radio", { name: /Collect from the studio/ }).check();
  await shop.getByRole("radio", { name: /Bank transfer/ }).check();
  await assertFits(shop, "the checkout with three parcels");
  await shot(shop, "checkout-parcels-phone");
  await shop.getByRole("button", { name: "Place order" }).click();
  await shop.waitForURL(/\/account\/orders\/[0-9a-f-]+$/);
  const orderId = new URL(shop.url()).pathname.split("/").pop();
  const placed = await shop.locator("main").innerText();
  for (const text of ["From Tide Pottery", "From Northwind Ceramics", "Collect from the studio in Bergen"]) {
    assert.ok(placed.includes(text), `the order page names ${text}`);
  }
  const { access_token: staffToken } = await api("POST", "/api/v1/auth/login", STAFF);
  await api("POST", `/api/v1/admin/orders/${orderId}/status`, { status: "paid" }, staffToken);

  // Staff pay out with no hold from now on (the terms go back at the
  // end); the new seller ships and delivers its parcel from its panel.
  const terms = async (hold, minimum) => {
    await admin.goto(`${BASE}/admin/payouts`);
    await admin.getByLabel(/Days a delivered parcel/).fill(hold);
    await admin.getByLabel(/Smallest payout/).fill(minimum);
    await admin.getByRole("button", { name: "Save the terms" }).click();
    await assert.doesNotReject(admin.getByText("The payout terms are saved.").waitFor());
  };
  await terms("0", "0.01");
  await page.setViewportSize(DESKTOP);
  for (const [status, carrier, tracking] of [["shipped", "Royal Mail", `RM${stamp}`], ["delivered"]]) {
    await page.goto(`${BASE}/seller/orders`);
    const move = page.locator("form[action^='/seller/parcels/']").first();
    await move.getByLabel(/Move the parcel of/).selectOption(status);
    if (carrier) {
      await move.getByLabel(/Carrier/).fill(carrier);
      await move.getByLabel("Tracking number").fill(tracking);
    }
    await move.getByRole("button", { name: "Save" }).click();
    await assert.doesNotReject(page.getByText(`The parcel is ${status}.`).waitFor());
  }
  await shot(page, "seller-orders-delivered");
  await shop.reload();
  assert.match(await shop.locator("main").innerText(), new RegExp(`RM${stamp}`), "the buyer sees the tracking number");
  await shot(shop, "order-parcels-phone");

  // Staff see the commissions, pay the seller, and put the terms back.
  await admin.goto(`${BASE}/admin/orders/${orderId}`);
  assert.match(await admin.locator("main").innerText(), /Commissions[\s\S]*Tide Pottery/);
  await admin.goto(`${BASE}/admin/payouts`);
  await admin.getByRole("button", { name: "Run payouts now" }).click();
  await assert.doesNotReject(admin.getByText(/payouts? (was|were) made/).waitFor());
  await admin.getByRole("row", { name: /Tide Pottery/ }).first().getByRole("link").first().click();
  await admin.getByLabel("Your transfer's reference").fill(`TRF-${stamp}`);
  await admin.getByRole("button", { name: "Mark paid" }).click();
  await assert.doesNotReject(admin.getByText(/is marked paid/).waitFor());
  await shot(admin, "admin-payout-paid");
  await terms("14", "10.00");
  await page.goto(`${BASE}/seller/money`);
  assert.match(await page.locator("main").innerText(), new RegExp(`TRF-${stamp}`));
  await shot(page, "seller-money-paid");
  assert.deepEqual(errors, []);
  await Promise.all([seller.close(), staff.close(), shopper.close()]);
});

const NARROW = { width: 360, height: 740 };

/// An in-stock variant of a seller's product: its id.
async function sellerVariant(slug) {
  const list = await api("GET", `/api/v1/store/products?seller=${slug}&in_stock=true`);
  const product = await api("GET", `/api/v1/store/products/${list.items[0].slug}`);
  return product.variants.find((v) => v.stock_available > 0).id;
}

/// A paid order of the shop's T-shirt and a line of two sellers: three
/// parcels, so the admin order page offers a refund per parcel.
async function placeSplitOrder() {
  const email = `split-${Date.now()}@example.com`;
  const { access_token: token } = await api("POST", "/api/v1/auth/register", {
    email, password: "a good long password", name: "Sam Splitter",
  });
  for (const variant of [1, await sellerVariant("northwind-ceramics"), await sellerVariant("ridgeline-outfitters")]) {
    await api("POST", "/api/v1/store/cart/items", { variant_id: variant, quantity: 1 }, token);
  }
  const order = await api("POST", "/api/v1/store/checkout", {
    shipping_address: { full_name: "Sam Splitter", line1: "3 Quay Street", city: "Leith", postal_code: "EH6 6AB", country: "GB" },
    shipping_method: 1,
    payment_method: "bank_transfer",
  }, token, { "idempotency-key": `e2e-${email}` });
  const { access_token: staff } = await api("POST", "/api/v1/auth/login", STAFF);
  await api("POST", `/api/v1/admin/orders/${order.id}/status`, { status: "paid" }, staff);
  return order;
}

for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE], ["narrow", NARROW]]) {
  test(`the sellers' and commissions' pages fit a ${size} window`, async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    await signIn(page, STAFF.email, STAFF.password);
    const order = await placeSplitOrder();
    for (const path of ["/admin/sellers", "/admin/sellers/1", "/admin/commissions?price=25&preview_seller=1", "/admin/payouts", "/admin/payouts/2", "/sellers/northwind-ceramics", "/sell", `/admin/orders/${order.id}`]) {
      await page.goto(`${BASE}${path}`);
      await assertFits(page, path);
      const name = path.startsWith("/admin/orders/") ? "admin-order-parcels" : path.replaceAll("/", "-").slice(1);
      await shot(page, `${name}-${size}`);
    }
    assert.equal(await page.getByLabel("Parcel", { exact: true }).locator("option").count(), 4, "the whole order and each parcel");
    await context.close();
  });
}

for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE], ["narrow", NARROW]]) {
  test(`the seller panel's orders and money fit a ${size} window`, async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const errors = [];
    watchErrors(page, errors);
    await signIn(page, NORTHWIND.email, NORTHWIND.password);
    for (const path of ["/seller", "/seller/orders", "/seller/money", "/seller/payouts/1", "/seller/shipping"]) {
      await page.goto(`${BASE}${path}`);
      await assertFits(page, path);
      await shot(page, `${path.replaceAll("/", "-").slice(1)}-${size}`);
    }
    await page.goto(`${BASE}/seller/money`);
    assert.ok(await page.getByText(/DEMO-TRANSFER-1/).isVisible(), "the demo payout is listed");
    const download = page.waitForEvent("download");
    await page.getByRole("button", { name: "Download CSV" }).click();
    const file = await download;
    assert.match(file.suggestedFilename(), /^statement-all-all\.csv$/);
    assert.deepEqual(errors, []);
    await context.close();
  });
}
