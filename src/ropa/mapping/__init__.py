"""Column -> data category (fideslang-style dotted keys), by name and by value.

``build_data_map`` is what the audit, the CLI and the UNDECLARED-DATA rule use;
``normalise_email`` / ``normalise_phone`` are the join keys for rules and subject keys.
"""

from ropa.mapping.datamap import (
    DATA_MAP_COLUMNS,
    build_data_map,
    column_categories,
    declares,
    undeclared_columns,
)
from ropa.mapping.detectors import (
    EMAIL_PATTERN,
    HEALTH_PATTERN,
    health_terms,
    is_bank_account,
    is_email,
    is_fodselsnummer,
    is_ip,
    is_latitude,
    is_longitude,
    is_payment_card,
    is_phone,
    mentions_health,
    value_category,
)
from ropa.mapping.names import canonical_category, category_from_header
from ropa.mapping.normalise import normalise_email, normalise_phone

__all__ = [
    "DATA_MAP_COLUMNS",
    "EMAIL_PATTERN",
    "HEALTH_PATTERN",
    "build_data_map",
    "canonical_category",
    "category_from_header",
    "column_categories",
    "declares",
    "health_terms",
    "is_bank_account",
    "is_email",
    "is_fodselsnummer",
    "is_ip",
    "is_latitude",
    "is_longitude",
    "is_payment_card",
    "is_phone",
    "mentions_health",
    "normalise_email",
    "normalise_phone",
    "undeclared_columns",
    "value_category",
]
