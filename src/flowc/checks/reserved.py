"""Names the generated code cannot give to a spec's models, services, operations or package.

Plain data, read by ``flowc.checks.names``, which reports a match as FLW422.
Each table maps a Python name to what it would shadow; that text goes into
the diagnostic. The tables are small on purpose: a name is listed only when
the generated code (``templates/python/``, and a generated tree such as
``generated/signup/``) really uses it where the spec name would go, and no
module-qualified reference (``models.Request``) or alias can avoid the clash.
Whatever the generator makes safe by construction is not listed.

Why each set exists:

``MODEL_NAMES``
    The modules of models/ are written by datamodel-code-generator, which
    imports these names into each module that holds model classes. A model
    with one of these names shadows the import or is silently renamed (``BaseModel`` becomes
    ``BaseModelModel``), and ``models.<Name>`` elsewhere then points nowhere.
    Compared with the spec name as written and with its PascalCase class name.

``SERVICE_NAMES``
    A service that calls another keeps a client for it as the attribute
    ``self.<service_name>`` of its generated ``<Service>Base``. These names are
    already attributes of every base class, part of the API the person's
    subclass uses. Compared with the snake_case name.

``OPERATION_NAMES``
    Operations, local steps and signals become methods of the generated
    ``<Service>Base`` (and of ``<Service>Client``); a method with one of these
    names replaces an attribute the base class sets and the runtime reads.
    ``__init__`` and other dunders cannot arise: snake_case names never start
    with an underscore. Compared with the snake_case name.

``PACKAGE_NAMES``
    The generated package sits on ``sys.path`` next to the libraries its code
    imports (directly, or through FastAPI and pydantic) and next to its own
    ``tests`` folder and ``conftest.py``; a package with one of these names
    hides the library or the tests. The standard library's module names
    (``sys.stdlib_module_names``) are rejected as well, by the code that reads
    this table.
"""

from __future__ import annotations

MODEL_NAMES: dict[str, str] = {
    "BaseModel": "pydantic's BaseModel, the base of every generated model",
    "RootModel": "pydantic's RootModel, imported into the generated models/ modules",
    "Field": "pydantic's Field, used for every field with an alias or description",
    "ConfigDict": "pydantic's ConfigDict, used by every generated model",
    "AwareDatetime": "pydantic's AwareDatetime, the type of datetime fields",
    "EmailStr": "pydantic's EmailStr, the type of email fields",
    "AnyUrl": "pydantic's AnyUrl, the type of url fields",
    "UUID": "uuid.UUID, the type of uuid fields",
    "Decimal": "decimal.Decimal, the type of decimal fields",
    "Enum": "enum.Enum, the base of enum field types",
    "StrEnum": "enum.StrEnum, the base of enum field types",
    "Any": "typing.Any, imported into the generated models/ modules",
    "Literal": "typing.Literal, imported into the generated models/ modules",
    "date": "datetime.date, the type of date fields",
    "datetime": "datetime.datetime, imported for datetime fields",
}

SERVICE_NAMES: dict[str, str] = {
    "request_context": "the base class's request_context(), the caller's headers and credentials",
    "name": "the class attribute `name` of every generated service base class",
    "runtime": "the attribute `self.runtime` of every generated service base class",
    "events": "the attribute `self.events` (the service's publishers) of the generated base class",
    "subscribe_consumers": "the base class's subscribe_consumers(), which hands the bus its consumers",
}

OPERATION_NAMES: dict[str, str] = {
    "request_context": "the base class's request_context(), the caller's headers and credentials",
    "name": "the class attribute `name` of every generated service base class",
    "runtime": "the attribute `self.runtime` of every generated service base class",
    "events": "the attribute `self.events` (the service's publishers) of the generated base class",
    "subscribe_consumers": "the base class's subscribe_consumers(), which hands the bus its consumers",
}

PACKAGE_NAMES: dict[str, str] = {
    "fastapi": "the FastAPI library the generated app is built on",
    "starlette": "Starlette, which FastAPI is built on",
    "pydantic": "pydantic, which the generated models use",
    "pydantic_core": "pydantic-core, which pydantic imports",
    "email_validator": "email-validator, which pydantic imports for email fields",
    "typing_extensions": "typing-extensions, which pydantic and FastAPI import",
    "anyio": "AnyIO, which Starlette and httpx run on",
    "httpx": "httpx, the generated runtime's HTTP client",
    "stamina": "stamina, the generated runtime's retry library",
    "purgatory": "purgatory, the generated runtime's circuit breaker",
    "uvicorn": "uvicorn, which serves the generated app",
    "dbos": "DBOS, which runs the generated sagas",
    "faststream": "FastStream, the generated broker bindings",
    "nats": "nats-py, the NATS client FastStream uses",
    "redis": "redis-py, the Redis client FastStream uses",
    "aio_pika": "aio-pika, the RabbitMQ client FastStream uses",
    "aiokafka": "aiokafka, the Kafka client FastStream uses",
    "psycopg": "psycopg, the PostgreSQL driver of the inbox",
    "psycopg_pool": "psycopg-pool, the inbox's PostgreSQL connection pool",
    "typer": "typer, the generated operations CLI (python -m <package>)",
    "pytest": "pytest, which the generated tests import",
    "tests": "the generated tests folder, next to the package in the output folder",
    "conftest": "the generated conftest.py, next to the package in the output folder",
}
