//! Rendering with gotmpl while recording where every output byte came from.
//!
//! gotmpl writes a text node's text with one `write_str` of the node's own string, and
//! everything else (printed values) from other strings. Before executing, every node
//! other than text is wrapped between two marker text nodes whose strings are known by
//! address; the writer recognises them, keeps a stack of the nodes being executed and
//! attributes every other write either to a known text node (copied literally) or to the
//! action on top of the stack. The same stack gives the position of an execution error
//! and counts execution steps.
//!
//! Each pipeline also gets a last, hidden command (its name cannot be written in a
//! template) that bounds the size of values, and for `range` under Go 1.19 refuses
//! integers, which Go started to accept only in 1.22.

use std::collections::HashMap;
use std::io::Read;
use std::sync::{Arc, Mutex, MutexGuard};

use gotmpl::parse::{
    BranchNode, CommandNode, Expr, ListNode, Node, PipeNode, SmolStr, TemplateNode, TextNode,
};
use gotmpl::{Template, Value};

use super::checks;
use super::error::TemplateError;
use super::gofmt;
use super::inputs::{EnvValue, Inputs};
use super::printf::Printf;
use super::scan::Actions;
use super::source_map::{Origin, SourceMap};
use super::{Limits, Lookup, LookupResult};
use crate::config::positions::Span;
use crate::lint::Target;

/// Hidden guard commands. The space makes them impossible to call from a template.
const GUARD: &str = "hookctl guard";
const GUARD_PRINT: &str = "hookctl guard print";
const GUARD_RANGE: &str = "hookctl guard range";
/// Followed by a variable name: an assignment to a variable that does not exist.
const GUARD_UNDECLARED: &str = "hookctl guard undeclared";

/// The trees of one parse: the main template and every named one.
pub(crate) struct Trees {
    pub main: ListNode,
    pub named: Vec<(String, ListNode)>,
    /// Pipelines (by offset) that assign to an undeclared variable, with its name.
    pub undeclared: HashMap<usize, String>,
}

/// A finished rendering.
pub(crate) struct Execution {
    pub text: String,
    pub map: SourceMap,
    pub lookups: Vec<Lookup>,
}

/// A node that gets markers: what it is and where its action stands.
#[derive(Debug, Clone)]
struct Frame {
    span: Span,
    /// The template name for a `{{ template }}` call.
    call: Option<String>,
}

/// What the writer and the functions share while gotmpl runs.
#[derive(Default)]
struct State {
    /// Indexes into the frame table of the nodes being executed, innermost last.
    stack: Vec<usize>,
    /// An error raised by hookctl itself (a limit, an unreadable file), with help.
    failure: Option<(String, Option<String>)>,
    /// Lookups with the frame of the action that made them.
    lookups: Vec<(Lookup, Option<usize>)>,
}

/// Everything fixed during one rendering.
struct Setup<'a> {
    source: &'a str,
    actions: &'a Actions,
    frames: Vec<Frame>,
    /// Marker string address to the marker: its frame index, whether it opens the
    /// frame, and its text (compared too, in case an address was reused).
    markers: HashMap<usize, (usize, bool, Arc<str>)>,
    /// Text node string address and length to the node's offset in the source.
    texts: HashMap<(usize, usize), usize>,
    range_over_int: bool,
    undeclared: &'a HashMap<usize, String>,
}

