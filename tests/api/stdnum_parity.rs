//! Strict validation gives python-stdnum's verdict (and exception class) on the published vectors
//! and on more than 100,000 generated inputs; lenient validation differs only where the rules say.
//! Needs python-stdnum (scripts/test installs it; GPUBROKER_TEST_PYTHON names the interpreter).

use std::{
    io::Write,
    path::PathBuf,
    process::{Command, Stdio},
};

use gpubroker::domain::identity::{
    IdentityCheck, IdentityError, Strictness, check_cedula, check_ruc,
};
use rand::{Rng, SeedableRng, rngs::StdRng};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    Ci,
    Ruc,
}

impl Kind {
    fn name(self) -> &'static str {
        match self {
            Kind::Ci => "ci",
            Kind::Ruc => "ruc",
        }
    }

    fn check(self, input: &str, strictness: Strictness) -> IdentityCheck {
        match self {
            Kind::Ci => check_cedula(input, strictness),
            Kind::Ruc => check_ruc(input, strictness),
        }
    }
}

/// stdnum's exception class for our error code.
fn stdnum_class(check: &IdentityCheck) -> &'static str {
    match check.error {
        None => "ok",
        Some(IdentityError::Length) => "InvalidLength",
        Some(IdentityError::Format) => "InvalidFormat",
        Some(
            IdentityError::Province | IdentityError::ThirdDigit | IdentityError::Establishment,
        ) => "InvalidComponent",
        Some(IdentityError::Checksum) => "InvalidChecksum",
    }
}

/// Runs the oracle over `(kind, input)` pairs; one stdnum verdict per pair.
fn stdnum_verdicts(cases: &[(Kind, String)]) -> Vec<String> {
    let python = std::env::var("GPUBROKER_TEST_PYTHON").unwrap_or_else(|_| "python3".into());
    let script = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("scripts/stdnum-oracle.py");
    let mut child = Command::new(&python)
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot run {python}: {e}"));
    let mut stdin = child.stdin.take().expect("stdin");
    let input: String = cases
        .iter()
        .map(|(kind, number)| serde_json::json!([kind.name(), number]).to_string() + "\n")
        .collect();
    let writer = std::thread::spawn(move || stdin.write_all(input.as_bytes()));
    let output = child.wait_with_output().expect("oracle runs");
    writer.join().expect("writer").expect("oracle stdin");
    assert!(
        output.status.success(),
        "python-stdnum oracle failed (is python-stdnum installed for {python}? scripts/test installs it): {}",
        String::from_utf8_lossy(&output.stderr)
    );
    let verdicts: Vec<String> = String::from_utf8(output.stdout)
        .expect("utf-8")
        .lines()
        .map(str::to_owned)
        .collect();
    assert_eq!(verdicts.len(), cases.len());
    verdicts
}

/// Compares strict verdicts with stdnum and checks lenient ones differ only as allowed.
fn assert_parity(cases: &[(Kind, String)]) {
    let expected = stdnum_verdicts(cases);
    let mut mismatches = Vec::new();
    for ((kind, input), stdnum) in cases.iter().zip(&expected) {
        let strict = kind.check(input, Strictness::Strict);
        if stdnum_class(&strict) != stdnum {
            mismatches.push(format!(
                "{} {input:?}: stdnum {stdnum}, ours {:?}",
                kind.name(),
                strict.error
            ));
            continue;
        }
        let lenient = kind.check(input, Strictness::Lenient);
        let third = strict.normalized.as_bytes().get(2).copied();
        let leniency_applies = *kind == Kind::Ruc
            && strict.error == Some(IdentityError::Checksum)
            && matches!(third, Some(b'6' | b'9'));
        if leniency_applies {
            assert!(lenient.is_valid(), "lenient should accept {input:?}");
            assert!(!lenient.check_digit_verified);
        } else {
            assert_eq!(lenient.error, strict.error, "lenient differs on {input:?}");
        }
    }
    assert!(
        mismatches.is_empty(),
        "{} of {} inputs disagree with python-stdnum, e.g.:\n{}",
        mismatches.len(),
        cases.len(),
        mismatches[..mismatches.len().min(20)].join("\n")
    );
}

fn shared_dir() -> PathBuf {
    let dir = std::env::var_os("GPUBROKER_SHARED_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared"),
        PathBuf::from,
    );
    assert!(
        dir.join("reference/ec_vectors").is_dir(),
        "reference vectors not found under {} (set GPUBROKER_SHARED_DIR)",
        dir.display()
    );
    dir
}

