use super::*;

fn ruc(input: &str) -> IdentityCheck {
    check_ruc(input, Strictness::Lenient)
}

fn strict_ruc(input: &str) -> IdentityCheck {
    check_ruc(input, Strictness::Strict)
}

#[test]
fn private_company_ruc_reports_entity_province_and_establishment() {
    let check = ruc("1790011674001");
    assert!(check.is_valid(), "{check:?}");
    assert_eq!(check.entity_type, Some(EntityType::PrivateCompany));
    assert_eq!(check.province_code.as_deref(), Some("17"));
    assert_eq!(province_name("17"), Some("Pichincha"));
    assert_eq!(check.establishment.as_deref(), Some("001"));
    assert!(check.check_digit_verified);
    assert!(check.warnings.is_empty());
}

#[test]
fn public_entity_ruc_has_a_four_digit_establishment() {
    let check = ruc("1760001550001");
    assert!(check.is_valid());
    assert_eq!(check.entity_type, Some(EntityType::PublicEntity));
    assert_eq!(check.establishment.as_deref(), Some("0001"));
}

#[test]
fn natural_person_ruc_is_a_cedula_plus_establishment() {
    let check = ruc("1714307103001");
    assert!(check.is_valid());
    assert_eq!(check.entity_type, Some(EntityType::NaturalPerson));
    let other_branch = ruc("1714307103002");
    assert!(other_branch.is_valid());
    assert_eq!(
        other_branch.warnings,
        vec![IdentityWarning::EstablishmentNotPrincipal]
    );
}

#[test]
fn errors_follow_stdnum_checking_order() {
    assert_eq!(ruc("179206034601").error, Some(IdentityError::Length));
    assert_eq!(ruc("17920603A6001").error, Some(IdentityError::Format));
    assert_eq!(ruc("2590869571001").error, Some(IdentityError::Province));
    assert_eq!(ruc("0170000610001").error, Some(IdentityError::ThirdDigit));
    assert_eq!(
        ruc("1714307103000").error,
        Some(IdentityError::Establishment)
    );
    assert_eq!(ruc("1714307104001").error, Some(IdentityError::Checksum));
    // Length is checked before format, as stdnum does.
    assert_eq!(
        check_cedula("1714.307103", Strictness::Strict).error,
        Some(IdentityError::Length)
    );
}

#[test]
fn company_checksum_failure_is_a_warning_unless_strict() {
    // Real company RUC reported active in SRI that fails mod-11 (python-stdnum #497).
    let lenient = ruc("1793213150001");
    assert!(lenient.is_valid());
    assert!(!lenient.check_digit_verified);
    assert_eq!(
        lenient.warnings,
        vec![IdentityWarning::CheckDigitNotVerified]
    );
    assert_eq!(
        strict_ruc("1793213150001").error,
        Some(IdentityError::Checksum)
    );
}

#[test]
fn company_ruc_valid_only_by_the_public_formula_is_unverified_even_when_strict() {
    let check = strict_ruc("1793221293001");
    assert!(check.is_valid());
    assert!(!check.check_digit_verified);
    assert!(
        check
            .warnings
            .contains(&IdentityWarning::CheckDigitNotVerified)
    );
    assert_eq!(check.entity_type, Some(EntityType::PrivateCompany));
}

#[test]
fn third_digit_six_falls_back_to_a_foreign_resident_cedula() {
    let check = strict_ruc("0962467429001");
    assert!(check.is_valid());
    assert_eq!(check.entity_type, Some(EntityType::ForeignResident));
    // Strict reports the natural path's error, as stdnum does.
    assert_eq!(
        strict_ruc("1763154690001").error,
        Some(IdentityError::Checksum)
    );
    assert!(ruc("1763154690001").is_valid());
}

#[test]
fn cedula_rules() {
    for valid in ["1713488185", "1710034065", "0926687856", "171430710-3"] {
        assert!(
            check_cedula(valid, Strictness::Strict).is_valid(),
            "{valid}"
        );
    }
    assert_eq!(
        check_cedula("1712345678", Strictness::Lenient).error,
        Some(IdentityError::Checksum)
    );
    assert_eq!(
        check_cedula("2512345678", Strictness::Lenient).error,
        Some(IdentityError::Province)
    );
    assert_eq!(
        check_cedula("1784307108", Strictness::Lenient).error,
        Some(IdentityError::ThirdDigit)
    );
    assert_eq!(
        check_cedula("123A567890", Strictness::Lenient).error,
        Some(IdentityError::Format)
    );
}

#[test]
fn separators_and_digit_variants_are_folded_like_stdnum() {
    assert!(check_cedula(" 1713\u{2013}488185 ", Strictness::Strict).is_valid());
    assert!(check_cedula("\u{ff11}713488185", Strictness::Strict).is_valid());
    assert_eq!(
        check_cedula("\t1713488185\u{1c}", Strictness::Strict).normalized,
        "1713488185"
    );
    // Upper-casing can change the length, as in Python.
    assert_eq!(
        check_cedula("\u{df}12345678", Strictness::Strict).error,
        Some(IdentityError::Format)
    );
    assert_eq!(
        check_cedula("\u{df}1234567", Strictness::Strict).error,
        Some(IdentityError::Length)
    );
    assert_eq!(
        check_cedula("\u{df}123456789", Strictness::Strict).error,
        Some(IdentityError::Length)
    );
}

#[test]
fn identity_dispatches_on_length() {
    assert_eq!(
        check_identity("1713488185", Strictness::Lenient).document_type,
        Some(DocumentType::Cedula)
    );
    assert_eq!(
        check_identity("1790011674001", Strictness::Lenient).document_type,
        Some(DocumentType::Ruc)
    );
    let neither = check_identity("12345", Strictness::Lenient);
    assert_eq!(neither.document_type, None);
    assert_eq!(neither.error, Some(IdentityError::Length));
}
