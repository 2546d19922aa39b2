//! What every page shows around its content: the shop's name, the
//! visitor's account and cart, a one-time message, the form token.

use super::Flash;
use super::PageError;
use super::visitor::Visitor;
use crate::AppState;
use souk_domain::identity::Role;

/// The frame of a page.
pub(crate) struct Layout {
    pub title: String,
    pub shop_name: String,
    /// The signed-in visitor's name.
    pub user_name: Option<String>,
    pub is_staff: bool,
    /// Whether the account runs a seller (the panel itself asks the core).
    pub is_seller: bool,
    /// The form token of this browser and session.
    pub csrf: String,
    pub cart_count: i64,
    pub flash: Option<Flash>,
    /// The search box's text.
    pub q: String,
}

impl Layout {
    pub(super) async fn new(
        visitor: &Visitor,
        state: &AppState,
        title: String,
    ) -> Result<Self, PageError> {
        let site = state.shop.site_settings().await?;
        let cart_count = match (&visitor.user, &visitor.guest_cart) {
            (Some(user), _) => user.cart_units,
            (None, None) => 0,
            (None, Some(_)) => state.shop.cart_item_count(&visitor.cart_owner()).await?,
        };
        Ok(Self {
            title,
            shop_name: site.shop_name.clone(),
            user_name: visitor.user.as_ref().map(|u| u.name.clone()),
            is_staff: visitor.user.as_ref().is_some_and(|u| u.is_staff()),
            is_seller: visitor
                .user
                .as_ref()
                .is_some_and(|u| u.caller.role == Role::Seller),
            csrf: visitor.csrf(state),
            cart_count,
            flash: visitor.flash.clone(),
            q: String::new(),
        })
    }

    /// A frame without a visitor, for error pages.
    pub(super) fn bare(title: &str) -> Self {
        Self {
            title: title.to_owned(),
            shop_name: "souk".into(),
            user_name: None,
            is_staff: false,
            is_seller: false,
            csrf: String::new(),
            cart_count: 0,
            flash: None,
            q: String::new(),
        }
    }
}
