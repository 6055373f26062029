"""Plain text for readers: math without TeX, tidy spacing, the first sentence.

Standard library only, because both sides use it: the Sphinx extension on
the parsed definition (each math node's formula), and the command line, which
works without Sphinx, on the term file's source.  A formula becomes the text a
reader would say, e.g. ``\\text{precision} = \\frac{TP}{TP + FP}`` becomes
"precision = TP / (TP + FP)": no backslash, brace or dollar sign is left.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

#: Commands whose argument is shown as it is (text and font changes).
_TEXT_COMMANDS = frozenset(
    re.findall(
        r"\w+",
        "text textrm textit textbf textsf texttt mathrm mathit mathbf mathsf mathtt mathcal "
        "mathbb mathnormal operatorname mbox boldsymbol emph",
    )
)
_FRACTIONS = frozenset({"frac", "dfrac", "tfrac", "cfrac"})
#: Braces a reader sees (in a set, say), unlike TeX's, which only group.
LEFT_BRACE = "\N{MEDIUM LEFT CURLY BRACKET ORNAMENT}"
RIGHT_BRACE = "\N{MEDIUM RIGHT CURLY BRACKET ORNAMENT}"
#: Commands that stand for a character (or for nothing, like sizing commands).
_SYMBOLS: dict[str, str] = {
    **dict(
        zip(
            re.findall(
                r"\w+",
                "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi pi "
                "rho sigma tau upsilon phi chi psi omega",
            ),
            "αβγδεζηθικλμνξπρστυφχψω",
            strict=True,
        )
    ),
    **dict(
        zip(
            re.findall(r"\w+", "Gamma Delta Theta Lambda Xi Pi Sigma Upsilon Phi Psi Omega"),
            "ΓΔΘΛΞΠΣΥΦΨΩ",
            strict=True,
        )
    ),
    "varepsilon": "ε",
    "vartheta": "ϑ",
    "varphi": "φ",
    "cdot": "·",
    "times": "\N{MULTIPLICATION SIGN}",
    "div": "÷",
    "pm": "±",
    "mp": "∓",
    "leftarrow": "←",
    "gets": "←",
    "rightarrow": "→",
    "to": "→",
    "Rightarrow": "⇒",
    "Leftarrow": "⇐",
    "leftrightarrow": "↔",
    "mapsto": "↦",
    "nabla": "∇",
    "partial": "∂",
    "sum": "∑",
    "prod": "∏",
    "int": "∫",
    "infty": "∞",
    "leq": "≤",
    "le": "≤",
    "geq": "≥",
    "ge": "≥",
    "neq": "≠",
    "ne": "≠",
    "approx": "≈",
    "sim": "\N{TILDE OPERATOR}",
    "propto": "∝",
    "equiv": "≡",
    "in": "∈",
    "notin": "∉",  # codespell:ignore notin
    "subset": "⊂",
    "subseteq": "⊆",
    "cup": "\N{UNION}",
    "cap": "∩",
    "forall": "∀",
    "exists": "∃",
    "ldots": "…",
    "dots": "…",
    "cdots": "⋯",
    "lbrace": LEFT_BRACE,
    "rbrace": RIGHT_BRACE,
    "langle": "⟨",
    "rangle": "⟩",
    "lvert": "|",
    "rvert": "|",
    "mid": "|",
    "quad": " ",
    "qquad": " ",
    "left": "",
    "right": "",
    "big": "",
    "Big": "",
    "displaystyle": "",
    "limits": "",
}
#: Escaped single characters: spacing, and characters TeX reserves.
_ESCAPES = {
    ",": " ",
    ";": " ",
    ":": " ",
    " ": " ",
    "!": "",
    "{": LEFT_BRACE,
    "}": RIGHT_BRACE,
    "\\": " ",
}
_ESCAPES.update({c: c for c in "$%&#_|"})
_SUPERSCRIPTS = dict(zip("0123456789+-=()ni", "⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻⁼⁽⁾ⁿⁱ", strict=True))
_SUBSCRIPTS = dict(zip("0123456789+-=()aeoxijkn", "₀₁₂₃₄₅₆₇₈₉₊₋₌₍₎ₐₑₒₓᵢⱼₖₙ", strict=True))
#: How deep groups, scripts and fractions may nest before the rest reads as it is written:
#: real formulas nest a few levels; a hostile one must not exhaust Python's stack.
MAX_DEPTH = 50
_TOKEN = re.compile(r"\\([A-Za-z]+|.)|(\s+)|(.)", re.DOTALL)
_SIMPLE = re.compile(r"^[\w.·\N{PRIME}]+$")


def _tokens(tex: str) -> Iterator[tuple[str, str]]:
    """(kind, value): kind "cmd" (name without backslash), "space" or "char"."""
    for match in _TOKEN.finditer(tex):
        command, space, char = match.groups()
        if command is not None:
            yield "cmd", command
        elif space is not None:
            yield "space", " "
        else:
            yield "char", char


class _Reader:
    """A small recursive reader of TeX math: enough for formulas in definitions."""

    def __init__(self, tex: str) -> None:
        self.tokens = list(_tokens(tex))
        self.position = 0
        self.depth = 0

    def read(self, until: str | None = None) -> str:
        """Text of the tokens up to *until* (a closing brace) or the end."""
        parts: list[str] = []
        while self.position < len(self.tokens):
            kind, value = self.tokens[self.position]
            self.position += 1
            if kind == "char" and value == until:
                break
            parts.append(self.atom(kind, value))
        return "".join(parts)

    def argument(self) -> str:
        """The next argument: a braced group, or a single token."""
        while self.position < len(self.tokens) and self.tokens[self.position][0] == "space":
            self.position += 1
        if self.position >= len(self.tokens):
            return ""
        kind, value = self.tokens[self.position]
        self.position += 1
        if kind == "char" and value == "{":
            return self.read(until="}")
        return self.atom(kind, value)

    def atom(self, kind: str, value: str) -> str:
        if self.depth >= MAX_DEPTH:
            # Nested too deep: the token as written, with no group or argument read.
            return {"{": "", "}": ""}.get(value, value) if kind == "char" else value
        self.depth += 1
        try:
            return self._atom(kind, value)
        finally:
            self.depth -= 1

    def _atom(self, kind: str, value: str) -> str:
        if kind == "space":
            return " "
        if kind == "char":
            if value == "{":
                return self.read(until="}")
            if value in "^_":
                return _script(self.argument(), _SUPERSCRIPTS if value == "^" else _SUBSCRIPTS)
            return {"}": "", "~": " ", "$": ""}.get(value, value)
        if len(value) == 1 and not value.isalpha():
            return _ESCAPES.get(value, value)
        if value in _TEXT_COMMANDS:
            return self.argument()
        if value in _FRACTIONS:
            numerator, denominator = self.argument(), self.argument()
            return f"{_grouped(numerator)} / {_grouped(denominator)}"
        if value == "sqrt":
            return "√" + _grouped(self.argument())
        # Unknown commands (\log, \max, \exp) read as their name.
        return _SYMBOLS.get(value, value)


def _grouped(text: str) -> str:
    """*text* in parentheses unless it is a single name or number."""
    text = tidy(text)
    return text if _SIMPLE.match(text) else f"({text})"


def _script(text: str, table: dict[str, str]) -> str:
    text = tidy(text)
    if text and all(c in table for c in text):
        return "".join(table[c] for c in text)
    return ("^" if table is _SUPERSCRIPTS else "_") + _grouped(text)


def tex_to_text(tex: str) -> str:
    """A TeX formula as readable text: "\\frac{a}{b + c}" becomes "a / (b + c)"."""
    return tidy(_Reader(tex).read())


def tidy(text: str) -> str:
    """One space between words, none before closing punctuation or after "("."""
    text = " ".join(text.split())
    text = re.sub(r"\s+([.,;:!?)])", r"\1", text)
    return re.sub(r"\(\s+", "(", text)


#: A full stop, question or exclamation mark that ends a sentence (not "e.g.", "Dr.").
_SENTENCE_END = re.compile(r"(?<![A-Z][a-z]\.)(?<!\be\.g\.)(?<!\bi\.e\.)[.!?](\s|$)")


def first_sentence(text: str) -> str:
    """The text up to and including the first full stop that ends a sentence."""
    match = _SENTENCE_END.search(text)
    return text[: match.end()].strip() if match else text