/// First column of a vector file, skipping comments.
fn vector_file(name: &str) -> Vec<String> {
    let path = shared_dir().join("reference/ec_vectors").join(name);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|line| !line.starts_with('#') && !line.trim().is_empty())
        .map(|line| line.split('\t').next().unwrap_or_default().to_owned())
        .collect()
}

#[test]
fn published_vectors_match_stdnum_and_the_recommendations() {
    let mut cases = Vec::new();
    for file in [
        "ci_valid.txt",
        "ci_invalid.txt",
        "ci_valid_from_natural_ruc.txt",
    ] {
        for number in vector_file(file) {
            cases.push((Kind::Ci, number.clone()));
            cases.push((Kind::Ruc, number));
        }
    }
    for file in [
        "ruc_valid.txt",
        "ruc_invalid.txt",
        "ruc_reported_in_issues.tsv",
    ] {
        for number in vector_file(file) {
            cases.push((Kind::Ruc, number.clone()));
            cases.push((Kind::Ci, number));
        }
    }
    assert_eq!(cases.len(), 590, "every vector file read");
    assert_parity(&cases);

    for number in vector_file("ruc_valid.txt") {
        let check = check_ruc(&number, Strictness::Strict);
        assert!(check.is_valid(), "{number}");
        // Only the public-formula fallback of a company RUC goes unverified.
        assert_eq!(
            check.check_digit_verified,
            number != "1793221293001",
            "{number}"
        );
    }
    for number in vector_file("ruc_reported_in_issues.tsv") {
        assert!(
            check_ruc(&number, Strictness::Lenient).is_valid(),
            "{number}"
        );
    }
}

const PROVINCES: &[&str] = &[
    "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "16",
    "17", "18", "19", "20", "21", "22", "23", "24", "30", "50",
];

fn random_digits(rng: &mut StdRng, n: usize) -> Vec<u8> {
    (0..n).map(|_| rng.random_range(0..10)).collect()
}

fn text(digits: &[u8]) -> String {
    digits.iter().map(|d| char::from(b'0' + d)).collect()
}

fn weighted(digits: &[u8], weights: &[u32]) -> u32 {
    digits
        .iter()
        .zip(weights)
        .map(|(d, w)| u32::from(*d) * w)
        .sum()
}

fn cedula_check_digit(first9: &[u8]) -> u8 {
    let sum: u32 = first9
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let p = u32::from(*d) * if i % 2 == 0 { 2 } else { 1 };
            if p > 9 { p - 9 } else { p }
        })
        .sum();
    ((10 - sum % 10) % 10) as u8
}

fn mod11_check_digit(digits: &[u8], weights: &[u32]) -> u8 {
    let r = weighted(digits, weights) % 11;
    // 10 has no digit: use a wrong one, which is a useful input too.
    if r == 0 { 0 } else { ((11 - r) % 10) as u8 }
}

fn province(rng: &mut StdRng) -> Vec<u8> {
    if rng.random_bool(0.9) {
        PROVINCES[rng.random_range(0..PROVINCES.len())]
            .bytes()
            .map(|b| b - b'0')
            .collect()
    } else {
        random_digits(rng, 2)
    }
}

fn establishment(rng: &mut StdRng, width: usize) -> Vec<u8> {
    match rng.random_range(0..4) {
        0 => vec![0; width],
        1 | 2 => {
            let mut e = vec![0; width];
            e[width - 1] = 1;
            e
        }
        _ => random_digits(rng, width),
    }
}

/// A number built to pass (or nearly pass) one formula.
fn constructed(rng: &mut StdRng) -> String {
    let mut d = province(rng);
    match rng.random_range(0..4) {
        0 => {
            // Cédula (third digit 0-9, so 7-9 exercise the third-digit rule too).
            d.push(rng.random_range(0..10));
            d.extend(random_digits(rng, 6));
            d.push(cedula_check_digit(&d));
        }
        1 => {
            // Natural RUC (third digit 0-6).
            d.push(rng.random_range(0..7));
            d.extend(random_digits(rng, 6));
            d.push(cedula_check_digit(&d));
            d.extend(establishment(rng, 3));
        }
        2 => {
            // Public RUC: check digit 9th, four-digit establishment.
            d.push(if rng.random_bool(0.8) { 6 } else { 9 });
            d.extend(random_digits(rng, 5));
            d.push(mod11_check_digit(&d, &[3, 2, 7, 6, 5, 4, 3, 2]));
            d.extend(establishment(rng, 4));
        }
        _ => {
            // Company RUC: check digit 10th.
            d.push(if rng.random_bool(0.8) { 9 } else { 6 });
            d.extend(random_digits(rng, 6));
            d.push(mod11_check_digit(&d, &[4, 3, 2, 7, 6, 5, 4, 3, 2]));
            d.extend(establishment(rng, 3));
        }
    }
    text(&d)
}

