//! The OpenAPI 3.1 document of the REST surface, served at `/api/v2/openapi.json`. Paths come from
//! [`REST_ROUTES`]; schemas are derived from the contract's descriptors with the proto3 JSON
//! mapping, so the document cannot drift from the router or the messages.

use std::collections::{BTreeMap, BTreeSet};

use axum::{extract::State, response::IntoResponse};
use bytes::Bytes;
use contract::{FieldContract, Form, Kind, Presence};
use http::header;
use prost::Message;
use prost_types::{
    DescriptorProto, EnumDescriptorProto, FieldDescriptorProto, FileDescriptorSet,
    field_descriptor_proto::{Label, Type},
};
use serde_json::{Map, Value, json};

use crate::{Gateway, REST_ROUTES, proto::FILE_DESCRIPTOR_SET};

/// The document, encoded once at start.
pub fn document_bytes() -> Bytes {
    Bytes::from(serde_json::to_vec(&document()).unwrap_or_default())
}

pub(crate) async fn serve(State(gateway): State<Gateway>) -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json")],
        gateway.openapi.clone(),
    )
}

/// Statuses every operation may answer besides 200 (the gRPC → HTTP table, restricted to the
/// codes a gateway call can produce).
const ERROR_STATUSES: &[(&str, &str)] = &[
    (
        "400",
        "Invalid request (INVALID_ARGUMENT, FAILED_PRECONDITION, OUT_OF_RANGE)",
    ),
    ("401", "Missing or invalid credentials (UNAUTHENTICATED)"),
    ("403", "Not allowed (PERMISSION_DENIED)"),
    ("404", "Not found (NOT_FOUND)"),
    ("409", "Conflict (ALREADY_EXISTS, ABORTED)"),
    (
        "429",
        "Too many requests or quota exhausted (RESOURCE_EXHAUSTED)",
    ),
    ("500", "Internal error (INTERNAL, UNKNOWN, DATA_LOSS)"),
    ("501", "Not implemented yet (UNIMPLEMENTED)"),
    ("503", "A dependency is unavailable (UNAVAILABLE)"),
    ("504", "The call timed out (DEADLINE_EXCEEDED)"),
];

/// Builds the whole document.
pub fn document() -> Value {
    let catalogue = Catalogue::load();
    let mut schemas = Map::new();
    let mut paths: BTreeMap<&str, Map<String, Value>> = BTreeMap::new();
    let mut wanted = BTreeSet::new();
    for route in REST_ROUTES {
        let mut responses = Map::new();
        responses.insert(
            "200".into(),
            json!({"description": "Success", "content": {"application/json": {"schema": schema_ref(route.response)}}}),
        );
        for (status, description) in ERROR_STATUSES {
            responses.insert(
                (*status).into(),
                json!({"description": description, "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}}),
            );
        }
        let mut operation = json!({
            "summary": route.summary,
            "tags": [route.tag],
            "operationId": operation_id(route.path, route.method.as_str()),
            "responses": responses,
        });
        let path_params = path_parameters(route.path);
        let mut parameters: Vec<Value> = path_params
            .iter()
            .map(|name| json!({"name": name, "in": "path", "required": true, "schema": catalogue.path_schema(route.rpc, name)}))
            .collect();
        match route.request {
            Some(request) if route.method == http::Method::GET => {
                parameters.extend(catalogue.query_parameters(request, &path_params, &mut wanted));
            }
            Some(request) => {
                operation["requestBody"] = json!({
                    "required": true,
                    "content": {"application/json": {"schema": schema_ref(request)}},
                });
                wanted.insert(request.to_owned());
            }
            None => {}
        }
        if !parameters.is_empty() {
            operation["parameters"] = Value::Array(parameters);
        }
        if route.response.contains('.') {
            wanted.insert(route.response.to_owned());
        }
        paths
            .entry(route.path)
            .or_default()
            .insert(route.method.as_str().to_ascii_lowercase(), operation);
    }
    catalogue.add_schemas(wanted, &mut schemas);
    schemas.insert("Error".into(), json!({
        "type": "object",
        "description": "Every error: the gRPC status code, a message, and google.rpc error details.",
        "required": ["code", "message", "details"],
        "properties": {
            "code": {"type": "integer", "description": "google.rpc.Code"},
            "message": {"type": "string"},
            "details": {"type": "array", "items": {"type": "object"}},
        },
    }));
    schemas.insert(
        "HealthResponse".into(),
        json!({
            "type": "object",
            "required": ["status"],
            "properties": {"status": {"type": "string"}, "service": {"type": "string"}},
        }),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "GPUBROKER REST gateway",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "The /api/v2 REST face of the gRPC contract. Bodies are the proto3 JSON of the RPC messages with snake_case field names; unknown fields are ignored.",
        },
        "paths": paths,
        // Public routes need nothing; the others take an admin access token, a customer API key
        // (`gpk_…`) or a pod token (`gpt_…`) as a bearer token.
        "security": [{}, {"bearer": []}],
        "components": {
            "schemas": schemas,
            "securitySchemes": {"bearer": {"type": "http", "scheme": "bearer"}},
        },
    })
}

