"""The PyTorch programs of the suite (pytorch/examples), one ``Program`` each.

Register a program by adding a ``Program`` here (or, for Keras/TF programs,
in ``_programs_keras.py``): its files (main file first, paths under
``examples/ported/``), where it comes from, the framework its baseline runs
on, what it exercises, the regex of its printed training loss, its final
metric, and the command-line options of the runner (``run_args``) and of the
test (``test_args``). The tests and ``run.py`` pick it up from there.

Example:
    >>> names = [program.name for program in TORCH_PROGRAMS]
    >>> "regression" in names, all(p.framework == "torch" for p in TORCH_PROGRAMS)
    (True, True)
"""

from _port_program import (MNIST_ACCURACY, NUMBER, TORCH_LOSS, Program, bsds300_images,
                           results_folder, text_corpus)

__all__ = ["TORCH_PROGRAMS"]

_LM = ("LSTM", "--data", "corpus", "--emsize", "64", "--nhid", "64", "--nlayers", "2",
       "--batch_size", "20", "--save", "model.pt")

TORCH_PROGRAMS = [
    Program("regression", ("regression.py",), "pytorch/examples regression/main.py", "torch",
            "Linear, smooth_l1_loss, p.data.add_, mm, cat, unsqueeze",
            r"Loss: " + NUMBER + " after", ("batches to loss < 1e-3",
                                             r"after (\d+) batches", False), falls_below=1e-3,
            notes="prints one loss, when it has fallen below 1e-3"),
]
