"""Read YAML or JSON input files safely, turning every failure into a located ``InputError``.

Every input file of every command (request files, worlds, CloudTrail files, session policies,
lint inputs) is read here, so the guards live in one place:

- only regular files, or ``-`` for standard input: FIFOs, devices and sockets are refused
  before they are opened (a FIFO would block, ``/dev/zero`` never ends), and the byte cap is
  enforced while reading, not trusted from the file's size;
- text must be UTF-8: an invalid byte is reported with its line, column and offset;
- integer literals longer than Python converts (4,300 digits) are a located error;
- nesting deeper than ``MAX_DEPTH`` is a located error, not a ``RecursionError``;
- a key written twice in one object or mapping is a located error (``refuse_repeated_keys``),
  not the later value read silently (``lint`` asks to keep it, and reports it);
- a lone UTF-16 surrogate (JSON's ``\\ud800`` escape, YAML's ``"\\ud800"``) is a located
  error (``refuse_lone_surrogates``): it is not Unicode, and no output could be written with it;
- YAML keeps dates as strings (a condition value such as ``2026-01-01T00:00:00Z`` must stay
  text), builds only JSON's types, and allows anchors and aliases within an expansion budget:
  a few lines of nested aliases (a "billion laughs") would otherwise expand into gigabytes.
"""

from __future__ import annotations

import json
import os
import re
import stat
import sys
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

import yaml

from backup_access.errors import InputError

MAX_INPUT_BYTES = 50_000_000
MAX_DEPTH = 100
MAX_INT_DIGITS = 4300  # CPython's default int/str conversion limit
MAX_ALIAS_EXPANSION = 1_000_000  # nodes that aliases may stand for, summed over a document
STDIN = "-"
_CHUNK = 1 << 20
_UTF8_BOM = b"\xef\xbb\xbf"
_DIGITS = re.compile(r"[0-9]+")  # one quantifier: linear
# An escape that may decode to a UTF-16 surrogate: JSON's ``\uD800``-``\uDFFF`` (a pair decodes
# to one character; a lone half does not), YAML's ``\u`` and ``\U`` (code points: a surrogate
# there is always an error). The text is searched for it first (about 25 ms for 32 MiB); the
# decoded value is walked only when it is found.
_SURROGATE_ESCAPE = re.compile(r"\\(?:u|U0000)[dD][89a-fA-F]")
_SURROGATE_PAIR = re.compile("[\ud800-\udbff][\udc00-\udfff]")


def _position(text: str, offset: int) -> str:
    """``line L, column C`` (1-based) of a character offset in ``text``."""
    line = text.count("\n", 0, offset) + 1
    column = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, column {column}"


