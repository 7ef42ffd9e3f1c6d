//! Notifications (notifiche): made in the transaction of the change they tell (`produce`, called
//! by the workflow's use cases beside `integration::events::emit`) or by the clock-driven worker
//! for what falls due (`mail::raise_due`); read and marked by their recipient (`inbox`); e-mailed
//! by the worker (`mail`).

pub mod inbox;
pub mod join_mail;
pub mod mail;
pub mod produce;

pub use produce::Notice;