/// The `{name}` segments of a route path.
fn path_parameters(path: &str) -> Vec<String> {
    path.split('/')
        .filter_map(|segment| segment.strip_prefix('{')?.strip_suffix('}'))
        .map(str::to_owned)
        .collect()
}

fn schema_ref(name: &str) -> Value {
    json!({"$ref": format!("#/components/schemas/{name}")})
}

fn operation_id(path: &str, method: &str) -> String {
    let words: Vec<&str> = path
        .trim_start_matches("/api/v2/")
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    format!("{}_{}", method.to_ascii_lowercase(), words.join("_"))
}

/// Every message and enum of the contract by full name (without the leading dot), and the fields
/// each message requires or constrains (`google.api.field_behavior = REQUIRED` and
/// `gpubroker.v1.rules` in `proto/`).
struct Catalogue {
    messages: BTreeMap<String, DescriptorProto>,
    enums: BTreeMap<String, EnumDescriptorProto>,
    contracts: BTreeMap<String, Vec<FieldContract>>,
}

impl Catalogue {
    fn load() -> Self {
        let mut catalogue = Self {
            messages: BTreeMap::new(),
            enums: BTreeMap::new(),
            contracts: contract::field_contracts(FILE_DESCRIPTOR_SET).unwrap_or_default(),
        };
        let set = FileDescriptorSet::decode(FILE_DESCRIPTOR_SET).unwrap_or_default();
        for file in set.file {
            let package = file.package().to_owned();
            for message in file.message_type {
                catalogue.add_message(&package, message);
            }
            for enumeration in file.enum_type {
                catalogue
                    .enums
                    .insert(format!("{package}.{}", enumeration.name()), enumeration);
            }
        }
        catalogue
    }

    fn add_message(&mut self, scope: &str, message: DescriptorProto) {
        let name = format!("{scope}.{}", message.name());
        for nested in &message.nested_type {
            self.add_message(&name, nested.clone());
        }
        for enumeration in &message.enum_type {
            self.enums.insert(
                format!("{name}.{}", enumeration.name()),
                enumeration.clone(),
            );
        }
        self.messages.insert(name, message);
    }

    /// Adds the schemas of `wanted` and of everything they reference.
    fn add_schemas(&self, mut wanted: BTreeSet<String>, schemas: &mut Map<String, Value>) {
        while let Some(name) = wanted.pop_first() {
            if schemas.contains_key(&name) {
                continue;
            }
            if let Some(enumeration) = self.enums.get(&name) {
                let values: Vec<&str> = enumeration.value.iter().map(|v| v.name()).collect();
                schemas.insert(name, json!({"type": "string", "enum": values}));
            } else if let Some(message) = self.messages.get(&name) {
                let mut properties = Map::new();
                for field in &message.field {
                    let mut schema = self.field_schema(field, &mut wanted);
                    if let Some(contract) = self.field_contract(&name, field.name()) {
                        self.constrain(&mut schema, field, contract);
                    }
                    properties.insert(field.name().to_owned(), schema);
                }
                let mut schema = json!({"type": "object", "properties": properties});
                let exclusive = oneof_pairs(message);
                if !exclusive.is_empty() {
                    schema["allOf"] = exclusive.into();
                }
                let required: Vec<&str> = self
                    .contracts
                    .get(&name)
                    .into_iter()
                    .flatten()
                    .filter(|f| f.must_send())
                    .map(|f| f.name.as_str())
                    .collect();
                if !required.is_empty() {
                    schema["required"] = json!(required);
                }
                schemas.insert(name, schema);
            }
        }
    }

