//! Steps on the world: rule changes, payment, refunds, cancellations
//! and parcels moved on.

use super::model::{Entry, Rule, allocate, proportional};
use super::world::{World, expect_status};
use super::{RuleChange, Step, Terms};
use crate::shopping::{amount, mark_paid};
use axum::http::StatusCode;
use serde_json::json;

impl World<'_> {
    pub(super) async fn change_rules(&mut self, change: RuleChange) {
        let terms_json = |t: &Terms| json!({"basis_points": t.bps, "fixed_per_unit": t.fixed, "min_per_line": t.min, "max_per_line": t.max});
        match change {
            RuleChange::Create(plan) => {
                let seller = plan.seller.map(|i| self.sellers[i].0);
                let category = plan
                    .category
                    .map(|i| self.categories[i % self.categories.len()]);
                let mut body = terms_json(&plan.terms);
                body["seller_id"] = json!(seller);
                body["category_id"] = json!(category);
                let made = self
                    .app
                    .post("/api/v1/admin/commission-rules")
                    .bearer(&self.admin)
                    .json(body)
                    .send()
                    .await;
                let taken = self
                    .rules
                    .iter()
                    .any(|r| r.seller == seller && r.category == category);
                if taken {
                    assert_eq!(made.clash_fields(), ["scope"], "one rule per scope");
                    return;
                }
                let made = made.expect(StatusCode::CREATED).clone();
                let rule = Rule {
                    id: made["id"].as_i64().unwrap(),
                    seller,
                    category,
                    terms: plan.terms,
                };
                assert_eq!(made["scope"], rule.scope(), "{made}");
                assert_eq!(made["basis_points"], plan.terms.bps, "{made}");
                assert_eq!(amount(&made["fixed_per_unit"]), plan.terms.fixed);
                self.rules.push(rule);
            }
            RuleChange::Update(index, terms) => {
                if self.rules.is_empty() {
                    return;
                }
                let index = index % self.rules.len();
                let id = self.rules[index].id;
                let changed = self
                    .app
                    .put(&format!("/api/v1/admin/commission-rules/{id}"))
                    .bearer(&self.admin)
                    .json(terms_json(&terms))
                    .send()
                    .await;
                let changed = changed.expect(StatusCode::OK);
                assert_eq!(changed["basis_points"], terms.bps, "{changed}");
                assert_eq!(changed["scope"], self.rules[index].scope());
                self.rules[index].terms = terms;
            }
            RuleChange::Delete(index) => {
                if self.rules.is_empty() {
                    return;
                }
                let rule = self.rules.remove(index % self.rules.len());
                self.app
                    .delete(&format!("/api/v1/admin/commission-rules/{}", rule.id))
                    .bearer(&self.admin)
                    .send()
                    .await
                    .expect(StatusCode::NO_CONTENT);
                self.deleted_rules.insert(rule.id);
            }
        }
    }

    /// Staff mark the order paid: each seller is credited its goods (less
    /// the discount it bears) and shipping, and debited the commission.
    pub(super) async fn pay(&mut self, index: usize) {
        let paid = mark_paid(self.app, &self.admin, &self.orders[index].public_id).await;
        assert_eq!(paid["payment_status"], "paid", "{paid}");
        let order = &mut self.orders[index];
        order.paid = true;
        for parcel in &order.parcels {
            let Some(seller) = parcel.seller else {
                continue;
            };
            let entries = self.ledger.get_mut(&seller).unwrap();
            for (kind, amount) in [
                ("sale", parcel.subtotal - parcel.seller_discount),
                ("shipping", parcel.shipping),
                ("commission", -parcel.commission),
            ] {
                if amount != 0 {
                    entries.push(Entry {
                        kind,
                        parcel: Some(parcel.id),
                        amount,
                        settled_by: None,
                    });
                }
            }
        }
    }

    /// A refund of `amount` on the order, on one parcel or spread over
    /// what is left of each: each seller gives back its credit and gets
    /// back the commission in proportion; a parcel refunded in full is
    /// released.
    fn refund_in_model(&mut self, index: usize, parcel: Option<usize>, amount: i64) {
        let order = &mut self.orders[index];
        let shares = match parcel {
            Some(at) => {
                let mut shares = vec![0; order.parcels.len()];
                shares[at] = amount;
                shares
            }
            None => {
                let open: Vec<i64> = order
                    .parcels
                    .iter()
                    .map(|p| p.paid_for() - p.refunded)
                    .collect();
                allocate(amount, &open)
            }
        };
        for (p, share) in order.parcels.iter_mut().zip(shares) {
            if share == 0 {
                continue;
            }
            assert!(
                p.refunded + share <= p.paid_for(),
                "the model over-refunds {p:?}"
            );
            if let Some(seller) = p.seller {
                let reversed = proportional(p.credit(), p.paid_for(), p.refunded, share);
                let back = proportional(p.commission, p.paid_for(), p.refunded, share);
                let entries = self.ledger.get_mut(&seller).unwrap();
                for (kind, amount) in [("refund", -reversed), ("commission_refund", back)] {
                    if amount != 0 {
                        entries.push(Entry {
                            kind,
                            parcel: Some(p.id),
                            amount,
                            settled_by: None,
                        });
                    }
                }
            }
            p.refunded += share;
            // Refunded in full, its entries net to nothing: released.
            if p.refunded >= p.paid_for() {
                p.released = true;
            }
        }
        // All of it back: the order is refunded, which calls off the
        // parcels not shipped yet and closes their ledgers.
        if order.refunded() >= order.total {
            let open: Vec<usize> = (0..order.parcels.len())
                .filter(|at| matches!(order.parcels[*at].status, "pending" | "processing"))
                .collect();
            for at in open {
                self.close_in_model(index, at);
            }
        }
    }

    /// A parcel called off: cancelled, what refunds left of its seller's
    /// credit and commission reversed, so that its entries net to
    /// nothing, and released.
    fn close_in_model(&mut self, index: usize, at: usize) {
        let parcel = &mut self.orders[index].parcels[at];
        parcel.status = "cancelled";
        parcel.released = true;
        let (id, seller) = (parcel.id, parcel.seller);
        let Some(seller) = seller else {
            return;
        };
        let entries = self.ledger.get_mut(&seller).unwrap();
        let (mut credit, mut commission) = (0, 0);
        for e in entries.iter().filter(|e| e.parcel == Some(id)) {
            match e.kind {
                "commission" | "commission_refund" => commission += e.amount,
                _ => credit += e.amount,
            }
        }
        for (kind, amount) in [
            ("refund", -credit.max(0)),
            ("commission_refund", -commission.min(0)),
        ] {
            if amount != 0 {
                entries.push(Entry {
                    kind,
                    parcel: Some(id),
                    amount,
                    settled_by: None,
                });
            }
        }
    }

    /// Plays `step` on order `index`: done and modelled when the order and
    /// the parcel allow it, otherwise refused with 409 and nothing changes.
    pub(super) async fn step(&mut self, index: usize, step: Step) {
        let public_id = self.orders[index].public_id.clone();
        let seen = self
            .app
            .get(&format!("/api/v1/admin/orders/{public_id}"))
            .bearer(&self.admin)
            .send()
            .await;
        let seen = seen.expect(StatusCode::OK).clone();
        self.compare_parcels(index, &seen);
        let order = &self.orders[index];
        let ships = matches!(
            seen["status"].as_str(),
            Some("paid" | "processing" | "shipped")
        );
        let count = order.parcels.len();
        match step {
            Step::Refund { parcel, permille } => {
                let at = parcel.map(|p| p % count);
                let left = match at {
                    Some(at) => order.parcels[at].paid_for() - order.parcels[at].refunded,
                    None => order.total - order.refunded(),
                };
                let permille = i64::from(permille);
                let mut refund = if permille >= 1000 {
                    left + permille - 1000
                } else {
                    left * permille / 1000
                };
                if refund == 0 {
                    refund = if left == 0 { 1 } else { left };
                }
                let ok = order.paid && refund <= left;
                let mut body = json!({"amount": refund, "reason": "property refund"});
                if let Some(at) = at {
                    body["fulfilment_id"] = json!(order.parcels[at].id);
                }
                let key = format!("refund-{}", self.next_key());
                let made = self
                    .app
                    .post(&format!("/api/v1/admin/orders/{public_id}/refunds"))
                    .bearer(&self.admin)
                    .header("idempotency-key", &key)
                    .json(body)
                    .send()
                    .await;
                let what = format!(
                    "refund {refund} of {left} left on order {} parcel {at:?}",
                    self.orders[index].number
                );
                expect_status(&made, ok, &what);
                if ok {
                    self.refund_in_model(index, at, refund);
                    self.compare_parcels(index, &made.body);
                }
            }
            Step::Cancel(at) => {
                let at = at % count;
                let parcel = &order.parcels[at];
                let ok = order.paid && ships && matches!(parcel.status, "pending" | "processing");
                let (token, path) = match parcel.seller {
                    Some(s) => (self.token_of(s).to_owned(), "seller"),
                    None => (self.admin.clone(), "admin"),
                };
                let id = parcel.id;
                let left = parcel.paid_for() - parcel.refunded;
                let done = self
                    .app
                    .post(&format!("/api/v1/{path}/fulfilments/{id}/cancel"))
                    .bearer(&token)
                    .json(json!({"reason": "Cannot ship it."}))
                    .send()
                    .await;
                expect_status(&done, ok, &format!("cancel parcel {id}"));
                if ok {
                    if left > 0 {
                        self.refund_in_model(index, Some(at), left);
                    }
                    self.close_in_model(index, at);
                    let parcel = &self.orders[index].parcels[at];
                    assert_eq!(done.body["status"], "cancelled", "{}", done.text);
                    assert_eq!(amount(&done.body["refunded"]), parcel.paid_for());
                }
            }
            Step::Advance(at) => {
                self.advance(index, at % count, ships).await;
            }
            Step::Deliver(at) => {
                let at = at % count;
                for _ in 0..3 {
                    let status = self.orders[index].parcels[at].status;
                    if status == "delivered" || !self.advance(index, at, ships).await {
                        break;
                    }
                }
            }
        }
    }

    /// Moves parcel `at` one step on; whether it moved.
    async fn advance(&mut self, index: usize, at: usize, ships: bool) -> bool {
        let order = &self.orders[index];
        let parcel = &order.parcels[at];
        let (next, body) = match parcel.status {
            "pending" => ("processing", json!({"status": "processing"})),
            "processing" => (
                "shipped",
                json!({"status": "shipped", "carrier": "Posten", "tracking_number": "PN1"}),
            ),
            _ => ("delivered", json!({"status": "delivered"})),
        };
        let ok =
            order.paid && ships && matches!(parcel.status, "pending" | "processing" | "shipped");
        let (token, path) = match parcel.seller {
            Some(s) => (self.token_of(s).to_owned(), "seller"),
            None => (self.admin.clone(), "admin"),
        };
        let id = parcel.id;
        let moved = self
            .app
            .post(&format!("/api/v1/{path}/fulfilments/{id}/status"))
            .bearer(&token)
            .json(body)
            .send()
            .await;
        let from = parcel.status;
        expect_status(&moved, ok, &format!("parcel {id} from {from} to {next}"));
        if ok {
            assert_eq!(moved.body["status"], next, "{}", moved.text);
            let parcel = &mut self.orders[index].parcels[at];
            parcel.status = next;
            if next == "delivered" {
                parcel.released = true;
            }
        }
        ok
    }
}
