//! What the OpenAPI document says beyond each handler's own annotation:
//! the problem responses that the shared extractors can give to every
//! operation that uses them, the shop's currency as the only one a
//! request may name, and the links from an operation that creates a
//! resource to those that read, change and delete it.

use utoipa::openapi::link::LinkBuilder;
use utoipa::openapi::path::{Operation, ParameterIn};
use utoipa::openapi::schema::{ObjectBuilder, Schema, Type};
use utoipa::openapi::{ContentBuilder, OpenApi, Ref, RefOr, ResponseBuilder};

/// Completes the document built from the handlers.
pub(super) fn complete(doc: &mut OpenApi, currency: &str) {
    for (path, item) in doc.paths.paths.iter_mut() {
        for operation in operations(item) {
            add_problem_responses(path, operation);
        }
    }
    add_links(doc);
    pin_request_currency(doc, currency);
}

/// A refund's amount as an object: at least one minor unit, in the shop's
/// currency.
fn refund_money(currency: &str) -> Schema {
    ObjectBuilder::new()
        .property(
            "amount",
            super::types::rules::integer(1, souk_domain::money::MAX_PRICE_MINOR),
        )
        .required("amount")
        .property(
            "currency",
            ObjectBuilder::new()
                .schema_type(Type::String)
                .enum_values(Some([currency])),
        )
        .required("currency")
        .build()
        .into()
}

fn operations(item: &mut utoipa::openapi::PathItem) -> impl Iterator<Item = &mut Operation> {
    [
        item.get.as_mut(),
        item.put.as_mut(),
        item.post.as_mut(),
        item.delete.as_mut(),
        item.patch.as_mut(),
    ]
    .into_iter()
    .flatten()
}

/// The statuses an operation can answer because of how its request is
/// read, whatever its handler does: a body (400, 413, 415, 422), a bearer
/// token (401), a staff or seller area (403), an id in the path (404),
/// query parameters (422), an `Idempotency-Key` (400, 409, 422).
fn add_problem_responses(path: &str, operation: &mut Operation) {
    let mut statuses: Vec<(u16, &str)> = Vec::new();
    let multipart = operation
        .request_body
        .as_ref()
        .is_some_and(|body| match body {
            RefOr::T(body) => body.content.contains_key("multipart/form-data"),
            RefOr::Ref(_) => false,
        });
    if multipart {
        statuses.push((400, "The body is not a multipart form"));
        statuses.push((413, "The file is over 10 MiB"));
        statuses.push((415, "The body is not `multipart/form-data`"));
        statuses.push((422, "A field is not valid; each is named in `errors`"));
    } else if operation.request_body.is_some() {
        statuses.push((400, "The body is not a JSON object"));
        statuses.push((413, "The body is over 1 MiB"));
        statuses.push((415, "The body is not `application/json`"));
        statuses.push((422, "A field is not valid; each is named in `errors`"));
    }
    // A bearer token that is required, or optional (then a bad one is
    // still refused).
    let takes_token = operation
        .security
        .as_ref()
        .is_some_and(|requirements| !requirements.is_empty());
    if takes_token {
        statuses.push((401, "Not signed in, or the access token is not valid"));
    }
    if path.starts_with("/api/v1/admin/") {
        statuses.push((403, "The account is not staff"));
    }
    if path.starts_with("/api/v1/seller/") {
        statuses.push((403, "The account is not a seller"));
    }
    let parameters = operation.parameters.as_deref().unwrap_or_default();
    let has = |place: ParameterIn| {
        parameters.iter().any(|p| match p {
            RefOr::T(p) => p.parameter_in == place,
            RefOr::Ref(_) => false,
        })
    };
    if has(ParameterIn::Path) {
        statuses.push((404, "Nothing of yours has this id"));
    }
    if has(ParameterIn::Query) {
        statuses.push((422, "A query parameter is not valid"));
    }
    let idempotent = parameters.iter().any(|p| match p {
        RefOr::T(p) => p.name.eq_ignore_ascii_case("idempotency-key"),
        RefOr::Ref(_) => false,
    });
    if idempotent {
        statuses.push((400, "No `Idempotency-Key` header"));
        statuses.push((
            409,
            "A request with this `Idempotency-Key` is still running",
        ));
        statuses.push((422, "The `Idempotency-Key` was used with another body"));
    }
    for (status, description) in statuses {
        operation
            .responses
            .responses
            .entry(status.to_string())
            .or_insert_with(|| problem_response(description));
    }
}