class SafeLoader(yaml.SafeLoader):
    """SafeLoader without timestamps, with JSON's types only, bounded nesting and a budget
    for what aliases expand to.

    Composing counts every node, counting an alias as the whole (expanded) subtree it stands
    for; the sum over all aliases must stay within ``MAX_ALIAS_EXPANSION``. An alias to a node
    that contains it (a recursive structure) is refused.
    """

    def __init__(self, stream: Any) -> None:
        super().__init__(stream)
        self._depth = 0
        self._nodes = 0  # nodes composed so far, an alias counting as its expanded size
        self._expanded = 0  # nodes stood for by aliases so far
        self._sizes: dict[str, int] = {}  # anchor → expanded size of its node
        self._open: set[str] = set()  # anchors whose node is still being composed

    def check_printable(self, data: Any) -> None:
        """YAML's "unacceptable character", with the line and column it was found at."""
        try:
            super().check_printable(data)
        except yaml.reader.ReaderError as error:
            offset = int(error.position)
            line = data.count("\n", 0, offset)
            column = offset - (data.rfind("\n", 0, offset) + 1)
            raise yaml.MarkedYAMLError(
                problem=f"unacceptable character #x{error.character:04x} "
                "(control characters are not allowed)",
                problem_mark=yaml.Mark(str(error.name), offset, line, column, "", 0),
            ) from None

    def compose_node(self, parent: Any, index: Any) -> Any:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        if isinstance(event, yaml.AliasEvent):
            return self._alias(event, parent, index)
        if self._depth >= MAX_DEPTH and not isinstance(event, yaml.ScalarEvent):
            raise yaml.composer.ComposerError(
                None, None, f"nested deeper than {MAX_DEPTH} levels", event.start_mark
            )
        anchor = event.anchor
        start = self._nodes
        self._nodes += 1
        self._depth += 1
        if anchor is not None:
            self._open.add(anchor)
        try:
            node = super().compose_node(parent, index)
        finally:
            self._depth -= 1
        if anchor is not None:
            self._open.discard(anchor)
            self._sizes[anchor] = self._nodes - start
        return node

    def _alias(self, event: Any, parent: Any, index: Any) -> Any:
        anchor = str(event.anchor)
        if anchor in self._open:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"alias *{anchor} refers to a node that contains it (a recursive structure)",
                event.start_mark,
            )
        size = self._sizes.get(anchor, 1)
        self._expanded += size
        self._nodes += size
        if self._expanded > MAX_ALIAS_EXPANSION:
            raise yaml.composer.ComposerError(
                None,
                None,
                f"aliases expand to more than {MAX_ALIAS_EXPANSION:,} nodes "
                "(refused: an alias bomb, or a document too large to share this way)",
                event.start_mark,
            )
        return super().compose_node(parent, index)

    def construct_scalar(self, node: yaml.ScalarNode | yaml.MappingNode) -> Any:
        return joined_pairs(super().construct_scalar(node))

    def construct_yaml_int(self, node: yaml.ScalarNode) -> int:
        literal = str(node.value)
        if len(literal) > MAX_INT_DIGITS:
            raise yaml.constructor.ConstructorError(
                None,
                None,
                f"an integer of {len(literal):,} characters (at most {MAX_INT_DIGITS:,}; "
                "quote it to make it text)",
                node.start_mark,
            )
        value = int(super().construct_yaml_int(node))
        refuse_yaml_11_number(literal, value, node.start_mark)
        return value

    def construct_yaml_float(self, node: yaml.ScalarNode) -> float:
        value = float(super().construct_yaml_float(node))
        refuse_yaml_11_number(str(node.value), value, node.start_mark)
        return value

    def construct_unsupported(self, node: yaml.Node) -> Any:
        raise yaml.constructor.ConstructorError(
            None,
            None,
            f"the tag {str(node.tag).replace('tag:yaml.org,2002:', '!!')} is not supported "
            "here (JSON's types only)",
            node.start_mark,
        )

    refuse_repeated_keys = True

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        """A mapping; a key written twice in it is refused (``refuse_repeated_keys`` says
        why), ``<<`` included. Keys a merge (``<<: *anchor``) brings in may be overridden by
        the mapping's own keys: that is what a merge is for; two merges that bring in one key
        with different values are refused like a repeat."""
        if self.refuse_repeated_keys and isinstance(node, yaml.MappingNode):
            own = _own_keys(node)
            merged: list[yaml.Node] = []
            for key_node, value_node in node.value:
                if isinstance(key_node, yaml.ScalarNode) and key_node.tag == _MERGE_TAG:
                    sequence = isinstance(value_node, yaml.SequenceNode)
                    merged.extend(value_node.value if sequence else [value_node])
            _refuse_disagreeing_merges(merged, own)
        return super().construct_mapping(node, deep=deep)


_PLAIN_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)")


def refuse_yaml_11_number(literal: str, value: float, mark: yaml.Mark) -> None:
    """Refuse an unquoted number that YAML 1.1 (PyYAML) and YAML 1.2 read differently.

    PyYAML resolves plain scalars by YAML 1.1: ``012345670123`` is octal 1402433619,
    ``190:20:30`` is 685230, ``0x1F`` is 31 and ``1_000`` is 1000, where YAML 1.2 reads
    12345670123 or text. An account id with a leading zero would silently become another
    number: it, and every such form, must be quoted. Plain decimal integers and floats
    written without ``_`` or ``:`` read alike everywhere."""
    if isinstance(value, int) and _PLAIN_INT.fullmatch(literal):
        return
    if isinstance(value, float) and "_" not in literal and ":" not in literal:
        return
    form = _yaml_11_form(literal)
    account = ", so an account id would silently change" if "leading zero" in form else ""
    raise yaml.constructor.ConstructorError(
        None,
        None,
        f"the unquoted number {literal} is written {form}: this reader (YAML 1.1) takes it "
        f'as {value!r}, YAML 1.2 readers differently{account}; quote it ("{literal}")',
        mark,
    )


