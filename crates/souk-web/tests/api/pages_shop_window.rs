//! What frames every page and listing: the catalogue's filters shown as
//! removable chips, a summary for search engines on every page, and a
//! footer with the shop's pages and its contact address.

use crate::browser::{Browser, location};
use crate::harness::*;
use crate::pages_admin::staff;
use axum::http::StatusCode;

/// The chips of a listing: (label, link).
fn chips(html: &str) -> Vec<(String, String)> {
    html.split("<a class=\"chip\" href=\"")
        .skip(1)
        .map(|rest| {
            let href = rest.split('"').next().unwrap_or_default();
            let label = rest
                .split("aria-label=\"Remove the filter ")
                .nth(1)
                .and_then(|l| l.split('"').next())
                .unwrap_or_default();
            (label.replace("&#38;", "&"), href.replace("&#38;", "&"))
        })
        .collect()
}

#[tokio::test]
async fn the_filters_in_use_are_chips_that_remove_themselves() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    let page = browser
        .get("/categories/tops?q=tee&opt_colour=Black&opt_size=M&in_stock=1&min_price=10")
        .await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.text.contains("<h1>Tops &#38; Shirts: Black, M</h1>"),
        "{}",
        page.text
    );
    let found = chips(&page.text);
    let labels: Vec<&str> = found.iter().map(|(label, _)| label.as_str()).collect();
    assert_eq!(
        labels,
        [
            "Search: “tee”",
            "From 10",
            "In stock only",
            "Colour: Black",
            "Size: M"
        ]
    );
    for (label, href) in &found {
        assert!(href.starts_with("/categories/tops?"), "{label}: {href}");
    }
    let href = |label: &str| found.iter().find(|(l, _)| l == label).unwrap().1.clone();
    assert_eq!(
        href("Colour: Black"),
        "/categories/tops?q=tee&min_price=10&in_stock=1&opt_size=M"
    );
    assert_eq!(
        href("In stock only"),
        "/categories/tops?q=tee&min_price=10&opt_colour=Black&opt_size=M"
    );
    assert!(
        page.text
            .contains("<a class=\"chip clear\" href=\"/categories/tops\">")
    );
    // Each link answers, with one chip fewer.
    let fewer = browser.get(&href("Size: M")).await;
    assert_eq!(chips(&fewer.text).len(), 4);

    let plain = browser.get("/products").await;
    assert!(
        !plain.text.contains("class=\"filter-chips\""),
        "no filter, no chips"
    );
}

/// The content of the page's meta description.
fn description(html: &str) -> &str {
    html.split("<meta name=\"description\" content=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .expect("a meta description")
}

#[tokio::test]
async fn every_page_describes_itself_and_ends_with_the_shops_footer() {
    let app = TestApp::with_demo().await;
    let mut browser = Browser::new(&app);
    let home = browser.get("/").await;
    assert!(description(&home.text).starts_with("We are a small team that started"));
    assert!(home.text.contains("href=\"mailto:hello@example.com\""));
    assert!(home.text.contains("<footer class=\"site-footer\">"));
    assert!(
        home.text
            .contains("name=\"q\" value=\"\" maxlength=\"200\""),
        "the search box stops where the catalogue stops reading"
    );
    for link in ["/about", "/sell", "/products", "/api/docs"] {
        assert!(
            home.text.contains(&format!("<a href=\"{link}\">")),
            "{link}"
        );
    }
    let about = browser.get("/about").await;
    assert!(about.text.contains("independent makers who sell with us"));

    let product = browser.get("/products/linen-button-down-shirt").await;
    let text = description(&product.text);
    assert!(text.starts_with("A relaxed button-down shirt in breathable European linen"));
    assert!(text.chars().count() <= 160 && text.ends_with('…'), "{text}");
    let category = browser.get("/categories/tops").await;
    assert_ne!(description(&category.text), description(&home.text));
    for path in ["/cart", "/login", "/products?q=linen"] {
        let page = browser.get(path).await;
        assert!(!description(&page.text).is_empty(), "{path}");
    }
}

#[tokio::test]
async fn staff_set_the_contact_address_of_the_footer() {
    let app = TestApp::with_demo().await;
    let mut staff = staff(&app).await;
    staff.get("/admin/settings").await;
    let words = [("shop_name", "Corner Shop"), ("banner", ""), ("about", "")];
    let bad = staff
        .post(
            "/admin/settings",
            &[
                words[0],
                words[1],
                words[2],
                ("contact_email", "not an address"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.text.contains("value=\"not an address\""));
    assert!(bad.text.contains("id=\"contact_email-error\""));
    assert!(
        Browser::new(&app)
            .get("/")
            .await
            .text
            .contains("hello@example.com")
    );

    let saved = staff
        .post(
            "/admin/settings",
            &[
                words[0],
                words[1],
                words[2],
                ("contact_email", "help@corner.example"),
            ],
        )
        .await;
    assert_eq!(location(&saved).as_deref(), Some("/admin/settings"));
    let home = Browser::new(&app).get("/").await;
    assert!(home.text.contains("href=\"mailto:help@corner.example\""));
    assert_eq!(description(&home.text), "Corner Shop: shop online.");

    let cleared = staff.post("/admin/settings", &words).await;
    assert_eq!(location(&cleared).as_deref(), Some("/admin/settings"));
    assert!(!Browser::new(&app).get("/").await.text.contains("mailto:"));
}
