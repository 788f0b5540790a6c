"""The data-risk shapes prefactor-http 0.4.3 exported: the `data_risk` of a span type.

Like the other 0.4.3 shapes (`prefactor_http.models.compat`), each is a
read-only `Mapping` of its JSON form, so it goes wherever a dict does, and
has `model_dump()`. Every level starts at "unknown", as in 0.4.3; a value
outside the allowed ones is refused with a `ValueError` when the shape is built.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Literal, get_args

import attrs

from prefactor_http.models.compat import _Shape

__all__ = ["ActionProfile", "DataCategories", "DataRisk"]

Permission = Literal["unknown", "allowed", "disallowed"]
Inclusion = Literal["unknown", "included", "excluded"]
Classification = Literal["unknown", "public", "internal", "confidential", "restricted", "secret"]


# Each level defaults to "unknown"; a value outside its Literal is a ValueError.
_PERMISSION = attrs.validators.in_(get_args(Permission))
_INCLUSION = attrs.validators.in_(get_args(Inclusion))
_CLASSIFICATION = attrs.validators.in_(get_args(Classification))


@attrs.define(kw_only=True, eq=True)
class ActionProfile(_Shape):
    """What the agent's actions may do to data and the outside world.

    Attributes:
        create_data: Whether actions may create data: `unknown`, `allowed` or `disallowed`.
        read_data: Whether actions may read data: `unknown`, `allowed` or `disallowed`.
        update_data: Whether actions may update data: `unknown`, `allowed` or `disallowed`.
        destroy_data: Whether actions may destroy data: `unknown`, `allowed` or `disallowed`.
        financial_transactions: Whether actions may make financial transactions: `unknown`,
            `allowed` or `disallowed`.
        external_communication: Whether actions may communicate outside the system: `unknown`,
            `allowed` or `disallowed`.
    """

    create_data: Permission = attrs.field(default="unknown", validator=_PERMISSION)
    read_data: Permission = attrs.field(default="unknown", validator=_PERMISSION)
    update_data: Permission = attrs.field(default="unknown", validator=_PERMISSION)
    destroy_data: Permission = attrs.field(default="unknown", validator=_PERMISSION)
    financial_transactions: Permission = attrs.field(default="unknown", validator=_PERMISSION)
    external_communication: Permission = attrs.field(default="unknown", validator=_PERMISSION)


@attrs.define(kw_only=True, eq=True)
class DataCategories(_Shape):
    """Which kinds of data a span's params or result hold, and how sensitive they are.

    Attributes:
        personal_identifiers: Whether it holds personal identifiers: `unknown`, `included` or
            `excluded`.
        contact_information: Whether it holds contact information: `unknown`, `included` or
            `excluded`.
        financial_information: Whether it holds financial information: `unknown`, `included` or
            `excluded`.
        health_and_medical: Whether it holds health and medical data: `unknown`, `included` or
            `excluded`.
        criminal_justice: Whether it holds criminal justice data: `unknown`, `included` or
            `excluded`.
        authentication_and_secrets: Whether it holds credentials and secrets: `unknown`,
            `included` or `excluded`.
        organisational_confidential: Whether it holds an organisation's confidential data:
            `unknown`, `included` or `excluded`.
        minors_data: Whether it holds data about minors: `unknown`, `included` or `excluded`.
        location_and_tracking: Whether it holds location and tracking data: `unknown`,
            `included` or `excluded`.
        behavioural_and_inferred: Whether it holds behavioural and inferred data: `unknown`,
            `included` or `excluded`.
        gdpr_racial_or_ethnic_origin: Whether it holds racial or ethnic origin (a GDPR special
            category): `unknown`, `included` or `excluded`.
        gdpr_political_opinions: Whether it holds political opinions (GDPR): `unknown`,
            `included` or `excluded`.
        gdpr_religious_or_philosophical_beliefs: Whether it holds religious or philosophical
            beliefs (GDPR): `unknown`, `included` or `excluded`.
        gdpr_trade_union_membership: Whether it holds trade union membership (GDPR): `unknown`,
            `included` or `excluded`.
        gdpr_genetic_data: Whether it holds genetic data (GDPR): `unknown`, `included` or
            `excluded`.
        gdpr_biometric_for_identification: Whether it holds biometric data for identification
            (GDPR): `unknown`, `included` or `excluded`.
        gdpr_sex_life_or_sexual_orientation: Whether it holds sex life or sexual orientation
            (GDPR): `unknown`, `included` or `excluded`.
        classification: How sensitive it is: `unknown`, `public`, `internal`, `confidential`,
            `restricted` or `secret`.
    """

    personal_identifiers: Inclusion = attrs.field(default="unknown", validator=_INCLUSION)
    contact_information: Inclusion = attrs.field(default="unknown", validator=_INCLUSION)
    financial_information: Inclusion = attrs.field(default="unknown", validator=_INCLUSION)
    health_and_medical: Inclusion = attrs.field(default="unknown", validator=_INCLUSION)
    criminal_justice: Inclusion = attrs.field(default="unknown", validator=_INCLUSION)
    authentication_and_secrets: Inclusion = attrs.field(default="unknown", validator=_INCLUSION)
    organisational_confidential: Inclusion = attrs.field(default="unknown", validator=_INCLUSION)
    minors_data: Inclusion = attrs.field(default="unknown", validator=_INCLUSION)
    location_and_tracking: Inclusion = attrs.field(default="unknown", validator=_INCLUSION)
    behavioural_and_inferred: Inclusion = attrs.field(default="unknown", validator=_INCLUSION)
    gdpr_racial_or_ethnic_origin: Inclusion = attrs.field(default="unknown", validator=_INCLUSION)
    gdpr_political_opinions: Inclusion = attrs.field(default="unknown", validator=_INCLUSION)
    gdpr_religious_or_philosophical_beliefs: Inclusion = attrs.field(
        default="unknown", validator=_INCLUSION
    )
    gdpr_trade_union_membership: Inclusion = attrs.field(default="unknown", validator=_INCLUSION)
    gdpr_genetic_data: Inclusion = attrs.field(default="unknown", validator=_INCLUSION)
    gdpr_biometric_for_identification: Inclusion = attrs.field(
        default="unknown", validator=_INCLUSION
    )
    gdpr_sex_life_or_sexual_orientation: Inclusion = attrs.field(
        default="unknown", validator=_INCLUSION
    )
    classification: Classification = attrs.field(default="unknown", validator=_CLASSIFICATION)


@attrs.define(kw_only=True, eq=True)
class DataRisk(_Shape):
    """A span type's data risk: its action profile and the data in its params and result.

    Attributes:
        action_profile: What the actions may do (`ActionProfile` or its dict).
        params_data_categories: The data in a span's params (`DataCategories` or its dict).
        result_data_categories: The data in a span's result (`DataCategories` or its dict).
    """

    action_profile: ActionProfile | Mapping[str, Any]
    params_data_categories: DataCategories | Mapping[str, Any]
    result_data_categories: DataCategories | Mapping[str, Any]