fn problem_response(description: &str) -> RefOr<utoipa::openapi::Response> {
    RefOr::T(
        ResponseBuilder::new()
            .description(description)
            .content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            )
            .build(),
    )
}

/// A link to an operation: `(operation id, its path parameter, where in
/// the response the value is)`.
type LinkTo = (&'static str, &'static str, &'static str);

/// From an operation that creates a resource, to those that use its id:
/// `(from, status, links)`.
const LINKS: &[(&str, &str, &[LinkTo])] = &[
    (
        "create_address",
        "201",
        &[
            ("get_address", "id", "$response.body#/id"),
            ("update_address", "id", "$response.body#/id"),
            ("delete_address", "id", "$response.body#/id"),
        ],
    ),
    (
        "add_cart_item",
        "201",
        &[
            ("update_cart_item", "item_id", "$response.body#/items/0/id"),
            ("remove_cart_item", "item_id", "$response.body#/items/0/id"),
        ],
    ),
    (
        "checkout",
        "201",
        &[
            ("get_my_order", "id", "$response.body#/id"),
            ("cancel_my_order", "id", "$response.body#/id"),
        ],
    ),
    (
        "create_product",
        "201",
        &[
            ("get_admin_product", "id", "$response.body#/id"),
            ("update_product", "id", "$response.body#/id"),
            ("delete_product", "id", "$response.body#/id"),
            ("create_variant", "id", "$response.body#/id"),
            ("get_product", "id_or_slug", "$response.body#/slug"),
            ("update_variant", "id", "$response.body#/variants/0/id"),
            ("adjust_stock", "id", "$response.body#/variants/0/id"),
            (
                "list_stock_movements",
                "id",
                "$response.body#/variants/0/id",
            ),
            ("delete_variant", "id", "$response.body#/variants/0/id"),
        ],
    ),
    (
        "create_variant",
        "201",
        &[
            ("update_variant", "id", "$response.body#/id"),
            ("adjust_stock", "id", "$response.body#/id"),
            ("list_stock_movements", "id", "$response.body#/id"),
            ("delete_variant", "id", "$response.body#/id"),
        ],
    ),
    (
        "create_category",
        "201",
        &[
            ("update_category", "id", "$response.body#/id"),
            ("delete_category", "id", "$response.body#/id"),
        ],
    ),
    (
        "create_shipping_method",
        "201",
        &[
            ("update_shipping_method", "id", "$response.body#/id"),
            ("delete_shipping_method", "id", "$response.body#/id"),
        ],
    ),
    (
        "create_seller_shipping_method",
        "201",
        &[
            ("update_seller_shipping_method", "id", "$response.body#/id"),
            ("delete_seller_shipping_method", "id", "$response.body#/id"),
        ],
    ),
    (
        "create_voucher",
        "201",
        &[
            ("update_voucher", "id", "$response.body#/id"),
            ("deactivate_voucher", "id", "$response.body#/id"),
        ],
    ),
];

fn add_links(doc: &mut OpenApi) {
    for (from, status, targets) in LINKS {
        let Some(operation) = find_operation(doc, from) else {
            continue;
        };
        let Some(RefOr::T(response)) = operation.responses.responses.get_mut(*status) else {
            continue;
        };
        for (to, parameter, expression) in *targets {
            let link = LinkBuilder::new()
                .operation_id(*to)
                .parameter(*parameter, serde_json::Value::from(*expression))
                .build();
            response.links.insert((*to).to_owned(), RefOr::T(link));
        }
    }
}

fn find_operation<'a>(doc: &'a mut OpenApi, id: &str) -> Option<&'a mut Operation> {
    doc.paths
        .paths
        .values_mut()
        .flat_map(operations)
        .find(|op| op.operation_id.as_deref() == Some(id))
}

/// A price or amount a client sends must be in the shop's currency.
fn pin_request_currency(doc: &mut OpenApi, currency: &str) {
    let Some(components) = doc.components.as_mut() else {
        return;
    };
    components
        .schemas
        .insert("RefundMoney".to_owned(), RefOr::T(refund_money(currency)));
    let Some(RefOr::T(Schema::Object(money))) = components.schemas.get_mut("MoneyInput") else {
        return;
    };
    if let Some(RefOr::T(Schema::Object(field))) = money.properties.get_mut("currency") {
        field.enum_values = Some(vec![serde_json::Value::from(currency)]);
    }
}
