//! Extractors that turn a request into typed input or a problem response:
//! bodies and queries with per-field errors, ids that 404 when malformed,
//! and the caller from a bearer token.

use crate::AppState;
use crate::error::ApiError;
use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use serde::de::DeserializeOwned;
use souk_core::CoreError;
use souk_core::actor::Actor;
use souk_core::auth::{Caller, ClientAddress};
use std::net::SocketAddr;

/// A JSON body. A body that is not `Content-Type: application/json` is
/// 415, one over the size limit 413, unreadable JSON or JSON that is not an
/// object is 400, and an object of the wrong shape is 422 naming the field.
pub(crate) struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let JsonBody(bytes) = JsonBody::from_request(req, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// The raw bytes of a JSON object body, checked as [`ApiJson`] checks them
/// but not yet parsed: for requests whose exact body is kept (idempotent
/// replays) or signed.
pub(crate) struct JsonBody(pub Bytes);

impl<S: Send + Sync> FromRequest<S> for JsonBody {
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| {
                let v = v.trim();
                v.eq_ignore_ascii_case("application/json") || v.ends_with("+json")
            });
        if !is_json {
            return Err(ApiError::UnsupportedMediaType);
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|e| {
            if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::TooLarge
            } else {
                ApiError::Malformed(format!("The body could not be read: {}", e.body_text()))
            }
        })?;
        Ok(JsonBody(bytes))
    }
}

pub(crate) fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    // serde reads a struct from an array too; the API's bodies are objects.
    match bytes.iter().find(|b| !b.is_ascii_whitespace()) {
        Some(b'{') => {}
        None => {
            return Err(ApiError::Malformed(
                "The body is empty; send a JSON object.".into(),
            ));
        }
        Some(_) => {
            return Err(ApiError::Malformed(
                "The body must be a JSON object.".into(),
            ));
        }
    }
    let mut json: serde_json::Value = serde_json::from_slice(bytes)
        .map_err(|e| ApiError::Malformed(format!("The body is not valid JSON: {e}")))?;
    whole_numbers_as_integers(&mut json);
    serde_path_to_error::deserialize(json).map_err(|err| {
        let path = err.path().to_string();
        let field = if path == "." { "body".to_owned() } else { path };
        ApiError::invalid(field, clean_serde_message(&err.into_inner().to_string()))
    })
}

/// JSON has one kind of number: `2.0` is the integer 2 to a JSON Schema,
/// so it is to the API.
fn whole_numbers_as_integers(value: &mut serde_json::Value) {
    use serde_json::Value;
    match value {
        Value::Number(n) => {
            if let Some(f) = n.as_f64().filter(|_| n.is_f64())
                && f.fract() == 0.0
                && f.abs() < 9.0e15
            {
                *value = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(whole_numbers_as_integers),
        Value::Object(fields) => fields.values_mut().for_each(whole_numbers_as_integers),
        _ => {}
    }
}

/// serde's messages end with a position that means nothing to a client.
fn clean_serde_message(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(at) => message[..at].to_owned(),
        None => message.to_owned(),
    }
}

/// Query parameters; a value of the wrong type is 422 naming the parameter.
pub(crate) struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        let query = parts.uri.query().unwrap_or_default();
        let de = serde_urlencoded::Deserializer::new(form_urlencoded_parse(query));
        serde_path_to_error::deserialize(de)
            .map(ApiQuery)
            .map_err(|err| {
                let field = err.path().to_string();
                ApiError::invalid(field, clean_serde_message(&err.into_inner().to_string()))
            })
    }
}

fn form_urlencoded_parse(query: &str) -> form_urlencoded::Parse<'_> {
    form_urlencoded::parse(query.as_bytes())
}

/// A numeric id in the path. Anything else names nothing: 404.
pub(crate) struct Id(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for Id {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw) =
            axum::extract::Path::<String>::from_request_parts(parts, state)
                .await
                .map_err(|_| ApiError::Core(CoreError::NotFound("resource")))?;
        raw.parse::<i64>()
            .map(Id)
            .map_err(|_| ApiError::Core(CoreError::NotFound("resource")))
    }
}

/// Two numeric ids in the path (a thing and one of its parts). Anything
/// else names nothing: 404.
pub(crate) struct Ids(pub (i64, i64));

impl<S: Send + Sync> FromRequestParts<S> for Ids {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let nothing = || ApiError::Core(CoreError::NotFound("resource"));
        let axum::extract::Path((a, b)) =
            axum::extract::Path::<(String, String)>::from_request_parts(parts, state)
                .await
                .map_err(|_| nothing())?;
        Ok(Ids((
            a.parse().map_err(|_| nothing())?,
            b.parse().map_err(|_| nothing())?,
        )))
    }
}

/// The caller, from `Authorization: Bearer <access token>`.
pub(crate) struct Authenticated(pub Caller);

