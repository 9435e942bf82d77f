//! Takes: the rendered site. Gives: what pages carry beyond their text (channel views,
//! FAQ JSON-LD, the feedback box, the request form) and the files generated beside the pages
//! (announcements, feeds, channel scripts, sitemap) and the pages of the taxonomies (tags).

pub mod announcements;
pub mod channels;
pub mod faq;
pub mod feed;
pub mod feedback;
pub mod requests;
pub mod sitemap;
pub mod tags;
