"""The plugin kit's fixtures (own folder, state, keyring and CLI for every test), and the plugin
registered for each test: whether or not it is installed too, through its entry point."""

import pytest
from careersync.api import registered

import careersync_markdown

pytest_plugins = ["careersync.testing"]


@pytest.fixture(autouse=True)
def markdown_plugin():
    with registered(careersync_markdown, "markdown"):
        yield
