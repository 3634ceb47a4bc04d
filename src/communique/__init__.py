"""communique: political event data and attributed quotes from news, offline.

The library API is what the CLI and HTTP API are thin shells over::

    from communique import Coder, read_path
    coder = Coder.load()
    for item in read_path("examples/articles"):
        coded = coder.code(item.article)

See README.md for the pipeline stages and the data model (`communique.model`).
"""

__version__ = "0.1.0"
