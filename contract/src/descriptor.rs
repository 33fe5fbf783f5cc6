//! The slice of `google/protobuf/descriptor.proto` (and of our `rules.proto`) the contract reads.

use prost::Message;

use crate::{Form, Rules};

#[derive(Clone, PartialEq, Message)]
pub(crate) struct FileDescriptorSet {
    #[prost(message, repeated, tag = "1")]
    pub file: Vec<FileDescriptorProto>,
}

#[derive(Clone, PartialEq, Message)]
pub(crate) struct FileDescriptorProto {
    #[prost(string, tag = "2")]
    pub package: String,
    #[prost(message, repeated, tag = "4")]
    pub message_type: Vec<DescriptorProto>,
}

#[derive(Clone, PartialEq, Message)]
pub(crate) struct DescriptorProto {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(message, repeated, tag = "2")]
    pub field: Vec<FieldDescriptorProto>,
    #[prost(message, repeated, tag = "3")]
    pub nested_type: Vec<DescriptorProto>,
}

#[derive(Clone, PartialEq, Message)]
pub(crate) struct FieldDescriptorProto {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(int32, tag = "4")]
    pub label: i32,
    #[prost(int32, tag = "5")]
    pub r#type: i32,
    #[prost(string, tag = "6")]
    pub type_name: String,
    #[prost(int32, optional, tag = "9")]
    pub oneof_index: Option<i32>,
    #[prost(message, optional, tag = "8")]
    pub options: Option<FieldOptions>,
}

#[derive(Clone, PartialEq, Message)]
pub(crate) struct FieldOptions {
    /// `google.api.field_behavior`, declared unpacked; prost also accepts the packed form.
    #[prost(int32, repeated, packed = "false", tag = "1052")]
    pub field_behavior: Vec<i32>,
    /// `gpubroker.v1.rules` (proto/gpubroker/v1/rules.proto).
    #[prost(message, optional, tag = "50401")]
    pub rules: Option<FieldRules>,
}

/// `gpubroker.v1.FieldRules`.
#[derive(Clone, PartialEq, Message)]
pub(crate) struct FieldRules {
    #[prost(int64, optional, tag = "1")]
    pub min: Option<i64>,
    #[prost(int64, optional, tag = "2")]
    pub max: Option<i64>,
    #[prost(uint32, optional, tag = "3")]
    pub max_len: Option<u32>,
    #[prost(uint32, optional, tag = "6")]
    pub min_len: Option<u32>,
    /// `gpubroker.v1.TextForm`.
    #[prost(int32, tag = "4")]
    pub form: i32,
    #[prost(string, repeated, tag = "5")]
    pub one_of: Vec<String>,
    #[prost(string, tag = "7")]
    pub pattern: String,
}

impl FieldRules {
    pub(crate) fn into_rules(self) -> Rules {
        Rules {
            min: self.min,
            max: self.max,
            min_len: self.min_len,
            max_len: self.max_len,
            form: match self.form {
                1 => Form::Line,
                2 => Form::Email,
                3 => Form::CountryCode,
                4 => Form::EcMobile,
                5 => Form::Multiline,
                _ => Form::Any,
            },
            one_of: self.one_of,
            pattern: (!self.pattern.is_empty()).then_some(self.pattern),
        }
    }
}
