// Reviews in a real browser: a shopper whose parcel was delivered reviews
// the product from its page, the seller answers from its panel, staff see
// it in theirs. Looked at on a phone and a desktop, in both themes, with
// axe-core finding nothing.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, DESKTOP, NARROW, api, assertAccessible, assertFits, launch, shot, watchErrors } from "./browser.js";

const STAFF = { email: "staff@example.com", password: "staff-password-1" };
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

/// A new shopper who bought a Northwind product that was delivered: its
/// e-mail and the product's slug.
async function deliveredBuyer(name) {
  const email = `reviewer-${Date.now()}-${name.length}@example.com`;
  const { access_token: token } = await api("POST", "/api/v1/auth/register", {
    email, password: "a good long password", name,
  });
  const list = await api("GET", "/api/v1/store/products?seller=northwind-ceramics&in_stock=true&sort=name");
  const product = await api("GET", `/api/v1/store/products/${list.items[0].slug}`);
  const variant = product.variants.find((v) => v.stock_available > 0).id;
  await api("POST", "/api/v1/store/cart/items", { variant_id: variant, quantity: 1 }, token);
  const order = await api("POST", "/api/v1/store/checkout", {
    shipping_address: { full_name: name, line1: "9 Kiln Row", city: "Bergen", postal_code: "5003", country: "NO" },
    shipping_method: 1,
    payment_method: "bank_transfer",
  }, token, { "idempotency-key": `e2e-review-${email}` });
  const { access_token: staff } = await api("POST", "/api/v1/auth/login", STAFF);
  const paid = await api("POST", `/api/v1/admin/orders/${order.id}/status`, { status: "paid" }, staff);
  const { access_token: seller } = await api("POST", "/api/v1/auth/login", NORTHWIND);
  const parcel = paid.fulfilments[0].id;
  for (const body of [{ status: "processing" }, { status: "shipped", carrier: "Posten" }, { status: "delivered" }]) {
    await api("POST", `/api/v1/seller/fulfilments/${parcel}/status`, body, seller);
  }
  return { email, slug: product.slug };
}

for (const [size, viewport, scheme] of [["narrow", NARROW, "dark"], ["desktop", DESKTOP, "light"]]) {
  test(`a verified buyer reviews, the seller answers (${size}, ${scheme})`, async () => {
    const stamp = Date.now();
    const { email, slug } = await deliveredBuyer(`Rhea Reviewer ${size}`);
    const shopper = await browser.newContext({ viewport, colorScheme: scheme });
    const page = await shopper.newPage();
    const errors = [];
    watchErrors(page, errors);
    await signIn(page, email, "a good long password");
    await page.goto(`${BASE}/products/${slug}#reviews`);
    const form = page.locator("#review-form");
    await form.getByRole("button", { name: "Post your review" }).click();
    // The browser asks for the required rating first; nothing is sent.
    assert.match(new URL(page.url()).pathname, new RegExp(`/products/${slug}$`));
    await form.getByRole("radio", { name: "4", exact: true }).check();
    await form.getByLabel("Title").fill(`Steady glaze ${stamp}`);
    await form.getByLabel(/Your review/).fill("Heavier than it looks.\nWashes well.");
    await form.getByRole("button", { name: "Post your review" }).click();
    await assert.doesNotReject(page.getByText("Thank you: your review is published.").waitFor());
    const section = page.locator("#reviews");
    assert.match(await section.innerText(), new RegExp(`Steady glaze ${stamp}`));
    assert.ok(await page.getByRole("heading", { name: "Edit your review" }).isVisible());
    await assertFits(page, "the product page with reviews");
    await assertAccessible(page, "the product page with reviews");
    await section.scrollIntoViewIfNeeded();
    await shot(page, `product-reviews-${size}`);

    // Northwind answers from its panel.
    const sellerContext = await browser.newContext({ viewport, colorScheme: scheme });
    const seller = await sellerContext.newPage();
    watchErrors(seller, errors);
    await signIn(seller, NORTHWIND.email, NORTHWIND.password);
    await seller.goto(`${BASE}/seller/reviews`);
    const mine = seller.locator("article", { hasText: `Steady glaze ${stamp}` });
    await mine.getByLabel(/Your reply/).fill(`Thank you, ${stamp}.`);
    await mine.getByRole("button", { name: "Reply" }).click();
    await assert.doesNotReject(seller.getByText("Your reply is published.").waitFor());
    await assertFits(seller, "the seller's reviews");
    await assertAccessible(seller, "the seller's reviews");
    await shot(seller, `seller-reviews-${size}`);
    await page.reload();
    assert.match(await page.locator("#reviews").innerText(), new RegExp(`Thank you, ${stamp}.`));

    // Staff see it among every review.
    const staffContext = await browser.newContext({ viewport, colorScheme: scheme });
    const admin = await staffContext.newPage();
    watchErrors(admin, errors);
    await signIn(admin, STAFF.email, STAFF.password);
    await admin.goto(`${BASE}/admin/reviews`);
    assert.ok(await admin.getByText(`Steady glaze ${stamp}`).isVisible());
    await assertFits(admin, "staff's reviews");
    await assertAccessible(admin, "staff's reviews");
    await shot(admin, `admin-reviews-${size}`);
    assert.deepEqual(errors, []);
    await Promise.all([shopper.close(), sellerContext.close(), staffContext.close()]);
  });
}
