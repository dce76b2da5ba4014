//! Walking trigger rules for lint rules: every match with the operators above it.

use crate::config::model::{Hook, Match, TriggerRule, TriggerRuleKind};

/// A match together with where it sits in its trigger rule.
#[derive(Debug, Clone, Copy)]
pub struct MatchSite<'a> {
    pub hook: &'a Hook,
    pub m: &'a Match,
    /// Inside at least one `or`.
    pub under_or: bool,
    /// Inside an odd number of `not`s, so the match is inverted.
    pub negated: bool,
    /// The rule directly containing the match's rule object, if any.
    pub parent: Option<&'a TriggerRule>,
}

/// Every match of every hook, in file order.
pub fn matches(hooks: &[Hook]) -> Vec<MatchSite<'_>> {
    let mut out = Vec::new();
    for hook in hooks {
        if let Some(rule) = &hook.trigger_rule {
            visit(hook, rule, None, false, false, &mut out);
        }
    }
    out
}

fn visit<'a>(
    hook: &'a Hook,
    rule: &'a TriggerRule,
    parent: Option<&'a TriggerRule>,
    under_or: bool,
    negated: bool,
    out: &mut Vec<MatchSite<'a>>,
) {
    match &rule.kind {
        TriggerRuleKind::And(rules) => rules
            .iter()
            .for_each(|r| visit(hook, r, Some(rule), under_or, negated, out)),
        TriggerRuleKind::Or(rules) => rules
            .iter()
            .for_each(|r| visit(hook, r, Some(rule), true, negated, out)),
        TriggerRuleKind::Not(inner) => visit(hook, inner, Some(rule), under_or, !negated, out),
        TriggerRuleKind::Match(m) => out.push(MatchSite {
            hook,
            m,
            under_or,
            negated,
            parent,
        }),
        TriggerRuleKind::Empty => {}
    }
}

/// Every trigger-rule node of a hook, parents before children.
pub fn nodes(rule: &TriggerRule) -> Vec<&TriggerRule> {
    let mut out = vec![rule];
    let mut i = 0;
    while i < out.len() {
        match &out[i].kind {
            TriggerRuleKind::And(rules) | TriggerRuleKind::Or(rules) => out.extend(rules),
            TriggerRuleKind::Not(inner) => out.push(inner),
            _ => {}
        }
        i += 1;
    }
    out
}
