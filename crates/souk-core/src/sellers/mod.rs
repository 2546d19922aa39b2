//! Becoming a seller: a customer applies, staff approve, reject, suspend
//! or reinstate (or the shop approves by itself when a setting says so),
//! and the seller keeps its shop profile. Each decision is e-mailed.

mod dashboard;
mod messages;
mod profile;

pub use dashboard::SellerDashboard;

use messages::{application_message, decision_message};
use profile::parse_profile;

use crate::actor::Actor;
use crate::{CoreError, Shop};
use chrono::{DateTime, Utc};
use souk_db::WriteTxn;
use souk_db::entity::{seller, user};
use souk_db::repo::sellers::{self, SellerProfile};
use souk_db::repo::{accounts, settings};
use souk_domain::identity::Role;
use souk_domain::marketplace::{
    DECISION_REASON_MAX, SellerDecision, SellerStatus, parse_shop_name,
};
use souk_domain::paging::{Page, PageRequest};
use souk_domain::text::{self, Slug};
use souk_domain::{FieldError, Validator};

/// The setting that approves applications without review.
const AUTO_APPROVE: &str = "marketplace.auto_approve_sellers";

/// What an applicant or a seller says about its shop.
#[derive(Debug, Clone, Default)]
pub struct ShopProfileInput {
    pub name: String,
    pub slug: String,
    pub description: String,
    pub contact_email: String,
    pub payout_details: String,
}

/// A seller as staff and the seller itself see it.
#[derive(Debug, Clone)]
pub struct SellerView {
    pub id: i64,
    pub user_id: Option<i64>,
    pub name: String,
    pub slug: String,
    pub description: String,
    pub contact_email: String,
    pub payout_details: String,
    pub status: SellerStatus,
    /// Why staff refused or suspended, as told to the seller.
    pub decision_reason: Option<String>,
    pub decided_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl SellerView {
    fn new(row: seller::Model) -> Result<Self, CoreError> {
        let status = SellerStatus::parse(&row.status)
            .map_err(|e| anyhow::anyhow!("seller {} has status {e}", row.id))?;
        Ok(Self {
            id: row.id,
            user_id: row.user_id,
            name: row.name,
            slug: row.slug,
            description: row.description,
            contact_email: row.contact_email,
            payout_details: row.payout_details,
            status,
            decision_reason: row.decision_reason,
            decided_at: row.decided_at,
            created_at: row.created_at,
        })
    }
}

/// A seller's shop as shoppers see it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SellerShop {
    pub id: i64,
    pub slug: String,
    pub name: String,
    pub description: String,
}

impl Shop {
    /// A signed-in customer applies to sell. One application per account
    /// (a second is 409); the slug must be free (409). With the
    /// auto-approve setting the seller is approved at once.
    pub async fn apply_to_sell(
        &self,
        actor: &Actor,
        input: ShopProfileInput,
    ) -> Result<SellerView, CoreError> {
        let Actor::Customer { user_id } = *actor else {
            return Err(match actor {
                Actor::Seller { .. } => CoreError::Conflict("You already run a shop.".into()),
                _ => CoreError::Forbidden,
            });
        };
        let profile = parse_profile(&input)?;
        let auto_approve = self.auto_approves_sellers().await?;
        let txn = self.db.begin_write().await?;
        if sellers::find_seller_of_user(&txn, user_id.0)
            .await?
            .is_some()
        {
            return Err(CoreError::Conflict(
                "You have applied already; your application is on your seller page.".into(),
            ));
        }
        if sellers::slug_taken(&txn, profile.slug.as_str(), None).await? {
            return Err(CoreError::clash("slug", "is already in use"));
        }
        let status = if auto_approve {
            SellerStatus::Approved
        } else {
            SellerStatus::Pending
        };
        let now = Utc::now();
        let row = sellers::insert_seller(
            &txn,
            Some(user_id.0),
            profile.as_row(),
            status.as_str(),
            now,
        )
        .await
        .map_err(|e| crate::catalogue::unique_conflict(e, "slug"))?;
        if auto_approve {
            accounts::set_role(&txn, user_id.0, Role::Seller.as_str()).await?;
        }
        let view = SellerView::new(row)?;
        crate::mail::enqueue(&txn, &application_message(&view, status)).await?;
        txn.commit().await?;
        Ok(view)
    }