pub(crate) fn execute(
    source: &str,
    actions: &Actions,
    trees: &Trees,
    inputs: &Inputs,
    target: Target,
    limits: &Limits,
) -> Result<Execution, TemplateError> {
    let mut setup = Setup {
        source,
        actions,
        frames: Vec::new(),
        markers: HashMap::new(),
        texts: HashMap::new(),
        range_over_int: target != Target::Webhook280,
        undeclared: &trees.undeclared,
    };
    let named: Vec<(&String, ListNode)> = trees
        .named
        .iter()
        .map(|(n, t)| (n, setup.list(t)))
        .collect();
    let main = setup.list(&trees.main);

    let state = Arc::new(Mutex::new(State::default()));
    let mut template = functions(Template::new("hooks"), &state, inputs, target, limits);
    for name in trees.undeclared.values() {
        let msg = format!("undefined variable: {name}");
        template = template.func(&format!("{GUARD_UNDECLARED} {name}"), move |_| {
            Err(gotmpl::TemplateError::Exec(msg.clone()))
        });
    }
    for (name, tree) in named {
        template = template.add_parse_tree(name, tree);
    }
    template = template.add_parse_tree("hooks", main);

    let mut sink = Sink {
        out: String::new(),
        map: SourceMap::new(source.len()),
        setup: &setup,
        state: &state,
        steps: 0,
        limits,
    };
    let run = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
        template.execute_template_fmt(&mut sink, "hooks", &Value::Nil)
    }));
    let result = run.unwrap_or_else(|_| {
        Err(gotmpl::TemplateError::Exec(
            "gotmpl panicked; this is a bug in hookctl, please report it".into(),
        ))
    });
    let Sink { out, map, .. } = sink;
    let mut state = lock(&state);
    match result {
        Ok(()) => {
            let lookups = std::mem::take(&mut state.lookups)
                .into_iter()
                .map(|(mut lookup, frame)| {
                    lookup.action = frame.map_or(Span::at(0), |f| setup.frames[f].span);
                    lookup
                })
                .collect();
            Ok(Execution {
                text: out,
                map,
                lookups,
            })
        }
        Err(err) => Err(setup.error(&state, &err)),
    }
}

fn lock(state: &Mutex<State>) -> MutexGuard<'_, State> {
    state.lock().unwrap_or_else(|e| e.into_inner())
}

