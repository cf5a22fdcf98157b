//! `unused-scope`: a named scope nothing in the project (tests included) uses.

use super::unused_association::{unused, Verdict};
use super::*;

pub fn check(ctx: &Context<'_>, meta: &RuleMeta) -> Vec<Finding> {
    unused(ctx, meta, Verdict::UnusedScope)
}
