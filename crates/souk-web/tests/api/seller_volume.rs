//! The seller benchmark's orders (`souk seed --seller-orders`) are what a
//! shop that ran that long would hold: every seller's money released
//! before yesterday paid out by the daily run, each payout exactly what it
//! settles, each entry released with its parcel, and the seller's list and
//! balance (its kept sum among them) agreeing with the rows.

use crate::harness::TestApp;
use crate::shopping::{amount, seller_token};
use axum::http::StatusCode;
use souk_db::EntityTrait;
use souk_db::entity::{fulfilment, ledger_entry, payout};
use std::collections::HashMap;

#[tokio::test]
async fn copied_orders_are_paid_out_to_every_seller_exactly() {
    let app = TestApp::new().await;
    // Five batches of copies, 7 minutes apart (39 days back and more):
    // the money of most of them released and paid out, the newest parcels
    // still on hold.
    let written = app
        .shop
        .seed_seller_orders("northwind-ceramics", 8_200)
        .await
        .unwrap();
    assert_eq!(written, 8_200);
    let db = app.shop.db().conn();
    let parcels: HashMap<i64, fulfilment::Model> = fulfilment::Entity::find()
        .all(db)
        .await
        .unwrap()
        .into_iter()
        .map(|f| (f.id, f))
        .collect();
    let entries = ledger_entry::Entity::find().all(db).await.unwrap();
    let payouts = payout::Entity::find().all(db).await.unwrap();
    let copied_payouts: Vec<&payout::Model> = payouts
        .iter()
        .filter(|p| p.run_key.starts_with("volume-"))
        .collect();
    // Every seller with lines in the copies is paid, not only the one
    // whose orders they are.
    let paid: std::collections::BTreeSet<i64> =
        copied_payouts.iter().map(|p| p.seller_id).collect();
    let selling: std::collections::BTreeSet<i64> = entries.iter().map(|e| e.seller_id).collect();
    assert_eq!(paid, selling, "{copied_payouts:?}");

    for entry in &entries {
        match entry.fulfilment_id {
            Some(parcel) => assert_eq!(
                entry.releases_at, parcels[&parcel].funds_release_at,
                "{entry:?}"
            ),
            None => assert!(entry.releases_at.is_some(), "{entry:?}"),
        }
    }
    let yesterday = chrono::Utc::now() - chrono::Duration::days(1);
    for entry in entries.iter().filter(|e| e.payout_ref.is_none()) {
        let by_copy = entry
            .settled_by
            .is_some_and(|p| copied_payouts.iter().any(|c| c.id == p));
        if by_copy {
            assert!(entry.releases_at.unwrap() < yesterday, "{entry:?}");
        }
    }
    assert!(
        entries
            .iter()
            .any(|e| e.settled_by.is_none() && e.releases_at.is_none_or(|at| at > yesterday)),
        "some money is still pending"
    );
    for payout in copied_payouts {
        let settled: i64 = entries
            .iter()
            .filter(|e| e.settled_by == Some(payout.id) && e.payout_ref.is_none())
            .map(|e| e.amount)
            .sum();
        assert_eq!(settled, payout.amount, "{payout:?}");
        let debit: Vec<&ledger_entry::Model> = entries
            .iter()
            .filter(|e| e.payout_ref == Some(payout.id))
            .collect();
        assert_eq!(debit.len(), 1);
        assert_eq!(debit[0].amount, -payout.amount);
        assert_eq!(debit[0].seller_id, payout.seller_id);
    }

    // The seller's list counts one order per parcel of its; its balance
    // is what no payout settled.
    let (token, _) = seller_token(&app, "northwind-ceramics").await;
    let seller_id = souk_db::repo::sellers::find_seller(db, "northwind-ceramics")
        .await
        .unwrap()
        .unwrap()
        .id;
    let list = app.get("/api/v1/seller/orders").bearer(&token).send().await;
    let list = list.expect(StatusCode::OK);
    let own_parcels = parcels
        .values()
        .filter(|p| p.seller_id == Some(seller_id))
        .count();
    assert_eq!(list["total"], own_parcels as u64);
    assert!(own_parcels > 8_200);
    let balance = app
        .get("/api/v1/seller/balance")
        .bearer(&token)
        .send()
        .await;
    let balance = balance.expect(StatusCode::OK);
    let owed: i64 = entries
        .iter()
        .filter(|e| e.seller_id == seller_id && e.settled_by.is_none())
        .map(|e| e.amount)
        .sum();
    let shown = &balance["balances"][0];
    assert_eq!(
        amount(&shown["available"]) + amount(&shown["pending"]),
        owed,
        "{balance}"
    );
}
