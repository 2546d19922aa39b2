//! Money and counts typed into the pages: each field stops at the length
//! the server reads (`maxlength` from the constant its parser uses), shows
//! the keyboard for numbers on a phone, and longer input sent anyway is
//! refused in a whole sentence with the form kept.

use crate::browser::Browser;
use crate::harness::*;
use crate::shopping::mark_paid;
use axum::http::StatusCode;
use souk_domain::money::MONEY_INPUT_MAX;
use souk_domain::numbers::WHOLE_NUMBER_INPUT_MAX;
use souk_domain::orders::QUANTITY_INPUT_MAX;

/// The value of `name="..."` in one tag.
fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    Some(&tag[at..at + tag[at..].find('"')?])
}

/// The `<input>` tags of a page named `name`.
fn inputs<'a>(html: &'a str, name: &str) -> Vec<&'a str> {
    html.match_indices("<input ")
        .map(|(at, _)| &html[at..at + html[at..].find('>').expect("a closed tag")])
        .filter(|tag| attr(tag, "name") == Some(name))
        .collect()
}

/// Fails unless every field `name` of the page is a text field of at most
/// `max` characters (a number field would ignore `maxlength`), with the
/// phone keyboard `mode` when one is given.
fn assert_fields(path: &str, html: &str, name: &str, max: usize, mode: Option<&str>) {
    let tags = inputs(html, name);
    assert!(!tags.is_empty(), "{path} has {name}");
    for tag in tags {
        assert_eq!(attr(tag, "type").unwrap_or("text"), "text", "{path}: {tag}");
        assert_eq!(
            attr(tag, "maxlength"),
            Some(max.to_string().as_str()),
            "{path}: {tag}"
        );
        if mode.is_some() {
            assert_eq!(attr(tag, "inputmode"), mode, "{path}: {tag}");
        }
    }
}

/// A field's name, its `maxlength` and its `inputmode`.
type Field = (&'static str, usize, Option<&'static str>);

const MONEY: Option<&str> = Some("decimal");
const COUNT: Option<&str> = Some("numeric");

#[tokio::test]
async fn the_numeric_fields_stop_at_the_servers_limits() {
    let app = TestApp::with_demo().await;
    let mut shopper = Browser::new(&app);
    let catalogue = shopper.open("/products").await.text;
    for name in ["min_price", "max_price"] {
        assert_fields("/products", &catalogue, name, MONEY_INPUT_MAX, MONEY);
    }
    let product = shopper
        .open("/products/organic-cotton-crew-t-shirt")
        .await
        .text;
    assert_fields("product", &product, "quantity", QUANTITY_INPUT_MAX, COUNT);
    shopper
        .post("/cart/items", &[("variant_id", "1"), ("quantity", "1")])
        .await;
    let cart = shopper.open("/cart").await.text;
    assert_fields("/cart", &cart, "quantity", QUANTITY_INPUT_MAX, COUNT);

    let admin = app.admin().await;
    let (_, order) = app.demo_order("rae@example.com", "bank_transfer").await;
    let order_id = order["id"].as_str().unwrap().to_owned();
    mark_paid(&app, &admin, &order_id).await;
    let mut staff = crate::pages_admin::staff(&app).await;
    let order_page = format!("/admin/orders/{order_id}");
    let pages: [(&str, Vec<Field>); 8] = [
        (
            "/admin/products/new",
            vec![
                ("variants[0].price", MONEY_INPUT_MAX, MONEY),
                ("variants[0].stock", WHOLE_NUMBER_INPUT_MAX, COUNT),
            ],
        ),
        (
            "/admin/products/1",
            vec![
                ("price", MONEY_INPUT_MAX, MONEY),
                ("stock", WHOLE_NUMBER_INPUT_MAX, COUNT),
                // Units to remove take a minus sign, which a phone's number
                // pad may lack.
                ("delta", WHOLE_NUMBER_INPUT_MAX, None),
            ],
        ),
        (
            "/admin/categories",
            vec![("position", WHOLE_NUMBER_INPUT_MAX, None)],
        ),
        (
            "/admin/shipping",
            vec![
                ("price", MONEY_INPUT_MAX, MONEY),
                ("free_above", MONEY_INPUT_MAX, MONEY),
                ("position", WHOLE_NUMBER_INPUT_MAX, None),
            ],
        ),
        (
            "/admin/vouchers",
            vec![
                ("value", MONEY_INPUT_MAX, MONEY),
                ("min_subtotal", MONEY_INPUT_MAX, MONEY),
                ("usage_limit", WHOLE_NUMBER_INPUT_MAX, COUNT),
                ("per_customer_limit", WHOLE_NUMBER_INPUT_MAX, COUNT),
            ],
        ),
        (
            "/admin/commissions",
            vec![
                ("percent", 6, MONEY),
                ("fixed_per_unit", MONEY_INPUT_MAX, MONEY),
                ("min_per_line", MONEY_INPUT_MAX, MONEY),
                ("max_per_line", MONEY_INPUT_MAX, MONEY),
                ("price", MONEY_INPUT_MAX, MONEY),
                ("quantity", QUANTITY_INPUT_MAX, COUNT),
            ],
        ),
        (
            "/admin/payouts",
            vec![("hold_days", 3, COUNT), ("minimum", MONEY_INPUT_MAX, MONEY)],
        ),
        (&order_page, vec![("amount", MONEY_INPUT_MAX, MONEY)]),
    ];
    for (path, fields) in pages {
        let html = staff.open(path).await.text;
        assert!(!html.contains("type=\"number\""), "{path}");
        for (name, max, mode) in fields {
            assert_fields(path, &html, name, max, mode);
        }
    }
}

