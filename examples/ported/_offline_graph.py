"""An offline stand-in for the Cora citation graph (for the graph programs).

:func:`write_cora` writes ``cora.content`` and ``cora.cites`` in Cora's
layout, which the programs read with ``np.genfromtxt``:

- ``cora.content``: one paper a line, tab-separated: its id, one 0/1 column
  per vocabulary word, its subject (one of Cora's seven);
- ``cora.cites``: one citation a line: the cited paper's id, the citing one's.

The graph is a planted partition: each subject has its own favourite words
(a paper uses about 18 words, most of them from its subject's list) and most
citations stay within a subject, so both the words and the neighbours say
what a paper is about, as in Cora. Sizes follow ``PORTED_DATA``: ``full`` is
Cora's (2,708 papers, 1,433 words, about 5,400 citations); ``small`` and
``tiny`` keep more than the 1,600 papers the programs hold out for testing
and validation.

Example:
    >>> import os, tempfile
    >>> os.environ["PORTED_DATA"] = "tiny"
    >>> folder = write_cora(os.path.join(tempfile.mkdtemp(), "cora"))
    >>> sorted(os.listdir(folder))
    ['cora.cites', 'cora.content']
    >>> first = open(os.path.join(folder, "cora.content")).readline().split("\\t")
    >>> len(first), first[-1].strip() in SUBJECTS
    (102, True)
"""

import os

import numpy as np

from _offline_data import _pick

__all__ = ["SUBJECTS", "write_cora"]

SUBJECTS = ("Case_Based", "Genetic_Algorithms", "Neural_Networks", "Probabilistic_Methods",
            "Reinforcement_Learning", "Rule_Learning", "Theory")


def write_cora(folder="cora"):
    """Write the two files of the Cora stand-in into ``folder``; return it."""
    papers, words = _pick(2708, 2000, 1700), _pick(1433, 500, 100)
    citations_per_paper, words_per_paper, same_subject = 2.0, 18, 0.8
    rng = np.random.default_rng(2708)
    subjects = rng.integers(0, len(SUBJECTS), size=papers)
    ids = rng.choice(np.arange(30, 1_200_000), size=papers, replace=False)

    # each subject favours its own slice of the vocabulary
    favourite = np.full((len(SUBJECTS), words), 0.3 / words)
    for subject, chosen in enumerate(np.array_split(rng.permutation(words), len(SUBJECTS))):
        favourite[subject, chosen] += 0.7 / len(chosen)
    features = np.zeros((papers, words), np.int32)
    for paper, subject in enumerate(subjects):
        count = max(1, rng.poisson(words_per_paper))
        used = rng.choice(words, size=min(count, words), replace=False, p=favourite[subject])
        features[paper, used] = 1

    members = [np.flatnonzero(subjects == subject) for subject in range(len(SUBJECTS))]
    citing = rng.integers(0, papers, size=int(papers * citations_per_paper))
    cited = rng.integers(0, papers, size=len(citing))
    stay = rng.random(len(citing)) < same_subject
    for index in np.flatnonzero(stay):
        group = members[subjects[citing[index]]]
        cited[index] = group[rng.integers(0, len(group))]
    keep = cited != citing

    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, "cora.content"), "w") as handle:
        for paper in range(papers):
            columns = [str(ids[paper])] + [str(v) for v in features[paper]]
            handle.write("\t".join(columns + [SUBJECTS[subjects[paper]]]) + "\n")
    with open(os.path.join(folder, "cora.cites"), "w") as handle:
        for source, target in zip(ids[cited[keep]], ids[citing[keep]]):
            handle.write(f"{source}\t{target}\n")
    return folder