def _yaml_11_form(literal: str) -> str:
    digits = literal.lstrip("+-").lower()
    if "_" in digits:
        return "with '_' between digits"
    if ":" in digits:
        return "in base 60 (sexagesimal)"
    if digits.startswith("0x"):
        return "in hexadecimal"
    if digits.startswith("0b"):
        return "in binary"
    return "with a leading zero (octal)"


def _own_keys(node: yaml.MappingNode) -> set[tuple[str, str]]:
    """The keys a mapping writes itself (``<<`` among them), refusing one written twice."""
    seen: dict[tuple[str, str], yaml.Mark] = {}
    for key_node, _value in node.value:
        if not isinstance(key_node, yaml.ScalarNode):
            continue
        written = (str(key_node.tag), str(key_node.value))
        first = seen.setdefault(written, key_node.start_mark)
        if first is not key_node.start_mark:
            raise RepeatedYamlKey(str(key_node.value), first, key_node.start_mark)
    return set(seen)


def _refuse_disagreeing_merges(merged: list[yaml.Node], own: set[tuple[str, str]]) -> None:
    """Refuse a key that two merged mappings bring in with different value nodes and the
    mapping does not set itself: which one counts is a reader's choice (the YAML merge
    draft says the earlier, readers differ), the same undocumented choice as a repeat."""
    brought: dict[tuple[str, str], tuple[yaml.Node, yaml.Mark]] = {}
    for mapping in merged:
        if not isinstance(mapping, yaml.MappingNode):
            continue  # PyYAML refuses it itself
        for key_node, value_node in mapping.value:
            if not isinstance(key_node, yaml.ScalarNode) or key_node.tag == _MERGE_TAG:
                continue
            written = (str(key_node.tag), str(key_node.value))
            if written in own:
                continue
            first = brought.setdefault(written, (value_node, key_node.start_mark))
            if first[0] is not value_node:
                raise RepeatedYamlKey(
                    str(key_node.value), first[1], key_node.start_mark, merged=True
                )


class RepeatedYamlKey(yaml.YAMLError):
    """A key written twice in one YAML mapping, or brought in by two of its merges."""

    def __init__(self, key: str, first: yaml.Mark, again: yaml.Mark, *, merged: bool = False):
        super().__init__(key)
        self.key, self.first, self.again, self.merged = key, first, again, merged

    def __str__(self) -> str:
        how = "brought in by two merges (<<)" if self.merged else "written twice in one mapping"
        return (
            f"'{self.key}' is {how}, at line {self.first.line + 1}, column "
            f"{self.first.column + 1} and at line {self.again.line + 1}, column "
            f"{self.again.column + 1}: a reader keeps only one of the values and AWS does not "
            "document which one IAM keeps, so this tool does not guess; write the key once"
        )


class _KeepingLoader(SafeLoader):
    """``SafeLoader`` keeping the later value of a repeated key (``lint`` reports it)."""

    refuse_repeated_keys = False


_MERGE_TAG = "tag:yaml.org,2002:merge"

SafeLoader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
SafeLoader.add_constructor("tag:yaml.org,2002:int", SafeLoader.construct_yaml_int)
SafeLoader.add_constructor("tag:yaml.org,2002:float", SafeLoader.construct_yaml_float)
for _tag in ("binary", "timestamp", "set", "omap", "pairs"):
    SafeLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", SafeLoader.construct_unsupported)


