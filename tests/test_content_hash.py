"""Content hashes stay what they were, so stored states need no migration."""

import dataclasses
import hashlib
import json

from hypothesis import given, settings
from hypothesis import strategies as st
from item_strategies import DAYS, items

from careersync.sync import content_hash


def hash_as_released(item, done, options) -> str:
    """content_hash as first released (``dataclasses.asdict``): the reference."""
    fields = {k: v for k, v in dataclasses.asdict(item).items() if k != "dates"}
    doc = {"item": fields, "done": sorted(done.items()), "options": options}
    blob = json.dumps(doc, sort_keys=True, default=str).encode()
    return hashlib.sha256(blob).hexdigest()[:32]


OPTIONS = st.dictionaries(
    st.text(max_size=8),
    st.none() | st.booleans() | st.integers() | st.text() | st.dictionaries(st.text(), st.text()),
    max_size=4,
)


@settings(max_examples=300, deadline=None)
@given(
    items(),
    st.dictionaries(st.text(max_size=30), DAYS, max_size=4),
    OPTIONS,
    st.lists(DAYS, max_size=3),
)
def test_content_hash_is_unchanged(item, done, options, dates):
    digest = content_hash(item, done, options)
    assert digest == hash_as_released(item, done, options)
    assert content_hash(dataclasses.replace(item, dates=tuple(dates)), done, options) == digest
