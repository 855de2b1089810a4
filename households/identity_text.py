"""Text that identifies a household or a person, as every write path stores it.

Two look-alike strings must not become two records. A household code typed with a
full-width digit ("ＣＮ-01-０００１", from a Chinese or Japanese input method) or
pasted with a zero-width space looks exactly like "CN-01-0001" on screen and on the
printed list, yet is a different string: the commune would get a second, identical
looking household. So codes are NFKC-normalised (full-width and other compatibility
forms become their plain letters and digits) and any invisible character is refused.

Names and addresses are shown to people and printed on certificates: a right-to-left
override (U+202E) or a control character would make them display differently from what
is stored. They are refused; every Vietnamese letter is accepted, whether typed
precomposed or as a letter followed by combining marks (macOS, some keyboards), and
stored composed (NFC) so that the same name is always the same string.

Pure functions: the forms' clean methods call them, and the register and phone imports
go through those forms.
"""

from __future__ import annotations

import unicodedata

from django.core.exceptions import ValidationError

# Control (Cc: tab, newline, NUL…), format (Cf: zero-width space/joiners, word joiner,
# byte-order mark, soft hyphen, bidi marks, overrides and isolates), line and paragraph
# separators, surrogates and private-use characters: none is visible, none belongs in
# a code or a name.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co"})


def hidden_character(text: str) -> str | None:
    """The first character of `text` that cannot be seen, as "U+200B", or None."""
    for char in text:
        if unicodedata.category(char) in HIDDEN_CATEGORIES:
            return f"U+{ord(char):04X}"
    return None


def normalise_code(value: str) -> str:
    """A typed code (household code, CCCD, BHYT number): NFKC, stripped; refused with
    a Vietnamese message when it holds an invisible character."""
    hidden = hidden_character(value)
    if hidden is not None:
        raise ValidationError(
            f"Mã có ký tự ẩn hoặc ký tự điều khiển ({hidden}), thường do dán từ nơi "
            "khác: xoá ô này và gõ lại bằng bàn phím.",
            code="hidden_character",
        )
    return unicodedata.normalize("NFKC", value).strip()


def clean_name(value: str) -> str:
    """A person-facing text (a name, a village name, an address): NFC, stripped;
    refused when it holds a control or direction-changing character."""
    hidden = hidden_character(value)
    if hidden is not None:
        raise ValidationError(
            f"Có ký tự điều khiển hoặc ký tự đổi chiều chữ ({hidden}) không nhìn thấy "
            "được (dấu tab, xuống dòng, ký tự ẩn khi dán từ nơi khác): xoá và gõ lại.",
            code="hidden_character",
        )
    return unicodedata.normalize("NFC", value).strip()
