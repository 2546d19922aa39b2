//! Reviews from verified buyers: an account that received a product in a
//! delivered parcel reviews it once and may edit its review; shoppers read
//! the published ones with the product's rating summary. Staff moderate and
//! sellers reply in [`moderation`].

mod moderation;

pub use moderation::{ManagedReview, ReviewSettings};

use crate::actor::Actor;
use crate::{CoreError, Shop};
use chrono::{DateTime, Utc};
use souk_db::entity::review;
use souk_db::repo::reviews::{self, ReviewText};
use souk_db::repo::{accounts, catalogue};
use souk_domain::marketplace::for_sale;
use souk_domain::paging::{Page, PageRequest};
use souk_domain::reviews::{
    RatingSummary, ReviewSort, ReviewStatus, author_name, parse_body, parse_rating, parse_title,
};
use souk_domain::{FieldError, Validator};

/// A review as shoppers, its author, staff and sellers see it.
#[derive(Debug, Clone)]
pub struct ReviewView {
    pub id: i64,
    pub product_id: i64,
    pub author_name: String,
    pub rating: u8,
    pub title: String,
    pub body: String,
    pub status: ReviewStatus,
    pub reply: Option<String>,
    pub replied_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

impl ReviewView {
    pub(crate) fn new(r: review::Model) -> Result<Self, CoreError> {
        let status = ReviewStatus::parse(&r.status)
            .map_err(|e| anyhow::anyhow!("review {} has status {:?}: {e}", r.id, r.status))?;
        Ok(Self {
            id: r.id,
            product_id: r.product_id,
            author_name: r.author_name,
            rating: u8::try_from(r.rating).unwrap_or(0),
            title: r.title,
            body: r.body,
            status,
            reply: r.reply,
            replied_at: r.replied_at,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }

    /// The rating as five stars, full then empty ("★★★★☆").
    pub fn star_text(&self) -> String {
        let full = usize::from(self.rating.min(5));
        "★".repeat(full) + &"☆".repeat(5 - full)
    }
}

/// A product's published reviews: the summary and one page.
#[derive(Debug, Clone)]
pub struct ProductReviews {
    pub product_id: i64,
    pub summary: RatingSummary,
    pub sort: ReviewSort,
    pub page: Page<ReviewView>,
}

/// A review as its author sends it.
#[derive(Debug, Clone, Default)]
pub struct ReviewInput {
    pub rating: i64,
    pub title: String,
    pub body: String,
}

impl ReviewInput {
    fn check(&self) -> Result<ReviewText, CoreError> {
        let mut v = Validator::new();
        let rating = v.check("rating", parse_rating(self.rating));
        let title = v.check("title", parse_title(&self.title));
        let body = v.check("body", parse_body(&self.body));
        v.finish()?;
        match (rating, title, body) {
            (Some(rating), Some(title), Some(body)) => Ok(ReviewText {
                rating: i16::from(rating),
                title,
                body,
            }),
            _ => Err(anyhow::anyhow!("validated review is incomplete").into()),
        }
    }
}

/// Where an account stands with reviewing a product.
#[derive(Debug, Clone)]
pub enum ReviewStanding {
    /// Nobody is signed in.
    SignedOut,
    /// The account has not received the product in a delivered parcel.
    NotReceived,
    /// The account may write its review.
    MayWrite,
    /// The account's review, which it may edit.
    Written(ReviewView),
}

/// Refused when the writer has not received the product.
const NOT_RECEIVED: &str =
    "Only shoppers who received this product in a delivered order can review it.";

impl Shop {
    /// A page of a product's published reviews with its rating summary, for
    /// anyone; a product not for sale is 404.
    pub async fn product_reviews(
        &self,
        id_or_slug: &str,
        sort: ReviewSort,
        page: PageRequest,
    ) -> Result<ProductReviews, CoreError> {
        let product = self.get_product(id_or_slug).await?;
        let db = self.db.conn();
        let summary = if product.rating.is_rated() {
            reviews::rating_counts(db, product.id).await?
        } else {
            RatingSummary::default()
        };
        let found = if summary.count() == 0 {
            Page {
                items: Vec::new(),
                page: page.page,
                per_page: page.per_page,
                total: 0,
            }
        } else {
            reviews::published_page(db, product.id, sort, page, summary.count()).await?
        };
        Ok(ProductReviews {
            product_id: product.id,
            summary,
            sort,
            page: found.try_map(ReviewView::new)?,
        })
    }

    /// Whether the actor may review a product, or its review if written.
    pub async fn review_standing(
        &self,
        actor: &Actor,
        product_id: i64,
    ) -> Result<ReviewStanding, CoreError> {
        let Some(user_id) = actor.user_id() else {
            return Ok(ReviewStanding::SignedOut);
        };
        let db = self.db.conn();
        if let Some(mine) = reviews::find_by_author(db, product_id, user_id.0).await? {
            return Ok(ReviewStanding::Written(ReviewView::new(mine)?));
        }
        Ok(if reviews::has_received(db, user_id.0, product_id).await? {
            ReviewStanding::MayWrite
        } else {
            ReviewStanding::NotReceived
        })
    }

    /// A verified buyer reviews a product once: 401 signed out, 403 without
    /// a delivered order line of it, 409 for a second review, 404 for a
    /// product not for sale.
    pub async fn write_review(
        &self,
        actor: &Actor,
        id_or_slug: &str,
        input: ReviewInput,
    ) -> Result<ReviewView, CoreError> {
        let user_id = actor
            .user_id()
            .ok_or(CoreError::Unauthenticated("Sign in to review a product."))?;
        let text = input.check()?;
        let approval = self.review_settings().await?.approval_required;
        let txn = self.db.begin_write().await?;
        let product = catalogue::find_product_with_refs(&txn, id_or_slug)
            .await?
            .filter(|p| for_sale(&p.product.status, p.seller_status.as_deref()))
            .ok_or(CoreError::NotFound("product"))?;
        let product_id = product.product.id;
        if reviews::find_by_author(&txn, product_id, user_id.0)
            .await?
            .is_some()
        {
            return Err(already_reviewed());
        }
        if !reviews::has_received(&txn, user_id.0, product_id).await? {
            return Err(CoreError::NotAllowed(NOT_RECEIVED));
        }
        let name = accounts::find_user(&txn, user_id.0)
            .await?
            .map(|u| author_name(&u.name))
            .unwrap_or_else(|| author_name(""));
        let status = ReviewStatus::after_writing(None, approval);
        let written = reviews::insert(&txn, product_id, user_id.0, name, text, status, Utc::now())
            .await
            .map_err(|err| {
                if souk_db::is_unique_violation(&err) {
                    already_reviewed()
                } else {
                    err.into()
                }
            })?;
        reviews::recount(&txn, product_id).await?;
        txn.commit().await?;
        self.cache.products_changed();
        ReviewView::new(written)
    }

    /// The author edits its review (another's is 404). When the shop
    /// requires approval the edit waits for it again; a hidden review stays
    /// hidden.
    pub async fn edit_review(
        &self,
        actor: &Actor,
        review_id: i64,
        input: ReviewInput,
    ) -> Result<ReviewView, CoreError> {
        let user_id = actor
            .user_id()
            .ok_or(CoreError::Unauthenticated("Sign in to edit your review."))?;
        let text = input.check()?;
        let approval = self.review_settings().await?.approval_required;
        let txn = self.db.begin_write().await?;
        let mine = reviews::find(&txn, review_id)
            .await?
            .filter(|r| r.user_id == user_id.0)
            .ok_or(CoreError::NotFound("review"))?;
        let current = ReviewStatus::parse(&mine.status).ok();
        let status = ReviewStatus::after_writing(current, approval);
        let edited = reviews::rewrite(&txn, mine.id, text, status, Utc::now()).await?;
        reviews::recount(&txn, mine.product_id).await?;
        txn.commit().await?;
        self.cache.products_changed();
        ReviewView::new(edited)
    }
}

fn already_reviewed() -> CoreError {
    CoreError::Clash(vec![FieldError::new(
        "product",
        "you have already reviewed this product; edit your review instead",
    )])
}
