"""What the package's source marks for translation, and where it hands a user message over, read with ``ast``.

Reading the source instead of running ``makemessages`` keeps these checks free of GNU gettext,
which a machine running the suite may not have.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import openedx_learner_apis

PACKAGE_DIR = Path(openedx_learner_apis.__file__).parent

# The functions Django's makemessages extracts that this package uses, under the names it imports them as.
MARKERS = {"_", "gettext", "gettext_lazy", "ngettext", "ngettext_lazy"}

# Where a user message is passed positionally: the callable's name -> the argument positions.
USER_MESSAGE_POSITIONS = {
    "DeveloperError": (2,),
    "developer_error_response": (2,),
    "AccessResult": (3, 4),
    "_Invalid": (1,),
    "ImageValidationError": (0,),
    "UnsupportedImageTypeError": (0,),
}
USER_MESSAGE_KEYWORDS = {"user_message", "additional_context_user_message"}


def source_files() -> Iterator[Path]:
    yield from sorted(PACKAGE_DIR.rglob("*.py"))


def _name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def marked_strings() -> set[str]:
    """Every literal passed to a gettext function: the msgids a fresh extraction would hold."""
    found = set()
    for path in source_files():
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call) and _name(node.func) in MARKERS and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
    return found


def is_plain_text(node: ast.expr) -> bool:
    """A value that can only be untranslated text: a literal, an f-string, a sum or ``"...".format()``."""
    if isinstance(node, ast.Constant):
        return isinstance(node.value, str)
    if isinstance(node, (ast.JoinedStr, ast.BinOp)):
        return True
    return (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "format"
            and is_plain_text(node.func.value))


def user_message_sites() -> Iterator[tuple[str, ast.expr | None]]:
    """``(where, value)`` for every user message the source passes on; ``value`` is None where one is missing."""
    for path in source_files():
        relative = path.relative_to(PACKAGE_DIR)
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Call):
                name = _name(node.func)
                for position in USER_MESSAGE_POSITIONS.get(name, ()):
                    value = node.args[position] if len(node.args) > position else None
                    if value is None and any(k.arg in USER_MESSAGE_KEYWORDS for k in node.keywords):
                        continue
                    if value is None and name in ("DeveloperError", "developer_error_response", "AccessResult"):
                        continue  # these answer without a user message when given none
                    yield f"{relative}:{node.lineno} {name}", value
                for keyword in node.keywords:
                    if keyword.arg in USER_MESSAGE_KEYWORDS:
                        yield f"{relative}:{node.lineno} {name}({keyword.arg}=)", keyword.value
            elif isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values):
                    if isinstance(key, ast.Constant) and key.value in USER_MESSAGE_KEYWORDS:
                        yield f"{relative}:{node.lineno} dict", value
            elif isinstance(node, ast.Assign):
                for target in node.targets:
                    if isinstance(target, ast.Attribute) and target.attr in USER_MESSAGE_KEYWORDS:
                        yield f"{relative}:{node.lineno} .{target.attr}", node.value
