//! The world a case plays in: the shop through its API beside the
//! model; opening it and placing orders.

use super::model::{Entry, Order, Parcel, Payout, Rule, Variant, allocate, commission, pick_rule};
use super::{MIN_STOCK, OrderPlan, PRODUCTS_PER_SOURCE, SELLERS, VoucherPlan};
use crate::harness::{TestApp, TestResponse};
use crate::shopping::{amount, buy_with_voucher, seller_token};
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};

pub(super) struct World<'a> {
    pub(super) app: &'a TestApp,
    pub(super) admin: String,
    pub(super) buyer: String,
    /// (seller id, its access token), in [`SELLERS`] order.
    pub(super) sellers: Vec<(i64, String)>,
    /// The variants bought from: the shop's, then each seller's.
    pub(super) sources: Vec<Vec<Variant>>,
    /// Categories rules may name: those of the products and their parents.
    pub(super) categories: Vec<i64>,
    pub(super) parents: BTreeMap<i64, Option<i64>>,
    pub(super) sellers_pay_vouchers: bool,
    pub(super) rules: Vec<Rule>,
    pub(super) deleted_rules: HashSet<i64>,
    pub(super) orders: Vec<Order>,
    pub(super) ledger: BTreeMap<i64, Vec<Entry>>,
    pub(super) payouts: Vec<Payout>,
    pub(super) counter: u64,
}

/// A call the model expects to succeed when `ok`, and to be refused with
/// 409 otherwise.
#[track_caller]
pub(super) fn expect_status(response: &TestResponse, ok: bool, what: &str) {
    let as_expected = if ok {
        response.status.is_success()
    } else {
        response.status == StatusCode::CONFLICT
    };
    assert!(
        as_expected,
        "{what}: expected {}, got {}: {}",
        if ok { "success" } else { "409" },
        response.status,
        response.text
    );
}

/// Every item of a paged list.
pub(super) async fn all_pages(app: &TestApp, token: &str, path: &str) -> Vec<Value> {
    let mut items = Vec::new();
    for page in 1.. {
        let listed = app
            .get(&format!("{path}?per_page=100&page={page}"))
            .bearer(token)
            .send()
            .await;
        let body = listed.expect(StatusCode::OK).clone();
        let got = body["items"].as_array().expect("items").clone();
        let total = body["total"].as_u64().expect("a total") as usize;
        let empty = got.is_empty();
        items.extend(got);
        if empty || items.len() >= total {
            break;
        }
    }
    items
}

