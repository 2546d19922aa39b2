//! `/api/v1/store/me` and `/api/v1/store/addresses`: the signed-in
//! customer's own profile, password and address book.

use super::auth::AuthResponse;
use super::types::{AddressDto, UserDto, double_option, rules};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, Authenticated, Client, Id};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Deserialize;
use souk_core::accounts::ProfileChanges;
use souk_core::auth::PasswordChange;
use souk_domain::address::{AddressInput, LINE_MAX, POSTAL_CODE_MAX, SHORT_MAX};
use souk_domain::identity::NewPassword;
use utoipa::ToSchema;

/// Changes to the caller's profile. Other fields (role, email) are ignored.
#[derive(Debug, Deserialize, ToSchema)]
pub struct UpdateMeRequest {
    /// `null` or missing keeps it.
    #[schema(schema_with = rules::nullable_text::<1, 100>)]
    pub name: Option<String>,
    /// `null` or empty clears it; missing keeps it.
    #[serde(default, deserialize_with = "double_option")]
    #[schema(schema_with = rules::nullable_phone)]
    pub phone: Option<Option<String>>,
}

/// An address as entered.
#[derive(Debug, Deserialize, ToSchema)]
pub struct AddressRequest {
    #[schema(example = "Ann Example", schema_with = rules::text::<1, 100>)]
    pub full_name: String,
    #[schema(schema_with = rules::nullable_text::<0, SHORT_MAX>)]
    pub company: Option<String>,
    #[schema(example = "1 Market Street", schema_with = rules::text::<1, LINE_MAX>)]
    pub line1: String,
    #[schema(schema_with = rules::nullable_text::<0, LINE_MAX>)]
    pub line2: Option<String>,
    #[schema(example = "Springfield", schema_with = rules::text::<1, SHORT_MAX>)]
    pub city: String,
    #[schema(schema_with = rules::nullable_text::<0, SHORT_MAX>)]
    pub region: Option<String>,
    #[schema(example = "12345", schema_with = rules::text::<1, POSTAL_CODE_MAX>)]
    pub postal_code: String,
    /// ISO 3166-1 alpha-2.
    #[schema(example = "US", schema_with = rules::country)]
    pub country: String,
    /// Empty or `null` for none.
    #[schema(schema_with = rules::nullable_phone)]
    pub phone: Option<String>,
    /// Make this the default address (the first address always is).
    pub is_default: Option<bool>,
}

impl From<AddressRequest> for AddressInput {
    fn from(r: AddressRequest) -> Self {
        Self {
            full_name: r.full_name,
            company: r.company,
            line1: r.line1,
            line2: r.line2,
            city: r.city,
            region: r.region,
            postal_code: r.postal_code,
            country: r.country,
            phone: r.phone,
        }
    }
}

pub(super) const UNAUTHENTICATED: &str = "Not signed in";

