"""The IR: frozen pydantic models that every stage after the frontends reads."""

from flowc.model.base import UNKNOWN, Node
from flowc.model.choreography import Choreography, EventRoute, RouteDirection
from flowc.model.document import (
    AntiPattern,
    Document,
    Link,
    Prose,
    Suppression,
    System,
)
from flowc.model.flows import (
    Block,
    ErrorCase,
    Flow,
    Message,
    MessageKind,
    Note,
    Participant,
    Section,
    SequenceItem,
    Transformation,
)
from flowc.model.models import Model, ModelField, ModelKind
from flowc.model.sagas import Saga, SagaEdge, SagaNode
from flowc.model.services import (
    DEFAULT_BUS,
    Service,
    ServiceKind,
    SyncArrow,
    SyncPolicy,
)
from flowc.model.types import Scalar, TypeRef, TypeSyntaxError, parse_type

__all__ = [
    "DEFAULT_BUS",
    "UNKNOWN",
    "AntiPattern",
    "Block",
    "Choreography",
    "Document",
    "ErrorCase",
    "EventRoute",
    "Flow",
    "Link",
    "Message",
    "MessageKind",
    "Model",
    "ModelField",
    "ModelKind",
    "Node",
    "Note",
    "Participant",
    "Prose",
    "RouteDirection",
    "Saga",
    "SagaEdge",
    "SagaNode",
    "Scalar",
    "Section",
    "SequenceItem",
    "Service",
    "ServiceKind",
    "Suppression",
    "SyncArrow",
    "SyncPolicy",
    "System",
    "Transformation",
    "TypeRef",
    "TypeSyntaxError",
    "parse_type",
]
