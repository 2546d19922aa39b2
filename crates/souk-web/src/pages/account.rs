//! The customer's own account page: profile, password, address book, and
//! their data (downloaded or erased).

use super::forms::{AddressFields, Errors, PageForm};
use super::layout::Layout;
use super::visitor::{SESSION_COOKIE, session_cookie, set_cookie};
use super::{Customer, PageError, Visitor, redirect_with, render};
use crate::AppState;
use crate::extract::Client;
use askama::Template;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use souk_core::CoreError;
use souk_core::accounts::ProfileChanges;
use souk_core::auth::PasswordChange;
use souk_core::records::{address, user};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/account", get(show_account).post(update_profile))
        .route("/account/password", post(change_password))
        .route("/account/data", get(download_data))
        .route("/account/delete", post(delete_account))
        .route("/account/addresses", post(add_address))
        .route("/account/addresses/{id}/delete", post(delete_address))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ProfileForm {
    name: String,
    phone: String,
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct AddressForm {
    #[serde(flatten)]
    fields: AddressFields,
    is_default: String,
}

/// The password form; what was typed is never shown back.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct PasswordForm {
    current_password: String,
    new_password: String,
}

/// The password that confirms deleting the account.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct DeleteForm {
    password: String,
}

#[derive(Template)]
#[template(path = "account.html")]
struct AccountPage {
    layout: Layout,
    user: user::Model,
    profile: ProfileForm,
    profile_errors: Errors,
    password_errors: Errors,
    delete_errors: Errors,
    addresses: Vec<address::Model>,
    address: AddressForm,
    address_errors: Errors,
}

/// Which of the account page's forms was refused, with its input and why.
enum Refused {
    Profile(ProfileForm, Errors),
    Password(Errors),
    Delete(Errors),
    Address(AddressForm, Errors),
}

async fn account_page(
    state: &AppState,
    visitor: &Visitor,
    caller: souk_core::auth::Caller,
    refused: Option<Refused>,
) -> Result<Response, PageError> {
    let user = state.shop.me(caller).await?;
    let addresses = state.shop.list_addresses(caller).await?;
    let status = if refused.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    let (mut profile, mut address) = (None, None);
    let (mut password_errors, mut delete_errors) = (Errors::default(), Errors::default());
    match refused {
        Some(Refused::Profile(form, errors)) => profile = Some((form, errors)),
        Some(Refused::Password(errors)) => password_errors = errors,
        Some(Refused::Delete(errors)) => delete_errors = errors,
        Some(Refused::Address(form, errors)) => address = Some((form, errors)),
        None => {}
    }
    let (profile, profile_errors) = profile.unwrap_or_else(|| {
        (
            ProfileForm {
                name: user.name.clone(),
                phone: user.phone.clone().unwrap_or_default(),
            },
            Errors::default(),
        )
    });
    let (address, address_errors) = address.unwrap_or_default();
    let layout = visitor.layout(state, "Your account").await?;
    Ok(render(
        status,
        &AccountPage {
            layout,
            user,
            profile,
            profile_errors,
            password_errors,
            delete_errors,
            addresses,
            address,
            address_errors,
        },
    ))
}

async fn show_account(
    State(state): State<AppState>,
    Customer { visitor, caller }: Customer,
) -> Result<Response, PageError> {
    account_page(&state, &visitor, caller, None).await
}

async fn update_profile(
    State(state): State<AppState>,
    Customer { visitor, caller }: Customer,
    PageForm(form): PageForm<ProfileForm>,
) -> Result<Response, PageError> {
    let changes = ProfileChanges {
        name: Some(form.name.clone()),
        phone: Some(Some(form.phone.clone())),
    };
    match state.shop.update_me(caller, changes).await {
        Ok(_) => Ok(redirect_with(
            "/account",
            "Your details are saved.",
            &visitor,
        )),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            account_page(
                &state,
                &visitor,
                caller,
                Some(Refused::Profile(form, errors)),
            )
            .await
        }
    }
}

/// A new password: the browser stays signed in under a new session,
/// every other device is signed out.
async fn change_password(
    State(state): State<AppState>,
    Customer { visitor, caller }: Customer,
    Client(client): Client,
    PageForm(form): PageForm<PasswordForm>,
) -> Result<Response, PageError> {
    let change = PasswordChange {
        current_password: form.current_password,
        new_password: form.new_password,
    };
    match state
        .shop
        .browser_change_password(caller.user_id, change, &client)
        .await
    {
        Ok(session) => {
            let mut response = redirect_with(
                "/account",
                "Your password is changed. Every other device was signed out.",
                &visitor,
            );
            response.headers_mut().append(
                header::SET_COOKIE,
                session_cookie(&session.token, visitor.secure),
            );
            Ok(response)
        }
        Err(err) => {
            let errors = Errors::from_core(err)?;
            account_page(&state, &visitor, caller, Some(Refused::Password(errors))).await
        }
    }
}

/// Everything the shop holds about the customer, as a JSON file (the
/// same document as `GET /api/v1/store/me/data`).
async fn download_data(
    State(state): State<AppState>,
    Customer { caller, .. }: Customer,
) -> Result<Response, PageError> {
    let data = crate::api::AccountDataDto::from(state.shop.account_data(caller).await?);
    let body = serde_json::to_vec_pretty(&data)
        .map_err(|e| PageError::Core(anyhow::Error::from(e).into()))?;
    Ok((
        [
            (header::CONTENT_TYPE, "application/json"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"my-souk-data.json\"",
            ),
            (header::CACHE_CONTROL, "no-store"),
        ],
        body,
    )
        .into_response())
}

/// Deletes the account after its password: signed out, back to the shop.
async fn delete_account(
    State(state): State<AppState>,
    Customer { visitor, caller }: Customer,
    Client(client): Client,
    PageForm(form): PageForm<DeleteForm>,
) -> Result<Response, PageError> {
    match state
        .shop
        .erase_account(caller, &form.password, &client)
        .await
    {
        Ok(()) => {
            let mut response = redirect_with("/", "Your account is deleted.", &visitor);
            response.headers_mut().append(
                header::SET_COOKIE,
                set_cookie(SESSION_COOKIE, "", Some(0), visitor.secure),
            );
            Ok(response)
        }
        Err(err) => {
            let errors = Errors::from_core(err)?;
            account_page(&state, &visitor, caller, Some(Refused::Delete(errors))).await
        }
    }
}

async fn add_address(
    State(state): State<AppState>,
    Customer { visitor, caller }: Customer,
    PageForm(form): PageForm<AddressForm>,
) -> Result<Response, PageError> {
    let input = form.fields.input();
    match state
        .shop
        .create_address(caller, &input, form.is_default == "1")
        .await
    {
        Ok(_) => Ok(redirect_with("/account", "Address saved.", &visitor)),
        Err(err) => {
            let errors = Errors::from_core(err)?;
            account_page(
                &state,
                &visitor,
                caller,
                Some(Refused::Address(form, errors)),
            )
            .await
        }
    }
}

async fn delete_address(
    State(state): State<AppState>,
    Customer { visitor, caller }: Customer,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    match state.shop.delete_address(caller, id).await {
        Ok(()) | Err(CoreError::NotFound(_)) => {
            Ok(redirect_with("/account", "Address removed.", &visitor))
        }
        Err(err) => Err(err.into()),
    }
}
