//! "Did you mean" suggestions for misspelt keys and values.

/// The candidate closest to `word`, if it is close enough to be a likely misspelling:
/// an edit distance of at most a third of the word's length (at least 1), ignoring case,
/// or the same word with `-`/`_` and a trailing `s` ignored.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_ascii_lowercase();
    let limit = (lower.chars().count() / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let distance = if normalise(candidate) == normalise(&lower) {
            0
        } else {
            edit_distance(&lower, candidate)
        };
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

fn normalise(word: &str) -> String {
    let w: String = word.chars().filter(|c| *c != '-' && *c != '_').collect();
    w.trim_end_matches('s').to_ascii_lowercase()
}

/// Levenshtein distance over characters.
pub fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            let next = (row[j + 1] + 1).min(row[j] + 1).min(prev + cost);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggests_close_keys() {
        let keys = ["trigger-rule", "execute-command", "id"];
        assert_eq!(closest("trigger-rules", keys), Some("trigger-rule"));
        assert_eq!(closest("trigger_rule", keys), Some("trigger-rule"));
        assert_eq!(closest("execute-comand", keys), Some("execute-command"));
        assert_eq!(closest("colour", keys), None);
    }
}
