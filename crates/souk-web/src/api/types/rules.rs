//! The rules of request fields as the OpenAPI document states them, built
//! from the same limits the domain checks (`souk_domain::text`), for the
//! fields whose rule a plain annotation cannot say.

use souk_domain::catalogue::{ListingSort, MAX_STOCK, ProductStatus, VariantOptions};
use souk_domain::identity::{self, NewPassword};
use souk_domain::marketplace::{SellerDecision, SellerStatus};
use souk_domain::orders::{OrderStatus, PaymentMethod};
use souk_domain::text as domain_text;
use souk_domain::vouchers::VoucherKind;
use utoipa::openapi::schema::{
    KnownFormat, Object, ObjectBuilder, OneOfBuilder, Schema, SchemaFormat, SchemaType, Type,
};
use utoipa::openapi::{Ref, RefOr};

/// Text of `MIN..=MAX` characters as sent, without control characters
/// other than tab and line breaks; with `MIN` ≥ 1 it must hold more than
/// spaces (it is stored trimmed).
pub fn text<const MIN: usize, const MAX: usize>() -> Object {
    text_schema(MIN, MAX, Type::String)
}

/// [`text`], or `null`.
pub fn nullable_text<const MIN: usize, const MAX: usize>() -> Object {
    text_schema(MIN, MAX, SchemaType::from_iter([Type::String, Type::Null]))
}

fn text_schema(min: usize, max: usize, schema_type: impl Into<SchemaType>) -> Object {
    ObjectBuilder::new()
        .schema_type(schema_type)
        .min_length((min > 0).then_some(min))
        .max_length(Some(max))
        .pattern(Some(domain_text::pattern(min > 0)))
        .build()
}

/// An id: a positive 64-bit integer.
pub fn id() -> Object {
    integer(1, i64::MAX)
}

/// [`id`], or `null`.
pub fn nullable_id() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(1))
        .build()
}

/// A whole number within `min..=max`.
pub fn integer(min: i64, max: i64) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::Integer)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Int64)))
        .minimum(Some(min))
        .maximum(Some(max))
        .build()
}

/// A price: the `MoneyInput` object, or a bare integer of minor units in
/// the shop's currency.
pub fn price() -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(Ref::from_schema_name("MoneyInput"))
        .item(integer(0, souk_domain::money::MAX_PRICE_MINOR))
        .description(Some(
            "`{\"amount\": 1999, \"currency\": \"USD\"}` in the shop's currency, or a bare integer of minor units.",
        ))
        .into()
}

/// One of `values`.
fn one_of_names(values: &[&str]) -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .enum_values(Some(values.iter().copied()))
        .build()
}

/// [`one_of_names`], or `null`.
fn nullable_one_of_names(values: &[&str]) -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .enum_values(Some(values.iter().copied()))
        .build()
}

/// An order status.
pub fn order_status() -> Object {
    one_of_names(&OrderStatus::ALL.map(|s| s.as_str()))
}

/// A query filter: one of `values`, or empty for all.
fn filter_of(values: &[&str]) -> Object {
    let mut names = vec![""];
    names.extend_from_slice(values);
    one_of_names(&names)
}

/// An order status to filter by; empty for all.
pub fn order_status_filter() -> Object {
    filter_of(&OrderStatus::ALL.map(|s| s.as_str()))
}

/// A product status to filter by; empty for all.
pub fn product_status_filter() -> Object {
    filter_of(&ProductStatus::ALL.map(|s| s.as_str()))
}

/// A payout status to filter by; empty for all.
pub fn payout_status_filter() -> Object {
    filter_of(&souk_domain::marketplace::PayoutStatus::ALL.map(|s| s.as_str()))
}

/// A job status to filter by; empty for all.
pub fn job_status_filter() -> Object {
    filter_of(&souk_core::jobs::JOB_STATUSES)
}

/// A review status to filter by; empty for all.
pub fn review_status_filter() -> Object {
    filter_of(&souk_domain::reviews::ReviewStatus::ALL.map(|s| s.as_str()))
}

