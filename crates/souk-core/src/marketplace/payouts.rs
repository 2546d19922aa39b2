//! Paying sellers. A run makes, for every seller and currency whose
//! available money reaches the minimum, one payout that settles exactly
//! the entries it sums and a debit of that sum. Staff then mark it paid
//! (with the transfer's reference) or failed, which credits the sum back
//! so the next run pays it again.

use super::balance::{LedgerEntryView, PayoutView, entry_views, payout_views};
use super::settings::payout_settings_in;
use crate::actor::{Actor, CatalogueScope};
use crate::{CoreError, Shop};
use chrono::Utc;
use souk_db::ActiveValue::Set;
use souk_db::entity::payout;
use souk_db::is_unique_violation;
use souk_db::repo::ledger::{self, Owed, PayoutFilter, PayoutOutcome};
use souk_db::repo::sellers;
use souk_domain::marketplace::{LedgerKind, PayoutStatus};
use souk_domain::paging::{Page, PageRequest};
use souk_domain::{FieldError, Validator, text};

/// The scheduled payout run, once a day.
pub const MAKE_PAYOUTS: &str = "make_payouts";
/// The longest transfer reference or failure reason, in characters.
pub const PAYOUT_NOTE_MAX: usize = 200;

/// What staff say became of a payout.
#[derive(Debug, Clone, Default)]
pub struct PayoutDecisionInput {
    /// `paid` or `failed`.
    pub status: String,
    /// The transfer's reference; required to mark it paid.
    pub reference: Option<String>,
    /// Why it failed; required to mark it failed.
    pub reason: Option<String>,
}

/// A payout with the entries it settles.
#[derive(Debug, Clone)]
pub struct PayoutDetail {
    pub payout: PayoutView,
    pub entries: Vec<LedgerEntryView>,
}

impl Shop {
    /// Runs payouts as the run `run_key` (the scheduled run's day): at most
    /// one payout per seller, currency and run, however many nodes run it.
    pub async fn make_payouts(&self, run_key: &str) -> Result<Vec<PayoutView>, CoreError> {
        let terms = self.payout_settings().await?;
        let now = Utc::now();
        let mut made = Vec::new();
        for owed in ledger::payable(self.db.conn(), terms.minimum, now).await? {
            if let Some(row) = self.pay_out(&owed, run_key).await? {
                made.push(row);
            }
        }
        payout_views(self.db.conn(), made).await
    }

    /// Staff run payouts now, outside the schedule.
    pub async fn run_payouts(&self, actor: &Actor) -> Result<Vec<PayoutView>, CoreError> {
        actor.require_staff()?;
        let key = format!("manual:{}", Utc::now().timestamp_millis());
        self.make_payouts(&key).await
    }

    /// One seller's payout in one currency, in its own transaction. None
    /// when there is nothing to pay after all, or another node's run made
    /// it first.
    async fn pay_out(
        &self,
        owed: &Owed,
        run_key: &str,
    ) -> Result<Option<payout::Model>, CoreError> {
        let now = Utc::now();
        let txn = self.db.begin_write().await?;
        let terms = payout_settings_in(&txn).await?;
        let entries = ledger::available_entries(&txn, owed.seller_id, &owed.currency, now).await?;
        let amount: i64 = entries.iter().map(|e| e.amount).sum();
        if amount <= 0 || amount < terms.minimum {
            return Ok(None);
        }
        let row = payout::ActiveModel {
            seller_id: Set(owed.seller_id),
            currency: Set(owed.currency.clone()),
            amount: Set(amount),
            status: Set(PayoutStatus::Pending.as_str().to_owned()),
            run_key: Set(run_key.to_owned()),
            created_at: Set(now),
            ..Default::default()
        };
        let made = match ledger::insert_payout(&txn, row).await {
            Ok(made) => made,
            // This run already paid this seller: on another node.
            Err(err) if is_unique_violation(&err) => return Ok(None),
            Err(err) => return Err(err.into()),
        };
        let ids: Vec<i64> = entries.iter().map(|e| e.id).collect();
        if ledger::settle(&txn, &made, &ids).await? != ids.len() as u64 {
            // Another run settled some of them meanwhile; this one stops.
            return Ok(None);
        }
        let mut debit = ledger::entry(
            owed.seller_id,
            &owed.currency,
            LedgerKind::Payout.as_str(),
            -amount,
            format!("Payout #{}", made.id),
            now,
        );
        debit.payout_ref = Set(Some(made.id));
        debit.settled_by = Set(Some(made.id));
        ledger::insert_entries(&txn, vec![debit]).await?;
        txn.commit().await?;
        Ok(Some(made))
    }

    /// Payouts: a seller's own, or for staff every seller's (or one's).
    pub async fn list_payouts(
        &self,
        actor: &Actor,
        mut filter: PayoutFilter,
        page: PageRequest,
    ) -> Result<Page<PayoutView>, CoreError> {
        if let CatalogueScope::Seller(own) = actor.catalogue_scope()? {
            filter.seller_id = Some(own.0);
        }
        if let Some(status) = &filter.status {
            PayoutStatus::parse(status).map_err(|e| CoreError::Validation(vec![e.at("status")]))?;
        }
        let rows = ledger::payouts_page(self.db.conn(), &filter, page).await?;
        let views = payout_views(self.db.conn(), rows.items).await?;
        Ok(Page {
            items: views,
            page: rows.page,
            per_page: rows.per_page,
            total: rows.total,
        })
    }

