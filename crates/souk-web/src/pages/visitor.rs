//! Who is looking at a page: the browser's cookies (its form key, its
//! session, its guest cart, a one-time message) and what they stand for.
//! The page guard gives every browser a form key and refuses forged posts.

use super::theme::{THEME_COOKIE, Theme};
use super::{Flash, PageError, layout::Layout};
use crate::AppState;
use axum::body::Body;
use axum::extract::{FromRequestParts, OriginalUri, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use base64_url::encode_key;
use souk_core::actor::Actor;
use souk_core::auth::{Caller, SignedIn};
use souk_core::cart::CartOwner;

/// The cookie that holds a browser's form key (the anti-forgery binding).
pub(crate) const FORM_COOKIE: &str = "souk_form";
/// The cookie that holds a signed-in browser's session token.
pub(crate) const SESSION_COOKIE: &str = "souk_session";
/// The cookie that holds a guest's cart token.
pub(crate) const CART_COOKIE: &str = "souk_cart";
/// The cookie that carries a one-time message to the next page.
pub(crate) const FLASH_COOKIE: &str = "souk_flash";

/// The largest form accepted.
const MAX_FORM_BYTES: usize = 256 * 1024;

/// The value of cookie `name`, if the request carries it.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(key, _)| *key == name)
        .map(|(_, value)| value.trim())
        .filter(|value| !value.is_empty() && value.len() <= 256)
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Lax, Path=/, Secure when the
/// shop is served over TLS; `max_age` 0 removes the cookie.
/// The cookie that keeps a browser signed in under `token`, for the
/// session's 30 days.
pub(crate) fn session_cookie(token: &str, secure: bool) -> HeaderValue {
    set_cookie(SESSION_COOKIE, token, Some(60 * 60 * 24 * 30), secure)
}

pub(crate) fn set_cookie(
    name: &str,
    value: &str,
    max_age: Option<i64>,
    secure: bool,
) -> HeaderValue {
    let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
    if let Some(seconds) = max_age {
        cookie.push_str(&format!("; Max-Age={seconds}"));
    }
    if secure {
        cookie.push_str("; Secure");
    }
    HeaderValue::from_str(&cookie)
        .unwrap_or_else(|_| HeaderValue::from_static("invalid=1; Max-Age=0"))
}

/// The browser's form key, as the guard found or made it.
#[derive(Clone)]
struct FormKey(String);

/// Gives every browser a form key, and lets a state-changing request
/// through only if it comes from this site (`Sec-Fetch-Site`, `Origin`)
/// with the form token of this browser and session. Everything else is
/// 403 and changes nothing.
pub(crate) async fn guard(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let existing = cookie(req.headers(), FORM_COOKIE).map(str::to_owned);
    let fresh = existing.is_none();
    let key = existing.unwrap_or_else(encode_key);
    req.extensions_mut().insert(FormKey(key.clone()));
    if req.method() != Method::GET && req.method() != Method::HEAD {
        if cross_site(req.headers()) {
            return PageError::Forged.into_response();
        }
        let (parts, body) = req.into_parts();
        let boundary = parts
            .headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| multer::parse_boundary(v).ok());
        let limit = if boundary.is_some() && crate::is_photo_upload(&parts.method, parts.uri.path())
        {
            crate::MAX_UPLOAD_BODY_BYTES
        } else {
            MAX_FORM_BYTES
        };
        let Ok(bytes) = axum::body::to_bytes(body, limit).await else {
            return PageError::BadForm.into_response();
        };
        let token = match boundary {
            Some(boundary) => multipart_token(bytes.clone(), boundary).await,
            None => form_urlencoded::parse(&bytes)
                .find(|(name, _)| name == "csrf")
                .map(|(_, value)| value.into_owned())
                .unwrap_or_default(),
        };
        let session = cookie(&parts.headers, SESSION_COOKIE);
        if fresh || !state.shop.check_form_token(&key, session, &token) {
            return PageError::Forged.into_response();
        }
        req = Request::from_parts(parts, Body::from(bytes));
    }
    let had_flash = cookie(req.headers(), FLASH_COOKIE).is_some();
    let secure = state.config.secure_cookies;
    let mut response = next.run(req).await;
    let redirected = response.status().is_redirection();
    let headers = response.headers_mut();
    if fresh {
        headers.append(
            header::SET_COOKIE,
            set_cookie(FORM_COOKIE, &key, None, secure),
        );
    }
    if had_flash && !redirected {
        headers.append(
            header::SET_COOKIE,
            set_cookie(FLASH_COOKIE, "", Some(0), secure),
        );
    }
    response
}

/// The `csrf` field of a multipart form (an upload), read from the form's
/// fields in order; forms put it first.
async fn multipart_token(bytes: axum::body::Bytes, boundary: String) -> String {
    let stream =
        futures_util::stream::once(async move { Ok::<_, std::convert::Infallible>(bytes) });
    let mut form = multer::Multipart::new(stream, boundary);
    while let Ok(Some(field)) = form.next_field().await {
        if field.name() == Some("csrf") {
            return field.text().await.unwrap_or_default();
        }
    }
    String::new()
}

/// Whether the browser says the request comes from another site.
fn cross_site(headers: &HeaderMap) -> bool {
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return !matches!(site, "same-origin" | "none");
    }
    let Some(origin) = headers.get(header::ORIGIN).and_then(|v| v.to_str().ok()) else {
        return false;
    };
    let host = headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    let origin_host = origin
        .split_once("://")
        .map(|(_, rest)| rest)
        .unwrap_or_default();
    origin == "null" || !origin_host.eq_ignore_ascii_case(host)
}