impl FromRequestParts<AppState> for Authenticated {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let token = parts
            .headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| {
                v.strip_prefix("Bearer ")
                    .or_else(|| v.strip_prefix("bearer "))
            })
            .map(str::trim)
            .ok_or(CoreError::Unauthenticated(
                "Sign in and send the access token as Authorization: Bearer.",
            ))?;
        Ok(Authenticated(state.shop.authenticate(token)?))
    }
}

/// Who acts, as the core sees the verified caller.
pub(crate) struct Acting(pub Actor);

impl FromRequestParts<AppState> for Acting {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Authenticated(caller) = Authenticated::from_request_parts(parts, state).await?;
        Ok(Acting(state.shop.actor(caller).await?))
    }
}

/// The acting party of the staff API. The core decides who that may be
/// (anyone else signed in gets 403 before the body is read) and every use
/// case checks again.
pub(crate) struct Staff(pub Actor);

impl FromRequestParts<AppState> for Staff {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Acting(actor) = Acting::from_request_parts(parts, state).await?;
        actor.require_staff()?;
        Ok(Staff(actor))
    }
}

/// Where the request comes from: the peer address, or with `trust_proxy`
/// the first `X-Forwarded-For` hop.
pub(crate) struct Client(pub ClientAddress);

impl FromRequestParts<AppState> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = state
            .config
            .trust_proxy
            .then(|| parts.headers.get("x-forwarded-for"))
            .flatten()
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(',').next())
            .map(|v| v.trim().to_owned())
            .filter(|v| !v.is_empty());
        let peer = parts
            .extensions
            .get::<ConnectInfo<SocketAddr>>()
            .map(|ConnectInfo(addr)| addr.ip().to_string());
        Ok(Client(ClientAddress(forwarded.or(peer))))
    }
}

/// The header that addresses a guest cart.
pub(crate) const CART_TOKEN: &str = "x-cart-token";

/// Whose cart: the signed-in customer's when a bearer token is sent (a bad
/// one is 401), otherwise the guest cart named by `X-Cart-Token`.
pub(crate) struct Cart(pub souk_core::cart::CartOwner);

impl FromRequestParts<AppState> for Cart {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        if parts.headers.contains_key(header::AUTHORIZATION) {
            let Authenticated(caller) = Authenticated::from_request_parts(parts, state).await?;
            return Ok(Cart(souk_core::cart::CartOwner::Customer(caller)));
        }
        Ok(Cart(souk_core::cart::CartOwner::Guest(guest_cart_token(
            &parts.headers,
        ))))
    }
}

/// The guest cart token a request carries, if any.
pub(crate) fn guest_cart_token(headers: &axum::http::HeaderMap) -> Option<String> {
    headers
        .get(CART_TOKEN)
        .and_then(|v| v.to_str().ok())
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 128)
        .map(str::to_owned)
}

/// The acting party of the seller API: a seller whose panel is open, as
/// the core decides; anyone else signed in gets 403.
pub(crate) struct Seller(pub Actor);

impl FromRequestParts<AppState> for Seller {
    type Rejection = ApiError;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let Acting(actor) = Acting::from_request_parts(parts, state).await?;
        actor.require_seller()?;
        Ok(Seller(actor))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Line {
        quantity: i64,
    }

    #[test]
    fn whole_numbers_written_with_a_point_are_integers() {
        let line: Line = parse_json(br#"{"quantity": 2.0}"#).unwrap();
        assert_eq!(line.quantity, 2);
        assert!(parse_json::<Line>(br#"{"quantity": 2.5}"#).is_err());
        assert!(parse_json::<Line>(br#"{"quantity": 1e300}"#).is_err());
    }

    #[test]
    fn large_whole_numbers_with_a_point_are_read_exactly() {
        // Read to the nearest double, not one step off, so it stays whole.
        let line: Line = parse_json(br#"{"quantity": 1838485593111779.0}"#).unwrap();
        assert_eq!(line.quantity, 1_838_485_593_111_779);
    }

    #[test]
    fn json_errors_name_the_field() {
        for body in [r#"{"quantity": 1.5}"#, r#"{"quantity": "x"}"#, r#"{}"#] {
            match parse_json::<Line>(body.as_bytes()) {
                Err(ApiError::Core(CoreError::Validation(errors))) => {
                    assert!(
                        errors[0].field == "quantity" || errors[0].field == "body",
                        "{errors:?}"
                    );
                    assert!(!errors[0].message.contains("line 1"));
                }
                other => panic!("{body}: {other:?}"),
            }
        }
        assert!(matches!(
            parse_json::<Line>(b"{nope"),
            Err(ApiError::Malformed(_))
        ));
        assert!(matches!(
            parse_json::<Line>(br#"{"quantity":1} trailing"#),
            Err(ApiError::Malformed(_))
        ));
    }
}
