//! A shop profile as a seller gives it, checked field by field.

use super::ShopProfileInput;
use crate::CoreError;
use souk_db::repo::sellers::SellerProfile;
use souk_domain::Validator;
use souk_domain::marketplace::{parse_payout_details, parse_shop_description, parse_shop_name};
use souk_domain::text::{Email, Slug};

/// A profile whose every field was checked.
pub(super) struct ParsedProfile {
    pub name: String,
    pub slug: Slug,
    description: String,
    contact_email: Email,
    payout_details: String,
}

impl ParsedProfile {
    pub fn as_row(&self) -> SellerProfile<'_> {
        SellerProfile {
            name: &self.name,
            slug: self.slug.as_str(),
            description: &self.description,
            contact_email: self.contact_email.as_str(),
            payout_details: &self.payout_details,
        }
    }
}

pub(super) fn parse_profile(input: &ShopProfileInput) -> Result<ParsedProfile, CoreError> {
    let mut v = Validator::new();
    let name = v.check("name", parse_shop_name(&input.name));
    let slug = v.check("slug", Slug::parse(&input.slug));
    let description = v.check("description", parse_shop_description(&input.description));
    let contact_email = v.check("contact_email", Email::parse(&input.contact_email));
    let payout_details = v.check(
        "payout_details",
        parse_payout_details(&input.payout_details),
    );
    v.finish()?;
    match (name, slug, description, contact_email, payout_details) {
        (Some(name), Some(slug), Some(description), Some(contact_email), Some(payout_details)) => {
            Ok(ParsedProfile {
                name,
                slug,
                description,
                contact_email,
                payout_details,
            })
        }
        _ => Err(anyhow::anyhow!("validated shop profile is incomplete").into()),
    }
}
