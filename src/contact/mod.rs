//! Takes: a contact channel's `[channel]` table. Gives: the checked channel (address,
//! kind, languages) and its schedule, which answers whether it is open at an instant.

pub mod channel;
pub mod schedule;
