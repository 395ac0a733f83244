//! Requirement ids as users type them: `SR 5.2 RE 1`, `sr5.2(1)`, `SR-5.2-RE-1`, `ZCR 3.3`.

/// The canonical spelling of a requirement id (`SR 5.2 RE 1`, `ZCR 6.4 (a)`), or `None` when
/// the text is not shaped like one.
pub fn normalize(text: &str) -> Option<String> {
    let upper = text.trim().to_ascii_uppercase();
    let (prefix, rest) = if let Some(rest) = upper.strip_prefix("ZCR") {
        ("ZCR", rest)
    } else if let Some(rest) = upper.strip_prefix("SR") {
        ("SR", rest)
    } else {
        return None;
    };
    let rest = rest.trim_start_matches([' ', '-', '_']);
    // The x.y number.
    let number_len = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(rest.len());
    let number = rest[..number_len].trim_end_matches('.');
    if number.is_empty() || !number.split('.').all(|p| !p.is_empty() && p.len() <= 2) {
        return None;
    }
    let tail = rest[number_len..].trim_matches([' ', '-', '_']);
    let mut id = format!("{prefix} {number}");
    if tail.is_empty() {
        return Some(id);
    }
    if prefix == "SR" {
        // `RE 1`, `RE1`, `RE-1`, `(1)`
        let enhancement = tail
            .strip_prefix("RE")
            .map(|r| r.trim_matches([' ', '-', '_', '(', ')']))
            .or_else(|| tail.strip_prefix('(').and_then(|r| r.strip_suffix(')')))?;
        let n: u8 = enhancement.trim().parse().ok()?;
        id.push_str(&format!(" RE {n}"));
        return Some(id);
    }
    // ZCR 6.4 (a)
    let item = tail.trim_matches(['(', ')', ' ']).to_ascii_lowercase();
    (item.len() == 1 && item.chars().all(|c| c.is_ascii_lowercase())).then(|| {
        id.push_str(&format!(" ({item})"));
        id
    })
}

#[cfg(test)]
mod tests {
    use super::normalize;

    #[test]
    fn accepts_the_spellings_users_type() {
        for (input, expected) in [
            ("SR 5.2", "SR 5.2"),
            ("sr5.2", "SR 5.2"),
            ("SR-5.2-RE-1", "SR 5.2 RE 1"),
            ("SR 5.2 RE 1", "SR 5.2 RE 1"),
            ("sr 1.13 re1", "SR 1.13 RE 1"),
            ("SR 2.1(3)", "SR 2.1 RE 3"),
            ("ZCR 3.3", "ZCR 3.3"),
            ("zcr6.4(a)", "ZCR 6.4 (a)"),
        ] {
            assert_eq!(normalize(input).as_deref(), Some(expected), "{input}");
        }
    }

    #[test]
    fn rejects_other_text() {
        for input in [
            "dd-untrusted-path",
            "SR",
            "SR x",
            "ZCR 3.3 extra",
            "SR 1.1 RE x",
        ] {
            assert_eq!(normalize(input), None, "{input}");
        }
    }
}
