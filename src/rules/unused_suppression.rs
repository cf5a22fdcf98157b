//! `unused-suppression`: a `# fullscan:disable` comment that suppresses nothing.
//! The work happens in [`super::run_configured`], after every other rule has run.

use super::*;

pub fn check(_ctx: &Context<'_>, _meta: &RuleMeta) -> Vec<Finding> {
    Vec::new()
}
