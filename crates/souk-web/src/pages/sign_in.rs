//! Signing in and out, registering, and resetting a forgotten password.

use super::forms::{Errors, PageForm};
use super::layout::Layout;
use super::visitor::{CART_COOKIE, SESSION_COOKIE, session_cookie, set_cookie};
use super::{PageError, Visitor, ok, redirect_with, render};
use crate::AppState;
use crate::extract::Client;
use askama::Template;
use axum::Router;
use axum::extract::{Query, State};
use axum::http::{StatusCode, header};
use axum::response::Response;
use axum::routing::{get, post};
use serde::Deserialize;
use souk_core::CoreError;
use souk_core::auth::{BrowserSession, Registration};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/login", get(show_login).post(login))
        .route("/register", get(show_register).post(register))
        .route("/logout", post(logout))
        .route("/forgot-password", get(show_forgot).post(forgot))
        .route("/reset-password", get(show_reset).post(reset))
}

/// Only a path on this site is a place to come back to.
fn safe_next(next: &str) -> &str {
    super::forms::local_path(next).unwrap_or("/account")
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct NextParam {
    next: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct SignInForm {
    email: String,
    password: String,
    name: String,
    next: String,
}

/// The sign-in page, or the registration page.
#[derive(Template)]
#[template(path = "sign_in.html")]
struct SignInPage {
    layout: Layout,
    /// Registration rather than sign-in.
    register: bool,
    form: SignInForm,
    errors: Errors,
}

async fn sign_in_page(
    state: &AppState,
    visitor: &Visitor,
    register: bool,
    mut form: SignInForm,
    errors: Errors,
    status: StatusCode,
) -> Result<Response, PageError> {
    let title = if register {
        "Create an account"
    } else {
        "Sign in"
    };
    let layout = visitor.layout(state, title).await?;
    form.password.clear();
    Ok(render(
        status,
        &SignInPage {
            layout,
            register,
            form,
            errors,
        },
    ))
}

async fn show_login(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<NextParam>,
) -> Result<Response, PageError> {
    let form = SignInForm {
        next: params.next,
        ..SignInForm::default()
    };
    sign_in_page(
        &state,
        &visitor,
        false,
        form,
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

async fn show_register(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(params): Query<NextParam>,
) -> Result<Response, PageError> {
    let form = SignInForm {
        next: params.next,
        ..SignInForm::default()
    };
    sign_in_page(
        &state,
        &visitor,
        true,
        form,
        Errors::default(),
        StatusCode::OK,
    )
    .await
}

async fn login(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(client): Client,
    PageForm(form): PageForm<SignInForm>,
) -> Result<Response, PageError> {
    let result = state
        .shop
        .browser_login(
            &form.email,
            &form.password,
            &client,
            visitor.guest_cart.as_deref(),
        )
        .await;
    finish_sign_in(&state, &visitor, false, form, result).await
}

async fn register(
    State(state): State<AppState>,
    visitor: Visitor,
    Client(client): Client,
    PageForm(form): PageForm<SignInForm>,
) -> Result<Response, PageError> {
    let input = Registration {
        email: form.email.clone(),
        password: form.password.clone(),
        name: form.name.clone(),
    };
    let guest_cart = visitor.guest_cart.as_deref();
    let result = state
        .shop
        .browser_register(input, &client, guest_cart)
        .await;
    finish_sign_in(&state, &visitor, true, form, result).await
}

/// Signed in: on to where the visitor was going. Refused: the same page
/// again with the input (but not the password) and the reasons.
async fn finish_sign_in(
    state: &AppState,
    visitor: &Visitor,
    register: bool,
    form: SignInForm,
    result: Result<BrowserSession, CoreError>,
) -> Result<Response, PageError> {
    match result {
        Ok(session) => {
            let message = if register {
                "Welcome! Your account is ready."
            } else {
                "Welcome back!"
            };
            signed_in(state, visitor, session, safe_next(&form.next), message).await
        }
        Err(err) => {
            let errors = Errors::from_core(err)?;
            let status = StatusCode::UNPROCESSABLE_ENTITY;
            sign_in_page(state, visitor, register, form, errors, status).await
        }
    }
}

/// After signing in (which took the guest cart along): the browser gets
/// its new session cookie (a new token at every sign-in), and the old
/// session, if any, ends.
async fn signed_in(
    state: &AppState,
    visitor: &Visitor,
    session: BrowserSession,
    next: &str,
    message: &str,
) -> Result<Response, PageError> {
    if let Some(old) = &visitor.session {
        state.shop.browser_logout(old).await?;
    }
    let mut response = redirect_with(next, message, visitor);
    let headers = response.headers_mut();
    headers.append(
        header::SET_COOKIE,
        session_cookie(&session.token, visitor.secure),
    );
    if visitor.guest_cart.is_some() {
        headers.append(
            header::SET_COOKIE,
            set_cookie(CART_COOKIE, "", Some(0), visitor.secure),
        );
    }
    Ok(response)
}

async fn logout(State(state): State<AppState>, visitor: Visitor) -> Result<Response, PageError> {
    if let Some(token) = &visitor.session {
        state.shop.browser_logout(token).await?;
    }
    let mut response = redirect_with("/", "You are signed out.", &visitor);
    response.headers_mut().append(
        header::SET_COOKIE,
        set_cookie(SESSION_COOKIE, "", Some(0), visitor.secure),
    );
    Ok(response)
}

#[derive(Template)]
#[template(path = "forgot.html")]
struct ForgotPage {
    layout: Layout,
    email: String,
    sent: bool,
}

async fn show_forgot(
    State(state): State<AppState>,
    visitor: Visitor,
) -> Result<Response, PageError> {
    let layout = visitor.layout(&state, "Forgot your password?").await?;
    ok(&ForgotPage {
        layout,
        email: String::new(),
        sent: false,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct EmailForm {
    email: String,
}

async fn forgot(
    State(state): State<AppState>,
    visitor: Visitor,
    PageForm(form): PageForm<EmailForm>,
) -> Result<Response, PageError> {
    state.shop.forgot_password(&form.email).await?;
    let layout = visitor.layout(&state, "Check your email").await?;
    ok(&ForgotPage {
        layout,
        email: form.email,
        sent: true,
    })
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ResetForm {
    token: String,
    password: String,
}

#[derive(Template)]
#[template(path = "reset.html")]
struct ResetPage {
    layout: Layout,
    token: String,
    errors: Errors,
}

async fn show_reset(
    State(state): State<AppState>,
    visitor: Visitor,
    Query(form): Query<ResetForm>,
) -> Result<Response, PageError> {
    let layout = visitor.layout(&state, "Choose a new password").await?;
    ok(&ResetPage {
        layout,
        token: form.token,
        errors: Errors::default(),
    })
}

async fn reset(
    State(state): State<AppState>,
    visitor: Visitor,
    PageForm(form): PageForm<ResetForm>,
) -> Result<Response, PageError> {
    match state.shop.reset_password(&form.token, &form.password).await {
        Ok(()) => Ok(redirect_with(
            "/login",
            "Your password is changed. Sign in with the new one.",
            &visitor,
        )),
        Err(err) => {
            let mut errors = Errors::from_core(err)?;
            if let Some(message) = errors.get("token") {
                errors.general = Some(message.replacen("The reset link", "This reset link", 1));
            }
            let layout = visitor.layout(&state, "Choose a new password").await?;
            Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &ResetPage {
                    layout,
                    token: form.token,
                    errors,
                },
            ))
        }
    }
}
