//! Translation of offsets in rendered text back to the template source.
//!
//! The rendered text is a sequence of segments. Literal text copied from the template
//! maps byte for byte to where it was written; text produced by an action (a function
//! result, a printed value) maps as a whole to that action's `{{ ... }}`. A text node
//! that runs several times (in a `range` or in a `define` called twice) gives several
//! segments with the same origin.

use crate::config::positions::Span;

/// Where one run of rendered bytes came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    /// Copied from the template source, starting at this offset.
    Literal { source: usize },
    /// Written by the action at this span of the template source.
    Action { span: Span },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Segment {
    /// Offset of the first byte in the rendered text.
    start: usize,
    len: usize,
    origin: Origin,
}

impl Segment {
    fn end(&self) -> usize {
        self.start + self.len
    }
}

/// Maps every byte of a rendered text to its origin in the template source.
///
/// Segments are sorted and contiguous: together they cover the rendered text exactly.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SourceMap {
    segments: Vec<Segment>,
    /// Length of the template source, the answer for offsets past every segment.
    source_len: usize,
}

impl SourceMap {
    pub(crate) fn new(source_len: usize) -> SourceMap {
        SourceMap {
            segments: Vec::new(),
            source_len,
        }
    }

    /// Records that the next `len` rendered bytes come from `origin`. An action that
    /// wrote nothing is kept as an empty segment, so that an empty value can still be
    /// traced to it.
    pub(crate) fn push(&mut self, len: usize, origin: Origin) {
        let start = self.rendered_len();
        if len == 0 {
            if let Origin::Action { .. } = origin {
                self.segments.push(Segment { start, len, origin });
            }
            return;
        }
        if let Some(last) = self.segments.last_mut() {
            let joins = match (last.origin, origin) {
                (Origin::Literal { source: a }, Origin::Literal { source: b }) => a + last.len == b,
                (Origin::Action { span: a }, Origin::Action { span: b }) => a == b && last.len > 0,
                _ => false,
            };
            if joins {
                last.len += len;
                return;
            }
        }
        self.segments.push(Segment { start, len, origin });
    }

    /// Length of the rendered text the map covers.
    pub fn rendered_len(&self) -> usize {
        self.segments.last().map_or(0, Segment::end)
    }

    /// The origin of the rendered byte at `rendered`, if it is inside the text.
    pub fn origin(&self, rendered: usize) -> Option<Origin> {
        self.segment(rendered).map(|s| s.origin)
    }

    /// The template offset of the rendered byte at `rendered`: the same byte for literal
    /// text, the start of the action for text an action produced. The end of the
    /// rendered text maps to the end of whatever produced its last byte.
    pub fn source_offset(&self, rendered: usize) -> usize {
        if let Some(seg) = self.segment(rendered) {
            return match seg.origin {
                Origin::Literal { source } => source + (rendered - seg.start),
                Origin::Action { span } => span.start,
            };
        }
        match self.segments.last() {
            Some(last) if rendered >= last.end() => end_of(last, last.len),
            _ => self.source_len.min(rendered),
        }
    }

    /// The template span of a rendered span. A span that touches action output widens to
    /// cover the whole action. If the two ends map out of order (text of a `define`
    /// written before the call site), the span shrinks to the origin of its first byte.
    pub fn source_span(&self, rendered: Span) -> Span {
        if rendered.is_empty() {
            return Span::at(self.source_offset(rendered.start));
        }
        let Some(first) = self.segment(rendered.start) else {
            return Span::at(self.source_offset(rendered.start));
        };
        let start = match first.origin {
            Origin::Literal { source } => source + (rendered.start - first.start),
            Origin::Action { span } => span.start,
        };
        let last_byte = rendered.end - 1;
        let end = match self.segment(last_byte) {
            Some(last) => end_of(last, last_byte - last.start + 1),
            None => end_of(first, first.len),
        };
        if end >= start {
            return Span::new(start, end);
        }
        Span::new(start, end_of(first, first.len).max(start))
    }

    /// The action that wrote the rendered byte at `rendered`, if an action did.
    pub fn action_at(&self, rendered: usize) -> Option<Span> {
        match self.origin(rendered)? {
            Origin::Action { span } => Some(span),
            Origin::Literal { .. } => None,
        }
    }

    /// Every action that wrote part of `rendered`, in rendered order, each with the
    /// rendered range it wrote there. Actions that wrote nothing count when they stand
    /// inside the span or at one of its ends.
    pub fn actions_in(&self, rendered: Span) -> Vec<(Span, Span)> {
        let first = self.segments.partition_point(|s| s.end() < rendered.start);
        let touches = |s: &Segment| {
            if s.len == 0 {
                return rendered.start <= s.start && s.start <= rendered.end;
            }
            let end = rendered.end.max(rendered.start + 1);
            s.start < end && s.end() > rendered.start
        };
        self.segments[first..]
            .iter()
            .take_while(|s| s.start <= rendered.end)
            .filter(|s| touches(s))
            .filter_map(|s| match s.origin {
                Origin::Action { span } => Some((span, Span::new(s.start, s.end()))),
                Origin::Literal { .. } => None,
            })
            .collect()
    }

