"""`docsite check`'s summary for a Retype project: which keys of its config and of its pages'
frontmatter docsite honours, and which it leaves out and why, so a team knows in one screen
what switching means. The warnings of the build say where; this says how much."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from docsite.config import read_config_document
from docsite.diagnostics import DiagnosticError, Report
from docsite.frontmatter import PAGE_SCHEMA, split_frontmatter
from docsite.reading import read_text
from docsite.retype_config import classify_keys
from docsite.schema import Mapping, Spec
from docsite.sources import discover
from docsite.yamldoc import load_yaml


@dataclass
class KeyCount:
    """How often a key is used, and why docsite leaves it out ("" when it honours it)."""

    key: str
    uses: int
    reason: str = ""


@dataclass
class Compatibility:
    """How much of a Retype project docsite honours: `docsite check`'s summary."""

    config_file: str
    config_keys: list[KeyCount] = field(default_factory=list)
    page_keys: list[KeyCount] = field(default_factory=list)
    pages: int = 0

    def lines(self) -> list[str]:
        """The summary as the command line prints it."""
        out = [f"Retype compatibility of {self.config_file}:"]
        out += _group(self.config_file, self.config_keys, "")
        out += _group(f"frontmatter of {self.pages} pages", self.page_keys, " page")
        return out


def _group(title: str, keys: list[KeyCount], unit: str) -> list[str]:
    ignored = [k for k in keys if k.reason]
    out = [
        f"  {title}: {len(keys)} keys used, {len(keys) - len(ignored)} honoured, "
        f"{len(ignored)} left out"
    ]
    for key in ignored:
        uses = f" ({key.uses}{unit}{'s' if key.uses != 1 else ''})" if unit else ""
        out.append(f"    {key.key}{uses}: {key.reason}")
    return out


def retype_compatibility(config_path: Path, content_dir: Path) -> Compatibility:
    """The summary for the Retype project whose config is `config_path`. Problems reading
    files are the build's to report: here they only leave a file out."""
    quiet = Report()
    doc = read_config_document(config_path, config_path.name)
    result = Compatibility(config_path.name)
    if isinstance(doc.data, dict):
        for key, reason in classify_keys(doc):
            result.config_keys.append(KeyCount(key, 1, reason))
    found = discover(content_dir, "", quiet)
    counts: Counter[str] = Counter()
    reasons: dict[str, str] = {}
    for source in found.pages:
        yaml_text = split_frontmatter(read_text(Path(source.os_path), source.rel), "", quiet)
        if yaml_text.yaml_text is None:
            continue
        result.pages += 1
        data = _load(yaml_text.yaml_text, source.rel)
        for key, reason in _page_keys(data, PAGE_SCHEMA, ()):
            counts[key] += 1
            reasons[key] = reason
    result.page_keys = [KeyCount(key, counts[key], reasons[key]) for key in sorted(counts)]
    return result


def _load(text: str, shown: str) -> Any:
    try:
        return load_yaml(text, shown).data
    except DiagnosticError:  # the build reports bad YAML with its position
        return None


def _page_keys(data: Any, spec: Spec, prefix: tuple[str, ...]) -> list[tuple[str, str]]:
    """(dotted key, reason it is left out or "") for each key the YAML uses, as deep as
    the schema has keys of its own."""
    if not isinstance(data, dict) or not isinstance(spec, Mapping):
        return []
    found: list[tuple[str, str]] = []
    for raw_key, value in data.items():
        key = str(raw_key)
        name = spec.aliases.get(key, key)
        path = (*prefix, key)
        inner = spec.fields.get(name)
        if inner is None:
            found.append((".".join(path), "not read by docsite"))
            continue
        deeper = _page_keys(value, inner, path)
        found.extend(deeper or [(".".join(path), "")])
    return found
