//! The demo shop's past: a few buyers and their orders, placed, paid and
//! shipped through the shop's own use cases, so every page that shows
//! orders, parcels, commissions, balances and payouts has something true
//! to show. The oldest order is moved back in time past the payout hold,
//! so one seller has been paid and another has a payout waiting.

use super::NO_PASSWORD;
use crate::actor::Actor;
use crate::auth::Caller;
use crate::cart::CartOwner;
use crate::marketplace::{ParcelMove, PayoutDecisionInput};
use crate::orders::{AddressChoice, CheckoutInput, IdempotencyKey, OrderView};
use crate::{CoreError, Shop};
use chrono::Duration;
use souk_db::repo::accounts::{self, NewUser};
use souk_db::repo::{demo, orders, sellers};
use souk_domain::address::AddressInput;
use souk_domain::identity::Role;
use souk_domain::ids::UserId;
use souk_domain::marketplace::FulfilmentStatus;

/// A demo buyer: name, e-mail, street, postal code, city, country.
type Buyer = (
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
    &'static str,
);

const BUYERS: [Buyer; 3] = [
    (
        "Maria Lindqvist",
        "maria.lindqvist@example.com",
        "Storgatan 12",
        "114 51",
        "Stockholm",
        "SE",
    ),
    (
        "Tomás Ortega",
        "tomas.ortega@example.com",
        "Calle Mayor 7",
        "28013",
        "Madrid",
        "ES",
    ),
    (
        "Aiko Tanaka",
        "aiko.tanaka@example.com",
        "1-2-3 Shibuya",
        "150-0002",
        "Tokyo",
        "JP",
    ),
];

/// How far a demo order got.
#[derive(Clone, Copy)]
enum Progress {
    /// Placed, waiting for the bank transfer.
    Unpaid,
    /// Paid; each parcel moved to the status given for its seller (the
    /// shop's own parcel as `None`), in order.
    Paid(&'static [(Option<&'static str>, FulfilmentStatus)]),
}

/// A demo order: the buyer, what is in it ((seller slug or the shop,
/// units)), how far it got and how many days ago it was placed.
struct DemoOrder {
    buyer: usize,
    lines: &'static [(Option<&'static str>, i64)],
    progress: Progress,
    days_ago: i64,
}

const NORTH: Option<&str> = Some("northwind-ceramics");
const RIDGE: Option<&str> = Some("ridgeline-outfitters");
const TEA: Option<&str> = Some("copper-kettle-tea");

const ORDERS: [DemoOrder; 5] = [
    DemoOrder {
        buyer: 0,
        lines: &[(None, 1), (NORTH, 2), (RIDGE, 1)],
        progress: Progress::Paid(&[
            (None, FulfilmentStatus::Delivered),
            (NORTH, FulfilmentStatus::Delivered),
            (RIDGE, FulfilmentStatus::Delivered),
        ]),
        days_ago: 24,
    },
    DemoOrder {
        buyer: 1,
        lines: &[(NORTH, 1), (RIDGE, 2), (TEA, 1)],
        progress: Progress::Paid(&[
            (NORTH, FulfilmentStatus::Shipped),
            (RIDGE, FulfilmentStatus::Processing),
            (TEA, FulfilmentStatus::Delivered),
        ]),
        days_ago: 5,
    },
    DemoOrder {
        buyer: 2,
        lines: &[(None, 2), (NORTH, 1)],
        progress: Progress::Paid(&[]),
        days_ago: 2,
    },
    DemoOrder {
        buyer: 0,
        lines: &[(TEA, 3)],
        progress: Progress::Paid(&[(TEA, FulfilmentStatus::Shipped)]),
        days_ago: 1,
    },
    DemoOrder {
        buyer: 1,
        lines: &[(RIDGE, 1), (None, 1)],
        progress: Progress::Unpaid,
        days_ago: 0,
    },
];

/// Carriers the demo parcels travel with.
const CARRIERS: [&str; 3] = ["PostNord", "DHL Express", "UPS"];

impl Shop {
    /// Writes the demo shop's buyers, orders and payouts. Call after
    /// [`Shop::seed_demo`], on a shop that has no orders yet; the number of
    /// orders placed.
    pub async fn seed_demo_orders(&self) -> Result<usize, CoreError> {
        let system = Actor::System;
        let mut buyers = Vec::new();
        for (name, email, ..) in BUYERS {
            buyers.push(self.demo_buyer(name, email).await?);
        }
        // What reached each buyer: (buyer, product).
        let mut received = Vec::new();
        for (n, order) in ORDERS.iter().enumerate() {
            let buyer = buyers[order.buyer];
            let placed = self.place_demo_order(n, buyer, order).await?;
            if let Progress::Paid(parcels) = order.progress {
                self.set_order_status(&system, &placed.id, "paid", None)
                    .await?;
                let delivered = self.move_demo_parcels(&placed, parcels, n).await?;
                received.extend(
                    placed
                        .items
                        .iter()
                        .filter(|line| delivered.contains(&line.seller_id))
                        .filter_map(|line| line.product_id)
                        .map(|product| (buyer, product)),
                );
            }
            if order.days_ago > 0 {
                let db = self.db.conn();
                if let Some(row) = orders::find(db, &placed.id).await? {
                    demo::backdate_order(db, row.id, Duration::days(order.days_ago)).await?;
                }
            }
        }
        // The oldest order's money is past its hold: one run pays the
        // sellers it held, and staff have marked Northwind's transfer sent.
        let north = sellers::find_seller(self.db.conn(), "northwind-ceramics").await?;
        for payout in self.make_payouts("demo").await? {
            if north.as_ref().is_some_and(|s| s.id == payout.seller_id) {
                let paid = PayoutDecisionInput {
                    status: "paid".into(),
                    reference: Some(format!("DEMO-TRANSFER-{}", payout.id)),
                    reason: None,
                };
                self.decide_payout(&system, payout.id, paid).await?;
            }
        }
        self.seed_demo_reviews(&received).await?;
        self.cache.catalogue_changed();
        Ok(ORDERS.len())
    }

