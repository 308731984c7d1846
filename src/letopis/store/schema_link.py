"""Tables of linking (migration 004_entities_links).

link_members     mention row id → its stable natural key (document name, type, first evidence offset)
link_events      event id → how many live mentions it had when linked: a difference marks it for re-linking
link_state       key/value: the last decision id linking has applied
event_decisions  which human decisions (``decisions`` rows) shaped which event, as linking resolved them
entities         people, organisations and places: kind and key (transliteration key or gazetteer id)
entity_events    entity ↔ event, with the role and the name as the event's sources wrote it (the alias)
"""
from sqlalchemy import Column, Index, Integer, String, Table, Text

from .schema import metadata

link_members = Table(
    "link_members", metadata,
    Column("mention_id", Integer, primary_key=True),
    Column("key", Text, nullable=False),
)
Index("ix_link_members_key", link_members.c.key)

link_events = Table(
    "link_events", metadata,
    Column("event_id", String(32), primary_key=True),
    Column("size", Integer, nullable=False),
)

link_state = Table(
    "link_state", metadata,
    Column("key", String(64), primary_key=True),
    Column("value", Text, nullable=False),
)

event_decisions = Table(
    "event_decisions", metadata,
    Column("event_id", String(32), nullable=False),
    Column("decision_id", Integer, nullable=False),
)
Index("ix_event_decisions_event", event_decisions.c.event_id)

entities = Table(
    "entities", metadata,
    Column("id", String(32), primary_key=True),          # ent-<hash of kind and key>
    Column("kind", String(16), nullable=False),          # person | organization | place
    Column("key", Text, nullable=False),                 # translit key, or geo:<geonameid> for places
)
Index("ix_entities_kind_key", entities.c.kind, entities.c.key)

entity_events = Table(
    "entity_events", metadata,
    Column("entity_id", String(32), nullable=False),
    Column("event_id", String(32), nullable=False),
    Column("role", String(16), nullable=False),          # an actor role, or "place"
    Column("alias", Text, nullable=False),               # the name as the sources wrote it
)
Index("ix_entity_events_entity", entity_events.c.entity_id)
Index("ix_entity_events_event", entity_events.c.event_id)
