"""Errors with stable codes, so users and tests can tell failures apart.

Library code raises these; only the CLI turns them into messages and exit codes.
Codes: E0xx data files and configuration, E1xx reading input, E2xx NLP, E3xx store,
E4xx engines (worker processes, Dask), E5xx evaluation.
"""

from __future__ import annotations

from typing import Any


class CommuniqueError(Exception):
    """Base class of every error communique raises; `code` is a stable identifier like 'E101'."""

    code = "E000"

    def __init__(self, message: str, *, item: str | None = None) -> None:
        self.item = item
        self.message = message
        super().__init__(f"[{self.code}] {item + ': ' if item else ''}{message}")

    def __reduce__(self) -> tuple[Any, ...]:
        """Pickle by message and item, so an error raised in a worker process arrives unchanged."""
        return (_rebuild, (type(self), self.message, self.item))


def _rebuild(cls: type[CommuniqueError], message: str, item: str | None) -> CommuniqueError:
    return cls(message, item=item)


class DataFileError(CommuniqueError):
    """A packaged or user-supplied data file is missing or malformed."""

    code = "E010"


class ModelNotFoundError(CommuniqueError):
    """No spaCy English pipeline is installed under the requested name."""

    code = "E020"


class InputError(CommuniqueError):
    """An input item cannot be read or is not an article we can code."""

    code = "E100"


class EmptyInputError(InputError):
    code = "E101"


class BinaryInputError(InputError):
    code = "E102"


class EncodingError(InputError):
    code = "E103"


class TooLargeError(InputError):
    code = "E104"


class MalformedInputError(InputError):
    """Malformed JSON Lines, HTML or feed."""

    code = "E105"


class FetchError(InputError):
    """A URL could not be fetched."""

    code = "E106"


class NoArticleTextError(InputError):
    """A page or entry had no article text to code."""

    code = "E107"


class NotEnglishError(InputError):
    """The text is not English; communique's rules are English only."""

    code = "E108"


class BlockedAddressError(FetchError):
    """A URL's host is (or redirects to) a loopback, private, link-local, multicast or reserved address.

    It keeps E106 (the URL was not fetched); the message names the address and why it was refused.
    """


class FetchTimeoutError(FetchError):
    """A URL's download did not finish before its deadline."""

    code = "E109"


class TextTooLongError(InputError):
    """An article's text is longer than the coder takes as one article (`pipeline.MAX_ARTICLE_CHARS`)."""

    code = "E110"


class CodingError(CommuniqueError):
    """A stage of the pipeline raised an unexpected exception on one article (the message names the stage)."""

    code = "E200"


class ServeError(CommuniqueError):
    """The HTTP server cannot start (its address is in use or not allowed)."""

    code = "E030"


class StoreError(CommuniqueError):
    """The DuckDB store cannot be opened or written."""

    code = "E300"


class EvalDataError(CommuniqueError):
    """Gold data for an evaluation is missing or malformed."""

    code = "E050"


class EngineError(CommuniqueError):
    """A worker process or the cluster failed (crashed, was killed, or cannot be reached)."""

    code = "E400"
