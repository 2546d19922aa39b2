//! Checkout: the cart becomes an order in one transaction, or nothing
//! happens at all.

use super::OrderView;
use super::idempotent::{CREATED, IdempotencyKey, Placed};
use super::quote::{priced_lines, subtotals_by_seller};
use super::shipping_plan::{ShippingChoice, plan_shipping};
use crate::auth::Caller;
use crate::cart::short_line;
use crate::payments::provider_for;
use crate::{CoreError, Shop};
use chrono::Utc;
use souk_db::ActiveValue::Set;
use souk_db::entity::{order, order_event, order_item};
use souk_db::repo::carts::CartLine;
use souk_db::repo::stock::{self, Adjusted};
use souk_db::repo::{accounts, addresses, carts, catalogue, idempotency, orders, vouchers};
use souk_domain::address::{AddressInput, PostalAddress};
use souk_domain::marketplace::for_sale;
use souk_domain::orders::{OrderStatus, PaymentMethod, PaymentStatus};
use souk_domain::vouchers::VoucherKind;
use souk_domain::{FieldError, Money, Validator};
use std::collections::HashMap;

/// Where to ship: a saved address of the caller, or one given now.
#[derive(Debug, Clone)]
pub enum AddressChoice {
    Saved(i64),
    New(Box<AddressInput>),
}

/// What the shopper chooses at checkout. Prices are never part of it.
#[derive(Debug, Clone)]
pub struct CheckoutInput {
    pub shipping_address: AddressChoice,
    /// The shop's method and each seller's own, as picked.
    pub shipping: ShippingChoice,
    /// Whether a new address goes into the address book too (unless the
    /// book is full), with the order.
    pub save_address: bool,
    pub voucher_code: Option<String>,
    pub payment_method: String,
}

