"""What the runner and the tests know about one ported program: where it comes
from, how to run it, and how to read its loss and its final metric from its
output. The tables of programs are ``_programs_torch.py`` and
``_programs_keras.py``; ``_port_programs.PROGRAMS`` joins them.

Each program runs in a fresh working folder. ``prepare`` writes the offline
files the program reads there (a text corpus, an image folder, a ``results``
folder it saves into); ``run_args`` and ``test_args`` are the program's own
command-line options (the originals read their epochs and sizes from them);
``run_data``/``test_data`` are the ``PORTED_DATA`` sizes of ``_offline_data``;
``seed_option`` names the program's own seed option (``--seed``), which the
runner's ``--seeds`` varies together with the global generators' seed.
Programs without command-line options (the Keras ones) are sized by their data.
A test runs its program to the end, or, where ``test_losses`` is set (programs
with long fixed epoch counts), stops it once it has printed that many losses.

Example:
    >>> program = Program("demo", ("demo.py",), "pytorch/examples demo/main.py", "torch",
    ...                   "Linear", TORCH_LOSS, ("test loss", r"Test loss: " + NUMBER, False))
    >>> program.losses("Loss: 2.301\\nLoss: 1.5")
    [2.301, 1.5]
    >>> program.final_metric("Test loss: 0.25")
    0.25
"""

import os
import re
from dataclasses import dataclass, field

import _offline_data

__all__ = ["Program", "NUMBER", "TORCH_LOSS", "KERAS_LOSS", "MNIST_ACCURACY",
           "results_folder", "text_corpus", "bsds300_images"]

NUMBER = r"([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?)"
KERAS_LOSS = r"(?<![\w_])loss: " + NUMBER
TORCH_LOSS = r"Loss: " + NUMBER
MNIST_ACCURACY = ("test accuracy %", r"Accuracy: (\d+)/(\d+)", True)


@dataclass(frozen=True)
class Program:
    """One ported program (see the module docstring).

    ``metric`` is ``(name, regex, higher_is_better)``: the regex's first group
    read at its last match is the final metric; ``accuracy_of`` marks a regex
    with two groups, correct and total, turned into a percentage.
    """
    name: str
    files: tuple
    origin: str
    framework: str
    uses: str
    loss: str
    metric: tuple
    run_args: tuple = ()
    test_args: tuple = ()
    run_data: str = "small"
    test_data: str = "tiny"
    test_losses: object = None
    prepare: object = None
    accuracy_of: bool = False
    loss_skip: int = 0
    falls_below: object = None
    notes: str = ""
    extra_env: dict = field(default_factory=dict)
    seed_option: object = None

    def seeded_args(self, args, seed):
        """``args`` with the program's own seed option set to ``seed`` (added, or
        its value replaced); unchanged for a program that has none."""
        if self.seed_option is None:
            return tuple(args)
        args = list(args)
        if self.seed_option in args:
            args[args.index(self.seed_option) + 1] = str(seed)
            return tuple(args)
        return tuple(args) + (self.seed_option, str(seed))

    @property
    def main(self):
        return self.files[0]

    def losses(self, output):
        """Every training loss the program printed, in order."""
        return [float(value) for value in re.findall(self.loss, output)]

    def loss_falls(self, losses):
        """``(verdict, why)``: did the training losses of a test run fall?

        The mean of the second half of the losses (after ``loss_skip``) must be
        below the mean of the first half; a program that prints one loss when
        it has converged must print it below ``falls_below``.
        """
        losses = list(losses)[self.loss_skip:]
        if self.falls_below is not None:
            ok = bool(losses) and losses[-1] < self.falls_below
            return ok, f"last loss {losses[-1:]} vs {self.falls_below}"
        if len(losses) < 2:
            return False, f"only {len(losses)} loss(es) printed: {losses}"
        half = len(losses) // 2
        first, second = sum(losses[:half]) / half, sum(losses[half:]) / (len(losses) - half)
        return second < first, f"mean {first:.4g} -> {second:.4g} over {losses}"

    def final_metric(self, output):
        """The last value of the program's final metric, or ``None``."""
        matches = re.findall(self.metric[1], output)
        if not matches:
            return None
        if self.accuracy_of:
            correct, total = matches[-1]
            return 100.0 * float(correct) / float(total)
        return float(matches[-1])


def results_folder(folder):
    """``prepare``: a ``results`` folder the program saves into."""
    os.makedirs(os.path.join(folder, "results"), exist_ok=True)


def text_corpus(folder):
    """``prepare``: the offline text corpus in ``corpus/``."""
    _offline_data.write_text_corpus(os.path.join(folder, "corpus"))


def bsds300_images(folder):
    """``prepare``: the offline BSDS300-like images under ``dataset/``."""
    _offline_data.write_bsds300(os.path.join(folder, "dataset"))
