from google.protobuf import descriptor_pb2 as _descriptor_pb2
from google.protobuf.internal import containers as _containers
from google.protobuf.internal import enum_type_wrapper as _enum_type_wrapper
from google.protobuf import descriptor as _descriptor
from google.protobuf import message as _message
from collections.abc import Iterable as _Iterable
from typing import ClassVar as _ClassVar, Optional as _Optional, Union as _Union

DESCRIPTOR: _descriptor.FileDescriptor

class TextForm(int, metaclass=_enum_type_wrapper.EnumTypeWrapper):
    __slots__ = ()
    TEXT_FORM_UNSPECIFIED: _ClassVar[TextForm]
    TEXT_FORM_LINE: _ClassVar[TextForm]
    TEXT_FORM_EMAIL: _ClassVar[TextForm]
    TEXT_FORM_COUNTRY_CODE: _ClassVar[TextForm]
    TEXT_FORM_EC_MOBILE: _ClassVar[TextForm]
    TEXT_FORM_MULTILINE: _ClassVar[TextForm]
TEXT_FORM_UNSPECIFIED: TextForm
TEXT_FORM_LINE: TextForm
TEXT_FORM_EMAIL: TextForm
TEXT_FORM_COUNTRY_CODE: TextForm
TEXT_FORM_EC_MOBILE: TextForm
TEXT_FORM_MULTILINE: TextForm
RULES_FIELD_NUMBER: _ClassVar[int]
rules: _descriptor.FieldDescriptor

class FieldRules(_message.Message):
    __slots__ = ("min", "max", "min_len", "max_len", "form", "one_of", "pattern")
    MIN_FIELD_NUMBER: _ClassVar[int]
    MAX_FIELD_NUMBER: _ClassVar[int]
    MIN_LEN_FIELD_NUMBER: _ClassVar[int]
    MAX_LEN_FIELD_NUMBER: _ClassVar[int]
    FORM_FIELD_NUMBER: _ClassVar[int]
    ONE_OF_FIELD_NUMBER: _ClassVar[int]
    PATTERN_FIELD_NUMBER: _ClassVar[int]
    min: int
    max: int
    min_len: int
    max_len: int
    form: TextForm
    one_of: _containers.RepeatedScalarFieldContainer[str]
    pattern: str
    def __init__(self, min: _Optional[int] = ..., max: _Optional[int] = ..., min_len: _Optional[int] = ..., max_len: _Optional[int] = ..., form: _Optional[_Union[TextForm, str]] = ..., one_of: _Optional[_Iterable[str]] = ..., pattern: _Optional[str] = ...) -> None: ...
