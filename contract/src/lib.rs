//! Reads what `proto/` declares about request fields beyond their types: the
//! `google.api.field_behavior = REQUIRED` marks and the `gpubroker.v1.rules` constraints
//! (`proto/gpubroker/v1/rules.proto`), out of an encoded `FileDescriptorSet`.
//!
//! prost's descriptor types drop extension options, so this decodes the few descriptor fields it
//! needs with its own messages (field numbers from `google/protobuf/descriptor.proto`); every
//! other field is skipped as unknown. The server's build script turns the result into field
//! checks and the gateway into the OpenAPI document's `required` lists and constraints: one
//! declaration in `proto/`, three followers.

mod descriptor;
mod pattern;

use std::collections::BTreeMap;

use prost::Message;

pub use pattern::{duration_pattern, integer_pattern};

use descriptor::{DescriptorProto, FieldDescriptorProto, FileDescriptorSet};

/// `google.api.FieldBehavior.REQUIRED`.
const REQUIRED: i32 = 2;

/// What a required field must hold to count as present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// A string with a non-blank value.
    Text,
    /// Bytes that are not empty.
    Bytes,
    /// A message field that is set.
    Message,
    /// An enum other than its zero (`…_UNSPECIFIED`) value.
    Enum,
    /// A repeated field with at least one element.
    Repeated,
}

/// The value types rules apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A string, or each string of a repeated string field.
    Text,
    /// A 32-bit integer (a JSON number).
    Int32,
    /// A 64-bit integer (a JSON string in proto3 JSON).
    Int64,
    /// A `google.protobuf.Duration`; bounds are in seconds.
    Duration,
    /// Anything else: only REQUIRED applies.
    Other,
}

/// The shapes of text `rules.proto` names (`gpubroker.v1.TextForm`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Form {
    #[default]
    Any,
    /// One line: no control characters.
    Line,
    Email,
    CountryCode,
    EcMobile,
    /// Lines of text: no control characters but tab, CR and LF.
    Multiline,
}

impl Form {
    /// The ECMA-262 (and Python `re`) pattern of a non-empty value of this form, where a pattern
    /// says it; an email is described by the `email` format instead.
    pub fn pattern(self) -> Option<&'static str> {
        match self {
            Self::Any | Self::Email => None,
            Self::Line => Some("^[^\\u0000-\\u001F\\u007F-\\u009F]*$"),
            Self::CountryCode => Some("^[A-Za-z]{2}$"),
            Self::EcMobile => Some("^\\+5939[0-9]{8}$"),
            Self::Multiline => {
                Some("^[^\\u0000-\\u0008\\u000B\\u000C\\u000E-\\u001F\\u007F-\\u009F]*$")
            }
        }
    }
}

/// A field's `(gpubroker.v1.rules)`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Rules {
    pub min: Option<i64>,
    pub max: Option<i64>,
    pub min_len: Option<u32>,
    pub max_len: Option<u32>,
    pub form: Form,
    pub one_of: Vec<String>,
    pub pattern: Option<String>,
}

impl Rules {
    pub fn is_empty(&self) -> bool {
        *self == Self::default()
    }

    /// A number whose bounds exclude zero must be sent: proto3 cannot tell an absent number from 0.
    pub fn excludes_zero(&self) -> bool {
        self.min.is_some_and(|min| min > 0) || self.max.is_some_and(|max| max < 0)
    }
}

/// A request field the contract constrains.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldContract {
    /// The field's proto name (also its JSON name: the gateway keeps proto names).
    pub name: String,
    pub kind: Kind,
    /// A repeated field: the rules hold for each element.
    pub repeated: bool,
    /// Set when the field is marked REQUIRED: what counts as present.
    pub required: Option<Presence>,
    pub rules: Rules,
}

impl FieldContract {
    /// Whether a request must carry the field: REQUIRED, or a number whose bounds exclude zero
    /// (an unset duration takes its default instead).
    pub fn must_send(&self) -> bool {
        let number = matches!(self.kind, Kind::Int32 | Kind::Int64);
        self.required.is_some() || (number && self.rules.excludes_zero())
    }
}

