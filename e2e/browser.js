import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
// Launches Debian's Chromium through playwright-core and saves screenshots.
import { chromium } from "playwright-core";

export const BASE = process.env.SOUK_URL ?? "http://127.0.0.1:18080";

export const NARROW = { width: 360, height: 740 };
export const PHONE = { width: 390, height: 844 };
export const DESKTOP = { width: 1366, height: 900 };
/// The window sizes every main page is looked at in.
export const SIZES = [["narrow", NARROW], ["phone", PHONE], ["desktop", DESKTOP]];

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

/// What does not fit the window, found in the page: the page wider than
/// the window, or a box whose content sticks out of it or is cut off by
/// it (a table clipped by its wrapper, an e-mail address spilling out of
/// its panel). A box marked `data-scrolls` may scroll its content.
function layoutProblems() {
  const problems = [];
  const root = document.documentElement;
  if (root.scrollWidth > window.innerWidth) {
    problems.push(`the page is ${root.scrollWidth - window.innerWidth}px wider than the window`);
  }
  const name = (el) => {
    const text = (el.textContent ?? "").trim().replace(/\s+/g, " ").slice(0, 40);
    return `<${el.tagName.toLowerCase()}${el.id ? `#${el.id}` : ""}${el.classList.length ? `.${[...el.classList].join(".")}` : ""}> "${text}"`;
  };
  for (const el of document.querySelectorAll("body *")) {
    if (el.closest("[data-scrolls], svg, select, .sr-only")) continue;
    if (["INPUT", "TEXTAREA", "OPTION", "SCRIPT", "STYLE", "BR"].includes(el.tagName)) continue;
    const style = getComputedStyle(el);
    if (style.display === "inline" || style.display === "none" || style.display === "contents") continue;
    if (el.clientWidth <= 1) continue;
    const over = el.scrollWidth - el.clientWidth;
    if (over > 1) problems.push(`${name(el)} is ${over}px too narrow for its content`);
  }
  return problems;
}

/// Fails unless the page fits its window: nothing scrolls sideways and no
/// box cuts off or spills its content.
export async function assertFits(page, what = new URL(page.url()).pathname) {
  const problems = await page.evaluate(layoutProblems);
  assert.deepEqual(problems, [], `${what} at ${page.viewportSize().width}px: ${problems.join("; ")}`);
}

/// Fails on any error the page logs or any script error it throws, and on
/// any page that loads in it and does not fit its window.
export function watchErrors(page, errors) {
  page.on("pageerror", (e) => errors.push(`page error: ${e.message}`));
  page.on("console", (m) => {
    if (m.type() === "error") errors.push(`console: ${m.text()}`);
  });
  page.on("load", async () => {
    try {
      const url = page.url();
      const problems = await page.evaluate(layoutProblems);
      const width = page.viewportSize()?.width;
      for (const p of problems) errors.push(`${new URL(url).pathname} at ${width}px: ${p}`);
    } catch {
      // The page moved on before it could be measured; the next one is.
    }
  });
}

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/// Fails on every violation axe-core finds in the page as it is now. axe
/// is evaluated through the browser's debugging protocol rather than added
/// as a <script>, so the page keeps its own Content-Security-Policy.
export async function assertAccessible(page, what = new URL(page.url()).pathname) {
  if (!(await page.evaluate(() => typeof window.axe === "object"))) await page.evaluate(AXE);
  const { violations } = await page.evaluate(() => window.axe.run(document, { resultTypes: ["violations"] }));
  const found = violations.map((v) => `${v.id} (${v.impact}): ${v.help}\n    ${v.nodes.slice(0, 6).map((n) => `${n.target.join(" ")}: ${(n.failureSummary ?? "").replace(/\s+/g, " ")}`).join("\n    ")}`);
  assert.deepEqual(found, [], `${what} at ${page.viewportSize().width}px:\n  ${found.join("\n  ")}`);
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
