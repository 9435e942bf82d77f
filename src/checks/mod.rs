//! Takes: the site model and each page's rendered Markdown. Gives: diagnostics about
//! links, anchors, translations, writing advice and (on request) external addresses.

pub mod external_links;
pub mod links;
pub mod lint;
pub mod translations;