    /// A demo buyer's account (which cannot sign in until given a
    /// password), as a caller.
    async fn demo_buyer(&self, name: &str, email: &str) -> Result<Caller, CoreError> {
        let txn = self.db.begin_write().await?;
        let user = match accounts::find_user_by_email(&txn, email).await? {
            Some(user) => user,
            None => {
                let new = NewUser {
                    email,
                    password_hash: NO_PASSWORD,
                    name,
                    role: Role::Customer.as_str(),
                };
                accounts::insert_user(&txn, new).await?
            }
        };
        txn.commit().await?;
        Ok(Caller {
            user_id: UserId(user.id),
            role: Role::Customer,
        })
    }

    async fn place_demo_order(
        &self,
        n: usize,
        buyer: Caller,
        order: &DemoOrder,
    ) -> Result<OrderView, CoreError> {
        let owner = CartOwner::Customer(buyer);
        for (i, (seller, units)) in order.lines.iter().enumerate() {
            let seller_id = match seller {
                Some(slug) => sellers::find_seller(self.db.conn(), slug)
                    .await?
                    .map(|s| s.id),
                None => None,
            };
            let pick = demo::variants_in_stock(self.db.conn(), seller_id, *units, 8).await?;
            let variant = pick
                .get((n + i) % pick.len().max(1))
                .ok_or_else(|| anyhow::anyhow!("no demo variant in stock for {seller:?}"))?;
            self.add_to_cart(&owner, *variant, *units).await?;
        }
        let (name, _, line1, postal_code, city, country) = BUYERS[order.buyer];
        let input = CheckoutInput {
            shipping_address: AddressChoice::New(Box::new(AddressInput {
                full_name: name.into(),
                company: None,
                line1: line1.into(),
                line2: None,
                city: city.into(),
                region: None,
                postal_code: postal_code.into(),
                country: country.into(),
                phone: None,
            })),
            shipping: crate::orders::ShippingChoice::default(),
            save_address: false,
            voucher_code: None,
            payment_method: "bank_transfer".into(),
        };
        let key = format!("demo-order-{n}");
        let idempotency = IdempotencyKey {
            scope: format!("user:{}", buyer.user_id.0),
            key: &key,
            body: key.as_bytes(),
        };
        match self
            .place_order(buyer, input, &idempotency, &|_| Ok(String::new()))
            .await?
        {
            crate::orders::Placed::Created { order, .. } => Ok(*order),
            crate::orders::Placed::Replay { .. } => {
                Err(anyhow::anyhow!("demo order {n} was placed before").into())
            }
        }
    }

    /// Moves each named parcel of `order` up to its status, step by step;
    /// the sellers (None: the shop) whose parcels were delivered.
    async fn move_demo_parcels(
        &self,
        order: &OrderView,
        parcels: &[(Option<&str>, FulfilmentStatus)],
        n: usize,
    ) -> Result<Vec<Option<i64>>, CoreError> {
        let mut delivered = Vec::new();
        for (seller, target) in parcels {
            let seller_id = match seller {
                Some(slug) => sellers::find_seller(self.db.conn(), slug)
                    .await?
                    .map(|s| s.id),
                None => None,
            };
            let Some(parcel) = order.fulfilments.iter().find(|f| f.seller_id == seller_id) else {
                continue;
            };
            let steps = [
                FulfilmentStatus::Processing,
                FulfilmentStatus::Shipped,
                FulfilmentStatus::Delivered,
            ];
            let upto = steps.iter().position(|s| s == target).unwrap_or(0);
            if *target == FulfilmentStatus::Delivered {
                delivered.push(seller_id);
            }
            for (i, step) in steps.iter().take(upto + 1).enumerate() {
                let ships = *step == FulfilmentStatus::Shipped;
                let movement = ParcelMove {
                    status: step.as_str().to_owned(),
                    carrier: ships.then(|| CARRIERS[(n + i) % CARRIERS.len()].to_owned()),
                    tracking_number: ships.then(|| format!("DEMO{:04}{}", parcel.id, n)),
                };
                self.move_fulfilment(&Actor::System, parcel.id, movement)
                    .await?;
            }
        }
        Ok(delivered)
    }
}
