//! The checks Go's template parser makes and gotmpl's does not.
//!
//! Go rejects some templates while parsing, so webhook refuses to load them even when
//! the offending action would never run: an unknown function, a variable used before it
//! is declared, `{{break}}` outside `{{range}}`, and syntax newer than the Go release the
//! target was built with (`{{else with}}`). gotmpl accepts all of these and fails only if
//! the action runs, so this walk over its parse tree restores Go's answer. It also notes
//! reads of template data (`.payload`), which always render `<no value>` in webhook.

use gotmpl::parse::{BranchNode, CommandNode, Expr, ListNode, Node, PipeNode};

use super::checks;
use super::error::TemplateError;
use super::scan::Actions;
use crate::config::positions::Span;
use crate::config::suggest::closest;
use crate::diagnostic::Diagnostic;
use crate::lint::Target;

/// Go's built-in template functions (Go 1.19 and later), sorted.
pub const GO_BUILTINS: [&str; 19] = [
    "and", "call", "eq", "ge", "gt", "html", "index", "js", "le", "len", "lt", "ne", "not", "or",
    "print", "printf", "println", "slice", "urlquery",
];

/// Functions some webhook release adds, with the releases that have them.
const WEBHOOK_FUNCTIONS: [&str; 3] = ["cat", "credential", "getenv"];

/// What the walk found: Go's parse errors in source order, and warnings.
#[derive(Debug, Default)]
pub(crate) struct Findings {
    pub errors: Vec<TemplateError>,
    pub warnings: Vec<Diagnostic>,
    /// Assignments (`$x = ...`) to a variable that is not declared where they run, by
    /// the offset of their pipeline: Go accepts them while parsing and fails when they
    /// run, where gotmpl silently declares the variable.
    pub undeclared_assignments: Vec<(usize, String)>,
}

/// Walks the top-level tree and every `define`/`block` body of one parse.
pub(crate) fn verify(
    source: &str,
    actions: &Actions,
    top: &ListNode,
    defines: &[&ListNode],
    target: Target,
) -> Findings {
    let mut walk = Walk {
        source,
        actions,
        target,
        vars: Vec::new(),
        declared: Vec::new(),
        range_depth: 0,
        root_dot: true,
        found: Findings::default(),
    };
    walk.tree(top, true);
    for body in defines {
        walk.tree(body, false);
    }
    walk.else_with();
    walk.found.errors.sort_by_key(|e| e.span.start);
    walk.found.warnings.sort_by_key(|d| d.span.start);
    walk.found
}

struct Walk<'a> {
    source: &'a str,
    actions: &'a Actions,
    target: Target,
    /// Variables in scope, as Go's parser keeps them: declared in a control's pipeline or
    /// body, they stay visible until that control's `{{end}}`.
    vars: Vec<String>,
    /// Variables declared with `:=` where an action runs, as Go's executor keeps them:
    /// a body's declarations end with the body.
    declared: Vec<String>,
    range_depth: usize,
    /// Whether dot is still the (nil) data webhook renders with.
    root_dot: bool,
    found: Findings,
}

