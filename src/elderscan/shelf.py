"""`Shelf`: a list of pydantic models that keeps most of them as compressed JSON.

A judged page is ~0.5 MB of Python objects (its findings, ~170 on a portal page) and ~7 KB
once its JSON is deflated, which costs ~1 ms each way. A scan of thousands of pages held as
objects grows the scanner by gigabytes; shelved, by tens of megabytes.

Items put away with `shelve` are decoded when read. Reading one by index keeps the decoded
object in place, so `shelf[0].title = …` sticks; iterating decodes each in turn and keeps
none, so memory stays flat: an item changed while the loop held it is shelved again, changed,
when the loop moves on (its JSON is compared with what was shelved, so an unchanged item costs
a dump, not a compression).
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Iterable, Iterator, MutableSequence
from typing import Any, Generic, TypeVar, get_args, overload

from pydantic import BaseModel, GetCoreSchemaHandler
from pydantic_core import PydanticSerializationError, core_schema

M = TypeVar("M", bound=BaseModel)

LEVEL = 1
"""Deflate's fastest level: a corpus page's JSON (107 KB compact) shrinks ~15× at it."""


class Shelf(MutableSequence[M], Generic[M]):
    __slots__ = ("_entries", "_model")

    def __init__(self, model: type[M], items: Iterable[M] = ()) -> None:
        self._model = model
        self._entries: list[M | bytes] = list(items)

    @staticmethod
    def _dump(item: BaseModel) -> bytes:
        """The item's JSON behind a one-byte tag saying which parser reads it back."""
        try:
            return b"j" + item.model_dump_json().encode()
        except PydanticSerializationError:  # a lone surrogate (a JS string cut inside an emoji)
            text = json.dumps(item.model_dump(mode="json"))  # escaped: \udxxx reads back as-is
            return b"p" + text.encode()

    @staticmethod
    def _pack(dumped: bytes) -> bytes:
        return dumped[:1] + zlib.compress(dumped[1:], LEVEL)

    @staticmethod
    def freeze(item: BaseModel) -> bytes:
        return Shelf._pack(Shelf._dump(item))

    def shelve(self, item: M | bytes) -> None:
        """Append an item kept compressed (or a blob `freeze` made of one)."""
        self._entries.append(item if isinstance(item, bytes) else self.freeze(item))

    def reshelve(self, index: int, item: M) -> None:
        """Replace the item at `index`, kept compressed."""
        self._entries[index] = self.freeze(item)

    def peek(self, index: int) -> M:
        """The item at `index`, decoded without keeping it (as iterating does)."""
        return self._thaw(self._entries[index])

    def _thaw(self, entry: M | bytes) -> M:
        if not isinstance(entry, bytes):
            return entry
        return self._load(entry[:1] + zlib.decompress(entry[1:]))

    def _load(self, dumped: bytes) -> M:
        if dumped[:1] == b"p":  # pydantic's JSON parser refuses the escaped lone surrogate
            return self._model.model_validate(json.loads(dumped[1:]))
        return self._model.model_validate_json(dumped[1:])

    def __len__(self) -> int:
        return len(self._entries)

    @overload
    def __getitem__(self, index: int) -> M: ...
    @overload
    def __getitem__(self, index: slice) -> list[M]: ...

    def __getitem__(self, index: int | slice) -> M | list[M]:
        if isinstance(index, slice):
            return [self[i] for i in range(*index.indices(len(self)))]
        item = self._thaw(self._entries[index])
        self._entries[index] = item
        return item

    @overload
    def __setitem__(self, index: int, value: M) -> None: ...
    @overload
    def __setitem__(self, index: slice, value: Iterable[M]) -> None: ...

    def __setitem__(self, index: int | slice, value: Any) -> None:
        if isinstance(index, slice):
            self._entries[index] = list(value)
        else:
            self._entries[index] = value

    def __delitem__(self, index: int | slice) -> None:
        del self._entries[index]

    def insert(self, index: int, value: M) -> None:
        self._entries.insert(index, value)

    def __iter__(self) -> Iterator[M]:
        index = 0
        while index < len(self._entries):
            entry = self._entries[index]
            if not isinstance(entry, bytes):
                yield entry
            else:
                dumped = entry[:1] + zlib.decompress(entry[1:])
                item = self._load(dumped)
                try:
                    yield item
                finally:  # also when the loop breaks on this item
                    self._keep_changes(index, entry, dumped, item)
            index += 1

    def _keep_changes(self, index: int, entry: bytes, dumped: bytes, item: M) -> None:
        if index < len(self._entries) and self._entries[index] is entry:
            now = self._dump(item)
            if now != dumped:
                self._entries[index] = self._pack(now)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Shelf | list):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other,
                                                                          strict=True))
        return NotImplemented

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        frozen = sum(isinstance(e, bytes) for e in self._entries)
        return f"Shelf[{self._model.__name__}]({len(self)} items, {frozen} shelved)"

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any,
                                     handler: GetCoreSchemaHandler) -> core_schema.CoreSchema:
        """A field typed `Shelf[Model]` takes a shelf as it is or a list (validated as
        `list[Model]`), and dumps as that list."""
        (model,) = get_args(source)
        as_list = handler.generate_schema(list[model])  # type: ignore[valid-type]
        from_list = core_schema.chain_schema([
            as_list, core_schema.no_info_plain_validator_function(lambda v: cls(model, v))])
        return core_schema.json_or_python_schema(
            json_schema=from_list,
            python_schema=core_schema.union_schema(
                [core_schema.is_instance_schema(cls), from_list]),
            serialization=core_schema.plain_serializer_function_ser_schema(
                list, return_schema=as_list),
        )