    /// The query parameters of a GET route: the request message's single-valued fields (a query
    /// cannot carry repeated or nested fields), less those the path supplies.
    fn query_parameters(
        &self,
        request: &str,
        path_params: &[String],
        wanted: &mut BTreeSet<String>,
    ) -> Vec<Value> {
        let Some(message) = self.messages.get(request) else {
            return Vec::new();
        };
        message
            .field
            .iter()
            .filter(|field| field.label() != Label::Repeated)
            .filter(|field| !path_params.iter().any(|p| p == field.name()))
            .filter(|field| {
                field.r#type() != Type::Message
                    || matches!(
                        field.type_name(),
                        ".google.protobuf.Timestamp" | ".google.protobuf.Duration"
                    )
            })
            .map(|field| {
                let mut schema = self.scalar_or_ref(field, wanted);
                let contract = self.field_contract(request, field.name());
                if let Some(contract) = contract {
                    self.constrain(&mut schema, field, contract);
                }
                json!({
                    "name": field.name(),
                    "in": "query",
                    "required": contract.is_some_and(FieldContract::must_send),
                    "schema": schema,
                })
            })
            .collect()
    }

    /// A path parameter's schema: a non-empty string, narrowed by the contract of the field of
    /// the RPC's request message it fills (`{Rpc}Request`, as buf's lint requires).
    fn path_schema(&self, rpc: &str, name: &str) -> Value {
        let mut schema = json!({"type": "string", "minLength": 1});
        let pascal: String = rpc
            .split('_')
            .map(|word| {
                let mut chars = word.chars();
                chars.next().map_or(String::new(), |first| {
                    first.to_ascii_uppercase().to_string() + chars.as_str()
                })
            })
            .collect();
        let request = format!("gpubroker.v1.{pascal}Request");
        let field = self
            .messages
            .get(&request)
            .and_then(|message| message.field.iter().find(|f| f.name() == name));
        if let (Some(field), Some(contract)) = (field, self.field_contract(&request, name)) {
            self.constrain(&mut schema, field, contract);
        }
        schema
    }

    fn field_contract(&self, message: &str, field: &str) -> Option<&FieldContract> {
        self.contracts
            .get(message)?
            .iter()
            .find(|f| f.name == field)
    }