/// Who is looking: signed in or a guest, with the browser's tokens.
pub(crate) struct Visitor {
    pub user: Option<SignedIn>,
    pub session: Option<String>,
    pub form_key: String,
    pub guest_cart: Option<String>,
    pub flash: Option<Flash>,
    pub secure: bool,
    /// The theme this browser chose.
    pub theme: Theme,
    /// This page's path and query, to come back to from a form in its
    /// frame (the theme switch, a card's add to cart).
    pub here: String,
}

impl FromRequestParts<AppState> for Visitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let headers = &parts.headers;
        let session = cookie(headers, SESSION_COOKIE).map(str::to_owned);
        let user = match &session {
            Some(token) => state.shop.browser_user(token).await?,
            None => None,
        };
        let form_key = parts
            .extensions
            .get::<FormKey>()
            .map(|k| k.0.clone())
            .unwrap_or_default();
        let flash = cookie(headers, FLASH_COOKIE).map(|raw| {
            let text = form_urlencoded::parse(format!("m={raw}").as_bytes())
                .next()
                .map(|(_, v)| v.into_owned())
                .unwrap_or_default();
            Flash::from_cookie(&text)
        });
        Ok(Visitor {
            user,
            session,
            form_key,
            guest_cart: cookie(headers, CART_COOKIE).map(str::to_owned),
            flash,
            secure: state.config.secure_cookies,
            theme: cookie(headers, THEME_COOKIE)
                .and_then(Theme::parse)
                .unwrap_or_default(),
            here: here(parts),
        })
    }
}

impl Visitor {
    /// The token this browser's forms carry.
    pub fn csrf(&self, state: &AppState) -> String {
        state
            .shop
            .form_token(&self.form_key, self.session.as_deref())
    }

    /// Whose cart this visitor fills.
    pub fn cart_owner(&self) -> CartOwner {
        match &self.user {
            Some(user) => CartOwner::Customer(user.caller),
            None => CartOwner::Guest(self.guest_cart.clone()),
        }
    }

    /// Whom the visitor acts as: its account's actor, or a guest.
    pub fn actor(&self) -> Actor {
        self.user.as_ref().map_or(Actor::Guest, |u| u.actor)
    }

    /// Whether an account is signed in.
    pub fn is_signed_in(&self) -> bool {
        self.user.is_some()
    }

    /// What every page shows around its content.
    pub async fn layout(
        &self,
        state: &AppState,
        title: impl Into<String>,
    ) -> Result<Layout, PageError> {
        Layout::new(self, state, title.into()).await
    }
}

/// A signed-in visitor; anyone else is sent to sign in.
pub(crate) struct Customer {
    pub visitor: Visitor,
    pub caller: Caller,
}

impl Customer {
    /// Whom the signed-in account acts as, as the core decided with the
    /// session.
    pub fn actor(&self) -> Actor {
        self.visitor.user.as_ref().map_or(
            Actor::Customer {
                user_id: self.caller.user_id,
            },
            |u| u.actor,
        )
    }
}

impl FromRequestParts<AppState> for Customer {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        let Some(caller) = visitor.user.as_ref().map(|u| u.caller) else {
            return Err(PageError::SignIn(next_path(parts)));
        };
        Ok(Customer { visitor, caller })
    }
}

/// A signed-in member of staff, as the core decides; anyone else is sent
/// to sign in.
pub(crate) struct StaffVisitor {
    pub visitor: Visitor,
    pub actor: Actor,
}

impl FromRequestParts<AppState> for StaffVisitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let visitor = Visitor::from_request_parts(parts, state).await?;
        let Some(actor) = visitor.user.as_ref().map(|u| u.actor) else {
            return Err(PageError::SignIn(next_path(parts)));
        };
        if !actor.is_staff() {
            return Err(PageError::SignIn(next_path(parts)));
        }
        Ok(StaffVisitor { visitor, actor })
    }
}

/// The page a visitor is on: this one if it was a GET; after a post that
/// shows a page (a refused form), the page of this site it was sent from
/// (`Referer`), else the home page.
fn here(parts: &Parts) -> String {
    if parts.method == Method::GET {
        return next_path(parts);
    }
    let host = parts
        .headers
        .get(header::HOST)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default();
    parts
        .headers
        .get(header::REFERER)
        .and_then(|v| v.to_str().ok())
        .and_then(|referer| referer.split_once("://"))
        .and_then(|(_, rest)| rest.strip_prefix(host))
        .filter(|_| !host.is_empty())
        .and_then(|path| super::forms::local_path(path))
        .unwrap_or("/")
        .to_owned()
}

/// Where to come back to after signing in: this page, if it was a GET.
pub(super) fn next_path(parts: &Parts) -> String {
    if parts.method == Method::GET {
        // Inside a nested router the URI has lost its prefix; the
        // original one has not.
        let uri = parts
            .extensions
            .get::<OriginalUri>()
            .map_or(&parts.uri, |original| &original.0);
        uri.path_and_query()
            .map(|p| p.as_str().to_owned())
            .unwrap_or_else(|| "/".into())
    } else {
        "/".into()
    }
}

mod base64_url {
    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use rand::RngCore;

    /// 256 random bits, URL-safe: a new form key.
    pub fn encode_key() -> String {
        let mut bytes = [0u8; 32];
        rand::rng().fill_bytes(&mut bytes);
        URL_SAFE_NO_PAD.encode(bytes)
    }
}