impl<'a> World<'a> {
    /// Staff, a buyer, the three sellers signed in, no commission rules,
    /// payouts of anything at once after delivery, and the products.
    pub(super) async fn open(app: &'a TestApp, sellers_pay_vouchers: bool) -> Self {
        let admin = app.admin().await;
        let demo_rules = app
            .get("/api/v1/admin/commission-rules")
            .bearer(&admin)
            .send()
            .await;
        for rule in demo_rules.expect(StatusCode::OK).as_array().unwrap() {
            app.delete(&format!("/api/v1/admin/commission-rules/{}", rule["id"]))
                .bearer(&admin)
                .send()
                .await
                .expect(StatusCode::NO_CONTENT);
        }
        let terms = app
            .put("/api/v1/admin/settings/payouts")
            .bearer(&admin)
            .json(
                json!({"hold_days": 0, "minimum": 1, "sellers_pay_vouchers": sellers_pay_vouchers}),
            )
            .send()
            .await;
        assert_eq!(
            terms.expect(StatusCode::OK)["sellers_pay_vouchers"],
            sellers_pay_vouchers
        );
        let (buyer, _) = app.customer("property-buyer@example.com").await;

        let mut sources = Vec::new();
        let mut sellers = Vec::new();
        for source in std::iter::once(None).chain(SELLERS.iter().map(Some)) {
            let path = match source {
                Some(slug) => {
                    format!("/api/v1/store/products?seller={slug}&in_stock=true&per_page=100")
                }
                None => "/api/v1/store/products?in_stock=true&per_page=100".to_owned(),
            };
            let listed = app.get(&path).send().await;
            let products: Vec<Value> = listed.expect(StatusCode::OK)["items"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|p| source.is_some() || p["seller"].is_null())
                .take(PRODUCTS_PER_SOURCE)
                .cloned()
                .collect();
            if let Some(slug) = source {
                let id = products[0]["seller"]["id"].as_i64().expect("a seller id");
                let (token, _) = seller_token(app, slug).await;
                sellers.push((id, token));
            }
            let mut variants = Vec::new();
            for product in products {
                let detail = app
                    .get(&format!(
                        "/api/v1/store/products/{}",
                        product["slug"].as_str().unwrap()
                    ))
                    .send()
                    .await;
                let detail = detail.expect(StatusCode::OK).clone();
                for v in detail["variants"].as_array().unwrap() {
                    let stock = v["stock_available"].as_i64().unwrap();
                    if stock >= MIN_STOCK {
                        variants.push(Variant {
                            id: v["id"].as_i64().unwrap(),
                            price: amount(&v["price"]),
                            category: detail["category"]["id"].as_i64(),
                            seller: detail["seller"]["id"].as_i64(),
                            stock,
                        });
                    }
                }
            }
            assert!(!variants.is_empty(), "variants in stock of {source:?}");
            sources.push(variants);
        }

        let tree = app.get("/api/v1/store/categories").send().await;
        let mut parents = BTreeMap::new();
        let mut stack: Vec<Value> = tree.expect(StatusCode::OK).as_array().unwrap().clone();
        while let Some(node) = stack.pop() {
            parents.insert(node["id"].as_i64().unwrap(), node["parent_id"].as_i64());
            stack.extend(node["children"].as_array().unwrap().iter().cloned());
        }
        let mut categories: Vec<i64> = Vec::new();
        for v in sources.iter().flatten() {
            let mut next = v.category;
            while let Some(c) = next {
                if !categories.contains(&c) {
                    categories.push(c);
                }
                next = parents.get(&c).copied().flatten();
            }
        }
        categories.sort_unstable();

        let ledger = sellers.iter().map(|(id, _)| (*id, Vec::new())).collect();
        Self {
            app,
            admin,
            buyer,
            sellers,
            sources,
            categories,
            parents,
            sellers_pay_vouchers,
            rules: Vec::new(),
            deleted_rules: HashSet::new(),
            orders: Vec::new(),
            ledger,
            payouts: Vec::new(),
            counter: 0,
        }
    }

    pub(super) fn next_key(&mut self) -> u64 {
        self.counter += 1;
        self.counter
    }

    fn chain(&self, category: Option<i64>) -> Vec<i64> {
        let mut chain = Vec::new();
        let mut next = category;
        while let Some(c) = next {
            if chain.contains(&c) {
                break;
            }
            chain.push(c);
            next = self.parents.get(&c).copied().flatten();
        }
        chain
    }

    pub(super) fn token_of(&self, seller: i64) -> &str {
        &self
            .sellers
            .iter()
            .find(|(id, _)| *id == seller)
            .expect("a seller of the case")
            .1
    }