/// The signed-in account.
#[utoipa::path(get, path = "/api/v1/store/me", tag = "account", security(("bearer" = [])),
    responses(
        (status = 200, body = UserDto),
        (status = 401, description = UNAUTHENTICATED, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_me(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
) -> Result<Json<UserDto>, ApiError> {
    Ok(Json(state.shop.me(caller).await?.into()))
}

/// Change the signed-in account's name or phone.
#[utoipa::path(patch, path = "/api/v1/store/me", tag = "account", security(("bearer" = [])),
    request_body = UpdateMeRequest,
    responses(
        (status = 200, body = UserDto),
        (status = 401, description = UNAUTHENTICATED, body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_me(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    ApiJson(body): ApiJson<UpdateMeRequest>,
) -> Result<Json<UserDto>, ApiError> {
    let changes = ProfileChanges {
        name: body.name,
        phone: body.phone,
    };
    Ok(Json(state.shop.update_me(caller, changes).await?.into()))
}

/// The account's current password and the one to replace it.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ChangePasswordRequest {
    #[schema(schema_with = rules::text::<1, { NewPassword::MAX_CHARS }>)]
    pub current_password: String,
    /// 10 to 128 characters, not the current one.
    #[schema(schema_with = rules::new_password)]
    pub new_password: String,
}

/// Change the signed-in account's password. The current password is
/// checked as a sign-in checks it: a wrong one is 409 and counts towards
/// the account's and the client's sign-in throttling (429 with
/// `Retry-After` after repeated failures). On success every refresh token
/// and browser session of the account ends, an e-mail tells the account's
/// address, and the answer is a new pair of tokens; access tokens issued
/// before stay valid until they expire.
#[utoipa::path(post, path = "/api/v1/store/me/password", tag = "account", security(("bearer" = [])),
    request_body = ChangePasswordRequest,
    responses(
        (status = 200, description = "Changed; a new session", body = AuthResponse),
        (status = 401, description = UNAUTHENTICATED, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The current password is not the account's", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The new password is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn change_password(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    Client(client): Client,
    ApiJson(body): ApiJson<ChangePasswordRequest>,
) -> Result<Json<AuthResponse>, ApiError> {
    let change = PasswordChange {
        current_password: body.current_password,
        new_password: body.new_password,
    };
    let session = state
        .shop
        .change_password(caller.user_id, change, &client)
        .await?;
    Ok(Json(session.into()))
}

/// The caller's addresses, default first.
#[utoipa::path(get, path = "/api/v1/store/addresses", tag = "account", security(("bearer" = [])),
    responses(
        (status = 200, body = Vec<AddressDto>),
        (status = 401, description = UNAUTHENTICATED, body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn list_addresses(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
) -> Result<Json<Vec<AddressDto>>, ApiError> {
    let addresses = state.shop.list_addresses(caller).await?;
    Ok(Json(addresses.into_iter().map(Into::into).collect()))
}

/// Add an address.
#[utoipa::path(post, path = "/api/v1/store/addresses", tag = "account", security(("bearer" = [])),
    request_body = AddressRequest,
    responses(
        (status = 201, body = AddressDto),
        (status = 401, description = UNAUTHENTICATED, body = Problem, content_type = "application/problem+json"),
        (status = 409, description = "The address book is full", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn create_address(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    ApiJson(body): ApiJson<AddressRequest>,
) -> Result<(StatusCode, Json<AddressDto>), ApiError> {
    let make_default = body.is_default.unwrap_or(false);
    let created = state
        .shop
        .create_address(caller, &body.into(), make_default)
        .await?;
    Ok((StatusCode::CREATED, Json(created.into())))
}

/// One of the caller's addresses.
#[utoipa::path(get, path = "/api/v1/store/addresses/{id}", tag = "account", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 200, body = AddressDto),
        (status = 404, description = "No such address of yours", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn get_address(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    Id(id): Id,
) -> Result<Json<AddressDto>, ApiError> {
    Ok(Json(state.shop.get_address(caller, id).await?.into()))
}

/// Replace one of the caller's addresses.
#[utoipa::path(put, path = "/api/v1/store/addresses/{id}", tag = "account", security(("bearer" = [])),
    params(("id" = i64, Path)),
    request_body = AddressRequest,
    responses(
        (status = 200, body = AddressDto),
        (status = 404, description = "No such address of yours", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn update_address(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    Id(id): Id,
    ApiJson(body): ApiJson<AddressRequest>,
) -> Result<Json<AddressDto>, ApiError> {
    let make_default = body.is_default.unwrap_or(false);
    Ok(Json(
        state
            .shop
            .update_address(caller, id, &body.into(), make_default)
            .await?
            .into(),
    ))
}

/// Delete one of the caller's addresses.
#[utoipa::path(delete, path = "/api/v1/store/addresses/{id}", tag = "account", security(("bearer" = [])),
    params(("id" = i64, Path)),
    responses(
        (status = 204, description = "Deleted"),
        (status = 404, description = "No such address of yours", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn delete_address(
    State(state): State<AppState>,
    Authenticated(caller): Authenticated,
    Id(id): Id,
) -> Result<StatusCode, ApiError> {
    state.shop.delete_address(caller, id).await?;
    Ok(StatusCode::NO_CONTENT)
}