#[tokio::test]
async fn an_over_long_number_is_refused_in_a_sentence_with_the_form_kept() {
    let app = TestApp::with_demo().await;
    let mut staff = crate::pages_admin::staff(&app).await;
    let money = "1".repeat(MONEY_INPUT_MAX + 1);
    let count = "1".repeat(WHOLE_NUMBER_INPUT_MAX + 1);

    staff.get("/admin/shipping").await;
    let shipping = staff
        .post(
            "/admin/shipping",
            &[("name", "Express"), ("price", &money), ("position", &count)],
        )
        .await;
    assert_eq!(shipping.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        shipping.text.contains("value=\"Express\""),
        "the name is kept"
    );
    assert!(
        shipping.text.contains(&format!("value=\"{money}\"")),
        "the price is kept"
    );
    for (field, message) in [
        (
            "price",
            format!("The price must be at most {MONEY_INPUT_MAX} characters."),
        ),
        (
            "position",
            format!("The position must be at most {WHOLE_NUMBER_INPUT_MAX} characters."),
        ),
    ] {
        assert!(
            shipping.text.contains(&format!(
                "<p class=\"error\" id=\"{field}-error\">{message}</p>"
            )),
            "{field}: {}",
            shipping.text
        );
    }

    staff.get("/admin/vouchers").await;
    let voucher = staff
        .post(
            "/admin/vouchers",
            &[
                ("code", "SPRING"),
                ("kind", "fixed"),
                ("value", "5"),
                ("usage_limit", &count),
            ],
        )
        .await;
    assert_eq!(voucher.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        voucher.text.contains("value=\"SPRING\""),
        "the code is kept"
    );
    assert!(voucher.text.contains(&format!(
        "The number of uses in all must be at most {WHOLE_NUMBER_INPUT_MAX} characters."
    )));

    staff.get("/admin/payouts").await;
    let terms = staff
        .post(
            "/admin/payouts/settings",
            &[("hold_days", "1000"), ("minimum", "25")],
        )
        .await;
    assert_eq!(terms.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(terms.text.contains("value=\"1000\""), "the hold is kept");
    assert!(
        terms
            .text
            .contains("The hold must be at most 3 characters.")
    );

    // The catalogue's filter is left out, and says why.
    let mut shopper = Browser::new(&app);
    let listing = shopper
        .get(&format!("/products?min_price={money}"))
        .await
        .text;
    assert!(listing.contains(&format!(
        "The lowest price must be at most {MONEY_INPUT_MAX} characters; it is not applied."
    )));
    assert!(
        listing.contains(&format!("value=\"{money}\"")),
        "the filter is kept"
    );

    // A quantity: refused on the product page with what was typed.
    shopper.get("/products/organic-cotton-crew-t-shirt").await;
    let add = shopper
        .post(
            "/cart/items",
            &[
                ("product", "organic-cotton-crew-t-shirt"),
                ("variant_id", "1"),
                ("quantity", "0001"),
            ],
        )
        .await;
    assert_eq!(add.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(add.text.contains("value=\"0001\""), "the quantity is kept");
    assert!(
        add.text
            .contains("The quantity must be a whole number from 1 to 999.")
    );
}