    /// A payout and the entries it settles; another seller's is 404.
    pub async fn payout(&self, actor: &Actor, id: i64) -> Result<PayoutDetail, CoreError> {
        let scope = actor.catalogue_scope()?;
        let db = self.db.conn();
        let row = ledger::find_payout(db, id)
            .await?
            .filter(|p| scope.covers(Some(p.seller_id)))
            .ok_or(CoreError::NotFound("payout"))?;
        let entries = entry_views(ledger::settled_by(db, id).await?)?;
        let payout = payout_views(db, vec![row])
            .await?
            .pop()
            .ok_or(CoreError::NotFound("payout"))?;
        Ok(PayoutDetail { payout, entries })
    }

    /// Staff mark a pending payout paid or failed. A failed payout's sum
    /// goes back to the seller's available money. A payout that is not
    /// pending is 409.
    pub async fn decide_payout(
        &self,
        actor: &Actor,
        id: i64,
        input: PayoutDecisionInput,
    ) -> Result<PayoutDetail, CoreError> {
        actor.require_staff()?;
        let mut v = Validator::new();
        let next = v.check(
            "status",
            PayoutStatus::parse(&input.status).and_then(|s| match s {
                PayoutStatus::Pending => Err(souk_domain::Invalid::new("must be paid or failed")),
                other => Ok(other),
            }),
        );
        let reference = v
            .check(
                "reference",
                text::optional(input.reference.as_deref(), PAYOUT_NOTE_MAX),
            )
            .flatten();
        let reason = v
            .check(
                "reason",
                text::optional(input.reason.as_deref(), PAYOUT_NOTE_MAX),
            )
            .flatten();
        match next {
            Some(PayoutStatus::Paid) if reference.is_none() => v.push(FieldError::new(
                "reference",
                "is required to mark a payout paid",
            )),
            Some(PayoutStatus::Failed) if reason.is_none() => v.push(FieldError::new(
                "reason",
                "is required to mark a payout failed",
            )),
            _ => {}
        }
        v.finish()?;
        let Some(next) = next else {
            return Err(anyhow::anyhow!("validated status is missing").into());
        };
        let now = Utc::now();
        let txn = self.db.begin_write().await?;
        let row = ledger::find_payout(&txn, id)
            .await?
            .ok_or(CoreError::NotFound("payout"))?;
        let current = PayoutStatus::parse(&row.status)
            .map_err(|e| anyhow::anyhow!("payout {id}: {}", e.0))?;
        let conflict = || CoreError::Conflict(format!("A payout that is {current} stays so."));
        if !current.can_become(next) {
            return Err(conflict());
        }
        let outcome = PayoutOutcome {
            from: current.as_str(),
            to: next.as_str(),
            reference: reference.as_deref(),
            failure_reason: reason.as_deref(),
            decided_by: actor.user_id().map(|u| u.0),
        };
        if !ledger::decide_payout(&txn, id, outcome, now).await? {
            return Err(conflict());
        }
        if next == PayoutStatus::Failed {
            let mut back = ledger::entry(
                row.seller_id,
                &row.currency,
                LedgerKind::PayoutReturned.as_str(),
                row.amount,
                format!("Payout #{id} failed: {}", reason.as_deref().unwrap_or("")),
                now,
            );
            back.payout_ref = Set(Some(id));
            ledger::insert_entries(&txn, vec![back]).await?;
        }
        if let Some(seller) = sellers::sellers_by_ids(&txn, &[row.seller_id]).await?.pop()
            && !seller.contact_email.is_empty()
        {
            let locale = crate::site::shop_locale(&txn).await?;
            let mail = payout_mail(&row, next, &seller.contact_email, locale);
            crate::mail::enqueue(&txn, &mail).await?;
        }
        txn.commit().await?;
        self.payout(actor, id).await
    }
}

/// What a seller is told of its payout's outcome, the amount written in
/// the shop's `locale`.
fn payout_mail(
    row: &payout::Model,
    next: PayoutStatus,
    to: &str,
    locale: souk_domain::Locale,
) -> crate::mail::OutgoingEmail {
    let amount = souk_domain::Currency::parse(&row.currency)
        .map(|c| locale.format(souk_domain::Money::new(row.amount, c)))
        .unwrap_or_else(|_| format!("{} {}", row.amount, row.currency));
    let (subject, text) = match next {
        PayoutStatus::Failed => (
            format!("Payout #{} did not go through", row.id),
            format!(
                "Payout #{} of {amount} could not be made. The money is back in your available balance and goes with the next payout; check your payout details in the seller panel.\n",
                row.id
            ),
        ),
        _ => (
            format!("Payout #{} is on its way", row.id),
            format!(
                "Payout #{} of {amount} has been sent. The statement in your seller panel lists what it settles.\n",
                row.id
            ),
        ),
    };
    crate::mail::OutgoingEmail {
        to: to.to_owned(),
        subject,
        text,
    }
}
