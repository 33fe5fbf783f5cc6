import datetime

from google.api import field_behavior_pb2 as _field_behavior_pb2
from gpubroker.v1 import common_pb2 as _common_pb2
from gpubroker.v1 import rules_pb2 as _rules_pb2
from google.protobuf import timestamp_pb2 as _timestamp_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable, Mapping as _Mapping
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class DocumentType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    DOCUMENT_TYPE_UNSPECIFIED: _ClassVar[DocumentType]
    DOCUMENT_TYPE_CEDULA: _ClassVar[DocumentType]
    DOCUMENT_TYPE_RUC: _ClassVar[DocumentType]

class EntityType(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    ENTITY_TYPE_UNSPECIFIED: _ClassVar[EntityType]
    ENTITY_TYPE_NATURAL_PERSON: _ClassVar[EntityType]
    ENTITY_TYPE_FOREIGN_RESIDENT: _ClassVar[EntityType]
    ENTITY_TYPE_PUBLIC_ENTITY: _ClassVar[EntityType]
    ENTITY_TYPE_PRIVATE_COMPANY: _ClassVar[EntityType]

class IdentityErrorCode(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IDENTITY_ERROR_CODE_UNSPECIFIED: _ClassVar[IdentityErrorCode]
    IDENTITY_ERROR_CODE_LENGTH: _ClassVar[IdentityErrorCode]
    IDENTITY_ERROR_CODE_FORMAT: _ClassVar[IdentityErrorCode]
    IDENTITY_ERROR_CODE_PROVINCE: _ClassVar[IdentityErrorCode]
    IDENTITY_ERROR_CODE_THIRD_DIGIT: _ClassVar[IdentityErrorCode]
    IDENTITY_ERROR_CODE_ESTABLISHMENT: _ClassVar[IdentityErrorCode]
    IDENTITY_ERROR_CODE_CHECKSUM: _ClassVar[IdentityErrorCode]

class IdentityWarning(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    IDENTITY_WARNING_UNSPECIFIED: _ClassVar[IdentityWarning]
    IDENTITY_WARNING_CHECK_DIGIT_NOT_VERIFIED: _ClassVar[IdentityWarning]
    IDENTITY_WARNING_ESTABLISHMENT_NOT_PRINCIPAL: _ClassVar[IdentityWarning]
    IDENTITY_WARNING_PROVINCE_UNDOCUMENTED: _ClassVar[IdentityWarning]
    IDENTITY_WARNING_ENTITY_TYPE_AMBIGUOUS: _ClassVar[IdentityWarning]
    IDENTITY_WARNING_PUBLIC_FORMULA_FALLBACK: _ClassVar[IdentityWarning]

class TaxIdFormat(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TAX_ID_FORMAT_UNSPECIFIED: _ClassVar[TaxIdFormat]
    TAX_ID_FORMAT_RUC: _ClassVar[TaxIdFormat]
    TAX_ID_FORMAT_CEDULA: _ClassVar[TaxIdFormat]
DOCUMENT_TYPE_UNSPECIFIED: DocumentType
DOCUMENT_TYPE_CEDULA: DocumentType
DOCUMENT_TYPE_RUC: DocumentType
ENTITY_TYPE_UNSPECIFIED: EntityType
ENTITY_TYPE_NATURAL_PERSON: EntityType
ENTITY_TYPE_FOREIGN_RESIDENT: EntityType
ENTITY_TYPE_PUBLIC_ENTITY: EntityType
ENTITY_TYPE_PRIVATE_COMPANY: EntityType
IDENTITY_ERROR_CODE_UNSPECIFIED: IdentityErrorCode
IDENTITY_ERROR_CODE_LENGTH: IdentityErrorCode
IDENTITY_ERROR_CODE_FORMAT: IdentityErrorCode
IDENTITY_ERROR_CODE_PROVINCE: IdentityErrorCode
IDENTITY_ERROR_CODE_THIRD_DIGIT: IdentityErrorCode
IDENTITY_ERROR_CODE_ESTABLISHMENT: IdentityErrorCode
IDENTITY_ERROR_CODE_CHECKSUM: IdentityErrorCode
IDENTITY_WARNING_UNSPECIFIED: IdentityWarning
IDENTITY_WARNING_CHECK_DIGIT_NOT_VERIFIED: IdentityWarning
IDENTITY_WARNING_ESTABLISHMENT_NOT_PRINCIPAL: IdentityWarning
IDENTITY_WARNING_PROVINCE_UNDOCUMENTED: IdentityWarning
IDENTITY_WARNING_ENTITY_TYPE_AMBIGUOUS: IdentityWarning
IDENTITY_WARNING_PUBLIC_FORMULA_FALLBACK: IdentityWarning
TAX_ID_FORMAT_UNSPECIFIED: TaxIdFormat
TAX_ID_FORMAT_RUC: TaxIdFormat
TAX_ID_FORMAT_CEDULA: TaxIdFormat

class ValidateCedulaRequest(_message.Message):
    __slots__ = ("cedula", "strict")
    CEDULA_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    cedula: str
    strict: bool
    def __init__(self, cedula: _Optional[str] = ..., strict: _Optional[bool] = ...) -> None: ...

class ValidateCedulaResponse(_message.Message):
    __slots__ = ("check", "valid", "message")
    CHECK_FIELD_NUMBER: _ClassVar[int]
    VALID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    check: IdentityCheck
    valid: bool
    message: str
    def __init__(self, check: _Optional[_Union[IdentityCheck, _Mapping]] = ..., valid: _Optional[bool] = ..., message: _Optional[str] = ...) -> None: ...

class ValidateRucRequest(_message.Message):
    __slots__ = ("ruc", "strict")
    RUC_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    ruc: str
    strict: bool
    def __init__(self, ruc: _Optional[str] = ..., strict: _Optional[bool] = ...) -> None: ...

class ValidateRucResponse(_message.Message):
    __slots__ = ("check", "valid", "message")
    CHECK_FIELD_NUMBER: _ClassVar[int]
    VALID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    check: IdentityCheck
    valid: bool
    message: str
    def __init__(self, check: _Optional[_Union[IdentityCheck, _Mapping]] = ..., valid: _Optional[bool] = ..., message: _Optional[str] = ...) -> None: ...

class ValidateIdentityRequest(_message.Message):
    __slots__ = ("identifier", "strict")
    IDENTIFIER_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    identifier: str
    strict: bool
    def __init__(self, identifier: _Optional[str] = ..., strict: _Optional[bool] = ...) -> None: ...

class ValidateIdentityResponse(_message.Message):
    __slots__ = ("check", "valid", "message")
    CHECK_FIELD_NUMBER: _ClassVar[int]
    VALID_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    check: IdentityCheck
    valid: bool
    message: str
    def __init__(self, check: _Optional[_Union[IdentityCheck, _Mapping]] = ..., valid: _Optional[bool] = ..., message: _Optional[str] = ...) -> None: ...

class IdentityCheck(_message.Message):
    __slots__ = ("valid", "normalized", "document_type", "entity_type", "province_code", "province_name", "establishment", "check_digit_verified", "warnings", "error_code", "message", "strict")
    VALID_FIELD_NUMBER: _ClassVar[int]
    NORMALIZED_FIELD_NUMBER: _ClassVar[int]
    DOCUMENT_TYPE_FIELD_NUMBER: _ClassVar[int]
    ENTITY_TYPE_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_CODE_FIELD_NUMBER: _ClassVar[int]
    PROVINCE_NAME_FIELD_NUMBER: _ClassVar[int]
    ESTABLISHMENT_FIELD_NUMBER: _ClassVar[int]
    CHECK_DIGIT_VERIFIED_FIELD_NUMBER: _ClassVar[int]
    WARNINGS_FIELD_NUMBER: _ClassVar[int]
    ERROR_CODE_FIELD_NUMBER: _ClassVar[int]
    MESSAGE_FIELD_NUMBER: _ClassVar[int]
    STRICT_FIELD_NUMBER: _ClassVar[int]
    valid: bool
    normalized: str
    document_type: DocumentType
    entity_type: EntityType
    province_code: str
    province_name: str
    establishment: str
    check_digit_verified: bool
    warnings: _containers.RepeatedScalarFieldContainer[IdentityWarning]
    error_code: IdentityErrorCode
    message: str
    strict: bool
    def __init__(self, valid: _Optional[bool] = ..., normalized: _Optional[str] = ..., document_type: _Optional[_Union[DocumentType, str]] = ..., entity_type: _Optional[_Union[EntityType, str]] = ..., province_code: _Optional[str] = ..., province_name: _Optional[str] = ..., establishment: _Optional[str] = ..., check_digit_verified: _Optional[bool] = ..., warnings: _Optional[_Iterable[_Union[IdentityWarning, str]]] = ..., error_code: _Optional[_Union[IdentityErrorCode, str]] = ..., message: _Optional[str] = ..., strict: _Optional[bool] = ...) -> None: ...

class GetSignupRequirementsRequest(_message.Message):
    __slots__ = ("country_code",)
    COUNTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    country_code: str
    def __init__(self, country_code: _Optional[str] = ...) -> None: ...

class GetSignupRequirementsResponse(_message.Message):
    __slots__ = ("country_code", "requires_tax_id", "tax_id_name", "tax_id_formats", "language", "requires_phone_verification")
    COUNTRY_CODE_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_TAX_ID_FIELD_NUMBER: _ClassVar[int]
    TAX_ID_NAME_FIELD_NUMBER: _ClassVar[int]
    TAX_ID_FORMATS_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    REQUIRES_PHONE_VERIFICATION_FIELD_NUMBER: _ClassVar[int]
    country_code: str
    requires_tax_id: bool
    tax_id_name: str
    tax_id_formats: _containers.RepeatedScalarFieldContainer[TaxIdFormat]
    language: _common_pb2.Language
    requires_phone_verification: bool
    def __init__(self, country_code: _Optional[str] = ..., requires_tax_id: _Optional[bool] = ..., tax_id_name: _Optional[str] = ..., tax_id_formats: _Optional[_Iterable[_Union[TaxIdFormat, str]]] = ..., language: _Optional[_Union[_common_pb2.Language, str]] = ..., requires_phone_verification: _Optional[bool] = ...) -> None: ...

class SendPhoneOtpRequest(_message.Message):
    __slots__ = ("phone_number", "language")
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    LANGUAGE_FIELD_NUMBER: _ClassVar[int]
    phone_number: str
    language: _common_pb2.Language
    def __init__(self, phone_number: _Optional[str] = ..., language: _Optional[_Union[_common_pb2.Language, str]] = ...) -> None: ...

class SendPhoneOtpResponse(_message.Message):
    __slots__ = ("phone_number", "expires_at", "sends_remaining")
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    EXPIRES_AT_FIELD_NUMBER: _ClassVar[int]
    SENDS_REMAINING_FIELD_NUMBER: _ClassVar[int]
    phone_number: str
    expires_at: _timestamp_pb2.Timestamp
    sends_remaining: int
    def __init__(self, phone_number: _Optional[str] = ..., expires_at: _Optional[_Union[datetime.datetime, _timestamp_pb2.Timestamp, _Mapping]] = ..., sends_remaining: _Optional[int] = ...) -> None: ...

class VerifyPhoneOtpRequest(_message.Message):
    __slots__ = ("phone_number", "code")
    PHONE_NUMBER_FIELD_NUMBER: _ClassVar[int]
    CODE_FIELD_NUMBER: _ClassVar[int]
    phone_number: str
    code: str
    def __init__(self, phone_number: _Optional[str] = ..., code: _Optional[str] = ...) -> None: ...

class VerifyPhoneOtpResponse(_message.Message):
    __slots__ = ("verified", "attempts_remaining", "phone_verification_token")
    VERIFIED_FIELD_NUMBER: _ClassVar[int]
    ATTEMPTS_REMAINING_FIELD_NUMBER: _ClassVar[int]
    PHONE_VERIFICATION_TOKEN_FIELD_NUMBER: _ClassVar[int]
    verified: bool
    attempts_remaining: int
    phone_verification_token: str
    def __init__(self, verified: _Optional[bool] = ..., attempts_remaining: _Optional[int] = ..., phone_verification_token: _Optional[str] = ...) -> None: ...