impl Setup<'_> {
    /// A copy of `list` with markers around every node but text, and guarded pipelines.
    fn list(&mut self, list: &ListNode) -> ListNode {
        let mut nodes = Vec::with_capacity(list.nodes.len() * 3);
        for node in &list.nodes {
            match node {
                Node::Text(text) => {
                    self.text(text);
                    nodes.push(node.clone());
                }
                Node::Define(_) | Node::Break(_) | Node::Continue(_) => nodes.push(node.clone()),
                _ => {
                    let (enter, exit) = self.markers(node);
                    nodes.push(enter);
                    nodes.push(self.node(node));
                    nodes.push(exit);
                }
            }
        }
        ListNode {
            pos: list.pos,
            nodes,
        }
    }

    fn node(&mut self, node: &Node) -> Node {
        match node {
            Node::Action(action) => {
                let mut action = action.clone();
                let guard = if action.pipe.decl.is_empty() {
                    GUARD_PRINT
                } else {
                    GUARD
                };
                action.pipe = self.pipe(&action.pipe, guard);
                Node::Action(action)
            }
            Node::If(branch) => Node::If(self.branch(branch, GUARD)),
            Node::With(branch) => Node::With(self.branch(branch, GUARD)),
            Node::Range(branch) => {
                let guard = if self.range_over_int {
                    GUARD
                } else {
                    GUARD_RANGE
                };
                Node::Range(self.branch(branch, guard))
            }
            Node::Template(call) => Node::Template(TemplateNode {
                pos: call.pos,
                name: call.name.clone(),
                pipe: call.pipe.as_ref().map(|p| self.pipe(p, GUARD)),
            }),
            Node::List(list) => Node::List(self.list(list)),
            other => other.clone(),
        }
    }

    fn branch(&mut self, branch: &BranchNode, guard: &str) -> BranchNode {
        BranchNode {
            pos: branch.pos,
            pipe: self.pipe(&branch.pipe, guard),
            body: self.list(&branch.body),
            else_body: branch.else_body.as_ref().map(|l| self.list(l)),
        }
    }

    fn pipe(&mut self, pipe: &PipeNode, guard: &str) -> PipeNode {
        let undeclared = match self.undeclared.get(&pipe.pos.offset) {
            Some(name) if pipe.is_assign => Some(format!("{GUARD_UNDECLARED} {name}")),
            _ => None,
        };
        let guard = undeclared.as_deref().unwrap_or(guard);
        let mut commands: Vec<CommandNode> = pipe
            .commands
            .iter()
            .map(|c| CommandNode {
                pos: c.pos,
                args: c.args.iter().map(|a| self.expr(a)).collect(),
            })
            .collect();
        commands.push(CommandNode {
            pos: pipe.pos,
            args: vec![Expr::Identifier(pipe.pos, SmolStr::new(guard))],
        });
        PipeNode {
            pos: pipe.pos,
            decl: pipe.decl.clone(),
            commands,
            is_assign: pipe.is_assign,
        }
    }

    fn expr(&mut self, expr: &Expr) -> Expr {
        match expr {
            Expr::Pipe(pos, pipe) => Expr::Pipe(*pos, self.pipe(pipe, GUARD)),
            Expr::Chain(pos, inner, fields) => {
                Expr::Chain(*pos, Box::new(self.expr(inner)), fields.clone())
            }
            other => other.clone(),
        }
    }

    /// Remembers where a text node's text stands in the source. The text is what is left
    /// of the source after trim markers removed blanks at its ends.
    fn text(&mut self, text: &TextNode) {
        if text.text.is_empty() {
            return;
        }
        let from = text.pos.offset.min(self.source.len());
        let Some(rel) = self.source[from..].find(&*text.text) else {
            return;
        };
        let key = (text.text.as_ptr() as usize, text.text.len());
        self.texts.insert(key, from + rel);
    }

    fn markers(&mut self, node: &Node) -> (Node, Node) {
        let (pos, call) = match node {
            Node::Action(a) => (a.pos, None),
            Node::If(b) | Node::With(b) | Node::Range(b) => (b.pos, None),
            Node::Template(t) => (t.pos, Some(t.name.to_string())),
            Node::List(l) => (l.pos, None),
            _ => (gotmpl::parse::Pos::new(0, 1), None),
        };
        let frame = self.frames.len();
        self.frames.push(Frame {
            span: self.actions.span_at(pos.offset),
            call,
        });
        let marker = |this: &mut Self, enter: bool| {
            let text: Arc<str> = Arc::from(format!("\u{FDD0}{frame}{enter}\u{FDD1}"));
            let entry = (frame, enter, Arc::clone(&text));
            this.markers.insert(text.as_ptr() as usize, entry);
            Node::Text(TextNode { pos, text })
        };
        (marker(self, true), marker(self, false))
    }

    /// The error to report for a failed execution, at the node that was running.
    fn error(&self, state: &State, err: &gotmpl::TemplateError) -> TemplateError {
        let (message, help) = state
            .failure
            .clone()
            .unwrap_or_else(|| (describe(err), None));
        let span = state
            .stack
            .last()
            .map_or(Span::at(0), |f| self.frames[*f].span);
        let mut error = TemplateError::new(
            &checks::TEMPLATE_EXECUTION_ERROR,
            self.source,
            span,
            message,
        );
        error.help = help;
        // The calls that led here, innermost first; a call repeated in a recursion is
        // named once, with its count.
        let calls = state
            .stack
            .iter()
            .rev()
            .skip(1)
            .map(|f| &self.frames[*f])
            .filter_map(|f| Some((f.span, f.call.as_deref()?)));
        let mut grouped: Vec<(Span, &str, usize)> = Vec::new();
        for (span, name) in calls {
            match grouped.last_mut() {
                Some((s, _, count)) if *s == span => *count += 1,
                _ => grouped.push((span, name, 1)),
            }
        }
        // Keep the innermost calls and the outermost one, which is in the main template.
        if grouped.len() > 8 {
            let outermost = grouped[grouped.len() - 1];
            grouped.truncate(7);
            grouped.push(outermost);
        }
        for (span, name, count) in grouped {
            let times = if count > 1 {
                format!(" ({count} nested calls)")
            } else {
                String::new()
            };
            let note = format!("while running template `{name}`, called here{times}");
            error = error.with_note(Some(span), note);
        }
        error
    }
}

/// gotmpl's error in hookctl's words.
fn describe(err: &gotmpl::TemplateError) -> String {
    use gotmpl::TemplateError as E;
    match err {
        E::RecursionLimit => "templates call each other or nest too deeply (more than 200 \
                              levels); Go gives up as well, after 100,000 nested calls"
            .into(),
        E::RangeIterLimit => "`range` loops ran too many times".into(),
        E::UndefinedTemplate(name) => format!("template `{name}` is not defined"),
        E::Exec(msg) => msg.clone(),
        other => other.to_string(),
    }
}

