//! What a screen reader or a low-vision shopper meets: one field per id,
//! and status colours that pass WCAG's 4.5:1 on their backgrounds.

use crate::browser::Browser;
use crate::harness::*;
use std::collections::HashMap;

/// Every `id="..."` of a page, with how often it occurs.
fn ids(html: &str) -> HashMap<&str, usize> {
    let mut seen = HashMap::new();
    for part in html.split(" id=\"").skip(1) {
        if let Some(end) = part.find('"') {
            *seen.entry(&part[..end]).or_insert(0) += 1;
        }
    }
    seen
}

#[tokio::test]
async fn no_id_is_used_twice_on_the_account_and_checkout_pages() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    browser.register("una@example.com", "Una").await;
    browser.get("/products/organic-cotton-crew-t-shirt").await;
    browser
        .post("/cart/items", &[("variant_id", "1"), ("quantity", "1")])
        .await;
    for path in [
        "/account",
        "/checkout",
        "/cart",
        "/products/organic-cotton-crew-t-shirt",
    ] {
        let page = browser.open(path).await;
        let twice: Vec<_> = ids(&page.text)
            .into_iter()
            .filter(|(_, n)| *n > 1)
            .collect();
        assert!(twice.is_empty(), "{path}: {twice:?}");
    }
}

fn luminance(hex: &str) -> f64 {
    let channel = |i: usize| {
        let c = f64::from(u8::from_str_radix(&hex[i..i + 2], 16).unwrap()) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(1) + 0.7152 * channel(3) + 0.0722 * channel(5)
}

fn contrast(a: &str, b: &str) -> f64 {
    let (x, y) = (luminance(a), luminance(b));
    (x.max(y) + 0.05) / (x.min(y) + 0.05)
}

/// The value of `--name: #rrggbb` in a block of the stylesheet.
fn colour<'a>(block: &'a str, name: &str) -> &'a str {
    let at = block
        .find(&format!("--{name}:"))
        .unwrap_or_else(|| panic!("--{name}"));
    let hash = at + block[at..].find('#').unwrap();
    &block[hash..hash + 7]
}

#[test]
fn status_pills_have_enough_contrast_in_both_themes() {
    let css = include_str!("../../static/souk.css");
    let dark_at = css
        .find("prefers-color-scheme: dark")
        .expect("a dark theme");
    for (theme, block) in [("light", &css[..dark_at]), ("dark", &css[dark_at..])] {
        for kind in ["ok", "warn", "bad"] {
            let ratio = contrast(colour(block, kind), colour(block, &format!("{kind}-soft")));
            assert!(ratio >= 4.5, "{theme} {kind}: {ratio:.2}:1");
        }
    }
}
