"""The commands of ``careersync``, each imported only when it runs (see ``careersync.cli``)."""
