//! What a screen reader or a low-vision shopper meets: one field per id,
//! status colours that pass WCAG's 4.5:1 on their backgrounds, fields that
//! stop at the server's limits, and a refused form that takes the focus to
//! its alert with each field's message tied to the field.

use crate::browser::Browser;
use crate::harness::*;
use axum::http::StatusCode;
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

/// The value of `name="..."` in one tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    Some(&tag[at..at + tag[at..].find('"')?])
}

/// The tags of a page's text fields: inputs one types text into, and
/// text areas.
fn text_fields(html: &str) -> Vec<&str> {
    let mut tags = Vec::new();
    for start in ["<input ", "<textarea "] {
        for (at, _) in html.match_indices(start) {
            let end = at + html[at..].find('>').expect("a closed tag");
            let tag = &html[at..=end];
            let kind = attr(tag, "type").unwrap_or("text");
            if start == "<textarea "
                || ["text", "email", "password", "tel", "search", "url"].contains(&kind)
            {
                tags.push(tag);
            }
        }
    }
    tags
}

#[tokio::test]
async fn the_shops_text_fields_stop_at_the_servers_limits() {
    use souk_domain::{address, identity, text, vouchers};
    let limits = [
        ("name", identity::NAME_MAX),
        ("full_name", identity::NAME_MAX),
        ("email", text::EMAIL_MAX),
        ("password", identity::NewPassword::MAX_CHARS),
        ("line1", address::LINE_MAX),
        ("line2", address::LINE_MAX),
        ("company", address::SHORT_MAX),
        ("city", address::SHORT_MAX),
        ("region", address::SHORT_MAX),
        ("postal_code", address::POSTAL_CODE_MAX),
        ("phone", identity::PHONE_MAX_CHARS),
        ("voucher_code", vouchers::CODE_MAX),
        ("voucher", vouchers::CODE_MAX),
    ];
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    let mut pages = Vec::new();
    for path in ["/login", "/register", "/forgot-password"] {
        pages.push((path, browser.open(path).await.text));
    }
    browser.register("lena@example.com", "Lena").await;
    browser.get("/products/organic-cotton-crew-t-shirt").await;
    browser
        .post("/cart/items", &[("variant_id", "1"), ("quantity", "1")])
        .await;
    for path in ["/account", "/cart", "/checkout"] {
        pages.push((path, browser.open(path).await.text));
    }
    for (path, html) in &pages {
        let fields = text_fields(html);
        assert!(!fields.is_empty(), "{path} has text fields");
        for tag in fields {
            let name = attr(tag, "name").expect("a named field");
            // The header's search box is the catalogue's, not a form's.
            if name == "q" {
                continue;
            }
            let max = attr(tag, "maxlength").unwrap_or_else(|| panic!("{path}: {tag}"));
            if let Some((_, limit)) = limits.iter().find(|(field, _)| *field == name) {
                assert_eq!(max, limit.to_string(), "{path}: {tag}");
            }
        }
    }
    let checkout = &pages.last().unwrap().1;
    for name in ["full_name", "line1", "postal_code", "city"] {
        let tag = text_fields(checkout)
            .into_iter()
            .find(|t| attr(t, "name") == Some(name))
            .unwrap();
        assert!(tag.contains(" required"), "{tag}");
    }
    assert!(
        checkout.contains(r#"<select id="country" name="country" autocomplete="country" required"#)
            && checkout.contains(r#"<option value="DE">Germany</option>"#),
        "the country is chosen by name"
    );
}

#[tokio::test]
async fn a_refused_form_takes_the_focus_to_its_alert_and_marks_each_field() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    let alert = r#"<div class="alert" role="alert" tabindex="-1" autofocus>"#;

    browser.get("/login").await;
    let wrong = browser
        .post(
            "/login",
            &[
                ("email", "nobody@example.com"),
                ("password", "not the password"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(wrong.text.contains(alert), "{}", wrong.text);

    browser.get("/register").await;
    let short = browser
        .post(
            "/register",
            &[
                ("email", "mo@example.com"),
                ("password", "short"),
                ("name", " "),
            ],
        )
        .await;
    assert_eq!(short.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(short.text.contains(alert));
    for (id, message) in [
        ("password", "The password must be at least 10 characters."),
        ("name", "Enter a name."),
    ] {
        assert!(
            short.text.contains(&format!(
                r#"aria-invalid="true" aria-describedby="{id}-error""#
            )),
            "{id} is marked invalid"
        );
        assert!(
            short.text.contains(&format!(
                r#"<p class="error" id="{id}-error">{message}</p>"#
            )),
            "{id}: {message}"
        );
    }

    browser.register("mo@example.com", "Mo").await;
    browser.get("/account").await;
    let long = "x".repeat(5000);
    let details = browser
        .post("/account", &[("name", &long), ("phone", "")])
        .await;
    assert_eq!(details.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(details.text.contains(alert));
    assert!(details.text.contains(
        r#"<p class="error" id="name-error">The name must be at most 100 characters.</p>"#
    ));

    browser.get("/products/organic-cotton-crew-t-shirt").await;
    browser
        .post("/cart/items", &[("variant_id", "1"), ("quantity", "1")])
        .await;
    browser.open("/checkout").await;
    let missing = browser
        .post(
            "/checkout",
            &[
                ("address", "new"),
                ("full_name", "Mo"),
                ("city", "Oslo"),
                ("postal_code", "0150"),
                ("country", "NO"),
                ("shipping_method_id", "1"),
                ("payment_method", "bank_transfer"),
            ],
        )
        .await;
    assert_eq!(missing.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(missing.text.contains(alert));
    assert!(
        missing
            .text
            .contains(r#"aria-invalid="true" aria-describedby="line1-error""#)
    );
    assert!(
        missing
            .text
            .contains(r#"<p class="error" id="line1-error">Enter the address.</p>"#)
    );
    assert!(
        missing
            .text
            .contains(r#"<option value="NO" selected>Norway</option>"#),
        "the country is kept"
    );
}

#[tokio::test]
async fn the_admin_forms_text_fields_stop_at_the_servers_limits() {
    use souk_domain::{catalogue, orders, text, vouchers};
    let app = TestApp::with_demo().await;
    let mut staff = crate::pages_admin::staff(&app).await;
    let pages = [
        (
            "/admin/products/new",
            vec![
                ("name", catalogue::PRODUCT_NAME_MAX),
                ("slug", text::SLUG_MAX),
                ("description", catalogue::DESCRIPTION_MAX),
                ("variants[0].sku", text::SKU_MAX),
            ],
        ),
        (
            "/admin/products/1",
            vec![
                ("sku", text::SKU_MAX),
                ("reason", catalogue::STOCK_REASON_MAX),
            ],
        ),
        (
            "/admin/categories",
            vec![
                ("name", catalogue::CATEGORY_NAME_MAX),
                ("slug", text::SLUG_MAX),
                ("description", catalogue::CATEGORY_DESCRIPTION_MAX),
            ],
        ),
        (
            "/admin/shipping",
            vec![("name", souk_core::shipping::METHOD_NAME_MAX)],
        ),
        ("/admin/vouchers", vec![("code", vouchers::CODE_MAX)]),
    ];
    for (path, limits) in pages {
        let html = staff.open(path).await.text;
        let fields = text_fields(&html);
        for (name, limit) in limits {
            let tags: Vec<_> = fields
                .iter()
                .filter(|t| attr(t, "name") == Some(name))
                .collect();
            assert!(!tags.is_empty(), "{path} has {name}");
            for tag in tags {
                assert_eq!(
                    attr(tag, "maxlength"),
                    Some(limit.to_string().as_str()),
                    "{path}: {tag}"
                );
            }
        }
    }
    let (_, order) = app.demo_order("nia@example.com", "bank_transfer").await;
    let html = staff
        .open(&format!("/admin/orders/{}", order["id"].as_str().unwrap()))
        .await
        .text;
    let note = text_fields(&html)
        .into_iter()
        .find(|t| attr(t, "name") == Some("note"))
        .unwrap();
    assert_eq!(
        attr(note, "maxlength"),
        Some(orders::STATUS_NOTE_MAX.to_string().as_str())
    );
}
