"""The PyTorch programs of the suite (pytorch/examples), one ``Program`` each.

Register a program by adding a ``Program`` here (or, for Keras/TF programs,
in ``_programs_keras.py``): its files (main file first, paths under
``examples/ported/``), where it comes from, the framework its baseline runs
on, what it exercises, the regex of its printed training loss, its final
metric, and the command-line options of the runner (``run_args``) and of the
test (``test_args``). The tests and ``run.py`` pick it up from there.

Example:
    >>> names = [program.name for program in TORCH_PROGRAMS]
    >>> "mnist" in names, all(p.framework == "torch" for p in TORCH_PROGRAMS)
    (True, True)
"""

from _port_program import (MNIST_ACCURACY, NUMBER, TORCH_LOSS, Program, bsds300_images,
                           results_folder, text_corpus)

__all__ = ["TORCH_PROGRAMS"]

_LM = ("LSTM", "--data", "corpus", "--emsize", "64", "--nhid", "64", "--nlayers", "2",
       "--batch_size", "20", "--save", "model.pt")

TORCH_PROGRAMS = [
    Program("mnist", ("mnist.py",), "pytorch/examples mnist/main.py", "torch",
            "Conv2d, Dropout, max_pool2d, Adadelta, StepLR, DataLoader", TORCH_LOSS,
            MNIST_ACCURACY, ("--epochs", "2", "--log-interval", "8"),
            ("--epochs", "1", "--batch-size", "32", "--log-interval", "1"),
            accuracy_of=True,
            seed_option="--seed"),
    Program("vae", ("vae.py",), "pytorch/examples vae/main.py", "torch",
            "Linear, randn_like, binary_cross_entropy(sum), Adam, save_image", TORCH_LOSS,
            ("test loss", r"Test set loss: " + NUMBER, False),
            ("--epochs", "10", "--log-interval", "8"), ("--epochs", "1", "--log-interval", "1"),
            prepare=results_folder,
            seed_option="--seed"),
    Program("dcgan", ("dcgan.py",), "pytorch/examples dcgan/main.py", "torch",
            "ConvTranspose2d, BatchNorm2d, LeakyReLU, BCELoss, weights_init via apply",
            r"Loss_D: " + NUMBER, ("last Loss_G", r"Loss_G: " + NUMBER, False),
            ("--dataset", "mnist", "--dataroot", "data", "--niter", "1", "--batchSize", "32",
             "--ngf", "16", "--ndf", "16", "--nz", "32", "--workers", "0", "--manualSeed", "1",
             "--outf", "out"),
            ("--dataset", "mnist", "--dataroot", "data", "--niter", "1", "--batchSize", "16",
             "--ngf", "8", "--ndf", "8", "--nz", "16", "--workers", "0", "--manualSeed", "1",
             "--outf", "out"),
            test_losses=6,
            notes="a GAN's losses do not simply fall: the test follows D's loss for 6 steps",
            seed_option="--manualSeed"),
    Program("word_language_model_lstm", ("word_language_model/main.py",
            "word_language_model/model.py", "word_language_model/data.py"),
            "pytorch/examples word_language_model (LSTM)", "torch",
            "Embedding, LSTM(2 layers), clip_grad_norm_, p.data.add_, torch.save(model)",
            r"\| loss +" + NUMBER, ("test loss", r"test loss +" + NUMBER, False),
            ("--model",) + _LM + ("--bptt", "20", "--epochs", "6", "--log-interval", "20"),
            ("--model",) + _LM + ("--bptt", "10", "--epochs", "1", "--log-interval", "2"),
            prepare=text_corpus,
            seed_option="--seed"),
    Program("word_language_model_transformer", ("word_language_model/main.py",
            "word_language_model/model.py", "word_language_model/data.py"),
            "pytorch/examples word_language_model (Transformer)", "torch",
            "nn.Transformer subclass, TransformerEncoder, register_buffer, square mask",
            r"\| loss +" + NUMBER, ("test loss", r"test loss +" + NUMBER, False),
            ("--model", "Transformer", "--lr", "5", "--nhead", "2") + _LM[1:]
            + ("--bptt", "20", "--epochs", "6", "--log-interval", "20"),
            ("--model", "Transformer", "--lr", "5", "--nhead", "2") + _LM[1:]
            + ("--bptt", "10", "--epochs", "1", "--log-interval", "2"),
            prepare=text_corpus,
            seed_option="--seed"),
    Program("time_sequence_prediction", ("time_sequence_prediction.py",),
            "pytorch/examples time_sequence_prediction/train.py", "torch",
            "LSTMCell, double(), split, LBFGS with closure, MSELoss",
            r"(?m)^loss: " + NUMBER, ("test loss", r"test loss: " + NUMBER, False),
            ("--steps", "2"), ("--steps", "1"), test_losses=8,
            notes="the test stops after 8 closure calls of the first LBFGS step"),
    Program("regression", ("regression.py",), "pytorch/examples regression/main.py", "torch",
            "Linear, smooth_l1_loss, p.data.add_, mm, cat, unsqueeze",
            r"Loss: " + NUMBER + " after", ("batches to loss < 1e-3",
                                             r"after (\d+) batches", False), falls_below=1e-3,
            notes="prints one loss, when it has fallen below 1e-3"),
    Program("mnist_rnn", ("mnist_rnn.py",), "pytorch/examples mnist_rnn/main.py", "torch",
            "LSTM(batch_first), BatchNorm1d, Dropout2d on 2-D input, Adadelta, StepLR",
            TORCH_LOSS, MNIST_ACCURACY, ("--epochs", "14", "--lr", "1.0", "--log-interval", "8"),
            ("--epochs", "3", "--lr", "1.0", "--log-interval", "1"), accuracy_of=True,
            seed_option="--seed"),
    Program("super_resolution", ("super_resolution/main.py", "super_resolution/model.py",
            "super_resolution/data.py", "super_resolution/dataset.py"),
            "pytorch/examples super_resolution", "torch",
            "Conv2d, PixelShuffle, init.orthogonal_, calculate_gain, PIL YCbCr, torch.save(model)",
            TORCH_LOSS, ("PSNR dB", r"Avg. PSNR: " + NUMBER, True),
            ("--upscale_factor", "4", "--batchSize", "4", "--testBatchSize", "4",
             "--nEpochs", "10", "--threads", "0"),
            ("--upscale_factor", "8", "--batchSize", "1", "--testBatchSize", "2",
             "--nEpochs", "2", "--threads", "0"), prepare=bsds300_images,
            seed_option="--seed"),
    Program("mnist_forward_forward", ("mnist_forward_forward.py",),
            "pytorch/examples mnist_forward_forward/main.py", "torch",
            "Linear subclass with its own Adam, norm, log1p, mm, weight.T, item() loops",
            r"Loss:\s+" + NUMBER, ("test error", r"test error: " + NUMBER, False),
            ("--epochs", "400", "--train_size", "1024", "--test_size", "512",
             "--log-interval", "10", "--no_accel"),
            ("--epochs", "10", "--train_size", "128", "--test_size", "64",
             "--log-interval", "1", "--no_accel"),
            seed_option="--seed"),
    Program("gat", ("gat.py",), "pytorch/examples gat/main.py", "torch",
            "GraphAttentionLayer (Parameter, xavier_normal_, mm, permute, matmul, mT, where), "
            "elu, Adam(weight_decay), FloatTensor/LongTensor, sparse_coo_tensor, to_sparse",
            r"loss_train: " + NUMBER, ("test accuracy", r"Test set results: loss \S+ accuracy "
                                       + NUMBER, True),
            ("--epochs", "30", "--val-every", "10"),
            ("--epochs", "3", "--val-every", "1", "--num-heads", "1", "--hidden-dim", "8"),
            notes="an offline Cora-like graph (_offline_graph.py) in place of cora.tgz",
            seed_option="--seed"),
]