/// How a product's reviews are ordered.
pub fn review_sort() -> Object {
    one_of_names(&souk_domain::reviews::ReviewSort::ALL.map(|s| s.as_str()))
}

/// What staff may set a review to.
pub fn review_moderation() -> Object {
    one_of_names(&["published", "hidden"])
}

/// A seller status to filter by; empty for all.
pub fn seller_status_filter() -> Object {
    filter_of(&SellerStatus::ALL.map(|s| s.as_str()))
}

/// An object with `fields`, where the enum field `key` (one of `values`)
/// requires `needed` (with `needed_schema`) unless it is one of `free`.
fn required_unless(
    fields: ObjectBuilder,
    key: &str,
    free: &[&str],
    needed: &str,
    needed_schema: Object,
    description: &str,
) -> Schema {
    let reason_when_needed = utoipa::openapi::schema::AnyOfBuilder::new()
        .item(ObjectBuilder::new().property(key, one_of_names(free)))
        .item(
            ObjectBuilder::new()
                .property(needed, needed_schema)
                .required(needed),
        );
    utoipa::openapi::schema::AllOfBuilder::new()
        .item(fields)
        .item(reason_when_needed)
        .description(Some(description))
        .into()
}

/// A decision staff take on a seller, with a reason that a refusal and a
/// suspension require (empty or missing is no reason).
pub fn seller_decision_request() -> Schema {
    use souk_domain::marketplace::DECISION_REASON_MAX;
    let names = |decisions: &[SellerDecision]| -> Vec<&'static str> {
        decisions.iter().map(|d| d.as_str()).collect()
    };
    let fields = ObjectBuilder::new()
        .property("decision", one_of_names(&names(&SellerDecision::ALL)))
        .required("decision")
        .property("reason", nullable_text::<0, DECISION_REASON_MAX>());
    let without_reason: Vec<SellerDecision> = SellerDecision::ALL
        .into_iter()
        .filter(|d| !d.needs_reason())
        .collect();
    required_unless(
        fields,
        "decision",
        &names(&without_reason),
        "reason",
        text::<1, DECISION_REASON_MAX>(),
        "`approve` or `reject` an application, `suspend` an approved seller, `reinstate` a \
         suspended one; a decision that does not fit the seller's status is 409. The reason \
         is told to the seller and is required to reject or suspend.",
    )
}

/// A parcel's next step: shipping requires the carrier.
pub fn parcel_move_request() -> Schema {
    use souk_core::marketplace::{PARCEL_MOVES, TRACKING_MAX};
    use souk_domain::marketplace::FulfilmentStatus;
    let fields = ObjectBuilder::new()
        .property("status", one_of_names(&PARCEL_MOVES.map(|s| s.as_str())))
        .required("status")
        .property("carrier", nullable_text::<0, TRACKING_MAX>())
        .property("tracking_number", nullable_text::<0, TRACKING_MAX>());
    let without_carrier: Vec<&str> = PARCEL_MOVES
        .into_iter()
        .filter(|s| *s != FulfilmentStatus::Shipped)
        .map(|s| s.as_str())
        .collect();
    required_unless(
        fields,
        "status",
        &without_carrier,
        "carrier",
        text::<1, TRACKING_MAX>(),
        "`processing`, `shipped` (with the carrier; the tracking number is told to the buyer) or \
         `delivered`, in that order; a move the parcel's status does not allow, or of an order \
         not paid yet, is 409. Empty text is none.",
    )
}

/// What became of a payout: `paid` requires the transfer's reference,
/// `failed` the reason.
pub fn payout_decision_request() -> Schema {
    use souk_core::marketplace::PAYOUT_NOTE_MAX;
    let fields = ObjectBuilder::new()
        .property("status", one_of_names(&["paid", "failed"]))
        .required("status")
        .property("reference", nullable_text::<0, PAYOUT_NOTE_MAX>())
        .property("reason", nullable_text::<0, PAYOUT_NOTE_MAX>());
    let paid = ObjectBuilder::new()
        .property("status", one_of_names(&["paid"]))
        .property("reference", text::<1, PAYOUT_NOTE_MAX>())
        .required("reference");
    let failed = ObjectBuilder::new()
        .property("status", one_of_names(&["failed"]))
        .property("reason", text::<1, PAYOUT_NOTE_MAX>())
        .required("reason");
    utoipa::openapi::schema::AllOfBuilder::new()
        .item(fields)
        .item(OneOfBuilder::new().item(paid).item(failed))
        .description(Some(
            "`paid` with the transfer's `reference`, or `failed` with the `reason` (the sum goes \
             back to the seller's available balance). Empty text is none.",
        ))
        .into()
}

