//! `/api/v1/auth`: register, sign in, refresh, sign out.

use super::types::{UserDto, rules};
use crate::AppState;
use crate::error::{ApiError, Problem};
use crate::extract::{ApiJson, Client, guest_cart_token};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use souk_core::auth::{Registration, Session};
use utoipa::ToSchema;

/// A new customer account.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RegisterRequest {
    #[schema(example = "ann@example.com", schema_with = rules::email)]
    pub email: String,
    /// 10 to 128 characters.
    #[schema(schema_with = rules::new_password)]
    pub password: String,
    #[schema(example = "Ann Example", schema_with = rules::text::<1, 100>)]
    pub name: String,
}

/// Email and password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct LoginRequest {
    pub email: String,
    pub password: String,
}

/// A refresh token to rotate or revoke.
#[derive(Debug, Deserialize, ToSchema)]
pub struct RefreshRequest {
    pub refresh_token: String,
}

/// A signed-in session.
#[derive(Debug, Serialize, ToSchema)]
pub struct AuthResponse {
    pub user: UserDto,
    /// Send as `Authorization: Bearer <access_token>`.
    pub access_token: String,
    /// Trade for a new pair at `/api/v1/auth/refresh`; works once.
    pub refresh_token: String,
    /// Always `Bearer`.
    pub token_type: &'static str,
    /// Seconds until the access token expires.
    pub expires_in: i64,
}

impl From<Session> for AuthResponse {
    fn from(s: Session) -> Self {
        Self {
            user: s.user.into(),
            access_token: s.access_token,
            refresh_token: s.refresh_token,
            token_type: "Bearer",
            expires_in: s.expires_in,
        }
    }
}

/// Create a customer account and sign it in. An `X-Cart-Token` header
/// brings the guest cart along.
#[utoipa::path(post, path = "/api/v1/auth/register", tag = "auth",
    request_body = RegisterRequest,
    responses(
        (status = 201, description = "Registered and signed in", body = AuthResponse),
        (status = 409, description = "The email cannot be used to register", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "A field is not valid", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many attempts", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn register(
    State(state): State<AppState>,
    Client(client): Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<RegisterRequest>,
) -> Result<(StatusCode, Json<AuthResponse>), ApiError> {
    let input = Registration {
        email: body.email,
        password: body.password,
        name: body.name,
    };
    let cart = guest_cart_token(&headers);
    let session = state.shop.register(input, &client, cart.as_deref()).await?;
    Ok((StatusCode::CREATED, Json(session.into())))
}

/// Sign in with email and password. An `X-Cart-Token` header merges the
/// guest cart into the account's cart (quantities add up, capped at what
/// is available).
///
/// An unknown email and a wrong password get the same answer. After
/// repeated failures for one account or from one client, sign-in is
/// refused for a while with 429 and `Retry-After`.
#[utoipa::path(post, path = "/api/v1/auth/login", tag = "auth",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in", body = AuthResponse),
        (status = 401, description = "The email or password is not correct", body = Problem, content_type = "application/problem+json"),
        (status = 429, description = "Too many failed attempts", body = Problem, content_type = "application/problem+json",
            headers(("Retry-After" = u64, description = "Seconds to wait"))),
    ))]
pub async fn login(
    State(state): State<AppState>,
    Client(client): Client,
    headers: HeaderMap,
    ApiJson(body): ApiJson<LoginRequest>,
) -> Result<Json<AuthResponse>, ApiError> {
    let cart = guest_cart_token(&headers);
    let session = state
        .shop
        .login(&body.email, &body.password, &client, cart.as_deref())
        .await?;
    Ok(Json(session.into()))
}

/// Trade a refresh token for a new access and refresh token.
///
/// Each refresh token works once. Presenting one that was already used
/// revokes every token descended from the same sign-in.
#[utoipa::path(post, path = "/api/v1/auth/refresh", tag = "auth",
    request_body = RefreshRequest,
    responses(
        (status = 200, description = "A new pair", body = AuthResponse),
        (status = 401, description = "The refresh token is not valid", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn refresh(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> Result<Json<AuthResponse>, ApiError> {
    Ok(Json(state.shop.refresh(&body.refresh_token).await?.into()))
}

/// Sign out: revoke the refresh token and every token of its family.
#[utoipa::path(post, path = "/api/v1/auth/logout", tag = "auth",
    request_body = RefreshRequest,
    responses((status = 204, description = "Signed out")))]
pub async fn logout(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<RefreshRequest>,
) -> Result<StatusCode, ApiError> {
    state.shop.logout(&body.refresh_token).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An account's email, to send a reset link to.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ForgotPasswordRequest {
    pub email: String,
}

/// A reset token from the e-mailed link and the new password.
#[derive(Debug, Deserialize, ToSchema)]
pub struct ResetPasswordRequest {
    pub token: String,
    /// 10 to 128 characters.
    #[schema(schema_with = rules::new_password)]
    pub password: String,
}

/// Ask for a password reset link by e-mail. The answer is 202 whether or
/// not the account exists.
#[utoipa::path(post, path = "/api/v1/auth/password/forgot", tag = "auth",
    request_body = ForgotPasswordRequest,
    responses((status = 202, description = "If the account exists, a link is on its way")))]
pub async fn forgot_password(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ForgotPasswordRequest>,
) -> Result<StatusCode, ApiError> {
    state.shop.forgot_password(&body.email).await?;
    Ok(StatusCode::ACCEPTED)
}

/// Set a new password with the token from the link. The token works once
/// and for one hour; every sign-in of the account ends.
#[utoipa::path(post, path = "/api/v1/auth/password/reset", tag = "auth",
    request_body = ResetPasswordRequest,
    responses(
        (status = 204, description = "The password is changed"),
        (status = 409, description = "The token is not valid or has expired", body = Problem, content_type = "application/problem+json"),
        (status = 422, description = "The password is too weak", body = Problem, content_type = "application/problem+json"),
    ))]
pub async fn reset_password(
    State(state): State<AppState>,
    ApiJson(body): ApiJson<ResetPasswordRequest>,
) -> Result<StatusCode, ApiError> {
    state
        .shop
        .reset_password(&body.token, &body.password)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
