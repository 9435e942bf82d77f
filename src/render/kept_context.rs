//! Rendering a page with a Tera context each thread keeps from page to page.
//!
//! `config` and the theme strings are the same on every page of a language. Copying
//! them into a fresh context for each page, and freeing the copies after, cost more
//! than the page's own variables; a kept context holds them while they stay the
//! same, and only the page's variables are put in anew.

use std::cell::RefCell;
use std::sync::Arc;

use serde_json::Value;

use crate::render::context::TemplateContext;

/// A thread's context, with what it holds besides the last page's variables.
#[derive(Default)]
struct KeptContext {
    context: tera::Context,
    /// The values held under `config` and `strings`. Holding the `Arc`s keeps
    /// their addresses from being reused, so the same address is the same value.
    config: Option<Arc<Value>>,
    strings: Option<Arc<Value>>,
    /// The names of the last page's variables.
    page_keys: Vec<String>,
    /// How long the last page rendered was, in bytes.
    last_page_len: usize,
}

thread_local! {
    static KEPT: RefCell<KeptContext> = RefCell::new(KeptContext::default());
}

/// Renders `template` with the variables of `context`, as the bytes of the page:
/// Tera's own `render` checks its whole output is UTF-8 to make a `String`, which
/// the page's file does not need (and Tera writes only text).
pub(crate) fn render(
    tera: &tera::Tera,
    template: &str,
    context: &TemplateContext<'_>,
) -> Result<Vec<u8>, tera::Error> {
    let Value::Object(variables) = serde_json::to_value(&context.variables)? else {
        return Err(tera::Error::msg("page variables are not a map"));
    };
    KEPT.with_borrow_mut(|kept| {
        hold(
            &mut kept.context,
            ("config", &mut kept.config),
            context.config,
        );
        hold(
            &mut kept.context,
            ("strings", &mut kept.strings),
            context.strings,
        );
        kept.put_page(variables)?;
        // Room for a page as long as the last one: fewer copies as it grows.
        let mut page = Vec::with_capacity(kept.last_page_len + kept.last_page_len / 8);
        tera.render_to(template, &kept.context, &mut page)?;
        kept.last_page_len = page.len();
        Ok(page)
    })
}

/// Puts `value` in `context` under `name`, unless `held` says it is there already.
fn hold(
    context: &mut tera::Context,
    (name, held): (&str, &mut Option<Arc<Value>>),
    value: &Arc<Value>,
) {
    if held.as_ref().is_some_and(|held| Arc::ptr_eq(held, value)) {
        return;
    }
    *held = Some(Arc::clone(value));
    context.insert(name, value.as_ref());
}

impl KeptContext {
    /// Replaces the last page's variables with `variables`: a name the last page
    /// had and this one has not is taken out, so no template sees it.
    fn put_page(&mut self, variables: serde_json::Map<String, Value>) -> Result<(), tera::Error> {
        for key in self.page_keys.drain(..) {
            if !variables.contains_key(&key) {
                self.context.remove(&key);
            }
        }
        self.page_keys.extend(variables.keys().cloned());
        self.context
            .extend(tera::Context::from_value(Value::Object(variables))?);
        Ok(())
    }
}