    /// The caller's own application or shop, if any.
    pub async fn my_seller(&self, actor: &Actor) -> Result<Option<SellerView>, CoreError> {
        let Some(user_id) = actor.user_id() else {
            return Err(CoreError::Forbidden);
        };
        sellers::find_seller_of_user(self.db.conn(), user_id.0)
            .await?
            .map(SellerView::new)
            .transpose()
    }

    /// Staff list sellers, applications waiting for review first.
    pub async fn list_sellers(
        &self,
        actor: &Actor,
        status: Option<&str>,
        page: PageRequest,
    ) -> Result<Page<SellerView>, CoreError> {
        actor.require_staff()?;
        let status = match status.map(str::trim).filter(|s| !s.is_empty()) {
            Some(raw) => Some(
                SellerStatus::parse(raw)
                    .map_err(|e| CoreError::Validation(vec![e.at("status")]))?,
            ),
            None => None,
        };
        let found = sellers::list_sellers(self.db.conn(), status.map(|s| s.as_str()), page).await?;
        let mut items = Vec::with_capacity(found.items.len());
        for row in found.items {
            items.push(SellerView::new(row)?);
        }
        Ok(Page {
            items,
            page: found.page,
            per_page: found.per_page,
            total: found.total,
        })
    }

    /// One seller, for staff.
    pub async fn get_seller(&self, actor: &Actor, id: i64) -> Result<SellerView, CoreError> {
        actor.require_staff()?;
        let row = sellers::find_seller(self.db.conn(), &id.to_string())
            .await?
            .filter(|s| s.id == id)
            .ok_or(CoreError::NotFound("seller"))?;
        SellerView::new(row)
    }

    /// Staff approve, reject, suspend or reinstate a seller. A decision
    /// that does not fit the seller's status is 409; a refusal or a
    /// suspension needs a reason (422). The seller hears of it by e-mail;
    /// a suspended seller's products leave the shop at once.
    pub async fn decide_seller(
        &self,
        actor: &Actor,
        id: i64,
        decision: &str,
        reason: Option<&str>,
    ) -> Result<SellerView, CoreError> {
        actor.require_staff()?;
        let mut v = Validator::new();
        let decision = v.check("decision", SellerDecision::parse(decision));
        let reason = v
            .check("reason", text::optional(reason, DECISION_REASON_MAX))
            .flatten();
        if decision.is_some_and(SellerDecision::needs_reason) && reason.is_none() {
            v.push(FieldError::new(
                "reason",
                "is required to refuse or suspend a seller",
            ));
        }
        v.finish()?;
        let Some(decision) = decision else {
            return Err(anyhow::anyhow!("validated decision is missing").into());
        };
        let txn = self.db.begin_write().await?;
        let current = sellers::find_seller(&txn, &id.to_string())
            .await?
            .filter(|s| s.id == id)
            .ok_or(CoreError::NotFound("seller"))?;
        let current = SellerView::new(current)?;
        let Some(next) = current.status.after(decision) else {
            return Err(CoreError::Conflict(format!(
                "A seller that is {} cannot be given the decision {decision}.",
                current.status
            )));
        };
        let now = Utc::now();
        if !sellers::decide(
            &txn,
            id,
            current.status.as_str(),
            next.as_str(),
            reason.as_deref(),
            now,
        )
        .await?
        {
            return Err(CoreError::Conflict(
                "The seller changed meanwhile; reload it and decide again.".into(),
            ));
        }
        self.seller_account_follows(&txn, &current, next).await?;
        let decided = sellers::find_seller(&txn, &id.to_string())
            .await?
            .ok_or(CoreError::NotFound("seller"))?;
        let decided = SellerView::new(decided)?;
        crate::mail::enqueue(&txn, &decision_message(&decided)).await?;
        txn.commit().await?;
        self.cache.products_changed();
        Ok(decided)
    }

    /// The shop profile of the calling seller.
    pub async fn seller_profile(&self, actor: &Actor) -> Result<SellerView, CoreError> {
        let seller_id = actor.require_seller()?;
        let row = sellers::find_seller(self.db.conn(), &seller_id.to_string())
            .await?
            .ok_or(CoreError::NotFound("seller"))?;
        SellerView::new(row)
    }

