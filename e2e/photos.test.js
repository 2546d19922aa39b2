// Product photos in a real browser: a seller uploads two photos of one of
// its products in the seller panel, and a shopper sees the gallery on the
// product page (first photo large, thumbnails that switch it) on a phone
// and a desktop, in the light and the dark theme.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, DESKTOP, PHONE, api, assertAccessible, assertFits, launch, shot, watchErrors } from "./browser.js";

// The demo seller whose password scripts/e2e.sh sets.
const NORTHWIND = { email: "seller-northwind-ceramics@example.com", password: "seller-password-1" };

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// A photo of another demo product, as the shop serves it: real JPEG bytes.
async function demoPhoto(slug) {
  const html = await (await fetch(`${BASE}/products/${slug}`)).text();
  const path = html.match(/\/images\/[0-9a-f]{64}\/original\.jpg/)?.[0];
  assert.ok(path, `a photo on /products/${slug}`);
  return Buffer.from(await (await fetch(`${BASE}${path}`)).arrayBuffer());
}

test("a seller uploads two photos and the shopper sees the gallery", async () => {
  const { access_token: token } = await api("POST", "/api/v1/auth/login", NORTHWIND);
  const { items } = await api("GET", "/api/v1/seller/products?per_page=5&status=active", undefined, token);
  const product = items[0];
  const others = (await api("GET", "/api/v1/store/products?per_page=3&sort=name")).items.map((p) => p.slug);
  const errors = [];

  const context = await browser.newContext({ viewport: DESKTOP });
  const page = await context.newPage();
  watchErrors(page, errors);
  await page.goto(`${BASE}/login`);
  await page.getByLabel("Email").fill(NORTHWIND.email);
  await page.getByLabel(/^Password/).fill(NORTHWIND.password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((url) => !url.pathname.startsWith("/login"));

  await page.goto(`${BASE}/seller/products/${product.id}`);
  const before = await page.locator(".photo-edit").count();
  for (const [i, slug] of others.slice(0, 2).entries()) {
    await page.getByLabel("Photo", { exact: true }).setInputFiles({
      name: `photo-${i + 1}.jpg`, mimeType: "image/jpeg", buffer: await demoPhoto(slug),
    });
    await page.getByLabel("Alt text: what the photo shows").fill(`${product.name}, view ${i + 1}`);
    await page.getByRole("button", { name: "Upload photo" }).click();
    await assert.doesNotReject(page.getByText("The photo is added.").waitFor());
  }
  assert.equal(await page.locator(".photo-edit").count(), before + 2);
  // The last one moves first.
  await page.getByRole("button", { name: `Move photo ${before + 2} earlier` }).click();
  await assert.doesNotReject(page.getByText("The photo is moved.").waitFor());
  await assertFits(page);
  await assertAccessible(page);
  await shot(page, "photos-seller-editor-desktop");
  await page.setViewportSize(PHONE);
  await assertFits(page);
  await shot(page, "photos-seller-editor-phone");

  // An SVG under a photo's name is refused, with the reason.
  await page.getByLabel("Photo", { exact: true }).setInputFiles({
    name: "logo.png", mimeType: "image/png", buffer: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"/>'),
  });
  await page.getByLabel("Alt text: what the photo shows").fill("A logo");
  await page.getByRole("button", { name: "Upload photo" }).click();
  await assert.doesNotReject(page.getByRole("alert").getByText(/SVG drawing/).waitFor());
  assert.equal(await page.locator(".photo-edit").count(), before + 2);

  for (const [size, viewport] of [["phone", PHONE], ["desktop", DESKTOP]]) {
    for (const colorScheme of ["light", "dark"]) {
      const shopper = await browser.newContext({ viewport, colorScheme });
      const view = await shopper.newPage();
      watchErrors(view, errors);
      await view.goto(`${BASE}/products/${product.slug}`);
      const shots = view.locator(".gallery .shot");
      assert.equal(await shots.count(), before + 2);
      const first = view.locator(".gallery .shot").first();
      assert.ok(await first.isVisible(), "the first photo shows");
      // The second upload was moved before the first.
      assert.equal(await shots.nth(before).locator("img").getAttribute("alt"), `${product.name}, view 2`);
      assert.equal(await view.locator(".gallery .shot img[loading=lazy]").count(), before + 1, "the others wait");
      await view.locator(".thumbs a").nth(1).click();
      assert.ok(await shots.nth(1).isVisible(), "a thumbnail shows its photo");
      assert.ok(!(await first.isVisible()));
      await view.waitForFunction(() => [...document.querySelectorAll(".gallery .shot img")].filter((i) => i.offsetParent).every((i) => i.complete && i.naturalWidth > 0));
      await assertFits(view);
      await assertAccessible(view);
      await shot(view, `photos-gallery-${size}-${colorScheme}`);
      await shopper.close();
    }
  }

  // The card shows the first photo.
  const shopper = await browser.newContext({ viewport: DESKTOP });
  const list = await shopper.newPage();
  await list.goto(`${BASE}/sellers/northwind-ceramics`);
  const card = list.locator(".card", { hasText: product.name }).first();
  assert.match(await card.locator("img").getAttribute("src"), /^\/images\/[0-9a-f]{64}\//);
  await shot(list, "photos-seller-shop-desktop");
  await shopper.close();
  await context.close();
  assert.deepEqual(errors, []);
});