    /// Removes the rendered bytes at `positions` (sorted, distinct), an edit made to the
    /// rendered text after rendering.
    pub(crate) fn remove_bytes(&mut self, positions: &[usize]) {
        let mut removed = positions.iter().copied().peekable();
        let mut shift = 0;
        let mut segments = Vec::with_capacity(self.segments.len() + positions.len());
        for seg in &self.segments {
            let mut cut = Vec::new();
            while let Some(p) = removed.next_if(|p| *p < seg.end()) {
                if p >= seg.start {
                    cut.push(p);
                }
            }
            let start = seg.start - shift;
            match seg.origin {
                Origin::Action { .. } => segments.push(Segment {
                    start,
                    len: seg.len - cut.len(),
                    ..*seg
                }),
                Origin::Literal { source } => {
                    // The runs between removed bytes keep their own source offsets.
                    let mut from = seg.start;
                    let mut out = start;
                    for p in cut.iter().copied().chain(std::iter::once(seg.end())) {
                        if p > from {
                            let origin = Origin::Literal {
                                source: source + (from - seg.start),
                            };
                            segments.push(Segment {
                                start: out,
                                len: p - from,
                                origin,
                            });
                            out += p - from;
                        }
                        from = p + 1;
                    }
                }
            }
            shift += cut.len();
        }
        segments.retain(|s| s.len > 0 || matches!(s.origin, Origin::Action { .. }));
        self.segments = segments;
    }

    fn segment(&self, rendered: usize) -> Option<&Segment> {
        let i = self.segments.partition_point(|s| s.end() <= rendered);
        self.segments.get(i).filter(|s| s.start <= rendered)
    }
}

/// The template offset just after the first `len` bytes of `seg`.
fn end_of(seg: &Segment, len: usize) -> usize {
    match seg.origin {
        Origin::Literal { source } => source + len,
        Origin::Action { span } => span.end,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// "ab{{ x }}cd" rendered as "abXYZcd".
    fn sample() -> SourceMap {
        let mut map = SourceMap::new(11);
        map.push(2, Origin::Literal { source: 0 });
        map.push(
            3,
            Origin::Action {
                span: Span::new(2, 9),
            },
        );
        map.push(2, Origin::Literal { source: 9 });
        map
    }

    #[test]
    fn literal_bytes_map_one_to_one_and_action_output_to_the_action() {
        let map = sample();
        assert_eq!(map.source_offset(1), 1);
        assert_eq!(map.source_offset(3), 2);
        assert_eq!(map.source_offset(5), 9);
        assert_eq!(map.source_offset(6), 10);
        assert_eq!(map.source_offset(7), 11);
        assert_eq!(map.action_at(4), Some(Span::new(2, 9)));
        assert_eq!(map.action_at(5), None);
    }

    #[test]
    fn spans_widen_to_whole_actions() {
        let map = sample();
        assert_eq!(map.source_span(Span::new(1, 6)), Span::new(1, 10));
        assert_eq!(map.source_span(Span::new(3, 4)), Span::new(2, 9));
        assert_eq!(map.source_span(Span::new(5, 7)), Span::new(9, 11));
        assert_eq!(map.source_span(Span::at(3)), Span::at(2));
    }

    #[test]
    fn contiguous_literals_join() {
        let mut map = SourceMap::new(10);
        map.push(2, Origin::Literal { source: 0 });
        map.push(3, Origin::Literal { source: 2 });
        map.push(1, Origin::Literal { source: 0 });
        assert_eq!(map.segments.len(), 2);
        assert_eq!(map.source_offset(5), 0);
    }

    #[test]
    fn out_of_order_spans_shrink_to_their_first_segment() {
        let mut map = SourceMap::new(20);
        map.push(3, Origin::Literal { source: 10 });
        map.push(3, Origin::Literal { source: 0 });
        assert_eq!(map.source_span(Span::new(1, 5)), Span::new(11, 13));
    }

    #[test]
    fn removing_bytes_shifts_what_follows() {
        let mut map = sample();
        map.remove_bytes(&[1]);
        assert_eq!(map.rendered_len(), 6);
        assert_eq!(map.source_offset(0), 0);
        assert_eq!(map.source_offset(1), 2);
        assert_eq!(map.source_offset(4), 9);
        map.remove_bytes(&[2]);
        assert_eq!(map.rendered_len(), 5);
        assert_eq!(map.action_at(2), Some(Span::new(2, 9)));
        assert_eq!(map.source_offset(3), 9);

        let mut map = sample();
        map.remove_bytes(&[0, 3, 5]);
        assert_eq!(map.rendered_len(), 4);
        assert_eq!(map.source_offset(0), 1);
        assert_eq!(map.action_at(1), Some(Span::new(2, 9)));
        assert_eq!(map.action_at(2), Some(Span::new(2, 9)));
        assert_eq!(map.source_offset(3), 10);
    }

    #[test]
    fn actions_that_wrote_nothing_are_kept() {
        let mut map = SourceMap::new(20);
        map.push(1, Origin::Literal { source: 0 });
        let action = Span::new(1, 10);
        map.push(0, Origin::Action { span: action });
        map.push(1, Origin::Literal { source: 10 });
        assert_eq!(map.rendered_len(), 2);
        assert_eq!(map.source_offset(1), 10);
        assert_eq!(map.actions_in(Span::new(0, 2)), [(action, Span::at(1))]);
        assert_eq!(map.actions_in(Span::at(1)), [(action, Span::at(1))]);
        assert!(map.actions_in(Span::new(1, 2)).len() == 1);
        assert!(map.actions_in(Span::at(2)).is_empty());
    }

    #[test]
    fn lists_the_actions_in_a_span() {
        let map = sample();
        assert_eq!(
            map.actions_in(Span::new(0, 7)),
            [(Span::new(2, 9), Span::new(2, 5))]
        );
        assert!(map.actions_in(Span::new(5, 7)).is_empty());
    }
}
