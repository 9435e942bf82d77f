//! Takes: the site model and each page's rendered Markdown. Gives: diagnostics about
//! links, anchors, translations, writing advice and (on request) external addresses.

pub(crate) mod external_links;
pub(crate) mod links;
pub(crate) mod lint;
pub(crate) mod translations;