    /// The calling seller changes its shop profile.
    pub async fn update_seller_profile(
        &self,
        actor: &Actor,
        input: ShopProfileInput,
    ) -> Result<SellerView, CoreError> {
        let seller_id = actor.require_seller()?;
        let profile = parse_profile(&input)?;
        let txn = self.db.begin_write().await?;
        if sellers::slug_taken(&txn, profile.slug.as_str(), Some(seller_id.0)).await? {
            return Err(CoreError::clash("slug", "is already in use"));
        }
        if !sellers::update_profile(&txn, seller_id.0, profile.as_row(), Utc::now())
            .await
            .map_err(|e| crate::catalogue::unique_conflict(e, "slug"))?
        {
            return Err(CoreError::NotFound("seller"));
        }
        let row = sellers::find_seller(&txn, &seller_id.to_string())
            .await?
            .ok_or(CoreError::NotFound("seller"))?;
        txn.commit().await?;
        self.cache.products_changed();
        SellerView::new(row)
    }

    /// A seller's shop by slug or id, as shoppers see it: only a seller
    /// that may sell has one.
    pub async fn seller_shop(&self, id_or_slug: &str) -> Result<SellerShop, CoreError> {
        let row = sellers::find_seller(self.db.conn(), id_or_slug)
            .await?
            .filter(|s| SellerStatus::parse(&s.status).is_ok_and(SellerStatus::can_sell))
            .ok_or(CoreError::NotFound("seller"))?;
        Ok(SellerShop {
            id: row.id,
            slug: row.slug,
            name: row.name,
            description: row.description,
        })
    }

    /// Whether applications are approved without review.
    pub async fn auto_approves_sellers(&self) -> Result<bool, CoreError> {
        Ok(settings::get(self.db.conn(), AUTO_APPROVE)
            .await?
            .as_deref()
            == Some("true"))
    }

    /// Staff say whether applications are approved without review.
    pub async fn set_auto_approve_sellers(&self, actor: &Actor, on: bool) -> Result<(), CoreError> {
        actor.require_staff()?;
        let txn = self.db.begin_write().await?;
        settings::set(&txn, AUTO_APPROVE, if on { "true" } else { "false" }).await?;
        txn.commit().await?;
        Ok(())
    }

    /// An approved seller's account signs in as a seller; a refused one's
    /// stays a customer's. A suspended seller keeps its panel.
    async fn seller_account_follows(
        &self,
        txn: &WriteTxn,
        seller: &SellerView,
        next: SellerStatus,
    ) -> Result<(), CoreError> {
        let Some(user_id) = seller.user_id else {
            return Ok(());
        };
        let role = if next.can_use_panel() {
            Role::Seller
        } else {
            Role::Customer
        };
        if let Some(user) = accounts::find_user(txn, user_id).await?
            && user.role != Role::Admin.as_str()
        {
            accounts::set_role(txn, user_id, role.as_str()).await?;
        }
        Ok(())
    }
}

/// Gives a seller account made from the command line an approved shop,
/// named after the account, unless it has a shop already.
pub(crate) async fn open_shop_for(txn: &WriteTxn, user: &user::Model) -> Result<(), CoreError> {
    if let Some(existing) = sellers::find_seller_of_user(txn, user.id).await? {
        if existing.status != SellerStatus::Approved.as_str() {
            let now = Utc::now();
            let approved = SellerStatus::Approved.as_str();
            sellers::decide(txn, existing.id, &existing.status, approved, None, now).await?;
        }
        return Ok(());
    }
    let base = Slug::from_name_or(&user.name, "shop");
    let mut slug = base.clone();
    let mut n = 2;
    while sellers::slug_taken(txn, slug.as_str(), None).await? {
        slug = base.with_suffix(n);
        n += 1;
    }
    let name = parse_shop_name(&user.name).unwrap_or_else(|_| format!("{} shop", user.name));
    let profile = SellerProfile {
        name: &name,
        slug: slug.as_str(),
        description: "",
        contact_email: &user.email,
        payout_details: "",
    };
    let approved = SellerStatus::Approved.as_str();
    sellers::insert_seller(txn, Some(user.id), profile, approved, Utc::now()).await?;
    Ok(())
}
