//! What the shop shows against the model: order views, payout runs,
//! the sellers' ledgers and balances, and the final verification.

use super::model::{Entry, Payout};
use super::world::{World, all_pages};
use crate::shopping::amount;
use axum::http::StatusCode;
use serde_json::{Value, json};
use std::collections::{BTreeMap, HashSet};

/// An entry as compared: kind, parcel, amount, state, settling payout.
type EntryRow = (String, Option<i64>, i64, String, Option<i64>);

impl World<'_> {
    /// The parcels of an order view are the model's.
    #[track_caller]
    pub(super) fn compare_parcels(&self, index: usize, seen: &Value) {
        let order = &self.orders[index];
        let mut api: Vec<&Value> = seen["fulfilments"].as_array().unwrap().iter().collect();
        api.sort_by_key(|p| p["id"].as_i64());
        assert_eq!(api.len(), order.parcels.len());
        for (p, model) in api.iter().zip(&order.parcels) {
            let at = format!("order {} parcel {p}", order.number);
            assert_eq!(p["id"], model.id, "{at}");
            assert_eq!(amount(&p["refunded"]), model.refunded, "{at}");
            assert_eq!(p["status"], model.status, "{at}");
            assert_eq!(p["funds_release_at"].is_null(), !model.released, "{at}");
        }
        let refunded: i64 = seen["payments"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| amount(&p["refunded"]))
            .sum();
        assert_eq!(
            refunded,
            order.refunded(),
            "order {}: the payments' refunds are the parcels'",
            order.number
        );
        assert_eq!(amount(&seen["total"]), order.total);
    }

    /// A payout run: one payout per seller whose released, unsettled
    /// entries add up to more than nothing, settling exactly those; then
    /// staff decide each as `decisions` say.
    pub(super) async fn pay_out(&mut self, decisions: &[u8]) {
        let run = self
            .app
            .post("/api/v1/admin/payouts/run")
            .bearer(&self.admin)
            .send()
            .await;
        let mut made = run.expect(StatusCode::OK).as_array().unwrap().clone();
        made.sort_by_key(|p| p["seller_id"].as_i64());
        let released: HashSet<i64> = self
            .orders
            .iter()
            .flat_map(|o| &o.parcels)
            .filter(|p| p.released)
            .map(|p| p.id)
            .collect();
        let available =
            |e: &Entry| e.settled_by.is_none() && e.parcel.is_none_or(|p| released.contains(&p));
        let expected: Vec<(i64, i64)> = self
            .ledger
            .iter()
            .map(|(seller, entries)| {
                (
                    *seller,
                    entries
                        .iter()
                        .filter(|e| available(e))
                        .map(|e| e.amount)
                        .sum(),
                )
            })
            .filter(|(_, owed)| *owed >= 1)
            .collect();
        let got: Vec<(i64, i64)> = made
            .iter()
            .map(|p| (p["seller_id"].as_i64().unwrap(), amount(&p["amount"])))
            .collect();
        assert_eq!(got, expected, "payouts made (seller, amount): {made:?}");
        for (k, payout) in made.iter().enumerate() {
            let id = payout["id"].as_i64().unwrap();
            let seller = payout["seller_id"].as_i64().unwrap();
            let sum = amount(&payout["amount"]);
            let entries = self.ledger.get_mut(&seller).unwrap();
            for e in entries.iter_mut() {
                if available(e) {
                    e.settled_by = Some(id);
                }
            }
            entries.push(Entry {
                kind: "payout",
                parcel: None,
                amount: -sum,
                settled_by: Some(id),
            });
            let decision = if decisions.is_empty() {
                0
            } else {
                decisions[k % decisions.len()]
            };
            let (status, body) = match decision {
                1 => (
                    "paid",
                    json!({"status": "paid", "reference": format!("TR-{id}")}),
                ),
                2 => (
                    "failed",
                    json!({"status": "failed", "reason": "The account is closed."}),
                ),
                _ => ("pending", Value::Null),
            };
            if status != "pending" {
                let decided = self
                    .app
                    .post(&format!("/api/v1/admin/payouts/{id}/status"))
                    .bearer(&self.admin)
                    .json(body)
                    .send()
                    .await;
                assert_eq!(decided.expect(StatusCode::OK)["status"], status);
            }
            if status == "failed" {
                entries.push(Entry {
                    kind: "payout_returned",
                    parcel: None,
                    amount: sum,
                    settled_by: None,
                });
            }
            self.payouts.push(Payout {
                id,
                seller,
                amount: sum,
                status,
            });
        }
        self.check_sellers().await;
    }

    /// Each seller's ledger and balance, as it sees them and as staff do,
    /// against the model.
    async fn check_sellers(&self) {
        let released: HashSet<i64> = self
            .orders
            .iter()
            .flat_map(|o| &o.parcels)
            .filter(|p| p.released)
            .map(|p| p.id)
            .collect();
        for (seller, token) in &self.sellers {
            let balance = self
                .app
                .get("/api/v1/seller/balance")
                .bearer(token)
                .send()
                .await;
            let balances = balance.expect(StatusCode::OK)["balances"].clone();
            assert_eq!(
                balances.as_array().unwrap().len(),
                1,
                "one currency: {balances}"
            );
            let b = &balances[0];
            let mut entries = all_pages(self.app, token, "/api/v1/seller/ledger").await;
            entries.sort_by_key(|e| e["id"].as_i64());

            // Staff see the same.
            let staff = self
                .app
                .get(&format!("/api/v1/admin/sellers/{seller}/balance"))
                .bearer(&self.admin)
                .send()
                .await;
            assert_eq!(staff.expect(StatusCode::OK)["balances"], balances);
            let mut theirs = all_pages(
                self.app,
                &self.admin,
                &format!("/api/v1/admin/sellers/{seller}/ledger"),
            )
            .await;
            theirs.sort_by_key(|e| e["id"].as_i64());
            assert_eq!(theirs, entries, "seller {seller}'s ledger as staff see it");

            // The balance is the ledger's sum, kind by kind.
            let mut by_kind: BTreeMap<String, i64> = BTreeMap::new();
            for e in &entries {
                assert_eq!(e["seller_id"], *seller, "{e}");
                *by_kind
                    .entry(e["kind"].as_str().unwrap().to_owned())
                    .or_default() += amount(&e["amount"]);
            }
            let kind = |k: &str| by_kind.get(k).copied().unwrap_or(0);
            let known = [
                "sale",
                "commission",
                "shipping",
                "refund",
                "commission_refund",
                "adjustment",
                "payout",
                "payout_returned",
            ];
            assert!(
                by_kind.keys().all(|k| known.contains(&k.as_str())),
                "{by_kind:?}"
            );
            assert!(kind("commission") <= 0 && kind("refund") <= 0 && kind("payout") <= 0);
            let owed = kind("sale") - kind("commission").abs() - kind("refund").abs()
                + kind("commission_refund")
                + kind("shipping")
                + kind("adjustment")
                - kind("payout").abs()
                + kind("payout_returned");
            let (available, pending) = (amount(&b["available"]), amount(&b["pending"]));
            assert_eq!(
                owed,
                available + pending,
                "seller {seller}: sales - commissions - refunds + commissions back + shipping + adjustments - payouts + payouts returned = pending + available; {by_kind:?} {b}"
            );

            // A cancelled parcel nets to nothing for its seller.
            for order in &self.orders {
                for p in order.parcels.iter().filter(|p| p.seller == Some(*seller)) {
                    let on_it: Vec<(&str, i64)> = entries
                        .iter()
                        .filter(|e| e["fulfilment_id"].as_i64() == Some(p.id))
                        .map(|e| (e["kind"].as_str().unwrap(), amount(&e["amount"])))
                        .collect();
                    let net: i64 = on_it.iter().map(|(_, a)| a).sum();
                    if p.status == "cancelled" {
                        assert_eq!(
                            net,
                            0,
                            "cancelled parcel {} of order {} (goods {}, discount {}, shipping {}, paid for {}, refunded {}, sellers pay vouchers: {}) leaves seller {seller} {net}: {on_it:?}",
                            p.id,
                            order.number,
                            p.subtotal,
                            p.discount,
                            p.shipping,
                            p.paid_for(),
                            p.refunded,
                            self.sellers_pay_vouchers
                        );
                    }
                    // The commission taken is the order's commission lines.
                    if order.paid {
                        let taken: i64 = on_it
                            .iter()
                            .filter(|(k, _)| *k == "commission")
                            .map(|(_, a)| -a)
                            .sum();
                        let lines: i64 = order
                            .commission_lines
                            .iter()
                            .filter(|l| l["seller_id"] == *seller)
                            .map(|l| amount(&l["commission"]))
                            .sum();
                        assert_eq!(
                            taken, lines,
                            "order {}: seller {seller}'s commission entry is its commission lines",
                            order.number
                        );
                    }
                }
            }

            // Entry by entry, and kind by kind, what the model expects.
            let model = &self.ledger[seller];
            let mut model_by_kind: BTreeMap<String, i64> = BTreeMap::new();
            for e in model {
                *model_by_kind.entry(e.kind.to_owned()).or_default() += e.amount;
            }
            model_by_kind.retain(|_, v| *v != 0);
            by_kind.retain(|_, v| *v != 0);
            assert_eq!(
                by_kind, model_by_kind,
                "seller {seller}: the ledger by kind"
            );
            let rows: Vec<EntryRow> = entries
                .iter()
                .map(|e| {
                    (
                        e["kind"].as_str().unwrap().to_owned(),
                        e["fulfilment_id"].as_i64(),
                        amount(&e["amount"]),
                        e["state"].as_str().unwrap().to_owned(),
                        e["settled_by"].as_i64(),
                    )
                })
                .collect();
            let state = |e: &Entry| match (e.settled_by, e.parcel) {
                (Some(_), _) => "settled",
                (None, None) => "available",
                (None, Some(p)) if released.contains(&p) => "available",
                (None, Some(_)) => "pending",
            };
            let expected: Vec<EntryRow> = model
                .iter()
                .map(|e| {
                    (
                        e.kind.to_owned(),
                        e.parcel,
                        e.amount,
                        state(e).to_owned(),
                        e.settled_by,
                    )
                })
                .collect();
            assert_eq!(rows, expected, "seller {seller}: the ledger, oldest first");
            let sum_in = |s: &str| {
                model
                    .iter()
                    .filter(|e| state(e) == s)
                    .map(|e| e.amount)
                    .sum::<i64>()
            };
            assert_eq!(available, sum_in("available"), "seller {seller}: available");
            assert_eq!(pending, sum_in("pending"), "seller {seller}: pending");
            let payouts = |status: &str| {
                self.payouts
                    .iter()
                    .filter(|p| p.seller == *seller && p.status == status)
                    .map(|p| p.amount)
                    .sum::<i64>()
            };
            assert_eq!(
                amount(&b["in_payout"]),
                payouts("pending"),
                "seller {seller}"
            );
            assert_eq!(amount(&b["paid_out"]), payouts("paid"), "seller {seller}");
            let mut listed: Vec<(i64, i64, String)> =
                all_pages(self.app, token, "/api/v1/seller/payouts")
                    .await
                    .iter()
                    .map(|p| {
                        (
                            p["id"].as_i64().unwrap(),
                            amount(&p["amount"]),
                            p["status"].as_str().unwrap().to_owned(),
                        )
                    })
                    .collect();
            listed.sort_unstable();
            let mine: Vec<(i64, i64, String)> = self
                .payouts
                .iter()
                .filter(|p| p.seller == *seller)
                .map(|p| (p.id, p.amount, p.status.to_owned()))
                .collect();
            assert_eq!(listed, mine, "seller {seller}'s payouts");
        }
    }

    /// At the end: every order still adds up, its commission lines are
    /// as frozen whatever became of the rules, and full refunds reversed
    /// exactly.
    pub(super) async fn check_orders(&self) {
        for (index, order) in self.orders.iter().enumerate() {
            let seen = self
                .app
                .get(&format!("/api/v1/admin/orders/{}", order.public_id))
                .bearer(&self.admin)
                .send()
                .await;
            let seen = seen.expect(StatusCode::OK).clone();
            self.compare_parcels(index, &seen);
            assert_eq!(amount(&seen["subtotal"]), order.subtotal);
            assert_eq!(amount(&seen["discount"]), order.discount);
            assert_eq!(amount(&seen["shipping"]), order.shipping);
            let lines = self
                .app
                .get(&format!(
                    "/api/v1/admin/orders/{}/commissions",
                    order.public_id
                ))
                .bearer(&self.admin)
                .send()
                .await;
            let lines = lines.expect(StatusCode::OK).as_array().unwrap().clone();
            assert_eq!(lines.len(), order.commission_lines.len());
            for (now, then) in lines.iter().zip(&order.commission_lines) {
                let mut then = then.clone();
                if then["rule_id"]
                    .as_i64()
                    .is_some_and(|id| self.deleted_rules.contains(&id))
                {
                    then["rule_id"] = Value::Null;
                }
                assert_eq!(
                    now, &then,
                    "order {}: a frozen commission line",
                    order.number
                );
            }
            if !order.paid {
                continue;
            }
            for p in order.parcels.iter().filter(|p| p.seller.is_some()) {
                let entries = &self.ledger[&p.seller.unwrap()];
                let sum = |kind: &str| {
                    entries
                        .iter()
                        .filter(|e| e.parcel == Some(p.id) && e.kind == kind)
                        .map(|e| e.amount)
                        .sum::<i64>()
                };
                if p.refunded == p.paid_for() && p.paid_for() > 0 {
                    assert_eq!(-sum("refund"), p.credit(), "parcel {p:?}");
                    assert_eq!(sum("commission_refund"), p.commission, "parcel {p:?}");
                }
                assert!(sum("commission_refund") <= p.commission, "parcel {p:?}");
                assert!(-sum("refund") <= p.credit(), "parcel {p:?}");
            }
        }
    }
}
