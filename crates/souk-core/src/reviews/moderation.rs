//! Reviews behind the counter: staff list, publish and hide them and choose
//! whether new ones wait for approval; a seller lists the reviews of its
//! products and replies once to each (staff reply for the shop's own
//! products).

use super::ReviewView;
use crate::actor::Actor;
use crate::{CoreError, Shop};
use chrono::Utc;
use souk_db::repo::reviews::{self, ReviewWithProduct, ReviewsOf};
use souk_db::repo::settings;
use souk_domain::paging::{Page, PageRequest};
use souk_domain::reviews::{ReviewStatus, parse_reply};
use souk_domain::{FieldError, Validator};

/// A review with the product it is of.
#[derive(Debug, Clone)]
pub struct ManagedReview {
    pub review: ReviewView,
    pub product_name: String,
    pub product_slug: String,
    /// The product's seller (None: the shop's own).
    pub seller_id: Option<i64>,
}

impl ManagedReview {
    pub(crate) fn new(found: ReviewWithProduct) -> Result<Self, CoreError> {
        Ok(Self {
            review: ReviewView::new(found.review)?,
            product_name: found.product_name,
            product_slug: found.product_slug,
            seller_id: found.seller_id,
        })
    }
}

/// How the shop takes reviews.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ReviewSettings {
    /// New and edited reviews wait for staff before shoppers see them.
    pub approval_required: bool,
}

const APPROVAL_REQUIRED: &str = "reviews.approval_required";

impl Shop {
    /// How the shop takes reviews (no approval until staff require it).
    pub async fn review_settings(&self) -> Result<ReviewSettings, CoreError> {
        let stored = settings::get(self.db.conn(), APPROVAL_REQUIRED).await?;
        Ok(ReviewSettings {
            approval_required: stored.as_deref() == Some("true"),
        })
    }

    /// Staff choose whether reviews wait for approval.
    pub async fn update_review_settings(
        &self,
        actor: &Actor,
        new: ReviewSettings,
    ) -> Result<ReviewSettings, CoreError> {
        actor.require_staff()?;
        let value = if new.approval_required {
            "true"
        } else {
            "false"
        };
        settings::set(self.db.conn(), APPROVAL_REQUIRED, value).await?;
        Ok(new)
    }

    /// Reviews newest first, in one status or any: staff see every
    /// product's, a seller its own products'.
    pub async fn list_reviews(
        &self,
        actor: &Actor,
        status: Option<ReviewStatus>,
        page: PageRequest,
    ) -> Result<Page<ManagedReview>, CoreError> {
        let of = reviews_of(actor)?;
        reviews::list(self.db.conn(), of, status, page)
            .await?
            .try_map(ManagedReview::new)
    }

    /// Staff publish or hide a review; its product's rating follows.
    pub async fn moderate_review(
        &self,
        actor: &Actor,
        review_id: i64,
        status: ReviewStatus,
    ) -> Result<ManagedReview, CoreError> {
        actor.require_staff()?;
        if status == ReviewStatus::Pending {
            return Err(CoreError::invalid("status", "must be published or hidden"));
        }
        let txn = self.db.begin_write().await?;
        let found = reviews::find(&txn, review_id)
            .await?
            .ok_or(CoreError::NotFound("review"))?;
        reviews::set_status(&txn, found.id, status).await?;
        reviews::recount(&txn, found.product_id).await?;
        let changed = reviews::find_with_product(&txn, found.id)
            .await?
            .ok_or(CoreError::NotFound("review"))?;
        txn.commit().await?;
        self.cache.products_changed();
        ManagedReview::new(changed)
    }

    /// The seller of the reviewed product answers a review once (staff for
    /// the shop's own products); another seller's review is 404, a second
    /// reply 409.
    pub async fn reply_to_review(
        &self,
        actor: &Actor,
        review_id: i64,
        reply: &str,
    ) -> Result<ManagedReview, CoreError> {
        let of = reviews_of(actor)?;
        let mut v = Validator::new();
        let reply = v.check("reply", parse_reply(reply));
        v.finish()?;
        let reply = reply.ok_or_else(|| anyhow::anyhow!("validated reply is missing"))?;
        let txn = self.db.begin_write().await?;
        let found = reviews::find_with_product(&txn, review_id)
            .await?
            .filter(|r| match of {
                ReviewsOf::All => true,
                ReviewsOf::Seller(id) => r.seller_id == Some(id),
            })
            .ok_or(CoreError::NotFound("review"))?;
        if of == ReviewsOf::All && found.seller_id.is_some() {
            return Err(CoreError::Conflict(
                "The seller of this product answers its reviews.".into(),
            ));
        }
        if !reviews::set_reply(&txn, found.review.id, &reply, Utc::now()).await? {
            return Err(CoreError::Clash(vec![FieldError::new(
                "reply",
                "this review has been answered already",
            )]));
        }
        let answered = reviews::find_with_product(&txn, found.review.id)
            .await?
            .ok_or(CoreError::NotFound("review"))?;
        txn.commit().await?;
        self.cache.products_changed();
        ManagedReview::new(answered)
    }
}

/// Whose reviews the actor manages: staff all, a seller its products';
/// anyone else is 403.
fn reviews_of(actor: &Actor) -> Result<ReviewsOf, CoreError> {
    Ok(match actor.catalogue_scope()?.seller() {
        None => ReviewsOf::All,
        Some(seller) => ReviewsOf::Seller(seller.0),
    })
}
