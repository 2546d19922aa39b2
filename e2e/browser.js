import assert from "node:assert/strict";
// Launches Debian's Chromium through playwright-core and saves screenshots.
import { chromium } from "playwright-core";

export const BASE = process.env.SOUK_URL ?? "http://127.0.0.1:18080";

export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1280, height: 900 };

export async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium",
    args: ["--no-sandbox", "--disable-dev-shm-usage"],
  });
}

/// Saves a full-page screenshot of the page as it is now.
export async function shot(page, name) {
  await page.screenshot({ path: `screenshots/${name}.png`, fullPage: true });
}

/// Fails on any error the page logs or any script error it throws.
export function watchErrors(page, errors) {
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
}

/// A JSON API call that must succeed; the parsed body.
export async function api(method, path, body, token, headers = {}) {
  const response = await fetch(`${BASE}${path}`, {
    method,
    headers: {
      "content-type": "application/json",
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...headers,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  assert.ok(response.ok, `${method} ${path}: ${response.status} ${text}`);
  return text ? JSON.parse(text) : null;
}