    /// Checks out a cart and checks what the order became against the
    /// model; pays it and takes its steps.
    pub(super) async fn place(&mut self, plan: &OrderPlan) {
        let mut lines: Vec<Variant> = Vec::new();
        let mut quantities: Vec<i64> = Vec::new();
        for &(source, pick, quantity) in &plan.lines {
            let variants = &mut self.sources[source];
            let count = variants.len();
            let variant = &mut variants[pick % count];
            let quantity = quantity.min(variant.stock);
            if quantity < 1 || lines.iter().any(|l| l.id == variant.id) {
                continue;
            }
            variant.stock -= quantity;
            lines.push(variant.clone());
            quantities.push(quantity);
        }
        if lines.is_empty() {
            return;
        }
        let n = self.next_key();
        let code = match plan.voucher {
            VoucherPlan::None => None,
            VoucherPlan::Percent(value) | VoucherPlan::Fixed(value) => {
                let kind = if matches!(plan.voucher, VoucherPlan::Percent(_)) {
                    "percent"
                } else {
                    "fixed"
                };
                let code = format!("PROP{n}");
                self.app
                    .post("/api/v1/admin/vouchers")
                    .bearer(&self.admin)
                    .json(json!({"code": code, "kind": kind, "value": value}))
                    .send()
                    .await
                    .expect(StatusCode::CREATED);
                Some(code)
            }
        };
        let cart: Vec<(i64, i64)> = lines
            .iter()
            .zip(&quantities)
            .map(|(v, q)| (v.id, *q))
            .collect();
        let placed = buy_with_voucher(
            self.app,
            &self.buyer,
            &cart,
            &format!("property-{n}"),
            code.as_deref(),
        )
        .await;
        let number = placed["number"].as_str().unwrap().to_owned();
        let public_id = placed["id"].as_str().unwrap().to_owned();

        // The lines: what was put in the cart, at its price, in the
        // order the discount is spread in (the line ids').
        let mut items = placed["items"].as_array().unwrap().clone();
        items.sort_by_key(|i| i["id"].as_i64());
        assert_eq!(items.len(), lines.len(), "one line per variant: {placed}");
        let mut ordered: Vec<(&Value, &Variant, i64)> = Vec::new();
        for item in &items {
            let at = lines
                .iter()
                .position(|v| Some(v.id) == item["variant_id"].as_i64())
                .unwrap_or_else(|| panic!("a line not in the cart: {item}"));
            let (variant, quantity) = (&lines[at], quantities[at]);
            assert_eq!(item["quantity"], quantity, "{item}");
            assert_eq!(amount(&item["unit_price"]), variant.price, "{item}");
            assert_eq!(amount(&item["line_total"]), variant.price * quantity);
            assert_eq!(item["seller_id"].as_i64(), variant.seller, "{item}");
            ordered.push((item, variant, quantity));
        }
        let totals: Vec<i64> = ordered.iter().map(|(_, v, q)| v.price * q).collect();
        let subtotal: i64 = totals.iter().sum();
        let discount = match plan.voucher {
            VoucherPlan::None => 0,
            VoucherPlan::Percent(p) => (subtotal * p + 50) / 100,
            VoucherPlan::Fixed(value) => value.min(subtotal),
        };
        let shares = allocate(discount, &totals);
        let (o_subtotal, o_discount, o_shipping, o_tax, o_total) = (
            amount(&placed["subtotal"]),
            amount(&placed["discount"]),
            amount(&placed["shipping"]),
            amount(&placed["tax"]),
            amount(&placed["total"]),
        );
        let context = format!("order {number} ({:?})", plan.voucher);
        assert_eq!(o_subtotal, subtotal, "{context}: subtotal");
        assert_eq!(o_discount, discount, "{context}: discount");
        assert_eq!(o_tax, 0, "{context}: the demo shop charges no tax");
        assert_eq!(
            o_total,
            o_subtotal - o_discount + o_shipping,
            "{context}: subtotal - discount + shipping = total"
        );
        assert_eq!(shares.iter().sum::<i64>(), o_discount, "{context}");

        // The parcels: one per seller and one for the shop's lines, each
        // the sum of its lines and of their discount shares.
        let api_parcels = placed["fulfilments"].as_array().unwrap();
        let mut groups: BTreeMap<Option<i64>, (i64, i64)> = BTreeMap::new();
        for ((_, v, _), (total, share)) in ordered.iter().zip(totals.iter().zip(&shares)) {
            let group = groups.entry(v.seller).or_default();
            group.0 += total;
            group.1 += share;
        }
        assert_eq!(
            api_parcels.len(),
            groups.len(),
            "{context}: parcels {placed}"
        );
        let mut parcels = Vec::new();
        for p in api_parcels {
            let seller = p["seller_id"].as_i64();
            let (sub, disc) = groups[&seller];
            assert_eq!(amount(&p["subtotal"]), sub, "{context}: parcel {p}");
            assert_eq!(amount(&p["discount"]), disc, "{context}: parcel {p}");
            assert_eq!(amount(&p["refunded"]), 0);
            assert_eq!(p["status"], "pending");
            let shipping = amount(&p["shipping"]);
            assert!(shipping >= 0, "{p}");
            parcels.push(Parcel {
                id: p["id"].as_i64().unwrap(),
                seller,
                subtotal: sub,
                discount: disc,
                shipping,
                seller_discount: if self.sellers_pay_vouchers && seller.is_some() {
                    disc
                } else {
                    0
                },
                commission: 0,
                refunded: 0,
                status: "pending",
                released: false,
            });
        }
        parcels.sort_by_key(|p| p.id);
        let sum = |f: fn(&Parcel) -> i64| parcels.iter().map(f).sum::<i64>();
        assert_eq!(sum(|p| p.subtotal), o_subtotal, "{context}: parcels' goods");
        assert_eq!(
            sum(|p| p.discount),
            o_discount,
            "{context}: parcels' discount"
        );
        assert_eq!(
            sum(|p| p.shipping),
            o_shipping,
            "{context}: parcels' shipping"
        );
        assert_eq!(sum(Parcel::paid_for), o_total, "{context}: parcels' total");

        // The commission lines: one per seller's line, frozen with the
        // rule that applied now; the preview agrees.
        let listed = self
            .app
            .get(&format!("/api/v1/admin/orders/{public_id}/commissions"))
            .bearer(&self.admin)
            .send()
            .await;
        let commission_lines = listed.expect(StatusCode::OK).as_array().unwrap().clone();
        let seller_lines: Vec<_> = ordered
            .iter()
            .zip(totals.iter().zip(&shares))
            .filter(|((_, v, _), _)| v.seller.is_some())
            .collect();
        assert_eq!(
            commission_lines.len(),
            seller_lines.len(),
            "{context}: one commission line per seller's line: {commission_lines:?}"
        );
        for (line, ((item, variant, quantity), (total, share))) in
            commission_lines.iter().zip(&seller_lines)
        {
            let seller = variant.seller.unwrap();
            let line_amount = *total - *share;
            let rule = pick_rule(&self.rules, seller, &self.chain(variant.category));
            let expected = rule.map_or(0, |r| commission(&r.terms, line_amount, *quantity));
            let at = format!("{context}: line {item} under {rule:?}: {line}");
            assert_eq!(line["order_item_id"], item["id"], "{at}");
            assert_eq!(line["seller_id"], seller, "{at}");
            assert_eq!(amount(&line["discount_share"]), **share, "{at}");
            assert_eq!(amount(&line["line_amount"]), line_amount, "{at}");
            assert_eq!(amount(&line["commission"]), expected, "{at}");
            assert_eq!(line["rule_id"].as_i64(), rule.map(|r| r.id), "{at}");
            assert_eq!(line["rule_scope"], rule.map_or("none", Rule::scope), "{at}");
            assert_eq!(
                line["basis_points"],
                rule.map_or(0, |r| r.terms.bps),
                "{at}"
            );
            let category = variant
                .category
                .map(|c| format!("&category_id={c}"))
                .unwrap_or_default();
            let preview = self
                .app
                .get(&format!(
                    "/api/v1/admin/commission-preview?seller_id={seller}{category}&amount={line_amount}&quantity={quantity}"
                ))
                .bearer(&self.admin)
                .send()
                .await;
            let preview = preview.expect(StatusCode::OK);
            assert_eq!(
                amount(&preview["commission"]),
                expected,
                "{at}: preview {preview}"
            );
            assert_eq!(preview["rule"]["id"].as_i64(), rule.map(|r| r.id), "{at}");
            let parcel = parcels
                .iter_mut()
                .find(|p| p.seller == Some(seller))
                .unwrap();
            parcel.commission += expected;
        }

        self.orders.push(Order {
            public_id,
            number,
            paid: false,
            subtotal: o_subtotal,
            discount: o_discount,
            shipping: o_shipping,
            total: o_total,
            parcels,
            commission_lines,
        });
        let index = self.orders.len() - 1;
        if plan.pay {
            self.pay(index).await;
        }
        for step in &plan.steps {
            self.step(index, *step).await;
        }
    }
}