def parse_text(
    text: str, *, source: str, json_only: bool = False, keep_repeated_keys: bool = False
) -> object:
    """Parse YAML (a superset of JSON) or, with ``json_only``, strict JSON.

    A key written twice in one object or mapping is an ``InputError`` naming where
    (``refuse_repeated_keys``); ``keep_repeated_keys`` keeps the later value instead, for
    ``lint``, which reports each one as a finding. A lone surrogate is an ``InputError``
    naming its pointer (``refuse_lone_surrogates``)."""
    if json_only:
        value = _parse_json(text, source, keep_repeated_keys)
    else:
        loader = SafeLoader if not keep_repeated_keys else _KeepingLoader
        try:
            value = yaml.load(text, Loader=loader)  # a SafeLoader subclass
        except (yaml.YAMLError, RecursionError) as error:
            raise yaml_input_error(error, source) from None
    refuse_lone_surrogates(text, value, source=source)
    return value


def _parse_json(text: str, source: str, keep_repeated_keys: bool) -> object:
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        raise InputError(
            f"invalid JSON at line {error.lineno}, column {error.colno}: {error.msg}",
            file=source,
        ) from None
    except RecursionError:
        raise _too_deep(text, source) from None
    except ValueError as error:  # an integer literal longer than Python converts
        raise _long_integer(text, source, error) from None
    shape = _shape(value)
    if shape.too_deep:
        raise _too_deep(text, source)
    if not keep_repeated_keys:
        refuse_repeated_keys(text, shape.keys, source=source)
    return value


@dataclass(frozen=True, slots=True)
class _Shape:
    too_deep: bool  # containers nest more than MAX_DEPTH levels
    keys: int  # the keys of every object, counted once each (a repeated key once)


def _shape(value: object) -> _Shape:
    """How deep containers nest (past ``MAX_DEPTH`` the walk stops) and how many keys the
    objects hold, without recursion."""
    keys = 0
    stack: list[tuple[dict[str, object] | list[object], int]] = []
    if isinstance(value, dict | list):
        stack.append((value, 1))
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict):
            keys += len(item)
            children: Iterable[object] = item.values()
        else:
            children = item
        for child in children:
            if isinstance(child, dict | list):
                if depth >= MAX_DEPTH:
                    return _Shape(True, keys)
                stack.append((child, depth + 1))
    return _Shape(False, keys)


# Where a key ends: a string, then a colon (``":`` counted by ``str.count``, the rare form with
# whitespace before the colon by this expression). Inside a string a quote is always escaped,
# so in valid JSON this counts every key, plus (rarely) an escaped quote before a colon.
_SPACED_KEY_ENDS = re.compile(r'"[ \t\n\r]+:')


def count_keys(value: object) -> int | None:
    """The keys of every object in a decoded JSON value; None when it nests deeper than
    ``MAX_DEPTH`` (what reads it refuses that)."""
    shape = _shape(value)
    return None if shape.too_deep else shape.keys


def refuse_repeated_keys(
    text: str,
    keys: int | None,
    *,
    source: str | None,
    pointer: str = "",
    error: type[InputError] = InputError,
) -> None:
    """Raise an ``InputError`` when valid JSON ``text``, whose decoded objects hold ``keys``
    keys, writes a key twice in one object. A decoder keeps one of the values (Python's the
    later) and silently drops the other; AWS does not document which one IAM keeps, so
    reading either could answer for a policy AWS does not enforce. Key ends are counted
    first (about 0.1 s for 32 MiB): only when they outnumber the decoded keys is the text
    walked to find the repeated key and where it is."""
    if keys is None or text.count('":') + len(_SPACED_KEY_ENDS.findall(text)) <= keys:
        return
    # The walker that records where every key is lives with lint, which needs it for
    # every file; only text that repeats a key (or quotes a colon) comes here.
    from backup_access.lint.positions import repeated_keys_in

    found = repeated_keys_in(text)
    if not found:
        return  # the extra key ends were escaped quotes inside strings
    first = found[0]
    where = f"line {first.earlier.line}, column {first.earlier.column}"
    raise error(
        f"'{first.key}' is written twice in one object (its first value is at {where}"
        f"{' of the text' if pointer else ''}): a reader keeps only one of the values and AWS "
        "does not document which one IAM keeps, so this tool does not guess; write the key "
        "once",
        pointer=pointer + first.pointer,
        file=source,
    )


