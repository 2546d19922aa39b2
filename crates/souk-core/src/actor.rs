//! Who acts: every use case that staff, a seller or a customer calls takes
//! the acting party and decides here, in the core, whether it may. The web
//! layer only says who is calling (a verified token or session becomes a
//! [`Caller`], and [`Shop::actor`] turns that into an [`Actor`]).

use crate::auth::Caller;
use crate::{CoreError, Shop};
use souk_db::repo::sellers;
use souk_domain::identity::Role;
use souk_domain::ids::{SellerId, UserId};
use souk_domain::marketplace::SellerStatus;

/// The party a use case acts for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Actor {
    /// A member of staff. There is one staff role today (`admin`); the
    /// staff-roles work narrows this.
    Staff { user_id: UserId },
    /// An account that runs a marketplace seller which may use its panel
    /// (approved, or suspended and still shipping its open orders).
    Seller {
        user_id: UserId,
        seller_id: SellerId,
    },
    /// A signed-in shopper (or a seller whose shop is not open).
    Customer { user_id: UserId },
    /// Nobody signed in.
    Guest,
    /// The shop itself: jobs, the command line, the demo seeder.
    System,
}

/// Which products a catalogue use case may see and change.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CatalogueScope {
    /// Every product (staff, the system).
    All,
    /// Only this seller's products; new ones are this seller's.
    Seller(SellerId),
}

impl CatalogueScope {
    /// The seller a scope is limited to, if any.
    pub fn seller(self) -> Option<SellerId> {
        match self {
            Self::All => None,
            Self::Seller(id) => Some(id),
        }
    }

    /// Whether a product of `owner` (None: the shop's own) is in scope.
    pub fn covers(self, owner: Option<i64>) -> bool {
        match self {
            Self::All => true,
            Self::Seller(id) => owner == Some(id.0),
        }
    }
}

impl Actor {
    /// The account behind the actor, if any; stock movements and notes
    /// record it.
    pub fn user_id(&self) -> Option<UserId> {
        match *self {
            Self::Staff { user_id } | Self::Seller { user_id, .. } | Self::Customer { user_id } => {
                Some(user_id)
            }
            Self::Guest | Self::System => None,
        }
    }

    /// Whether this is staff or the shop itself.
    pub fn is_staff(&self) -> bool {
        matches!(self, Self::Staff { .. } | Self::System)
    }

    /// Staff and the system may; anyone else is 403.
    pub fn require_staff(&self) -> Result<(), CoreError> {
        if self.is_staff() {
            Ok(())
        } else {
            Err(CoreError::Forbidden)
        }
    }

    /// The seller this actor runs; anyone else is 403.
    pub fn require_seller(&self) -> Result<SellerId, CoreError> {
        match *self {
            Self::Seller { seller_id, .. } => Ok(seller_id),
            _ => Err(CoreError::Forbidden),
        }
    }

    /// What of the catalogue this actor manages: staff all of it, a seller
    /// its own products; anyone else is 403.
    pub fn catalogue_scope(&self) -> Result<CatalogueScope, CoreError> {
        match *self {
            Self::Staff { .. } | Self::System => Ok(CatalogueScope::All),
            Self::Seller { seller_id, .. } => Ok(CatalogueScope::Seller(seller_id)),
            Self::Customer { .. } | Self::Guest => Err(CoreError::Forbidden),
        }
    }
}

impl Shop {
    /// Who a verified caller is to the shop. A seller account acts as its
    /// seller while the seller may use its panel; otherwise it is a
    /// customer like any other.
    pub async fn actor(&self, caller: Caller) -> Result<Actor, CoreError> {
        let seller = match caller.role {
            Role::Seller => sellers::find_seller_of_user(self.db.conn(), caller.user_id.0).await?,
            Role::Admin | Role::Customer => None,
        };
        Ok(actor_of(
            caller,
            seller.as_ref().map(|s| (s.id, s.status.as_str())),
        ))
    }
}

/// The actor of a caller, given the seller (id, status) its account runs,
/// if any.
pub(crate) fn actor_of(caller: Caller, seller: Option<(i64, &str)>) -> Actor {
    let user_id = caller.user_id;
    match (caller.role, seller) {
        (Role::Admin, _) => Actor::Staff { user_id },
        (Role::Seller, Some((id, status)))
            if SellerStatus::parse(status).is_ok_and(SellerStatus::can_use_panel) =>
        {
            Actor::Seller {
                user_id,
                seller_id: SellerId(id),
            }
        }
        (Role::Seller | Role::Customer, _) => Actor::Customer { user_id },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_staff_and_sellers_manage_the_catalogue() {
        let user_id = UserId(1);
        let seller_id = SellerId(9);
        assert_eq!(
            Actor::Staff { user_id }.catalogue_scope().ok(),
            Some(CatalogueScope::All)
        );
        assert_eq!(
            Actor::Seller { user_id, seller_id }.catalogue_scope().ok(),
            Some(CatalogueScope::Seller(seller_id))
        );
        assert!(Actor::Customer { user_id }.catalogue_scope().is_err());
        assert!(Actor::Guest.catalogue_scope().is_err());
        assert!(
            Actor::Seller { user_id, seller_id }
                .require_staff()
                .is_err()
        );
        assert!(CatalogueScope::Seller(seller_id).covers(Some(9)));
        assert!(!CatalogueScope::Seller(seller_id).covers(Some(8)));
        assert!(!CatalogueScope::Seller(seller_id).covers(None));
    }
}