impl Shop {
    /// Places an order from the caller's cart: claims the idempotency key,
    /// checks the cart, address and method, prices everything from the
    /// catalogue, takes the stock line by line in a fixed order by
    /// conditional update, snapshots the lines, empties the cart, and
    /// stores the response that `render` makes of the order with the key.
    /// All in one transaction: a refused checkout leaves no trace, not
    /// even its key.
    pub async fn place_order(
        &self,
        caller: Caller,
        input: CheckoutInput,
        key: &IdempotencyKey<'_>,
        render: &(dyn Fn(&OrderView) -> Result<String, CoreError> + Sync),
    ) -> Result<Placed, CoreError> {
        let mut v = Validator::new();
        let method = v.check(
            "payment_method",
            PaymentMethod::parse(&input.payment_method),
        );
        let new_address = match &input.shipping_address {
            AddressChoice::New(address) => {
                match PostalAddress::parse_at(address, "shipping_address.") {
                    Ok(address) => Some(address),
                    Err(errors) => {
                        errors.into_iter().for_each(|e| v.push(e));
                        None
                    }
                }
            }
            AddressChoice::Saved(_) => None,
        };
        let voucher_code = input.voucher_code.as_deref().filter(|c| !c.is_empty());
        v.finish()?;
        let Some(method) = method else {
            return Err(anyhow::anyhow!("validated payment method is missing").into());
        };

        let now = Utc::now();
        let user_id = caller.user_id.0;
        // Read before the transaction: a read through the pool while the
        // transaction holds its connection could wait for a free one.
        let categories = self.all_categories().await?;
        let sellers_pay_vouchers = self.payout_settings().await?.sellers_pay_vouchers;
        // The commission rules as they stand when the checkout begins: read
        // outside the writing transaction, which on SQLite holds the one
        // writer for every statement inside it. The order's commission
        // lines freeze them.
        let rules = crate::marketplace::all_rules(self.db.conn()).await?;
        let txn = self.db.begin_write().await?;
        if let Some(replay) = self.claim_key(&txn, key).await? {
            return Ok(replay);
        }
        let user = accounts::find_user(&txn, user_id)
            .await?
            .ok_or(CoreError::Unauthenticated("The account no longer exists."))?;
        let address = match (input.shipping_address, new_address) {
            (_, Some(address)) => {
                if input.save_address {
                    // A full address book keeps the order, not the address.
                    crate::accounts::keep_address(&txn, user_id, address.clone(), false).await?;
                }
                address
            }
            (AddressChoice::Saved(id), None) => addresses::get(&txn, user_id, id)
                .await?
                .map(|saved| saved.postal())
                .ok_or_else(|| {
                    CoreError::clash("shipping_address", "no such address in your address book")
                })?,
            (AddressChoice::New(_), None) => {
                return Err(anyhow::anyhow!("validated address is missing").into());
            }
        };

        let cart = carts::find_by_user(&txn, user_id)
            .await?
            .ok_or_else(|| CoreError::Conflict("The cart is empty.".into()))?;
        // The step that makes one cart content into at most one order: a
        // second checkout of the same content finds the generation moved.
        if !carts::advance_generation(&txn, cart.id, cart.generation, now).await? {
            return Err(CoreError::Conflict(
                "This cart is being checked out by another request.".into(),
            ));
        }
        let mut lines = carts::lines(&txn, cart.id).await?;
        if lines.is_empty() {
            return Err(CoreError::Conflict("The cart is empty.".into()));
        }
        // A fixed order of taking stock, so that two checkouts never wait
        // on each other's rows in opposite orders.
        lines.sort_by_key(|l| l.variant_id);

        let currency = self.config.currency;
        let mut problems = Vec::new();
        for line in &lines {
            if !for_sale(&line.product_status, line.seller_status.as_deref()) {
                problems.push(FieldError::new(
                    format!("items[{}]", line.id),
                    format!("{} is no longer for sale", line.product_name),
                ));
            }
        }
        if !problems.is_empty() {
            return Err(CoreError::OutOfStock(problems));
        }

        let number = self.new_order_number(&txn).await?;
        let taken = take_stock(&txn, &lines, &number, user_id).await?;

        let priced = priced_lines(&lines, currency);
        let shipping = plan_shipping(
            &txn,
            &subtotals_by_seller(&lines),
            &input.shipping,
            currency,
            true,
        )
        .await?;
        let before_discount = self.order_totals(&priced, shipping.total, Money::zero(currency))?;
        // A voucher that cannot apply refuses the whole checkout with the
        // reason; its use is counted by conditional update.
        let voucher = match voucher_code {
            Some(code) => {
                let (voucher, discount) = self
                    .applicable_voucher(
                        &txn,
                        code,
                        before_discount.subtotal,
                        before_discount.shipping,
                        Some(user_id),
                    )
                    .await?;
                if !vouchers::take_use(&txn, voucher.id).await? {
                    return Err(CoreError::clash(
                        "voucher_code",
                        format!("'{}' has been used up", voucher.code),
                    ));
                }
                Some((voucher, discount))
            }
            None => None,
        };
        let discount = voucher
            .as_ref()
            .map(|(_, d)| *d)
            .unwrap_or(Money::zero(currency));
        let totals = self.order_totals(&priced, shipping.total, discount)?;
        let provider = provider_for(method, &self.config);
        let address_json = serde_json::to_string(&address).map_err(anyhow::Error::from)?;
        let placed = orders::insert(
            &txn,
            order::ActiveModel {
                public_id: Set(uuid::Uuid::new_v4().to_string()),
                number: Set(number.clone()),
                user_id: Set(Some(user_id)),
                email: Set(user.email.clone()),
                status: Set(OrderStatus::PendingPayment.as_str().to_owned()),
                payment_status: Set(PaymentStatus::Unpaid.as_str().to_owned()),
                payment_method: Set(method.as_str().to_owned()),
                currency: Set(currency.to_string()),
                subtotal: Set(totals.subtotal.amount),
                shipping_total: Set(totals.shipping.amount),
                discount_total: Set(totals.discount.amount),
                tax_total: Set(totals.tax.amount),
                total: Set(totals.total.amount),
                shipping_address: Set(address_json),
                shipping_method_id: Set(shipping.shop.as_ref().map(|m| m.id)),
                shipping_method_name: Set(shipping.order_method_name()),
                voucher_code: Set(voucher.as_ref().map(|(v, _)| v.code.clone())),
                cart_id: Set(Some(cart.id)),
                cart_generation: Set(Some(cart.generation)),
                placed_at: Set(now),
                updated_at: Set(now),
                ..Default::default()
            },
        )
        .await?;
        let items = lines
            .iter()
            .zip(&priced)
            .map(|(line, price)| {
                let line_total = price
                    .total()
                    .map_err(|e| anyhow::anyhow!("line total: {e}"))?;
                Ok(order_item::ActiveModel {
                    order_id: Set(placed.id),
                    variant_id: Set(Some(line.variant_id)),
                    product_id: Set(Some(line.product_id)),
                    seller_id: Set(line.seller_id),
                    product_name: Set(line.product_name.clone()),
                    sku: Set(line.sku.clone()),
                    options: Set(line.options.clone()),
                    unit_price: Set(line.price),
                    quantity: Set(line.quantity),
                    line_total: Set(line_total.amount),
                    ..Default::default()
                })
            })
            .collect::<Result<Vec<_>, CoreError>>()?;
        let stored_items = orders::insert_items(&txn, items).await?;
        let free_shipping = voucher
            .as_ref()
            .is_some_and(|(v, _)| v.kind == VoucherKind::FreeShipping.as_str());
        let goods_discount = if free_shipping {
            0
        } else {
            totals.discount.amount
        };
        let category_of: HashMap<i64, Option<i64>> = lines
            .iter()
            .map(|l| (l.variant_id, l.category_id))
            .collect();
        let parcels = crate::marketplace::split_order(
            &txn,
            &placed,
            &stored_items,
            &shipping,
            goods_discount,
            sellers_pay_vouchers,
            &category_of,
            &categories,
            &rules,
            now,
        )
        .await?;
        if let Some((voucher, _)) = &voucher {
            vouchers::record_use(&txn, voucher.id, placed.id, user_id, totals.discount.amount)
                .await?;
        }
        let status = OrderStatus::PendingPayment.as_str();
        orders::record_event(
            &txn,
            placed.id,
            status,
            "customer",
            Some(user_id),
            None,
            now,
        )
        .await?;
        let mut products: Vec<(i64, i64)> =
            lines.iter().map(|l| (l.product_id, l.quantity)).collect();
        products.sort_unstable();
        for (product_id, quantity) in products {
            catalogue::add_units_sold(&txn, product_id, quantity).await?;
        }
        // Price range and availability change only when a variant ran out.
        for product_id in taken.sold_out {
            catalogue::refresh_product_summary(&txn, product_id).await?;
        }
        crate::marketplace::running_low(&txn, &taken.running_low).await?;
        carts::clear(&txn, cart.id).await?;
        let items = stored_items;
        let event = order_event::Model {
            id: 0,
            order_id: placed.id,
            status: status.to_owned(),
            actor_kind: "customer".to_owned(),
            actor_id: Some(user_id),
            note: None,
            created_at: now,
        };
        let payment = crate::payments::open_payment(&txn, &placed, provider.as_ref()).await?;
        let order_id = placed.id;
        let mut view = OrderView::new(placed, items, vec![event])?;
        let names: HashMap<i64, String> = lines
            .iter()
            .filter_map(|l| Some((l.seller_id?, l.seller_name.clone()?)))
            .collect();
        view.fulfilments = crate::marketplace::parcel_views(parcels, &names)?;
        view.payments = payment
            .into_iter()
            .map(crate::payments::PaymentView::new)
            .collect::<Result<_, _>>()?;
        let body = render(&view)?;
        idempotency::finish_in(&txn, &key.scope, key.key, order_id, CREATED, &body).await?;
        txn.commit().await?;
        self.cache.catalogue_changed();
        Ok(Placed::Created {
            order: Box::new(view),
            body,
        })
    }
}

