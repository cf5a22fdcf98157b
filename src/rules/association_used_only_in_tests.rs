//! `association-used-only-in-tests`: an association only specs and tests use.

use super::unused_association::{unused, Verdict};
use super::*;

pub fn check(ctx: &Context<'_>, meta: &RuleMeta) -> Vec<Finding> {
    unused(ctx, meta, Verdict::TestsOnly)
}
