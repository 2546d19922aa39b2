//! The light / dark / system switch in every page's header. The choice is
//! a cookie; the server writes it on `<html data-theme>` so that the first
//! paint is already in the chosen theme (the pages' policy allows no
//! inline script that could set it before the stylesheet applies). The
//! switch is a form that posts and comes back; `static/souk.js` applies a
//! choice at once and sends the same form in the background.

use super::forms::{PageForm, local_path};
use super::visitor::{Visitor, set_cookie};
use super::{PageError, redirect};
use crate::AppState;
use axum::Router;
use axum::http::header;
use axum::response::Response;
use axum::routing::post;
use serde::Deserialize;

/// The cookie that keeps a browser's chosen theme.
pub(crate) const THEME_COOKIE: &str = "souk_theme";

/// How long a choice is kept: a year.
const KEPT_SECS: i64 = 60 * 60 * 24 * 365;

/// The theme a visitor chose.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) enum Theme {
    /// Follow the system's light or dark setting (the default).
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    /// Every choice, in the order the switch shows them.
    pub const ALL: [Theme; 3] = [Theme::Light, Theme::Dark, Theme::System];

    /// The theme named `raw` (`light`, `dark`, `system`), if any.
    pub fn parse(raw: &str) -> Option<Self> {
        match raw.trim() {
            "light" => Some(Self::Light),
            "dark" => Some(Self::Dark),
            "system" => Some(Self::System),
            _ => None,
        }
    }

    /// Its name in the form, the cookie and `data-theme`.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::System => "system",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }

    /// The theme written on `<html data-theme>`: none for "system", which
    /// the stylesheet takes from the system's setting.
    pub fn chosen(self) -> Option<&'static str> {
        (self != Self::System).then_some(self.as_str())
    }

    /// What the switch's button says.
    pub fn label(self) -> &'static str {
        match self {
            Self::System => "System",
            Self::Light => "Light",
            Self::Dark => "Dark",
        }
    }

    /// Its sign, shown instead of the label where the header is narrow.
    pub fn glyph(self) -> &'static str {
        match self {
            Self::System => "◐",
            Self::Light => "☀",
            Self::Dark => "☾",
        }
    }

    /// The `<meta name="color-scheme">` of a page in this theme: the
    /// browser's own controls and scroll bars follow it.
    pub fn color_scheme(self) -> &'static str {
        match self {
            Self::System => "light dark",
            Self::Light => "light",
            Self::Dark => "dark",
        }
    }
}

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/theme", post(choose_theme))
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
struct ThemeForm {
    theme: String,
    /// The page the switch was used on, to go back to.
    back: String,
}

/// Keeps the chosen theme (forgets it for "system") and goes back to the
/// page it was chosen on; an unknown theme changes nothing.
async fn choose_theme(
    visitor: Visitor,
    PageForm(form): PageForm<ThemeForm>,
) -> Result<Response, PageError> {
    let back = local_path(form.back.trim()).unwrap_or("/");
    let mut response = redirect(back);
    let cookie = match Theme::parse(&form.theme) {
        Some(Theme::System) => set_cookie(THEME_COOKIE, "", Some(0), visitor.secure),
        Some(theme) => set_cookie(
            THEME_COOKIE,
            theme.as_str(),
            Some(KEPT_SECS),
            visitor.secure,
        ),
        None => return Ok(response),
    };
    response.headers_mut().append(header::SET_COOKIE, cookie);
    Ok(response)
}