/// The writer gotmpl renders into.
struct Sink<'a> {
    out: String,
    map: SourceMap,
    setup: &'a Setup<'a>,
    state: &'a Mutex<State>,
    steps: u64,
    limits: &'a Limits,
}

impl std::fmt::Write for Sink<'_> {
    fn write_str(&mut self, s: &str) -> std::fmt::Result {
        let address = s.as_ptr() as usize;
        if let Some((frame, enter, text)) = self.setup.markers.get(&address) {
            if **text == *s {
                return self.marker(*frame, *enter);
            }
        }
        let origin = match self.setup.texts.get(&(address, s.len())) {
            Some(&source) => Origin::Literal { source },
            None => {
                let state = lock(self.state);
                let span = state
                    .stack
                    .last()
                    .map_or(Span::at(0), |f| self.setup.frames[*f].span);
                Origin::Action { span }
            }
        };
        if self.out.len() + s.len() > self.limits.max_output {
            return self.fail(format!(
                "the rendered file would be larger than {} bytes",
                self.limits.max_output
            ));
        }
        self.map.push(s.len(), origin);
        self.out.push_str(s);
        Ok(())
    }
}

impl Sink<'_> {
    fn marker(&mut self, frame: usize, enter: bool) -> std::fmt::Result {
        if !enter {
            let mut state = lock(self.state);
            // Nodes left by `break` and `continue` never write their closing marker;
            // closing an enclosing node drops them too.
            if let Some(at) = state.stack.iter().rposition(|f| *f == frame) {
                state.stack.truncate(at);
            }
            return Ok(());
        }
        self.steps += 1;
        lock(self.state).stack.push(frame);
        if self.steps > self.limits.max_steps {
            return self.fail(format!(
                "rendering takes more than {} steps; the template may call itself in a loop",
                self.limits.max_steps
            ));
        }
        Ok(())
    }

    fn fail(&mut self, message: String) -> std::fmt::Result {
        lock(self.state).failure.get_or_insert((message, None));
        Err(std::fmt::Error)
    }
}

/// Registers the guards, webhook's functions for `target`, and the built-ins whose
/// gotmpl version differs from Go's.
fn functions(
    template: Template,
    state: &Arc<Mutex<State>>,
    inputs: &Inputs,
    target: Target,
    limits: &Limits,
) -> Template {
    let max = limits.max_output;
    let (s1, s2, s3) = (state.clone(), state.clone(), state.clone());
    let mut t = template
        .func(GUARD, move |args| guard(&s1, args, max).map(|(v, _)| v))
        .func(GUARD_PRINT, move |args| {
            let (v, _) = guard(&s2, args, max)?;
            Ok(match v {
                Value::Float(f) => Value::String(gofmt::float(f).into()),
                other => other,
            })
        })
        .func(GUARD_RANGE, move |args| {
            let (v, _) = guard(&s3, args, max)?;
            match v {
                Value::Int(_) | Value::Uint(_) => Err(gotmpl::TemplateError::Exec(format!(
                    "range can't iterate over {v}; webhook 2.8.0 is built with Go 1.19, \
                     which cannot range over an integer"
                ))),
                other => Ok(other),
            }
        })
        .func("print", |args| Ok(text(gofmt::sprint(args))))
        .func("println", |args| Ok(text(gofmt::sprintln(args))))
        .func("js", |args| {
            Ok(text(gofmt::js(&gofmt::escaper_argument(args))))
        })
        .func("html", |args| {
            Ok(text(gofmt::html(&gofmt::escaper_argument(args))))
        })
        .func("urlquery", |args| {
            Ok(text(gofmt::urlquery(&gofmt::escaper_argument(args))))
        });
    let printf = Arc::new(Printf::default());
    t = t.func("printf", move |args| printf.call(args));

    let lookups = Arc::new(Lookups {
        state: state.clone(),
        inputs: inputs.clone(),
        max_file: limits.max_file,
    });
    for name in target.template_functions() {
        let l = lookups.clone();
        t = match *name {
            "getenv" => t.func("getenv", move |args| l.getenv(args)),
            "cat" => t.func("cat", move |args| l.cat(args)),
            "credential" => t.func("credential", move |args| l.credential(args)),
            _ => t,
        };
    }
    t
}

