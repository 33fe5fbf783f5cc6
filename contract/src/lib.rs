//! Reads the `google.api.field_behavior = REQUIRED` marks out of an encoded `FileDescriptorSet`.
//!
//! prost's descriptor types drop extension options, so this decodes the few descriptor fields it
//! needs with its own messages (field numbers from `google/protobuf/descriptor.proto`); every
//! other field is skipped as unknown. The server's build script turns the result into field
//! checks and the gateway into the OpenAPI document's `required` lists: one declaration in
//! `proto/`, three followers.

use std::collections::BTreeMap;

use prost::Message;

/// `google.api.FieldBehavior.REQUIRED`.
const REQUIRED: i32 = 2;

/// What a required field must hold to count as present.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Presence {
    /// A string with a non-blank value (and, as an id, key or name, no control characters).
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

/// A required field of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RequiredField {
    /// The field's proto name (also its JSON name: the gateway keeps proto names).
    pub name: String,
    pub presence: Presence,
}

/// The contract's messages that require fields, by full name without the leading dot
/// (`gpubroker.v1.CreateSubscriptionRequest`), each with its required fields in declaration order.
pub fn required_fields(
    descriptor_set: &[u8],
) -> Result<BTreeMap<String, Vec<RequiredField>>, Error> {
    let set = FileDescriptorSet::decode(descriptor_set)?;
    let mut required = BTreeMap::new();
    for file in set.file {
        for message in file.message_type {
            collect(&file.package, message, &mut required)?;
        }
    }
    Ok(required)
}

/// Why the marks could not be read.
#[derive(Debug)]
pub enum Error {
    Decode(prost::DecodeError),
    /// A mark on a field whose absence cannot be told apart from a legitimate zero.
    Unsupported {
        message: String,
        field: String,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Decode(error) => write!(f, "descriptor set: {error}"),
            Self::Unsupported { message, field } => write!(
                f,
                "{message}.{field}: REQUIRED is only supported on string, bytes, message, enum \
                 and repeated fields (a number's zero is a value)"
            ),
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
    required: &mut BTreeMap<String, Vec<RequiredField>>,
) -> Result<(), Error> {
    let name = format!("{scope}.{}", message.name);
    let mut fields = Vec::new();
    for field in &message.field {
        let marked = field
            .options
            .as_ref()
            .is_some_and(|options| options.field_behavior.contains(&REQUIRED));
        if marked {
            let presence = presence(field).ok_or_else(|| Error::Unsupported {
                message: name.clone(),
                field: field.name.clone(),
            })?;
            fields.push(RequiredField {
                name: field.name.clone(),
                presence,
            });
        }
    }
    for nested in message.nested_type {
        collect(&name, nested, required)?;
    }
    if !fields.is_empty() {
        required.insert(name, fields);
    }
    Ok(())
}

fn presence(field: &FieldDescriptorProto) -> Option<Presence> {
    // descriptor.proto: LABEL_REPEATED = 3; TYPE_STRING = 9, TYPE_MESSAGE = 11, TYPE_BYTES = 12,
    // TYPE_ENUM = 14. A field in a oneof is never required: the oneof says which one is set.
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

#[derive(Clone, PartialEq, Message)]
struct FileDescriptorSet {
    #[prost(message, repeated, tag = "1")]
    file: Vec<FileDescriptorProto>,
}

#[derive(Clone, PartialEq, Message)]
struct FileDescriptorProto {
    #[prost(string, tag = "2")]
    package: String,
    #[prost(message, repeated, tag = "4")]
    message_type: Vec<DescriptorProto>,
}

#[derive(Clone, PartialEq, Message)]
struct DescriptorProto {
    #[prost(string, tag = "1")]
    name: String,
    #[prost(message, repeated, tag = "2")]
    field: Vec<FieldDescriptorProto>,
    #[prost(message, repeated, tag = "3")]
    nested_type: Vec<DescriptorProto>,
}

#[derive(Clone, PartialEq, Message)]
struct FieldDescriptorProto {
    #[prost(string, tag = "1")]
    name: String,
    #[prost(int32, tag = "4")]
    label: i32,
    #[prost(int32, tag = "5")]
    r#type: i32,
    #[prost(int32, optional, tag = "9")]
    oneof_index: Option<i32>,
    #[prost(message, optional, tag = "8")]
    options: Option<FieldOptions>,
}

#[derive(Clone, PartialEq, Message)]
struct FieldOptions {
    /// `google.api.field_behavior`, declared unpacked; prost also accepts the packed form.
    #[prost(int32, repeated, packed = "false", tag = "1052")]
    field_behavior: Vec<i32>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn field(name: &str, r#type: i32, label: i32, marks: &[i32]) -> FieldDescriptorProto {
        FieldDescriptorProto {
            name: name.into(),
            label,
            r#type,
            oneof_index: None,
            options: (!marks.is_empty()).then(|| FieldOptions {
                field_behavior: marks.to_vec(),
            }),
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
        let required = required_fields(&set).unwrap();
        let outer: Vec<_> = required["pkg.Outer"]
            .iter()
            .map(|f| (f.name.as_str(), f.presence))
            .collect();
        assert_eq!(
            outer,
            [
                ("email", Presence::Text),
                ("ids", Presence::Repeated),
                ("plan", Presence::Enum)
            ]
        );
        assert_eq!(required["pkg.Outer.Inner"][0].name, "id");
    }

    #[test]
    fn a_required_number_is_refused_naming_it() {
        let set = encoded(vec![field("tokens", 3, 1, &[REQUIRED])]);
        let error = required_fields(&set).unwrap_err().to_string();
        assert!(
            error.starts_with("pkg.Outer.tokens: REQUIRED is only supported"),
            "{error}"
        );
    }
}
