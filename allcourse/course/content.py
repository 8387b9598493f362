"""Loading YAML content files into pydantic models with messages people can act on.

Every content file (course map, references, glossary, question banks) goes through
`load_model`, so a broken file always reports `file: item-id: field: message` and
never a traceback.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pickle
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any, TypeVar

import pydantic
from pydantic import BaseModel, ConfigDict, ValidationError

M = TypeVar("M", bound=BaseModel)
T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    file: str
    item: str
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.item}: {self.field}: {self.message}"


class ContentError(Exception):
    """A content file could not be used; `problems` says exactly where and why."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))


class StrictModel(BaseModel):
    """Base of a content file's models: a field the model does not know is an error (a
    misspelt key gets a message instead of being ignored), and loaded content is frozen."""

    # defer_build: a page's kernel builds the validators of the models it uses only
    # (measured in a page's kernel: about 1 MB less).
    model_config = ConfigDict(extra="forbid", frozen=True, defer_build=True)


def display_path(path: Path | str) -> str:
    """A path relative to the working directory when possible, for short messages."""
    p = Path(path)
    try:
        return str(p.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(p)


# Parsed content is kept as JSON next to the checkout, named by a hash of the YAML text:
# every course page reads the course map, references and every bank, and PyYAML's
# constructor is most of a page's start-up; json.loads is about ten times faster. A
# changed file has a new hash, so nothing stale is ever read; anything unusual (no
# write access, a damaged cache file, YAML values JSON cannot hold) falls back to YAML.
# Validated models of self-contained files are kept there too, pickled (`load_model`).
CACHE_DIR = (
    Path(os.environ.get("ALLCOURSE_CACHE_DIR") or Path(__file__).resolve().parents[2] / ".cache")
    / "content"
)


def _cache_file(path: Path, raw: bytes) -> Path:
    return CACHE_DIR / f"{path.stem}-{hashlib.sha256(raw).hexdigest()[:32]}.json"


def _read_cache(cached: Path) -> Any:
    try:
        return json.loads(cached.read_bytes())
    except (OSError, ValueError):
        return None  # no cache yet, or a damaged one: parse the YAML


def write_atomic(path: Path, data: bytes, mode: int) -> None:
    """Write `path` whole: a reader (another kernel, the dashboard) sees the old file or the
    new one, never half of one. `mode`: the file's permission bits, whatever the umask.
    Raises OSError; no temporary file is left behind."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


def _write_cache_file(cached: Path, data: bytes) -> None:
    """Store a cache file and remove the older versions of the same file; a read-only
    checkout just goes without a cache."""
    try:
        CACHE_DIR.mkdir(parents=True, exist_ok=True)
        # 0644: _read_validated reads no file that others may write.
        write_atomic(cached, data, 0o644)
        for old in CACHE_DIR.glob(f"{cached.name.rsplit('-', 1)[0]}-*{cached.suffix}"):
            if old != cached:
                old.unlink(missing_ok=True)
    except OSError:
        pass


def _write_cache(cached: Path, data: Any) -> None:
    try:
        text = json.dumps(data, ensure_ascii=False)
    except (TypeError, ValueError):
        return  # dates and the like: YAML next time too
    if json.loads(text) == data:  # not, e.g., with integer keys: JSON would change the data
        _write_cache_file(cached, text.encode("utf-8"))


def read_yaml(path: Path | str) -> Any:
    """Parse a YAML file; raise ContentError (not a YAML traceback) when it cannot be read.

    Returns what `yaml.safe_load` returns (dicts, lists, strings, numbers, booleans, None,
    dates), from the JSON cache when the same text was parsed before."""
    name = display_path(path)
    try:
        raw = Path(path).read_bytes()
        text = raw.decode("utf-8")
    except FileNotFoundError:
        raise ContentError([Problem(name, "-", "-", "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ContentError([Problem(name, "-", "-", f"cannot read file: {exc}")]) from None
    cached = _cache_file(Path(path), raw)
    data = _read_cache(cached)
    if data is not None:
        return data
    import yaml  # only when the cache misses: a page whose content is cached never loads it

    try:
        # libyaml's safe loader when PyYAML was built with it: ~10x faster.
        data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError:
        pass
    else:
        _write_cache(cached, data)
        return data
    try:  # the pure-Python parser words its errors better: parse again to report
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        where = ""
        mark = getattr(exc, "problem_mark", None)
        if mark is not None:
            where = f"line {mark.line + 1}, column {mark.column + 1}: "
        problem = getattr(exc, "problem", None) or str(exc)
        raise ContentError([Problem(name, "-", "-", f"not valid YAML: {where}{problem}")]) from None


def _item_and_field(data: Any, loc: tuple[Any, ...]) -> tuple[str, str]:
    """Turn a pydantic error location into (object id, dotted field path).

    The object is the innermost question (a dict with `id` and `type`) on the path, else
    the outermost object with an `id` (a module, a reference, a case study).
    """
    node = data
    path: list[Any] = []
    found: list[tuple[int, dict, bool]] = []  # (index in path, node, is_item)
    for part in loc:
        if isinstance(node, dict) and part not in node and node.get("type") == part:
            continue  # the tag of a tagged union: not a field an author wrote
        try:
            node = node[part]
        except (KeyError, IndexError, TypeError):
            path.append(part)
            node = None
            continue
        path.append(part)
        if isinstance(node, dict) and isinstance(node.get("id"), str | int):
            found.append((len(path), node, "type" in node))
    items = [f for f in found if f[2]]
    chosen = items[-1] if items else (found[0] if found else None)
    if chosen is None:
        return "-", ".".join(str(p) for p in path) or "-"
    start, obj, _ = chosen
    return str(obj["id"]), ".".join(str(p) for p in path[start:]) or "-"


def problems_from_validation(file: str, data: Any, error: ValidationError) -> list[Problem]:
    problems = []
    for err in error.errors():
        loc = tuple(p for p in err["loc"] if not (isinstance(p, str) and p.startswith("function-")))
        # Tagged unions add the tag to the location; it says nothing to an author.
        loc = tuple(p for p in loc if not (isinstance(p, str) and p.endswith("]") and "[" in p))
        item, field = _item_and_field(data, loc)
        msg = err["msg"]
        if msg.startswith("Value error, "):
            msg = msg[len("Value error, ") :]
        problems.append(Problem(file, item, field, msg))
    return problems


def load_model(model: type[M], path: Path | str, *, cache: bool = False) -> M:
    """Read a YAML file and validate it into `model`; raise ContentError on any problem.

    `cache=True` (only for a model whose validation reads nothing but this file) keeps the
    validated model in the content cache: a page's kernel then unpickles it instead of
    building pydantic validators (measured for two banks, the course map and the references:
    10-17 ms of CPU instead of 63-77 ms, and about 1 MB less in a page's kernel)."""
    cached = _validated_file(model, Path(path)) if cache else None
    if cached is not None:
        found = _read_validated(cached, model)
        if found is not None:
            return found
    name = display_path(path)
    data = read_yaml(path)
    if data is None:
        raise ContentError([Problem(name, "-", "-", "file is empty")])
    try:
        loaded = model.model_validate(data, context={"file": name})
    except ValidationError as exc:
        raise ContentError(problems_from_validation(name, data, exc)) from None
    if cached is not None:
        _write_cache_file(cached, pickle.dumps(loaded, protocol=pickle.HIGHEST_PROTOCOL))
    return loaded


@cache
def _code_fingerprint() -> str:
    """A hash of the package's source and the Python and pydantic versions: a validated
    model pickled by other code (an update, another checkout) is never read back."""
    digest = hashlib.sha256(f"{sys.version}|{pydantic.VERSION}".encode())
    package = Path(__file__).resolve().parents[1]
    for source in sorted(package.rglob("*.py")):
        digest.update(source.read_bytes())
    return digest.hexdigest()


def _validated_file(model: type, path: Path, prefix: str = "") -> Path | None:
    try:
        raw = path.read_bytes()
    except OSError:
        return None  # read_yaml reports it
    key = hashlib.sha256(raw)
    key.update(f"|{model.__module__}.{model.__qualname__}|{_code_fingerprint()}".encode())
    return CACHE_DIR / f"{prefix}{path.stem}-{key.hexdigest()[:32]}.pickle"


def _read_validated(cached: Path, model: type[T]) -> T | None:
    # Unpickling runs code: only a file this user wrote and no one else may change is read.
    try:
        info = cached.stat()
        if info.st_uid != os.getuid() or info.st_mode & 0o022:
            return None
        found = pickle.loads(cached.read_bytes())
    except Exception:  # noqa: BLE001 - missing, damaged or from other code: validate again
        return None
    return found if type(found) is model else None


def load_derived(kind: type[T], path: Path | str, compute: Callable[[], T]) -> T:
    """`compute()`, a `kind` worked out from the content file at `path` alone (e.g. a bank's
    item ids and maximum points), kept pickled in the content cache next to the validated
    file: a page's kernel reads the small result instead of loading the whole file. A
    changed file or package source is a new cache entry. Errors: whatever `compute` raises
    (e.g. ContentError); a result is only kept when `compute` returns one."""
    cached = _validated_file(kind, Path(path), prefix="derived.")
    if cached is not None:
        found = _read_validated(cached, kind)
        if found is not None:
            return found
    result = compute()
    if cached is not None:
        _write_cache_file(cached, pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL))
    return result