/// A product status, or `null` for the default.
pub fn nullable_product_status() -> Object {
    nullable_one_of_names(&ProductStatus::ALL.map(|s| s.as_str()))
}

/// How a customer pays.
pub fn payment_method() -> Object {
    one_of_names(&PaymentMethod::ALL.map(|s| s.as_str()))
}

/// What a voucher takes off, or `null` to keep it.
pub fn nullable_voucher_kind() -> Object {
    nullable_one_of_names(&VoucherKind::ALL.map(|s| s.as_str()))
}

/// How a listing is ordered; empty for the default.
pub fn listing_sort() -> Object {
    filter_of(&ListingSort::ALL.map(|s| s.as_str()))
}

/// An RFC 3339 time, or `null`.
pub fn nullable_date_time() -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(KnownFormat::DateTime))),
        )
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .into()
}

/// A phone number, or empty for none.
pub fn nullable_phone() -> Object {
    ObjectBuilder::new()
        .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
        .max_length(Some(identity::PHONE_MAX_CHARS))
        .pattern(Some(identity::OPTIONAL_PHONE_PATTERN))
        .build()
}

/// A string of `min..=max` characters matching `pattern`, or `null` too.
fn matching(min: usize, max: usize, pattern: &str, nullable: bool) -> Object {
    let schema_type = if nullable {
        SchemaType::from_iter([Type::String, Type::Null])
    } else {
        SchemaType::from(Type::String)
    };
    ObjectBuilder::new()
        .schema_type(schema_type)
        .min_length(Some(min))
        .max_length(Some(max))
        .pattern(Some(pattern))
        .build()
}

/// A two-letter ISO 3166-1 country code (lower case is upper-cased).
pub fn country() -> Object {
    matching(2, 2, "^[A-Za-z]{2}$", false)
}

const SLUG_PATTERN: &str = "^([a-z0-9]+-)*[0-9]*[a-z][a-z0-9]*(-[a-z0-9]+)*$";

/// A URL slug: lower-case letters, digits and single hyphens, with at
/// least one letter.
pub fn slug() -> Object {
    matching(1, 120, SLUG_PATTERN, false)
}

/// [`slug`], or `null`.
pub fn nullable_slug() -> Object {
    matching(1, 120, SLUG_PATTERN, true)
}

const SKU_PATTERN: &str = "^[A-Za-z0-9._-]+$";

/// A SKU: letters, digits, `-`, `_` and `.` (lower case is upper-cased).
pub fn sku() -> Object {
    matching(1, 64, SKU_PATTERN, false)
}

/// [`sku`], or `null` to keep it.
pub fn nullable_sku() -> Object {
    matching(1, 64, SKU_PATTERN, true)
}

/// An email address.
pub fn email() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Email)))
        .max_length(Some(254))
        .build()
}

/// A new password.
pub fn new_password() -> Object {
    ObjectBuilder::new()
        .schema_type(Type::String)
        .min_length(Some(NewPassword::MIN_CHARS))
        .max_length(Some(NewPassword::MAX_CHARS))
        .build()
}

/// Units on hand to start with.
pub fn opening_stock() -> Object {
    integer(0, MAX_STOCK)
}

/// Units to add, or to remove when negative; never zero.
pub fn stock_delta() -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(integer(-MAX_STOCK, -1))
        .item(integer(1, MAX_STOCK))
        .into()
}

/// A variant's options: up to five names (1 to 32 characters, compared
/// without case) with their values (1 to 64 characters).
pub fn variant_options() -> Object {
    options_schema(Type::Object)
}

