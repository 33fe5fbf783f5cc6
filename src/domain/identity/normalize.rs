//! stdnum's `compact`: `clean(number, ' -').upper().strip()`, character for character, so that the
//! length and format checks see the same string stdnum sees.

use super::stdnum_chars::FOLDED_CHARS;

/// Removes space and dash variants, folds digit variants to ASCII, upper-cases, trims whitespace.
pub(super) fn compact(input: &str) -> String {
    if input.is_ascii() {
        // Fast path: nothing to fold, and ASCII upper-casing never changes the length.
        let mut out: String = input
            .chars()
            .filter(|c| *c != ' ' && *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        trim_in_place(&mut out);
        return out;
    }
    let mut cleaned = String::with_capacity(input.len());
    for c in input.chars() {
        match fold(c) {
            Folded::Removed => {}
            Folded::Digit(d) => cleaned.push(char::from(d)),
            Folded::Kept(c) => cleaned.push(c),
        }
    }
    // Full Unicode upper-casing, as Python's str.upper(): 'ß' becomes "SS" and changes the length.
    let mut out = cleaned.to_uppercase();
    trim_in_place(&mut out);
    out
}

enum Folded {
    Removed,
    Digit(u8),
    Kept(char),
}

fn fold(c: char) -> Folded {
    if c == ' ' || c == '-' {
        return Folded::Removed;
    }
    if c.is_ascii() {
        return Folded::Kept(c);
    }
    match FOLDED_CHARS.binary_search_by_key(&c, |(from, _)| *from) {
        Ok(index) => match FOLDED_CHARS[index].1 {
            None => Folded::Removed,
            Some(digit) => Folded::Digit(digit),
        },
        Err(_) => Folded::Kept(c),
    }
}

/// Python's `str.isspace()`: Unicode White_Space plus the ASCII separators U+001C..U+001F.
fn is_python_space(c: char) -> bool {
    c.is_whitespace() || ('\u{1c}'..='\u{1f}').contains(&c)
}

fn trim_in_place(s: &mut String) {
    let trimmed = s.trim_matches(is_python_space);
    if trimmed.len() != s.len() {
        *s = trimmed.to_owned();
    }
}