const INSERTS: &[&str] = &[
    " ",
    "-",
    "\u{2013}",
    "\u{2014}",
    "\u{a0}",
    "\u{3000}",
    ".",
    "/",
    "\t",
    "\n",
    "\u{1c}",
    "a",
    "A",
    "\u{df}",
    "\u{e9}",
    "o",
    "O",
    "+",
    "\u{ff10}",
    "\u{ff15}",
    "\u{1d7cf}",
    "\u{660}",
    "*",
    "\u{2212}",
    "\u{200b}",
    "\u{fb01}",
];

fn mutate(rng: &mut StdRng, input: &str) -> String {
    let mut chars: Vec<char> = input.chars().collect();
    let n = chars.len();
    match rng.random_range(0..9) {
        0 if n > 0 => {
            let i = rng.random_range(0..n);
            chars[i] = char::from(b'0' + rng.random_range(0..10u8));
        }
        1 if n > 1 => {
            let i = rng.random_range(0..n - 1);
            chars.swap(i, i + 1);
        }
        2 if n > 0 => {
            chars.remove(rng.random_range(0..n));
        }
        3 => chars.insert(
            rng.random_range(0..=n),
            char::from(b'0' + rng.random_range(0..10u8)),
        ),
        4 | 5 => {
            let insert = INSERTS[rng.random_range(0..INSERTS.len())];
            let at = rng.random_range(0..=n);
            chars.splice(at..at, insert.chars());
        }
        6 if n > 0 => {
            // A digit replaced by a fullwidth or mathematical variant of itself.
            let i = rng.random_range(0..n);
            if let Some(d) = chars[i].to_digit(10) {
                let base = if rng.random_bool(0.5) {
                    0xff10
                } else {
                    0x1d7ce
                };
                chars[i] = char::from_u32(base + d).unwrap_or(chars[i]);
            }
        }
        7 => {
            let pad = [" ", "\t", "\u{2028}", "\u{1f}", "\n", "  "][rng.random_range(0..6)];
            return if rng.random_bool(0.5) {
                format!("{pad}{input}")
            } else {
                format!("{input}{pad}")
            };
        }
        _ => {
            // Cross the lengths: a RUC cut to a cédula, or a cédula given an establishment.
            return if n >= 13 {
                chars[..10].iter().collect()
            } else {
                format!("{input}001")
            };
        }
    }
    chars.into_iter().collect()
}

fn random_text(rng: &mut StdRng) -> String {
    const ALPHABET: &[char] = &[
        '0', '1', '5', '6', '9', ' ', '-', 'x', '.', '\u{2013}', '\u{ff11}',
    ];
    let len = rng.random_range(0..16);
    (0..len)
        .map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())])
        .collect()
}

#[test]
fn generated_inputs_match_stdnum() {
    let mut rng = StdRng::seed_from_u64(0x6770_7562_726f_6b65);
    let mut inputs = Vec::new();
    // Every province code 00-99 with every third digit, for both lengths.
    for p in 0..100u8 {
        for third in 0..10u8 {
            let mut d = vec![p / 10, p % 10, third];
            d.extend(random_digits(&mut rng, 6));
            d.push(cedula_check_digit(&d));
            inputs.push(text(&d));
            d.extend([0, 0, 1]);
            inputs.push(text(&d));
        }
    }
    for _ in 0..20_000 {
        inputs.push(text(&random_digits(&mut rng, 10)));
        inputs.push(text(&random_digits(&mut rng, 13)));
    }
    for _ in 0..30_000 {
        inputs.push(constructed(&mut rng));
    }
    for _ in 0..40_000 {
        let base = constructed(&mut rng);
        let mut mutated = mutate(&mut rng, &base);
        if rng.random_bool(0.2) {
            mutated = mutate(&mut rng, &mutated);
        }
        inputs.push(mutated);
    }
    for _ in 0..8_000 {
        inputs.push(random_text(&mut rng));
    }
    assert!(inputs.len() >= 100_000, "{}", inputs.len());
    let cases: Vec<(Kind, String)> = inputs
        .into_iter()
        .flat_map(|input| [(Kind::Ci, input.clone()), (Kind::Ruc, input)])
        .collect();
    let valid = cases
        .iter()
        .filter(|(kind, input)| kind.check(input, Strictness::Strict).is_valid())
        .count();
    // The generator must exercise both verdicts, not only rejections.
    assert!(valid > 20_000, "only {valid} valid inputs generated");
    assert_parity(&cases);
}
