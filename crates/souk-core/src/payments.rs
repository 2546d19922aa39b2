//! How orders get paid. Each payment method is served by a
//! [`PaymentProvider`]; the manual ones (bank transfer, cash on delivery)
//! start unpaid and staff mark the order paid. Card payments, webhooks and
//! refunds plug in here.

use souk_domain::orders::{PaymentMethod, PaymentStatus};

/// A way of taking a customer's money.
pub trait PaymentProvider: Send + Sync {
    /// The provider's name, stored with each payment.
    fn name(&self) -> &'static str;

    /// The payment status an order has when it is placed.
    fn initial_status(&self) -> PaymentStatus;

    /// What the customer is told to do after placing the order.
    fn instructions(&self) -> &'static str;
}

/// Bank transfer and cash on delivery: nothing happens online; staff mark
/// the order paid when the money arrives.
pub struct ManualPayment {
    method: PaymentMethod,
}

impl PaymentProvider for ManualPayment {
    fn name(&self) -> &'static str {
        self.method.as_str()
    }

    fn initial_status(&self) -> PaymentStatus {
        PaymentStatus::Unpaid
    }

    fn instructions(&self) -> &'static str {
        match self.method {
            PaymentMethod::BankTransfer => {
                "Transfer the total quoting the order number; we ship once it arrives."
            }
            PaymentMethod::CashOnDelivery => "Pay the carrier when the parcel arrives.",
        }
    }
}

/// The provider that serves a payment method.
pub fn provider_for(method: PaymentMethod) -> Box<dyn PaymentProvider> {
    Box::new(ManualPayment { method })
}