/// The contract's messages that constrain fields, by full name without the leading dot
/// (`gpubroker.v1.CreateSubscriptionRequest`), each with those fields in declaration order.
pub fn field_contracts(
    descriptor_set: &[u8],
) -> Result<BTreeMap<String, Vec<FieldContract>>, Error> {
    let set = FileDescriptorSet::decode(descriptor_set)?;
    let mut contracts = BTreeMap::new();
    for file in set.file {
        for message in file.message_type {
            collect(&file.package, message, &mut contracts)?;
        }
    }
    Ok(contracts)
}

/// Why the declarations could not be read.
#[derive(Debug)]
pub enum Error {
    Decode(prost::DecodeError),
    /// A declaration on a field it cannot apply to.
    Unsupported {
        message: String,
        field: String,
        why: &'static str,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Decode(error) => write!(f, "descriptor set: {error}"),
            Self::Unsupported {
                message,
                field,
                why,
            } => write!(f, "{message}.{field}: {why}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<prost::DecodeError> for Error {
    fn from(error: prost::DecodeError) -> Self {
        Self::Decode(error)
    }
}

fn collect(
    scope: &str,
    message: DescriptorProto,
    contracts: &mut BTreeMap<String, Vec<FieldContract>>,
) -> Result<(), Error> {
    let name = format!("{scope}.{}", message.name);
    let mut fields = Vec::new();
    for field in &message.field {
        let unsupported = |why| Error::Unsupported {
            message: name.clone(),
            field: field.name.clone(),
            why,
        };
        let options = field.options.clone().unwrap_or_default();
        let required = if options.field_behavior.contains(&REQUIRED) {
            Some(presence(field).ok_or_else(|| {
                unsupported(
                    "REQUIRED is only supported on string, bytes, message, enum and repeated \
                     fields (a number's zero is a value: give it a min instead)",
                )
            })?)
        } else {
            None
        };
        let rules = options.rules.map(descriptor::FieldRules::into_rules);
        let rules = rules.unwrap_or_default();
        let kind = kind(field);
        let numeric = rules.min.is_some() || rules.max.is_some();
        let textual = rules.min_len.is_some()
            || rules.max_len.is_some()
            || rules.form != Form::Any
            || !rules.one_of.is_empty();
        if numeric && !matches!(kind, Kind::Int32 | Kind::Int64 | Kind::Duration) {
            return Err(unsupported("min and max apply to integers and durations"));
        }
        if field.oneof_index.is_some() && !rules.is_empty() {
            return Err(unsupported("rules on a oneof member are not supported"));
        }
        if let Some(pattern) = &rules.pattern {
            if rules.form != Form::Any {
                return Err(unsupported(
                    "a pattern already says the form: give one of the two",
                ));
            }
            if !pattern.starts_with('^') || !pattern.ends_with('$') {
                return Err(unsupported("a pattern is anchored: ^…$"));
            }
        }
        if textual && kind != Kind::Text {
            return Err(unsupported(
                "min_len, max_len, form, one_of and pattern apply to strings",
            ));
        }
        if required.is_some() || !rules.is_empty() {
            fields.push(FieldContract {
                name: field.name.clone(),
                kind,
                repeated: field.label == 3,
                required,
                rules,
            });
        }
    }
    for nested in message.nested_type {
        collect(&name, nested, contracts)?;
    }
    if !fields.is_empty() {
        contracts.insert(name, fields);
    }
    Ok(())
}

// descriptor.proto: LABEL_REPEATED = 3; TYPE_INT64 = 3, TYPE_UINT64 = 4, TYPE_INT32 = 5,
// TYPE_STRING = 9, TYPE_MESSAGE = 11, TYPE_BYTES = 12, TYPE_UINT32 = 13, TYPE_ENUM = 14,
// TYPE_SINT32 = 17, TYPE_SINT64 = 18.
fn presence(field: &FieldDescriptorProto) -> Option<Presence> {
    // A field in a oneof is never required: the oneof says which one is set.
    if field.oneof_index.is_some() {
        return None;
    }
    if field.label == 3 {
        return Some(Presence::Repeated);
    }
    match field.r#type {
        9 => Some(Presence::Text),
        11 => Some(Presence::Message),
        12 => Some(Presence::Bytes),
        14 => Some(Presence::Enum),
        _ => None,
    }
}

fn kind(field: &FieldDescriptorProto) -> Kind {
    match field.r#type {
        9 => Kind::Text,
        _ if field.label == 3 => Kind::Other,
        5 | 13 | 17 => Kind::Int32,
        3 | 4 | 18 => Kind::Int64,
        11 if field.type_name == ".google.protobuf.Duration" => Kind::Duration,
        _ => Kind::Other,
    }
}

