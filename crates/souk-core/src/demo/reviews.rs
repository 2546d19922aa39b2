//! The demo shop's reviews: each demo buyer reviews what reached it in a
//! delivered parcel, through the same use case shoppers use, and a seller
//! answers one of them.

use crate::actor::Actor;
use crate::auth::Caller;
use crate::reviews::ReviewInput;
use crate::{CoreError, Shop};
use souk_db::repo::sellers;
use souk_domain::ids::SellerId;

/// What the demo buyers write: rating, title, text.
const WORDS: [(i64, &str, &str); 6] = [
    (
        5,
        "Better than the photos",
        "Arrived well packed and two days early. The finish is lovely and it feels solid in the hand.",
    ),
    (
        4,
        "Good value",
        "Does exactly what it should. Slightly smaller than I expected, so check the measurements.",
    ),
    (
        5,
        "Bought a second one",
        "We use it every day. After a month it still looks new, so I ordered another as a gift.",
    ),
    (
        3,
        "Fine, not special",
        "It is well made, but the colour is a little duller than on my screen.",
    ),
    (4, "Happy with it", ""),
    (
        2,
        "Took a while",
        "The product is nice, but shipping was slow and nobody told me about the delay.",
    ),
];

impl Shop {
    /// Each (buyer, product) of a delivered parcel gets a review; a seller
    /// answers the first review of its products. How many reviews were
    /// written.
    pub(super) async fn seed_demo_reviews(
        &self,
        received: &[(Caller, i64)],
    ) -> Result<usize, CoreError> {
        let mut written = Vec::new();
        for (n, (buyer, product)) in received.iter().enumerate() {
            let (rating, title, body) = WORDS[n % WORDS.len()];
            let actor = Actor::Customer {
                user_id: buyer.user_id,
            };
            let input = ReviewInput {
                rating,
                title: title.into(),
                body: body.into(),
            };
            match self.write_review(&actor, &product.to_string(), input).await {
                Ok(review) => written.push(review),
                // The same buyer received the product twice.
                Err(CoreError::Clash(_)) => {}
                Err(err) => return Err(err),
            }
        }
        if let Some(north) = sellers::find_seller(self.db.conn(), "northwind-ceramics").await?
            && let Some(user_id) = north.user_id
        {
            let seller = Actor::Seller {
                user_id: souk_domain::ids::UserId(user_id),
                seller_id: SellerId(north.id),
            };
            let theirs = self.list_reviews(&seller, None, Default::default()).await?;
            if let Some(first) = theirs.items.first() {
                self.reply_to_review(
                    &seller,
                    first.review.id,
                    "Thank you for taking the time to write. Every piece is thrown and glazed by hand in our workshop.",
                )
                .await?;
            }
        }
        Ok(written.len())
    }
}