def refuse_lone_surrogates(
    text: str,
    value: object,
    *,
    source: str | None,
    pointer: str = "",
    error: type[InputError] = InputError,
) -> None:
    """Raise an ``InputError`` at the pointer of the first key or string of ``value`` (decoded
    from ``text``) that holds a UTF-16 surrogate. The ``\\ud800`` escape without its other
    half (JSON's or YAML's, whose pairs ``joined_pairs`` reads as JSON does) decodes to a
    character that is not Unicode: it compares like any other, so it would be evaluated, and
    then fail every output that writes it. ``text`` is searched first (see
    ``_SURROGATE_ESCAPE``); a surrogate written as itself can only be in text that was not
    read from a file (``read_text`` refuses it as invalid UTF-8)."""
    if _SURROGATE_ESCAPE.search(text) is None and (text.isascii() or _is_unicode(text)):
        return
    found = _first_surrogate(value)
    if found is None:
        return
    where, string, index = found
    raise error(
        f"lone surrogate \\u{ord(string[index]):04x} is not valid Unicode (half of a UTF-16 "
        "pair without its other half: write the character itself)",
        pointer=pointer + where.encode("utf-8", "backslashreplace").decode("utf-8"),
        file=source,
    )


def joined_pairs(value: Any) -> Any:
    """A YAML string with each UTF-16 surrogate pair escape (``"\\ud83d\\ude00"``, which
    PyYAML keeps as two halves) read as the one character it stands for, as JSON reads it: a
    JSON file is YAML too, and is read as YAML when its name does not end in ``.json``. A lone
    half stays, for ``refuse_lone_surrogates``."""
    if type(value) is not str or value.isascii() or _is_unicode(value):
        return value
    return _SURROGATE_PAIR.sub(
        lambda pair: pair.group().encode("utf-16-le", "surrogatepass").decode("utf-16-le"), value
    )