/// What taking a checkout's stock left behind.
struct StockTaken {
    /// Products with a variant that ran out, each once.
    sold_out: Vec<i64>,
    /// Sellers' variants whose stock fell below the low mark.
    running_low: Vec<crate::marketplace::RunningLow>,
}

/// Takes the stock of every line (sorted by variant) for order `number`,
/// each by a conditional update; a line that cannot be had refuses the
/// whole checkout with what is left of it.
async fn take_stock(
    txn: &souk_db::WriteTxn,
    lines: &[CartLine],
    number: &str,
    user_id: i64,
) -> Result<StockTaken, CoreError> {
    let mut problems = Vec::new();
    let mut sold_out = Vec::new();
    let mut running_low = Vec::new();
    for line in lines {
        let reason = format!("order {number}");
        match stock::adjust(txn, line.variant_id, -line.quantity, &reason, Some(user_id)).await? {
            Adjusted::To(level) => {
                let available = level - line.stock_reserved;
                if available <= 0 {
                    sold_out.push(line.product_id);
                }
                if let Some(seller_id) = line.seller_id
                    && crate::marketplace::crossed_low(available, line.quantity)
                {
                    running_low.push(crate::marketplace::RunningLow {
                        seller_id,
                        product_name: line.product_name.clone(),
                        sku: line.sku.clone(),
                        available: available.max(0),
                    });
                }
            }
            Adjusted::WouldGoNegative | Adjusted::NoVariant => {
                let now_available = catalogue::find_variant(txn, line.variant_id)
                    .await?
                    .map(|v| (v.stock_on_hand - v.stock_reserved).max(0))
                    .unwrap_or(0);
                problems.push(short_line(line, now_available));
            }
        }
    }
    if !problems.is_empty() {
        return Err(CoreError::OutOfStock(problems));
    }
    sold_out.sort_unstable();
    sold_out.dedup();
    Ok(StockTaken {
        sold_out,
        running_low,
    })
}
