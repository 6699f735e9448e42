""" "Did you mean ...?": the known name closest to a mistaken one, fast on large sites.

`difflib.get_close_matches` compares the mistake with every choice: on a site of 5,000
pages, a broken link's hint took 0.4 s, and a site with a few hundred broken links built
eight times slower than a clean one. Here a long list of choices is first cut to the few
that share the most three-letter pieces with the mistake, and difflib picks among those.
"""

from __future__ import annotations

import heapq
import posixpath
from collections import Counter, defaultdict
from collections.abc import Iterable

# Up to this many choices, difflib compares the mistake with every one, as before.
COMPARE_ALL = 200
# Otherwise, the choices sharing the most pieces with the mistake that difflib compares.
SHORTLIST = 40
CUTOFF = 0.6  # difflib's: how alike a choice must be to be named at all


def _pieces(word: str) -> set[str]:
    padded = f"\0{word.lower()}\0"
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


class CloseWords:
    """Known words, and the ones closest to a given word (difflib's ratio, its cutoff, its
    order). Answers are kept: a mistake repeated on many pages is looked up once."""

    def __init__(self, words: Iterable[str]):
        self.words = list(dict.fromkeys(words))
        self._by_piece: dict[str, list[int]] | None = None
        self._piece_counts: list[int] = []
        self._answers: dict[tuple[str, int], list[str]] = {}

    def closest(self, word: str, n: int = 1) -> list[str]:
        key = (word, n)
        if key not in self._answers:
            import difflib  # only when a name is missed: not at every build's start

            self._answers[key] = difflib.get_close_matches(
                word, self.shortlist(word), n=n, cutoff=CUTOFF
            )
        return self._answers[key]

    def shortlist(self, word: str) -> list[str]:
        """The words difflib compares with `word`, in their order: all of a short list."""
        if len(self.words) <= COMPARE_ALL:
            return self.words
        if self._by_piece is None:
            by_piece: dict[str, list[int]] = defaultdict(list)
            for index, known in enumerate(self.words):
                pieces = _pieces(known)
                self._piece_counts.append(len(pieces))
                for piece in pieces:
                    by_piece[piece].append(index)
            self._by_piece = dict(by_piece)
        pieces = _pieces(word)
        shared: Counter[int] = Counter()
        for piece in pieces:
            shared.update(self._by_piece.get(piece, ()))
        # How alike the two sets of pieces are, as difflib's ratio is for the letters.
        counts, own = self._piece_counts, len(pieces)
        best = heapq.nlargest(
            SHORTLIST, shared, key=lambda index: shared[index] / (own + counts[index])
        )
        return [self.words[index] for index in sorted(best)]


class ClosePaths:
    """Known file paths, and the one a mistaken path most likely meant: a close name in
    the same folder, else the same name in another folder, else a close name anywhere;
    among several, the path most like the one written."""

    def __init__(self, paths: Iterable[str]):
        self.paths = paths  # sorted out at the first question: most builds ask none
        self.by_folder: dict[str, list[str]] = defaultdict(list)
        self.by_name: dict[str, list[str]] = defaultdict(list)
        self._names: CloseWords | None = None
        self._folders: dict[str, CloseWords] = {}
        self._answers: dict[str, str | None] = {}

    def closest(self, path: str) -> str | None:
        if path not in self._answers:
            self._answers[path] = self._closest(path)
        return self._answers[path]

    def _closest(self, path: str) -> str | None:
        if self._names is None:
            for known in self.paths:
                folder, name = posixpath.split(known)
                self.by_folder[folder].append(name)
                self.by_name[name].append(known)
            self._names = CloseWords(self.by_name)
        folder, name = posixpath.split(path)
        if folder in self.by_folder:
            if folder not in self._folders:
                self._folders[folder] = CloseWords(self.by_folder[folder])
            close = self._folders[folder].closest(name)
            if close:
                return posixpath.join(folder, close[0])
        same = self.by_name.get(name)
        if same:
            return _most_like(path, same)
        close_names = self._names.closest(name, 3)
        candidates = [known for close in close_names for known in self.by_name[close]]
        return _most_like(path, candidates) if candidates else None


def _most_like(path: str, candidates: list[str]) -> str:
    """The candidate most like `path` (the first of equals), however little."""
    if len(candidates) == 1:
        return candidates[0]
    import difflib

    shortlist = CloseWords(candidates).shortlist(path)
    matcher = difflib.SequenceMatcher(b=path)
    best, best_ratio = shortlist[0], -1.0
    for candidate in shortlist:
        matcher.set_seq1(candidate)
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = candidate, ratio
    return best