def _is_unicode(text: str) -> bool:
    """Whether ``text`` holds no surrogate (it then encodes as UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _first_surrogate(value: object) -> tuple[str, str, int] | None:
    """The pointer, string and index of the first surrogate in ``value``'s keys and strings
    (in document order), without recursion."""
    stack: list[tuple[str, object]] = [("", value)]
    while stack:
        pointer, item = stack.pop()
        if isinstance(item, str):
            index = _surrogate_in(item)
            if index is not None:
                return pointer, item, index
        elif isinstance(item, dict):
            children: list[tuple[str, object]] = []
            for key, child in item.items():
                here = f"{pointer}/{_token(key)}"
                index = _surrogate_in(key) if isinstance(key, str) else None
                if index is not None:
                    return here, key, index
                children.append((here, child))
            stack.extend(reversed(children))
        elif isinstance(item, list):
            stack.extend(reversed([(f"{pointer}/{i}", child) for i, child in enumerate(item)]))
    return None


def _surrogate_in(string: str) -> int | None:
    """Where the first surrogate in ``string`` is, if any."""
    if string.isascii() or _is_unicode(string):
        return None
    return next(i for i, c in enumerate(string) if "\ud800" <= c <= "\udfff")


def _token(key: object) -> str:
    """One RFC 6901 token (``~`` and ``/`` escaped)."""
    return str(key).replace("~", "~0").replace("/", "~1")


def _too_deep(text: str, source: str) -> InputError:
    """Where JSON ``text`` first nests deeper than ``MAX_DEPTH`` (strings skipped)."""
    depth = 0
    in_string = escaped = False
    for offset, char in enumerate(text):
        if in_string:
            if escaped:
                escaped = False
            elif char == "\\":
                escaped = True
            elif char == '"':
                in_string = False
        elif char == '"':
            in_string = True
        elif char in "[{":
            depth += 1
            if depth > MAX_DEPTH:
                return InputError(
                    f"nested deeper than {MAX_DEPTH} levels at {_position(text, offset)}",
                    file=source,
                )
        elif char in "]}":
            depth -= 1
    return InputError(f"nested deeper than {MAX_DEPTH} levels", file=source)


def _long_integer(text: str, source: str, error: ValueError) -> InputError:
    """Python refuses to convert integers of more than 4,300 digits: say where one is."""
    for run in _DIGITS.finditer(text):
        if run.end() - run.start() > MAX_INT_DIGITS:
            return InputError(
                f"an integer of {run.end() - run.start():,} digits at "
                f"{_position(text, run.start())} (at most {MAX_INT_DIGITS:,}; "
                "quote it to make it text)",
                file=source,
            )
    return InputError(f"invalid JSON: {error}", file=source)


def yaml_input_error(error: Exception, source: str) -> InputError:
    """A YAML failure as an ``InputError`` naming the line and column."""
    if isinstance(error, RepeatedYamlKey):
        return InputError(str(error), file=source)
    if isinstance(error, yaml.MarkedYAMLError):
        mark = error.problem_mark or error.context_mark
        where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        problem = error.problem or error.context or "malformed YAML"
        return InputError(f"invalid YAML{where}: {problem}", file=source)
    if isinstance(error, RecursionError):
        return InputError(f"invalid YAML: nested deeper than {MAX_DEPTH} levels", file=source)
    return InputError(f"invalid YAML: {error}", file=source)


def load_document(path: str | Path) -> object:
    """Load one YAML or JSON file (JSON when the name ends in .json; ``-`` is stdin)."""
    file = Path(path)
    return parse_text(read_text(file), source=str(file), json_only=file.suffix.lower() == ".json")


def read_text(path: str | Path) -> str:
    """Read a UTF-8 input file (or ``-``, standard input) of bounded size; every failure is
    an ``InputError`` naming the file and, for a bad byte, where it is."""
    name = str(path)
    data = read_bytes(path)
    skip = len(_UTF8_BOM) if data.startswith(_UTF8_BOM) else 0
    try:
        return data[skip:].decode("utf-8")
    except UnicodeDecodeError as error:
        offset = skip + error.start
        line = data.count(b"\n", 0, offset) + 1
        column = offset - (data.rfind(b"\n", 0, offset) + 1) + 1
        raise InputError(
            f"not UTF-8 text: byte 0x{data[offset]:02x} at line {line}, column {column} "
            f"(byte offset {offset})",
            file=name,
        ) from None


def read_bytes(path: str | Path, *, limit: int = MAX_INPUT_BYTES) -> bytes:
    """The bytes of a regular file, or of standard input for ``-``, at most ``limit``.

    The file's type is checked with ``stat`` before it is opened (opening a FIFO blocks,
    opening some devices acts), again on the open descriptor, and the cap is enforced while
    reading: a device or ``/proc`` file may report any size.
    """
    name = str(path)
    if name == STDIN:
        stream = getattr(sys.stdin, "buffer", None)
        if stream is None:
            raise InputError("standard input is not available", file=name)
        return _read_capped(stream, name, limit)
    try:
        kind = _file_kind(os.stat(path).st_mode)
        if kind:
            raise InputError(f"is {kind}, expected a regular file", file=name)
        descriptor = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        with os.fdopen(descriptor, "rb") as stream:
            kind = _file_kind(os.fstat(stream.fileno()).st_mode)
            if kind:
                raise InputError(f"is {kind}, expected a regular file", file=name)
            return _read_capped(stream, name, limit)
    except FileNotFoundError:
        raise InputError("file not found", file=name) from None
    except NotADirectoryError:
        raise InputError(
            "file not found (a part of the path is not a directory)", file=name
        ) from None
    except OSError as error:
        raise InputError(f"cannot read: {error.strerror or error}", file=name) from None


def _file_kind(mode: int) -> str:
    """What a non-regular file is (empty for a regular file)."""
    if stat.S_ISREG(mode):
        return ""
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    return "not a regular file"


def _read_capped(stream: IO[bytes], name: str, limit: int) -> bytes:
    chunks: list[bytes] = []
    total = 0
    while True:
        try:
            chunk = stream.read(min(_CHUNK, limit + 1 - total))
        except BlockingIOError:
            raise InputError("would block: not a regular file", file=name) from None
        if not chunk:
            return b"".join(chunks)
        chunks.append(chunk)
        total += len(chunk)
        if total > limit:
            raise InputError(
                f"input is larger than {limit // 1_000_000} MB (stopped reading there)",
                file=name,
            )
