//! The two back offices: the admin panel (`/admin`, staff) and the seller
//! panel (`/seller`, a seller). They share their catalogue pages: each
//! handler takes a [`PanelVisitor`], whose actor the core scopes, and links
//! within the panel it was opened from.

use super::layout::Layout;
use super::{PageError, Visitor};
use crate::AppState;
use axum::extract::{FromRequestParts, OriginalUri};
use axum::http::request::Parts;
use souk_core::actor::Actor;

/// One link of a panel's navigation.
pub(crate) struct NavLink {
    pub label: &'static str,
    pub href: &'static str,
    pub current: bool,
}

/// A panel's navigation with the open part marked. A panel page's
/// template has it as `admin`, next to its `layout`.
pub(crate) struct PanelNav {
    /// What the navigation is called, for assistive technology.
    pub title: &'static str,
    pub links: Vec<NavLink>,
}

impl PanelNav {
    /// The navigation of `links` (label, href) with `current` marked.
    pub fn new(title: &'static str, links: &[(&'static str, &'static str)], current: &str) -> Self {
        Self {
            title,
            links: links
                .iter()
                .map(|(label, href)| NavLink {
                    label,
                    href,
                    current: *href == current,
                })
                .collect(),
        }
    }
}

/// Which back office a page is shown in.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum PanelKind {
    Staff,
    Seller,
}

/// The seller panel's parts, in navigation order: (label, href).
pub(crate) const SELLER_LINKS: [(&str, &str); 7] = [
    ("Dashboard", "/seller"),
    ("Products", "/seller/products"),
    ("Reviews", "/seller/reviews"),
    ("Orders", "/seller/orders"),
    ("Money", "/seller/money"),
    ("Shipping", "/seller/shipping"),
    ("Shop profile", "/seller/profile"),
];

/// A visitor of a back office, as the core sees it: staff in `/admin`, a
/// seller whose panel is open in `/seller`. Anyone else signed in is
/// refused; a visitor not signed in is sent to sign in.
pub(crate) struct PanelVisitor {
    pub visitor: Visitor,
    pub actor: Actor,
    pub kind: PanelKind,
}

impl FromRequestParts<AppState> for PanelVisitor {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        let path = parts
            .extensions
            .get::<OriginalUri>()
            .map_or(parts.uri.path(), |original| original.0.path())
            .to_owned();
        let kind = if path == "/seller" || path.starts_with("/seller/") {
            PanelKind::Seller
        } else {
            PanelKind::Staff
        };
        let visitor = Visitor::from_request_parts(parts, state).await?;
        let Some(actor) = visitor.user.as_ref().map(|u| u.actor) else {
            return Err(PageError::SignIn(super::visitor::next_path(parts)));
        };
        match kind {
            PanelKind::Staff if !actor.is_staff() => {
                return Err(PageError::SignIn(super::visitor::next_path(parts)));
            }
            PanelKind::Seller => {
                actor.require_seller()?;
            }
            PanelKind::Staff => {}
        }
        Ok(Self {
            visitor,
            actor,
            kind,
        })
    }
}

impl PanelVisitor {
    /// Where the panel's pages are: `/admin` or `/seller`.
    pub fn base(&self) -> &'static str {
        match self.kind {
            PanelKind::Staff => "/admin",
            PanelKind::Seller => "/seller",
        }
    }

    /// The frame of a panel page at `current` (an href of the navigation).
    pub async fn frame(
        &self,
        state: &AppState,
        current: &str,
        title: impl Into<String>,
    ) -> Result<(Layout, PanelNav), PageError> {
        let layout = self.visitor.layout(state, title).await?;
        let nav = match self.kind {
            PanelKind::Staff => super::admin::nav(current),
            PanelKind::Seller => PanelNav::new("Seller panel", &SELLER_LINKS, current),
        };
        Ok((layout, nav))
    }

    /// The frame of a catalogue page: the panel's products.
    pub async fn products_frame(
        &self,
        state: &AppState,
        title: impl Into<String>,
    ) -> Result<(Layout, PanelNav), PageError> {
        let current = match self.kind {
            PanelKind::Staff => "/admin/products",
            PanelKind::Seller => "/seller/products",
        };
        self.frame(state, current, title).await
    }
}