/// [`variant_options`], or `null` to keep them.
pub fn nullable_variant_options() -> Object {
    options_schema(SchemaType::from_iter([Type::Object, Type::Null]))
}

fn options_schema(schema_type: impl Into<SchemaType>) -> Object {
    ObjectBuilder::new()
        .schema_type(schema_type)
        .max_properties(Some(VariantOptions::MAX_OPTIONS))
        .property_names(Some(text::<1, 32>()))
        .additional_properties(Some(Schema::Object(text::<1, 64>())))
        .build()
}

/// [`price`], or `null`.
pub fn nullable_price() -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(Ref::from_schema_name("MoneyInput"))
        .item(integer(0, souk_domain::money::MAX_PRICE_MINOR))
        .item(ObjectBuilder::new().schema_type(Type::Null))
        .description(Some(
            "`{\"amount\": 1999, \"currency\": \"USD\"}` in the shop's currency, a bare integer of minor units, or `null`.",
        ))
        .into()
}

/// A refund: the `MoneyInput` object, or a bare integer of minor units in
/// the order's currency; at least one minor unit.
pub fn refund_amount() -> RefOr<Schema> {
    OneOfBuilder::new()
        .item(Ref::from_schema_name("RefundMoney"))
        .item(integer(1, souk_domain::money::MAX_PRICE_MINOR))
        .into()
}

/// A time filter: a date (`2026-11-01`), an RFC 3339 time, or empty for
/// none.
pub fn date_or_time_filter() -> RefOr<Schema> {
    let string = |format: KnownFormat| {
        ObjectBuilder::new()
            .schema_type(Type::String)
            .format(Some(SchemaFormat::KnownFormat(format)))
    };
    utoipa::openapi::schema::AnyOfBuilder::new()
        .item(string(KnownFormat::Date))
        .item(string(KnownFormat::DateTime))
        .item(
            ObjectBuilder::new()
                .schema_type(Type::String)
                .max_length(Some(0)),
        )
        .into()
}

/// A voucher's fields with the rule that ties its value to its kind: a
/// percentage is at most 100 (a kind left out or `null` keeps the stored
/// one, whose rule the server applies).
pub fn voucher_changes(fields: RefOr<Schema>) -> Schema {
    utoipa::openapi::schema::AllOfBuilder::new()
        .item(fields)
        .item(percent_at_most_100())
        .into()
}

/// A new voucher: `code` and `kind` required, `value` too unless the kind
/// is free shipping, and a percentage at most 100.
pub fn new_voucher(fields: RefOr<Schema>) -> Schema {
    let required = ObjectBuilder::new()
        .property("code", ObjectBuilder::new().schema_type(Type::String))
        .required("code")
        .property("kind", ObjectBuilder::new().schema_type(Type::String))
        .required("kind");
    let value_unless_free_shipping = utoipa::openapi::schema::AnyOfBuilder::new()
        .item(kind_is(&[Some("free_shipping")]))
        .item(
            ObjectBuilder::new()
                .property("value", ObjectBuilder::new().schema_type(Type::Integer))
                .required("value"),
        );
    utoipa::openapi::schema::AllOfBuilder::new()
        .item(fields)
        .item(required)
        .item(value_unless_free_shipping)
        .item(percent_at_most_100())
        .into()
}

fn kind_is(kinds: &[Option<&str>]) -> ObjectBuilder {
    let values = kinds.iter().map(|k| match k {
        Some(kind) => serde_json::Value::from(*kind),
        None => serde_json::Value::Null,
    });
    ObjectBuilder::new().property(
        "kind",
        ObjectBuilder::new()
            .schema_type(SchemaType::from_iter([Type::String, Type::Null]))
            .enum_values(Some(values)),
    )
}

fn percent_at_most_100() -> utoipa::openapi::schema::AnyOfBuilder {
    utoipa::openapi::schema::AnyOfBuilder::new()
        .item(kind_is(&[Some("fixed"), Some("free_shipping"), None]))
        .item(
            ObjectBuilder::new().property(
                "value",
                ObjectBuilder::new()
                    .schema_type(SchemaType::from_iter([Type::Integer, Type::Null]))
                    .maximum(Some(100)),
            ),
        )
}