fn text(s: String) -> Value {
    Value::String(s.into())
}

/// The value a pipeline ended with, refused when it grew too large.
fn guard(state: &Mutex<State>, args: &[Value], max: usize) -> gotmpl::Result<(Value, ())> {
    let value = args.last().cloned().unwrap_or(Value::Nil);
    if let Value::String(s) = &value {
        if s.len() > max {
            let msg = format!("a value grew larger than {max} bytes while rendering");
            lock(state).failure.get_or_insert((msg.clone(), None));
            return Err(gotmpl::TemplateError::Exec(msg));
        }
    }
    Ok((value, ()))
}

/// webhook's `getenv`, `cat` and `credential`, reading [`Inputs`] and recording what each
/// call found.
struct Lookups {
    state: Arc<Mutex<State>>,
    inputs: Inputs,
    max_file: u64,
}

impl Lookups {
    fn getenv(&self, args: &[Value]) -> gotmpl::Result<Value> {
        let name = string_argument("getenv", args)?;
        self.env("getenv", &name)
    }

    fn cat(&self, args: &[Value]) -> gotmpl::Result<Value> {
        let path = string_argument("cat", args)?;
        self.file("cat", &path, &path)
    }

    fn credential(&self, args: &[Value]) -> gotmpl::Result<Value> {
        let name = string_argument("credential", args)?;
        match self.inputs.credentials_dir() {
            Ok(None) => self.env("credential", &name),
            Ok(Some(dir)) => self.file("credential", &name, &go_path_join(&dir, &name)),
            Err(bad) => Err(self.not_utf8(super::inputs::CREDENTIALS_DIRECTORY, &bad)),
        }
    }

    fn env(&self, function: &'static str, name: &str) -> gotmpl::Result<Value> {
        let (value, result) = match self.inputs.env(name) {
            EnvValue::Unset => (String::new(), LookupResult::Unset),
            EnvValue::Text(v) if v.is_empty() => (v, LookupResult::Empty),
            EnvValue::Text(v) => (v, LookupResult::Found),
            bad @ EnvValue::NotUtf8 { .. } => return Err(self.not_utf8(name, &bad)),
        };
        self.record(function, name, result);
        Ok(text(value))
    }

    /// `cat`: the file without one trailing newline, or `""` when it cannot be read.
    //
    // Known gap: directories, special files and large files are errors here, where webhook
    // inserts `""` or reads without bound. Why: a directory is almost surely a mistake,
    // and a pipe or device could block hookctl. Tracked: docs/templates.md#cat-refusals
    fn file(&self, function: &'static str, argument: &str, path: &str) -> gotmpl::Result<Value> {
        let refuse = |msg: String, help: &str| {
            lock(&self.state)
                .failure
                .get_or_insert((msg.clone(), Some(help.to_string())));
            Err(gotmpl::TemplateError::Exec(msg))
        };
        let Ok(meta) = std::fs::metadata(path) else {
            self.record(function, argument, LookupResult::Unreadable);
            return Ok(text(String::new()));
        };
        if meta.is_dir() {
            return refuse(
                format!("`{function}` cannot read `{path}`: it is a directory"),
                "webhook would insert an empty string here; name a file",
            );
        }
        if !meta.is_file() {
            return refuse(
                format!("`{function}` cannot read `{path}`: it is not a regular file"),
                "hookctl reads only regular files, so that a pipe or device cannot block it",
            );
        }
        let too_big = |size: u64| {
            format!(
                "`{function}` cannot read `{path}`: it has {size} bytes, more than the {} \
                 bytes hookctl reads",
                self.max_file
            )
        };
        if meta.len() > self.max_file {
            return refuse(too_big(meta.len()), "webhook would read it whole");
        }
        let mut bytes = Vec::new();
        let read = std::fs::File::open(path)
            .and_then(|f| f.take(self.max_file + 1).read_to_end(&mut bytes));
        if read.is_err() {
            self.record(function, argument, LookupResult::Unreadable);
            return Ok(text(String::new()));
        }
        if bytes.len() as u64 > self.max_file {
            return refuse(too_big(bytes.len() as u64), "webhook would read it whole");
        }
        let Ok(mut content) = String::from_utf8(bytes) else {
            return refuse(
                format!("`{function}` cannot use `{path}`: it is not valid UTF-8"),
                "webhook would insert the raw bytes, which its YAML reader rejects",
            );
        };
        if content.ends_with('\n') {
            content.pop();
        }
        let result = if content.is_empty() {
            LookupResult::Empty
        } else {
            LookupResult::Found
        };
        self.record(function, argument, result);
        Ok(text(content))
    }

