//! The site model together with what its Markdown rendered to: what templates,
//! features and the search index read once the Markdown stage is done.

use std::sync::Arc;

use crate::config::Config;
use crate::markdown::Rendered;
use crate::model::channels::ChannelIndex;
use crate::model::urls::Urls;
use crate::model::Site;
use crate::theme::i18n::Strings;

/// Everything rendered Markdown gives the templates, for each page and section.
pub(crate) struct RenderedSite<'a> {
    pub site: &'a Site,
    pub config: &'a Config,
    pub urls: &'a Urls,
    pub strings: &'a Strings,
    pub channels: &'a ChannelIndex,
    /// Shared with the build cache, which keeps them for the next rebuild.
    pub pages: &'a [Arc<Rendered>],
    pub sections: &'a [Arc<Rendered>],
}
