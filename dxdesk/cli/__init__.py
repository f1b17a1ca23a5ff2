"""The ``dxdesk`` command: ``main`` builds the parser and runs one command; one module per group."""
