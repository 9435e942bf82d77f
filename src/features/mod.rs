//! Takes: the rendered site. Gives: what pages carry beyond their text (channel views,
//! FAQ JSON-LD, the feedback box, the request form) and the files generated beside the pages
//! (announcements, feeds, channel scripts, sitemap) and the pages of the taxonomies (tags).

pub(crate) mod announcements;
pub(crate) mod channels;
pub(crate) mod faq;
pub(crate) mod feed;
pub(crate) mod feedback;
pub(crate) mod requests;
pub(crate) mod sitemap;
pub(crate) mod tags;
