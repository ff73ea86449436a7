# Follows pytorch/examples word_language_model/data.py
# at commit 77f55b912142e11fcfdf5b530231fb9c52f181e8
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   import ndgrad.torch as torch
# Data: reads train.txt, valid.txt and test.txt from a folder; the runner
# writes the offline corpus of _offline_data there (wikitext-2's layout).
"""A word-level corpus: a vocabulary that grows as the files are read, and
each file as one long 1-D tensor of word ids, an ``<eos>`` ending each line."""
import os
from io import open

import ndgrad.torch as torch


class Dictionary(object):
    """Words to ids (``word2idx``) and back (``idx2word``)."""

    def __init__(self):
        self.word2idx = {}
        self.idx2word = []

    def add_word(self, word):
        """The id of ``word``, given a new one if it is new."""
        if word not in self.word2idx:
            self.word2idx[word] = len(self.idx2word)
            self.idx2word.append(word)
        return self.word2idx[word]

    def __len__(self):
        return len(self.idx2word)


class Corpus(object):
    """The three parts of a corpus folder, over one dictionary."""

    def __init__(self, path):
        self.dictionary = Dictionary()
        self.train = self.tokenize(os.path.join(path, 'train.txt'))
        self.valid = self.tokenize(os.path.join(path, 'valid.txt'))
        self.test = self.tokenize(os.path.join(path, 'test.txt'))

    def tokenize(self, path):
        """The ids of every word of the file, lines joined, as an int64 tensor."""
        assert os.path.exists(path), path
        per_line = []
        with open(path, 'r', encoding="utf8") as handle:
            for line in handle:
                ids = [self.dictionary.add_word(word) for word in line.split() + ['<eos>']]
                per_line.append(torch.tensor(ids).type(torch.int64))
        return torch.cat(per_line)