impl Walk<'_> {
    fn tree(&mut self, list: &ListNode, is_top: bool) {
        self.vars = vec!["$".to_string()];
        self.declared = vec!["$".to_string()];
        self.range_depth = 0;
        self.root_dot = is_top;
        self.list(list);
    }

    fn list(&mut self, list: &ListNode) {
        for node in &list.nodes {
            self.node(node);
        }
    }

    fn node(&mut self, node: &Node) {
        match node {
            Node::Action(action) => self.pipe(&action.pipe),
            Node::If(branch) => self.branch(branch, Control::If),
            Node::With(branch) => self.branch(branch, Control::With),
            Node::Range(branch) => self.branch(branch, Control::Range),
            Node::Template(call) => {
                if let Some(pipe) = &call.pipe {
                    self.pipe(pipe);
                }
            }
            Node::List(list) => self.list(list),
            Node::Break(pos) | Node::Continue(pos) if self.range_depth == 0 => {
                let word = if matches!(node, Node::Break(_)) {
                    "break"
                } else {
                    "continue"
                };
                let span = self.actions.span_at(pos.offset);
                let msg = format!("`{{{{{word}}}}}` is only allowed inside `{{{{range}}}}`");
                self.error(&checks::TEMPLATE_SYNTAX_ERROR, span, msg, None);
            }
            Node::Text(_) | Node::Define(_) | Node::Break(_) | Node::Continue(_) => {}
        }
    }

    fn branch(&mut self, branch: &BranchNode, control: Control) {
        let saved_vars = self.vars.len();
        let saved_declared = self.declared.len();
        let saved_dot = self.root_dot;
        self.pipe(&branch.pipe);
        let after_pipe = self.declared.len();
        if control != Control::If {
            self.root_dot = false;
        }
        if control == Control::Range {
            self.range_depth += 1;
        }
        self.list(&branch.body);
        if control == Control::Range {
            self.range_depth -= 1;
            // Range variables exist only inside the body.
            self.declared.truncate(saved_declared);
        }
        self.declared.truncate(after_pipe.min(self.declared.len()));
        self.root_dot = saved_dot;
        if let Some(else_body) = &branch.else_body {
            self.list(else_body);
        }
        self.vars.truncate(saved_vars);
        self.declared.truncate(saved_declared);
    }

    fn pipe(&mut self, pipe: &PipeNode) {
        // Go's parser puts the declared names in scope before it reads the commands.
        self.vars.extend(pipe.decl.iter().map(|v| v.to_string()));
        for command in &pipe.commands {
            self.command(command);
        }
        if !pipe.is_assign {
            self.declared
                .extend(pipe.decl.iter().map(|v| v.to_string()));
            return;
        }
        let missing = pipe
            .decl
            .iter()
            .find(|v| !self.declared.iter().any(|d| d == *v));
        if let Some(name) = missing {
            let entry = (pipe.pos.offset, name.to_string());
            self.found.undeclared_assignments.push(entry);
        }
    }

    fn command(&mut self, command: &CommandNode) {
        for arg in &command.args {
            self.expr(arg);
        }
    }

    fn expr(&mut self, expr: &Expr) {
        match expr {
            Expr::Identifier(pos, name) => self.function(pos.offset, name),
            Expr::Variable(pos, name, fields) => {
                self.variable(pos.offset, name);
                if name == "$" && !fields.is_empty() && self.root_dot {
                    let shown = format!("$.{}", fields.join("."));
                    self.no_data(pos.offset, &shown);
                }
            }
            Expr::Field(pos, fields) if self.root_dot => {
                let shown = format!(".{}", fields.join("."));
                self.no_data(pos.offset, &shown);
            }
            Expr::Pipe(_, pipe) => self.pipe(pipe),
            Expr::Chain(_, inner, _) => self.expr(inner),
            _ => {}
        }
    }

    fn function(&mut self, offset: usize, name: &str) {
        let extra = self.target.template_functions();
        if GO_BUILTINS.contains(&name) || extra.contains(&name) {
            return;
        }
        let span = self.token_span(offset, name);
        if WEBHOOK_FUNCTIONS.contains(&name) {
            let msg = format!("function `{name}` is not defined in {}", self.target.name());
            let help = "`cat` and `credential` exist only on webhook's unreleased master; \
                        read the value with `getenv`, or check with `--target webhook-master` \
                        if the server runs master";
            let note = format!("webhook fails to load the file: function \"{name}\" not defined");
            self.found.errors.push(
                TemplateError::new(
                    &checks::TEMPLATE_FUNCTION_UNAVAILABLE,
                    self.source,
                    span,
                    msg,
                )
                .with_help(help)
                .with_note(None, note),
            );
            return;
        }
        let mut known: Vec<&str> = GO_BUILTINS.iter().chain(extra).copied().collect();
        known.sort_unstable();
        let help = match closest(name, known.iter().copied()) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("the functions available are: {}", known.join(", ")),
        };
        let msg = format!("function `{name}` is not defined");
        self.error(
            &checks::TEMPLATE_FUNCTION_UNAVAILABLE,
            span,
            msg,
            Some(help),
        );
    }

    fn variable(&mut self, offset: usize, name: &str) {
        if self.vars.iter().any(|v| v == name) {
            return;
        }
        let span = self.token_span(offset, name);
        let msg = format!("variable `{name}` is not defined");
        let help = format!("declare it first with `{{{{ {name} := ... }}}}`");
        self.error(&checks::TEMPLATE_SYNTAX_ERROR, span, msg, Some(help));
    }

    /// A field of the data, which is nil when webhook renders: always `<no value>`.
    fn no_data(&mut self, offset: usize, shown: &str) {
        let span = self.actions.span_at(offset);
        let msg = format!("`{shown}` has no value: webhook renders this file with no data");
        let d = Diagnostic::new(checks::PER_REQUEST_TEMPLATE_DATA, span, "", msg)
            .with_note(
                None,
                "webhook renders the file once, at start-up and at each reload, not per \
                 request; here it writes `<no value>`",
            )
            .with_help(
                "pass request values to the command with `pass-arguments-to-command` or \
                 `pass-environment-to-command`",
            );
        self.found.warnings.push(d);
    }

    /// `{{else with}}` arrived in Go 1.23, after every webhook release's Go.
    fn else_with(&mut self) {
        let spans: Vec<Span> = self
            .actions
            .iter()
            .filter(|a| a.keyword == "else" && a.else_keyword == "with")
            .map(|a| a.span)
            .collect();
        for span in spans {
            let msg = "`{{ else with }}` needs Go 1.23; webhook's Go rejects it";
            let help = "write `{{ else }}{{ with ... }}...{{ end }}{{ end }}` instead";
            self.error(&checks::TEMPLATE_SYNTAX_ERROR, span, msg, Some(help.into()));
        }
    }

    fn error(
        &mut self,
        check: &'static crate::diagnostic::Check,
        span: Span,
        msg: impl Into<String>,
        help: Option<String>,
    ) {
        let mut e = TemplateError::new(check, self.source, span, msg);
        e.help = help;
        self.found.errors.push(e);
    }

    /// The span of `word` at `offset`, or the enclosing action when it is not there.
    fn token_span(&self, offset: usize, word: &str) -> Span {
        if self
            .source
            .get(offset..)
            .is_some_and(|s| s.starts_with(word))
        {
            return Span::new(offset, offset + word.len());
        }
        self.actions.span_at(offset)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Control {
    If,
    With,
    Range,
}

#[cfg(test)]
mod tests {
    use super::*;
    use gotmpl::parse::Parser;

    fn findings(source: &str, target: Target) -> Findings {
        let (top, defines) = Parser::with_name(Some("hooks"), source, "{{", "}}")
            .unwrap()
            .parse()
            .unwrap();
        let bodies: Vec<&ListNode> = defines.iter().map(|d| &d.body).collect();
        verify(source, &Actions::scan(source), &top, &bodies, target)
    }

    fn errors(source: &str) -> Vec<String> {
        findings(source, Target::Webhook280)
            .errors
            .iter()
            .map(|e| format!("{e} [{}]", &source[e.span.start..e.span.end]))
            .collect()
    }

    #[test]
    fn unknown_functions_fail_even_where_they_never_run() {
        assert_eq!(
            errors("x\n{{ if false }}{{ cat \"f\" }}{{ end }}"),
            ["2:18: function `cat` is not defined in webhook-2.8.0 [cat]"]
        );
        assert_eq!(
            errors("{{ getenvv \"A\" }}"),
            ["1:4: function `getenvv` is not defined [getenvv]"]
        );
        assert!(
            findings("{{ cat \"f\" | credential }}", Target::WebhookMaster)
                .errors
                .is_empty()
        );
    }

    #[test]
    fn variables_follow_go_scoping() {
        assert!(errors("{{ $x := 1 }}{{ $x }}{{ $x = 2 }}").is_empty());
        assert!(errors("{{ if $y := 1 }}{{ $y }}{{ else }}{{ $y }}{{ end }}").is_empty());
        assert!(errors("{{ if true }}{{ $z := 1 }}{{ else }}{{ $z }}{{ end }}").is_empty());
        assert_eq!(
            errors("{{ if 1 }}{{ $z := 1 }}{{ end }}{{ $z }}"),
            ["1:36: variable `$z` is not defined [$z]"]
        );
        assert_eq!(
            errors("{{ $a := 1 }}{{ define \"d\" }}{{ $a }}{{ end }}"),
            ["1:33: variable `$a` is not defined [$a]"]
        );
    }

    #[test]
    fn break_outside_range_and_else_with_are_syntax_errors() {
        assert_eq!(
            errors("{{ if 1 }}{{ break }}{{ end }}{{ range . }}{{ continue }}{{ end }}"),
            ["1:11: `{{break}}` is only allowed inside `{{range}}` [{{ break }}]"]
        );
        assert_eq!(
            errors("{{ with 1 }}{{ else with 2 }}{{ end }}"),
            ["1:13: `{{ else with }}` needs Go 1.23; webhook's Go rejects it [{{ else with 2 }}]"]
        );
    }

    #[test]
    fn fields_of_the_nil_data_are_reported() {
        let f = findings(
            "{{ .payload.ref }}{{ with getenv \"A\" }}{{ .X }}{{ end }}{{ $.headers }}",
            Target::Webhook280,
        );
        let spans: Vec<_> = f.warnings.iter().map(|d| d.span).collect();
        assert_eq!(spans, [Span::new(0, 18), Span::new(56, 71)]);
        assert!(f.warnings[0]
            .message
            .starts_with("`.payload.ref` has no value"));
    }
}