#[cfg(test)]
mod tests {
    use super::descriptor::{FieldOptions, FieldRules, FileDescriptorProto};
    use super::*;

    fn field(name: &str, r#type: i32, label: i32, marks: &[i32]) -> FieldDescriptorProto {
        FieldDescriptorProto {
            name: name.into(),
            label,
            r#type,
            type_name: String::new(),
            oneof_index: None,
            options: (!marks.is_empty()).then(|| FieldOptions {
                field_behavior: marks.to_vec(),
                rules: None,
            }),
        }
    }

    fn ruled(name: &str, r#type: i32, rules: FieldRules) -> FieldDescriptorProto {
        FieldDescriptorProto {
            options: Some(FieldOptions {
                field_behavior: vec![],
                rules: Some(rules),
            }),
            ..field(name, r#type, 1, &[])
        }
    }

    fn encoded(fields: Vec<FieldDescriptorProto>) -> Vec<u8> {
        FileDescriptorSet {
            file: vec![FileDescriptorProto {
                package: "pkg".into(),
                message_type: vec![DescriptorProto {
                    name: "Outer".into(),
                    field: fields,
                    nested_type: vec![DescriptorProto {
                        name: "Inner".into(),
                        field: vec![field("id", 9, 1, &[REQUIRED])],
                        nested_type: vec![],
                    }],
                }],
            }],
        }
        .encode_to_vec()
    }

    #[test]
    fn reads_the_required_marks_of_messages_and_nested_messages() {
        let set = encoded(vec![
            field("email", 9, 1, &[REQUIRED]),
            field("note", 9, 1, &[]),
            field("ids", 9, 3, &[1, REQUIRED]),
            field("plan", 14, 1, &[REQUIRED]),
        ]);
        let contracts = field_contracts(&set).unwrap();
        let outer: Vec<_> = contracts["pkg.Outer"]
            .iter()
            .map(|f| (f.name.as_str(), f.required))
            .collect();
        assert_eq!(
            outer,
            [
                ("email", Some(Presence::Text)),
                ("ids", Some(Presence::Repeated)),
                ("plan", Some(Presence::Enum))
            ]
        );
        assert_eq!(contracts["pkg.Outer.Inner"][0].name, "id");
    }

    #[test]
    fn reads_the_rules_of_fields() {
        let set = encoded(vec![
            ruled(
                "page_size",
                5,
                FieldRules {
                    min: Some(0),
                    max: Some(500),
                    ..Default::default()
                },
            ),
            ruled(
                "email",
                9,
                FieldRules {
                    max_len: Some(254),
                    form: 2,
                    ..Default::default()
                },
            ),
        ]);
        let contracts = field_contracts(&set).unwrap();
        let page = &contracts["pkg.Outer"][0];
        assert_eq!(
            (page.kind, page.rules.min, page.rules.max),
            (Kind::Int32, Some(0), Some(500))
        );
        assert!(!page.rules.excludes_zero());
        let email = &contracts["pkg.Outer"][1];
        assert_eq!(email.rules.form, Form::Email);
        assert_eq!(email.rules.max_len, Some(254));
        assert_eq!(email.required, None);
    }

    #[test]
    fn a_declaration_on_the_wrong_type_is_refused_naming_it() {
        let set = encoded(vec![field("tokens", 3, 1, &[REQUIRED])]);
        let error = field_contracts(&set).unwrap_err().to_string();
        assert!(
            error.starts_with("pkg.Outer.tokens: REQUIRED is only supported"),
            "{error}"
        );
        let set = encoded(vec![ruled(
            "name",
            9,
            FieldRules {
                max: Some(3),
                ..Default::default()
            },
        )]);
        let error = field_contracts(&set).unwrap_err().to_string();
        assert_eq!(
            error,
            "pkg.Outer.name: min and max apply to integers and durations"
        );
    }
}
