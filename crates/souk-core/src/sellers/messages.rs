//! What a seller is told by e-mail of its application and of each
//! decision staff take on it.

use super::SellerView;
use souk_domain::marketplace::SellerStatus;

pub(super) fn application_message(
    seller: &SellerView,
    status: SellerStatus,
) -> crate::mail::OutgoingEmail {
    let text = if status == SellerStatus::Approved {
        format!(
            "Welcome! Your shop {} is open. Sign in again and manage it from your seller panel.\n",
            seller.name
        )
    } else {
        format!(
            "Thank you for applying to sell as {}. We will review your application and write to you.\n",
            seller.name
        )
    };
    crate::mail::OutgoingEmail {
        to: seller.contact_email.clone(),
        subject: format!("Your application to sell as {}", seller.name),
        text,
    }
}

pub(super) fn decision_message(seller: &SellerView) -> crate::mail::OutgoingEmail {
    let reason = seller
        .decision_reason
        .as_deref()
        .map(|r| format!("\nThe reason given: {r}\n"))
        .unwrap_or_default();
    let (subject, text) = match seller.status {
        SellerStatus::Approved => (
            format!("Your shop {} is open", seller.name),
            format!(
                "Your shop {} may sell. Sign in again and manage it from your seller panel.\n{reason}",
                seller.name
            ),
        ),
        SellerStatus::Rejected => (
            format!("Your application to sell as {}", seller.name),
            format!(
                "We are sorry: your application to sell as {} was not accepted.\n{reason}",
                seller.name
            ),
        ),
        SellerStatus::Suspended => (
            format!("Your shop {} is suspended", seller.name),
            format!(
                "Your shop {} is suspended: its products are not shown or sold until it is reinstated. \
                 Open orders still need to be shipped.\n{reason}",
                seller.name
            ),
        ),
        SellerStatus::Pending => (
            format!("Your application to sell as {}", seller.name),
            format!(
                "Your application to sell as {} is under review.\n",
                seller.name
            ),
        ),
    };
    crate::mail::OutgoingEmail {
        to: seller.contact_email.clone(),
        subject,
        text,
    }
}
