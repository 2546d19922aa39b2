// A shopper who uses only the keyboard: from the product page's pickers
// through the cart, creating an account and the checkout to the placed
// order, with every stop of the focus visible, and the focus on the alert
// when a form comes back refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { BASE, DESKTOP, PHONE, launch, shot, watchErrors } from "./browser.js";

let browser;
before(async () => { browser = await launch(); });
after(async () => { await browser?.close(); });

/// What has the focus: enough to find it and to see that it shows.
function focused() {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    name: el.getAttribute("name") ?? "",
    role: el.getAttribute("role") ?? "",
    text: (el.innerText ?? el.value ?? "").trim().slice(0, 60),
    value: el.value ?? "",
    visible: el.matches(":focus-visible") && style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}

/// Presses Tab (or Shift+Tab) until the focus is on what `wanted` picks;
/// every element the focus stops at on the way must show it.
async function tabTo(page, wanted, { back = false, max = 80 } = {}) {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press(back ? "Shift+Tab" : "Tab");
    const now = await page.evaluate(focused);
    if (now.tag !== "body") assert.ok(now.visible, `the focus on ${JSON.stringify(now)} is visible`);
    if (wanted(now)) return now;
  }
  assert.fail(`the focus never reached what was wanted on ${page.url()}`);
}

/// Presses `key` on a form's control and waits for the page it brings.
async function submit(page, key) {
  const loaded = page.waitForEvent("load");
  await page.keyboard.press(key);
  await loaded;
}

const field = (id) => (f) => f.id === id;
const control = (text) => (f) => f.text === text;

for (const [size, viewport] of [["desktop", DESKTOP], ["phone", PHONE]]) {
  test(`a shopper buys with the keyboard alone (${size})`, async () => {
    const context = await browser.newContext({ viewport });
    const page = await context.newPage();
    const errors = [];
    watchErrors(page, errors);
    await page.goto(`${BASE}/products/linen-button-down-shirt`);

    // From here on, only the keyboard. The arrows move within a picker.
    await tabTo(page, (f) => f.name === "opt_colour");
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.evaluate(() => document.activeElement.value), "Sky Blue");
    await tabTo(page, (f) => f.name === "opt_size");
    await page.keyboard.press("ArrowRight");
    assert.equal(await page.evaluate(() => document.activeElement.value), "M");
    await tabTo(page, field("quantity"));
    await page.keyboard.press("Control+A");
    await page.keyboard.type("2");
    await tabTo(page, control("Add to cart"));
    await submit(page, "Enter");
    await page.waitForURL(/\/cart$/);
    assert.match(await page.locator("main").innerText(), /colour: Sky Blue, size: M/);
    await tabTo(page, control("Check out"));
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/login\?next=/);
    await tabTo(page, control("Create an account"));
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/register\?next=/);

    // A password too short: the page comes back with the focus on why.
    await tabTo(page, field("name"));
    await page.keyboard.type("Kim Keys");
    await page.keyboard.press("Tab");
    await page.keyboard.type(`kim-${size}-${Date.now()}@example.com`);
    await page.keyboard.press("Tab");
    await page.keyboard.type("short");
    await submit(page, "Enter");
    await page.waitForFunction(() => document.activeElement?.getAttribute("role") === "alert", null, { timeout: 3000 });
    assert.equal(await page.locator("#password").getAttribute("aria-invalid"), "true");
    await tabTo(page, field("password"));
    await page.keyboard.type("a good long password");
    await page.keyboard.press("Enter");
    await page.waitForURL(/\/checkout$/);

    // Placing the order without an address: refused, the focus on why.
    await tabTo(page, control("Place order"));
    await submit(page, "Enter");
    await page.waitForFunction(() => document.activeElement?.getAttribute("role") === "alert", null, { timeout: 3000 });

    assert.equal(await page.locator("#country-error").innerText(), "Choose a country.");
    assert.equal(await page.locator("#line1-error").innerText(), "Enter the address.");
    await tabTo(page, field("country"));
    await page.keyboard.type("Germany");
    assert.equal(await page.locator("#country").inputValue(), "DE");
    await tabTo(page, field("line1"));
    await page.keyboard.type("3 Quay Street");
    await tabTo(page, field("city"));
    await page.keyboard.type("Berlin");
    await tabTo(page, field("postal_code"), { back: true });
    await page.keyboard.type("10115");
    // The shipping method stays the first; the payment is bank transfer.
    await tabTo(page, (f) => f.name === "payment_method");
    await page.keyboard.press("ArrowDown");
    assert.equal(await page.locator("input[name=payment_method]:checked").inputValue(), "bank_transfer");
    await shot(page, `keyboard-checkout-${size}`);
    await tabTo(page, control("Place order"));
    await page.keyboard.press("Space");

    await page.waitForURL(/\/account\/orders\/[0-9a-f-]+$/);
    const order = await page.locator("main").innerText();
    assert.match(order, /Thank you! Your order is placed\./);
    assert.match(order, /Linen Button-Down Shirt/);
    assert.match(order, /Germany/);
    // The two refused forms come back with 422, which the browser logs.
    assert.deepEqual(errors.filter((e) => !/status of 422/.test(e)), []);
    await context.close();
  });
}

test("a saved address keeps the new address's fields out of sight and out of the tab order", async () => {
  const context = await browser.newContext({ viewport: PHONE });
  const page = await context.newPage();
  const errors = [];
  watchErrors(page, errors);
  await page.goto(`${BASE}/register`);
  await page.getByLabel("Your name").fill("Sven Saved");
  await page.getByLabel("Email").fill(`sven-${Date.now()}@example.com`);
  await page.getByLabel(/^Password/).fill("a good long password");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.goto(`${BASE}/account`);
  await page.getByLabel("Full name").fill("Sven Saved");
  await page.getByLabel("Country").selectOption("SE");
  await page.getByLabel("Address", { exact: true }).fill("Storgatan 1");
  await page.getByLabel("Postal code").fill("111 22");
  await page.getByLabel("City").fill("Stockholm");
  await page.getByRole("button", { name: "Save address" }).click();
  await assert.doesNotReject(page.getByText("Address saved.").waitFor());
  await page.goto(`${BASE}/products/linen-button-down-shirt`);
  await page.getByRole("button", { name: "Add to cart" }).click();
  await page.waitForURL(/\/cart$/);
  await page.goto(`${BASE}/checkout`);

  const saved = page.getByRole("radio", { name: /Sven Saved/ });
  assert.ok(await saved.isChecked(), "the saved address is chosen");
  assert.ok(!(await page.locator("#line1").isVisible()), "the new address's fields are hidden");
  await shot(page, "checkout-saved-address-phone");
  await saved.focus();
  await page.keyboard.press("Tab");
  const next = await page.evaluate(() => document.activeElement.getAttribute("name"));
  assert.equal(next, "shipping_method_id", "the tab skips the hidden fields");

  // Choosing a new address shows its fields, next in the tab order.
  await saved.focus();
  await page.keyboard.press("ArrowDown");
  assert.ok(await page.getByRole("radio", { name: "A new address" }).isChecked());
  assert.ok(await page.locator("#line1").isVisible());
  await page.keyboard.press("Tab");
  assert.equal(await page.evaluate(() => document.activeElement.id), "full_name");
  assert.deepEqual(errors, []);
  await context.close();
});