    // Known gap: webhook inserts bytes that are not UTF-8 as they are; hookctl cannot hold
    // them in its text and stops with an error. Why: webhook's YAML reader rejects such
    // bytes too unless they were escaped. Tracked: docs/templates.md#not-utf8
    fn not_utf8(&self, name: &str, bad: &EnvValue) -> gotmpl::TemplateError {
        let EnvValue::NotUtf8 { valid_up_to, byte } = bad else {
            return gotmpl::TemplateError::Exec(format!("cannot read `{name}`"));
        };
        let msg = format!(
            "environment variable `{name}` is not valid UTF-8 (byte 0x{byte:02x} at offset \
             {valid_up_to})"
        );
        let help = "webhook would insert the raw bytes, which its YAML reader rejects unless \
                    they are escaped (`printf \"%q\"`); hookctl cannot render them";
        lock(&self.state)
            .failure
            .get_or_insert((msg.clone(), Some(help.into())));
        gotmpl::TemplateError::Exec(msg)
    }

    fn record(&self, function: &'static str, argument: &str, result: LookupResult) {
        let mut state = lock(&self.state);
        let frame = state.stack.last().copied();
        let lookup = Lookup {
            function,
            argument: argument.to_string(),
            action: Span::default(),
            result,
        };
        state.lookups.push((lookup, frame));
    }
}

/// The one string argument of a webhook function, checked as Go checks it.
fn string_argument(function: &str, args: &[Value]) -> gotmpl::Result<String> {
    let [arg] = args else {
        return Err(gotmpl::TemplateError::Exec(format!(
            "wrong number of args for {function}: want 1 got {}",
            args.len()
        )));
    };
    match arg {
        Value::String(s) => Ok(s.to_string()),
        Value::Nil => Err(gotmpl::TemplateError::Exec(
            "invalid value; expected string".into(),
        )),
        other => Err(gotmpl::TemplateError::Exec(format!(
            "expected string; found {}",
            gofmt::value(other)
        ))),
    }
}

/// Go's `path.Join(dir, name)`: joined with `/`, then cleaned lexically.
pub(crate) fn go_path_join(dir: &str, name: &str) -> String {
    let joined = match (dir.is_empty(), name.is_empty()) {
        (true, _) => name.to_string(),
        (_, true) => dir.to_string(),
        _ => format!("{dir}/{name}"),
    };
    if joined.is_empty() {
        return String::new();
    }
    let rooted = joined.starts_with('/');
    let mut parts: Vec<&str> = Vec::new();
    for part in joined.split('/') {
        match part {
            "" | "." => {}
            ".." if parts.last().is_some_and(|p| *p != "..") => {
                parts.pop();
            }
            ".." if rooted => {}
            other => parts.push(other),
        }
    }
    let body = parts.join("/");
    match (rooted, body.is_empty()) {
        (true, _) => format!("/{body}"),
        (false, true) => ".".into(),
        (false, false) => body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_paths_like_go() {
        assert_eq!(go_path_join("/run/creds", "secret"), "/run/creds/secret");
        assert_eq!(go_path_join("/run/creds/", "../x"), "/run/x");
        assert_eq!(go_path_join("/run", "/etc/passwd"), "/run/etc/passwd");
        assert_eq!(go_path_join("/", "../../a"), "/a");
        assert_eq!(go_path_join("a", "../../b"), "../b");
        assert_eq!(go_path_join("a", ".."), ".");
    }
}