    /// Narrows a field's schema to the values the server accepts, so that schema-valid requests
    /// are requests the server takes: a required string with a non-blank character, an enum
    /// other than its `…_UNSPECIFIED` zero, a non-empty list, and every `gpubroker.v1.rules`.
    fn constrain(
        &self,
        schema: &mut Value,
        field: &FieldDescriptorProto,
        contract: &FieldContract,
    ) {
        let target = if contract.repeated {
            &mut schema["items"]
        } else {
            &mut *schema
        };
        let rules = &contract.rules;
        let text_required = contract.required == Some(Presence::Text);
        match contract.kind {
            Kind::Text => text_schema(target, contract, text_required),
            Kind::Int32 => {
                if let Some(min) = rules.min {
                    target["minimum"] = json!(min);
                }
                if let Some(max) = rules.max {
                    target["maximum"] = json!(max);
                }
            }
            Kind::Int64 => {
                let pattern = (rules.min.is_some() || rules.max.is_some())
                    .then(|| {
                        contract::integer_pattern(
                            rules.min.unwrap_or(0),
                            rules.max.unwrap_or(i64::MAX),
                        )
                    })
                    .flatten();
                if let Some(pattern) = pattern {
                    target["pattern"] = json!(pattern);
                }
            }
            Kind::Duration => {
                // proto3 JSON's largest duration is 315,576,000,000 s (10,000 years).
                let pattern = (rules.min.is_some() || rules.max.is_some())
                    .then(|| {
                        contract::duration_pattern(
                            rules.min.unwrap_or(0),
                            rules.max.unwrap_or(315_576_000_000),
                        )
                    })
                    .flatten();
                if let Some(pattern) = pattern {
                    target["pattern"] = json!(pattern);
                }
            }
            Kind::Other => {}
        }
        match contract.required {
            Some(Presence::Bytes) => schema["minLength"] = json!(1),
            Some(Presence::Repeated) => schema["minItems"] = json!(1),
            Some(Presence::Enum) => {
                let zero = self
                    .enums
                    .get(field.type_name().trim_start_matches('.'))
                    .and_then(|e| e.value.iter().find(|v| v.number() == 0));
                if let Some(zero) = zero {
                    schema["not"] = json!({"const": zero.name()});
                }
            }
            Some(Presence::Text | Presence::Message) | None => {}
        }
    }

    fn field_schema(&self, field: &FieldDescriptorProto, wanted: &mut BTreeSet<String>) -> Value {
        let type_name = field.type_name().trim_start_matches('.');
        if let Some(entry) = self
            .messages
            .get(type_name)
            .filter(|m| m.options.as_ref().is_some_and(|o| o.map_entry()))
        {
            let value = entry.field.iter().find(|f| f.number() == 2);
            let value_schema = value.map_or(json!({}), |v| self.scalar_or_ref(v, wanted));
            return json!({"type": "object", "additionalProperties": value_schema});
        }
        let item = self.scalar_or_ref(field, wanted);
        if field.label() == Label::Repeated {
            json!({"type": "array", "items": item})
        } else {
            item
        }
    }

    fn scalar_or_ref(&self, field: &FieldDescriptorProto, wanted: &mut BTreeSet<String>) -> Value {
        match field.r#type() {
            Type::Double | Type::Float => json!({"type": "number"}),
            Type::Int32 | Type::Sint32 | Type::Sfixed32 => {
                json!({"type": "integer", "format": "int32"})
            }
            Type::Uint32 | Type::Fixed32 => {
                json!({"type": "integer", "format": "int32", "minimum": 0})
            }
            // proto3 JSON writes 64-bit integers as strings.
            Type::Int64 | Type::Sint64 | Type::Sfixed64 | Type::Uint64 | Type::Fixed64 => {
                json!({"type": "string", "format": "int64", "pattern": "^-?[0-9]+$"})
            }
            Type::Bool => json!({"type": "boolean"}),
            Type::String => json!({"type": "string"}),
            Type::Bytes => json!({"type": "string", "contentEncoding": "base64"}),
            Type::Enum | Type::Message | Type::Group => {
                let name = field.type_name().trim_start_matches('.');
                match name {
                    "google.protobuf.Timestamp" => json!({"type": "string", "format": "date-time"}),
                    "google.protobuf.Duration" => {
                        json!({"type": "string", "pattern": "^-?[0-9]+(\\.[0-9]+)?s$"})
                    }
                    _ => {
                        wanted.insert(name.to_owned());
                        schema_ref(name)
                    }
                }
            }
        }
    }
}

/// A oneof's members exclude each other: for every two of them, "not both".
fn oneof_pairs(message: &DescriptorProto) -> Vec<Value> {
    let mut groups: BTreeMap<i32, Vec<&str>> = BTreeMap::new();
    for field in &message.field {
        // proto3 `optional` is a synthetic oneof of one field.
        if let Some(index) = field.oneof_index.filter(|_| !field.proto3_optional()) {
            groups.entry(index).or_default().push(field.name());
        }
    }
    let mut pairs = Vec::new();
    for members in groups.values() {
        for (i, a) in members.iter().enumerate() {
            for b in &members[i + 1..] {
                pairs.push(json!({"not": {"required": [a, b]}}));
            }
        }
    }
    pairs
}

