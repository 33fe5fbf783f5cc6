//! Regular expressions for the values proto3 JSON writes as strings (64-bit integers, durations),
//! so the OpenAPI document can state their bounds where `minimum`/`maximum` cannot apply.

/// A pattern matching exactly the decimal integers in `lo..=hi` (no leading zeros), or `None`
/// when the range reaches below zero (no such rule exists in the contract).
pub fn integer_pattern(lo: i64, hi: i64) -> Option<String> {
    let (lo, hi) = (u64::try_from(lo).ok()?, u64::try_from(hi).ok()?);
    (lo <= hi).then(|| format!("^(?:{})$", alternatives(lo, hi).join("|")))
}

/// A pattern matching the proto3 JSON durations of whole seconds (`"90s"`) from `lo` to `hi`.
pub fn duration_pattern(lo: i64, hi: i64) -> Option<String> {
    let (lo, hi) = (u64::try_from(lo).ok()?, u64::try_from(hi).ok()?);
    (lo <= hi).then(|| format!("^(?:{})s$", alternatives(lo, hi).join("|")))
}

/// Alternatives covering `lo..=hi`, one group of equal-length numbers at a time; runs of whole
/// lengths (all of 10..=99, 100..=999, …) share one `[1-9][0-9]{m,n}`.
fn alternatives(lo: u64, hi: u64) -> Vec<String> {
    let mut out = Vec::new();
    let mut whole: Option<(usize, usize)> = None;
    let mut start = lo;
    loop {
        let text = start.to_string();
        let digits = text.len();
        let top = 10u64.checked_pow(digits as u32).map_or(u64::MAX, |p| p - 1);
        let end = top.min(hi);
        if digits > 1 && end == top && start == top / 10 + 1 {
            let first = whole.map_or(digits - 1, |(first, _)| first);
            whole = Some((first, digits - 1));
        } else {
            out.extend(whole.take().map(whole_lengths));
            out.extend(same_length(&text, &end.to_string()));
        }
        if end == hi {
            out.extend(whole.take().map(whole_lengths));
            return out;
        }
        start = end + 1;
    }
}

fn whole_lengths((first, last): (usize, usize)) -> String {
    if first == last {
        format!("[1-9][0-9]{{{first}}}")
    } else {
        format!("[1-9][0-9]{{{first},{last}}}")
    }
}

/// Alternatives covering `a..=b`, two numerals of the same length with `a <= b`.
fn same_length(a: &str, b: &str) -> Vec<String> {
    if a == b {
        return vec![a.to_owned()];
    }
    let (x, rest_a) = a.split_at(1);
    let (y, rest_b) = b.split_at(1);
    if rest_a.is_empty() {
        return vec![format!("[{x}-{y}]")];
    }
    if x == y {
        return same_length(rest_a, rest_b)
            .into_iter()
            .map(|tail| format!("{x}{tail}"))
            .collect();
    }
    let n = rest_a.len();
    let (x, y) = (digit(x), digit(y));
    let mut out = Vec::new();
    let mut first = x;
    if rest_a.bytes().any(|c| c != b'0') {
        out.extend(
            same_length(rest_a, &"9".repeat(n))
                .into_iter()
                .map(|tail| format!("{x}{tail}")),
        );
        first = x + 1;
    }
    let whole_last = rest_b.bytes().all(|c| c == b'9');
    let last = if whole_last { y } else { y - 1 };
    if first <= last {
        let lead = if first == last {
            first.to_string()
        } else {
            format!("[{first}-{last}]")
        };
        out.push(format!("{lead}[0-9]{{{n}}}"));
    }
    if !whole_last {
        out.extend(
            same_length(&"0".repeat(n), rest_b)
                .into_iter()
                .map(|tail| format!("{y}{tail}")),
        );
    }
    out
}

fn digit(s: &str) -> u8 {
    s.as_bytes()[0] - b'0'
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A tiny matcher for the patterns made here (literal digits, `[a-b]`, `[0-9]{n}`), so the
    /// test checks every number of a range without a regex engine.
    fn matches(alternative: &str, value: &str) -> bool {
        let mut rest = alternative;
        let mut chars = value.chars();
        while !rest.is_empty() {
            if let Some(class) = rest.strip_prefix('[') {
                let (range, after) = class.split_once(']').unwrap();
                let (lo, hi) = (range.as_bytes()[0], range.as_bytes()[2]);
                let ((least, most), after) = match after.strip_prefix('{') {
                    Some(counted) => {
                        let (n, after) = counted.split_once('}').unwrap();
                        let (m, n) = n.split_once(',').unwrap_or((n, n));
                        ((m.parse().unwrap(), n.parse().unwrap()), after)
                    }
                    None => ((1, 1), after),
                };
                // Greedy is enough: a counted class is always the alternative's last item.
                let mut taken = 0;
                while taken < most {
                    let mut ahead = chars.clone();
                    match ahead.next() {
                        Some(c) if (lo..=hi).contains(&(c as u8)) => {
                            chars = ahead;
                            taken += 1;
                        }
                        _ => break,
                    }
                }
                if taken < least {
                    return false;
                }
                rest = after;
            } else {
                if chars.next() != rest.chars().next() {
                    return false;
                }
                rest = &rest[1..];
            }
        }
        chars.next().is_none()
    }

    fn accepts(lo: u64, hi: u64, value: u64) -> bool {
        alternatives(lo, hi)
            .iter()
            .any(|alternative| matches(alternative, &value.to_string()))
    }

    #[test]
    fn integer_ranges_match_exactly_their_members() {
        for (lo, hi) in [
            (0, 0),
            (1, 9),
            (0, 500),
            (1, 1000),
            (7, 1234),
            (60, 120_960),
            (95, 105),
        ] {
            let probe_top = (hi + 200).min(hi * 2 + 20);
            for value in 0..=probe_top {
                assert_eq!(
                    accepts(lo, hi, value),
                    (lo..=hi).contains(&value),
                    "{lo}..={hi} at {value}"
                );
            }
        }
        assert_eq!(integer_pattern(1, 12).unwrap(), "^(?:[1-9]|1[0-2])$");
        assert_eq!(integer_pattern(-1, 3), None);
    }

    #[test]
    fn large_ranges_stay_short() {
        let pattern = integer_pattern(1, 1_000_000_000_000_000).unwrap();
        assert!(pattern.len() < 200, "{pattern}");
        assert!(accepts(1, 1_000_000_000_000_000, 999_999_999_999_999));
        assert!(!accepts(1, 1_000_000_000_000_000, 1_000_000_000_000_001));
    }

    #[test]
    fn durations_are_whole_seconds() {
        assert_eq!(duration_pattern(60, 61).unwrap(), "^(?:6[0-1])s$");
        assert_eq!(duration_pattern(5, 1), None);
    }
}