/// A string's schema from its rules. JSON Schema takes one `pattern`, so a required one-line
/// value gets one pattern saying both "one line" and "not blank"; other forms are never blank.
fn text_schema(schema: &mut Value, contract: &FieldContract, required: bool) {
    let rules = &contract.rules;
    if let Some(min) = rules.min_len {
        schema["minLength"] = json!(min);
    } else if required {
        schema["minLength"] = json!(1);
    }
    if let Some(max) = rules.max_len {
        schema["maxLength"] = json!(max);
    }
    if !rules.one_of.is_empty() {
        let mut values = rules.one_of.clone();
        if !required {
            values.insert(0, String::new());
        }
        schema["enum"] = json!(values);
    }
    if let Some(pattern) = &rules.pattern {
        let body = pattern.trim_start_matches('^').trim_end_matches('$');
        schema["pattern"] = json!(if required {
            pattern.clone()
        } else {
            format!("^(?:{body})?$")
        });
        return;
    }
    const LINE_CHAR: &str = "[^\\u0000-\\u001F\\u007F-\\u009F]";
    match (rules.form, required) {
        // Not blank: one character that is not white space, neither to ECMA-262 (`\s`) nor to
        // Rust's `trim` (which also trims U+0085).
        (Form::Any, true) => schema["pattern"] = json!("[^\\s\\u0085]"),
        (Form::Any, false) => {}
        (Form::Line, true) => {
            let visible = "[^\\s\\u0000-\\u001F\\u007F-\\u009F]";
            schema["pattern"] = json!(format!("^{LINE_CHAR}*{visible}{LINE_CHAR}*$"));
        }
        (Form::Email, true) => schema["format"] = json!("email"),
        (Form::Email, false) => {
            let email = schema.clone();
            *schema = json!({"anyOf": [{"type": "string", "maxLength": 0}, email]});
            schema["anyOf"][1]["format"] = json!("email");
        }
        (form, required) => {
            if let Some(pattern) = form.pattern() {
                let body = pattern.trim_start_matches('^').trim_end_matches('$');
                schema["pattern"] = json!(if required {
                    pattern.to_owned()
                } else {
                    format!("^(?:{body})?$")
                });
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_route_is_documented_with_its_schemas() {
        let doc = document();
        for route in REST_ROUTES {
            let method = route.method.as_str().to_ascii_lowercase();
            let operation = &doc["paths"][route.path][&method];
            assert!(
                operation.is_object(),
                "{} {} undocumented",
                route.method,
                route.path
            );
            // A GET route's request travels as query parameters, not as a schema.
            let body = route.request.filter(|_| route.method != http::Method::GET);
            for name in body.iter().chain([&route.response]) {
                assert!(
                    doc["components"]["schemas"][*name].is_object(),
                    "schema {name} missing"
                );
            }
        }
        let ruc = &doc["components"]["schemas"]["gpubroker.v1.ValidateRucRequest"];
        assert_eq!(ruc["properties"]["ruc"]["type"], "string");
        let check = &doc["components"]["schemas"]["gpubroker.v1.IdentityCheck"];
        assert_eq!(check["properties"]["warnings"]["type"], "array");
        assert!(doc["components"]["schemas"]["gpubroker.v1.EntityType"]["enum"].is_array());
        let signup = &doc["components"]["schemas"]["gpubroker.v1.CreateSubscriptionRequest"];
        assert_eq!(signup["required"], json!(["email", "plan"]));
        assert_eq!(signup["properties"]["email"]["minLength"], 1);
        assert_eq!(
            signup["properties"]["plan"]["not"]["const"],
            "PLAN_UNSPECIFIED"
        );
        assert!(doc["components"]["schemas"]["gpubroker.v1.Plan"]["enum"].is_array());
        let geo = &doc["paths"]["/api/v2/admin/public/geo/detect"]["get"]["parameters"];
        assert_eq!(geo[0]["name"], "country_code");
        assert_eq!(geo[0]["in"], "query");
    }
}
