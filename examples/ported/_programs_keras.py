"""The Keras and TensorFlow programs of the suite (keras-io examples and
guides), one ``Program`` each, registered as in ``_programs_torch.py``
(``framework="keras"``; their baseline text swaps ``from ndgrad import keras``
back to ``import keras``; Keras is not installed here, so they run on ndgrad
only).

Sizes (``run_data``): the Keras programs have no command-line options, so
their data size sets their length. ``small`` is 4,096 MNIST-like training
images (1,024 test), 2,000 + 500 reviews, 2,000 CIFAR-10-like images; the
autoencoder (150 epochs in all) and the timeseries Transformer (up to 150
epochs) train on the ``tiny`` data (256 images; 320 series of 32 steps), and
so does the custom train_step guide, whose GAN then fits 6 batches of 64.

Where a program runs several models one after the other, ``loss`` (or
``loss_skip``) picks the lines of the one whose fall the test checks (named
in ``notes``).

Example:
    >>> all(program.framework == "keras" for program in KERAS_PROGRAMS)
    True
    >>> program = {p.name: p for p in KERAS_PROGRAMS}["keras_custom_train_step_tf"]
    >>> program.losses("Epoch 1/3 - 2 steps - 1ms - loss: 0.9 - mae: 0.5\\n"
    ...                "Epoch 2/5 - 2 steps - 1ms - loss: 0.7 - mae: 0.4")
    [0.7]
"""

from _port_program import KERAS_LOSS, NUMBER, Program

__all__ = ["KERAS_PROGRAMS"]

_EXAMPLES = "keras-team/keras examples/keras_io/"
_GUIDES = "keras-team/keras guides/"

KERAS_PROGRAMS = [
    Program("keras_mnist_convnet", ("keras_mnist_convnet.py",),
            _EXAMPLES + "vision/mnist_convnet.py", "keras",
            "Sequential, keras.Input, Conv2D, MaxPooling2D, Dropout, to_categorical, "
            "fit(validation_split), evaluate", KERAS_LOSS,
            ("test accuracy", r"Test accuracy: " + NUMBER, True), test_losses=4),
    Program("keras_autoencoder", ("keras_autoencoder.py",),
            _EXAMPLES + "vision/autoencoder.py", "keras",
            "functional Model from keras.models, Conv2DTranspose(strides=2), "
            "MaxPooling2D(padding=same), binary_crossentropy, fit(shuffle, validation_data), "
            "predict, matplotlib grids", KERAS_LOSS,
            ("last val_loss (denoising)", r"val_loss: " + NUMBER, False),
            run_data="tiny", test_losses=2,
            notes="150 epochs in the original: the runner trains them on the tiny data"),
    Program("keras_bidirectional_lstm_imdb", ("keras_bidirectional_lstm_imdb.py",),
            _EXAMPLES + "nlp/bidirectional_lstm_imdb.py", "keras",
            "Input(shape=(None,), dtype=int32), Embedding, Bidirectional(LSTM), "
            "pad_sequences, fit(validation_data)", KERAS_LOSS,
            ("val accuracy", r"val_accuracy: " + NUMBER, True), test_losses=2),
    Program("keras_text_classification_transformer",
            ("keras_text_classification_transformer.py",),
            "keras-team/keras-io examples/nlp/text_classification_with_transformer.py", "keras",
            "Layer subclasses holding MultiHeadAttention, a Sequential, LayerNormalization "
            "and Embedding layers, ops.arange(ops.shape(x)[-1]), GlobalAveragePooling1D, "
            "pad_sequences, fit(validation_data)", KERAS_LOSS,
            ("val accuracy", r"val_accuracy: " + NUMBER, True)),
    Program("keras_timeseries_transformer", ("keras_timeseries_transformer.py",),
            _EXAMPLES + "timeseries/timeseries_classification_transformer.py", "keras",
            "MultiHeadAttention, LayerNormalization, Conv1D(kernel_size=1), "
            "GlobalAveragePooling1D(channels_first), tensor + tensor on symbolic tensors, "
            "EarlyStopping(restore_best_weights)", r"val_loss: " + NUMBER,
            ("test accuracy", r"sparse_categorical_accuracy: " + NUMBER, True),
            run_data="tiny", test_losses=3,
            notes="the test follows val_loss: on tiny data the training loss is dropout "
                  "noise"),
    Program("keras_subclassing_guide", ("keras_subclassing_guide.py",),
            _GUIDES + "making_new_layers_and_models_via_subclassing.py", "keras",
            "Layer subclasses, add_weight (in __init__ and build), assign_add, "
            "non-trainable weights, add_loss/losses, kernel_regularizer, get_config/"
            "from_config, keras.random, Model subclass VAE with fit", KERAS_LOSS,
            ("last VAE loss", KERAS_LOSS, False), loss_skip=2,
            notes="the first two losses are one-step fits of the add_loss demo; the "
                  "test follows the VAE's"),
    Program("keras_custom_train_step_tf", ("keras_custom_train_step_tf.py",),
            _GUIDES + "custom_train_step_in_tensorflow.py", "keras",
            "train_step/test_step overrides, tf.GradientTape, compute_loss, self.metrics, "
            "metrics property, sample_weight, optimizer.apply, compile override, "
            "SeedGenerator, fit on tf.data.Dataset.take",
            r"Epoch \d+/5 - .*?(?<![\w_])loss: " + NUMBER,
            ("last GAN d_loss", r"d_loss: " + NUMBER, False), run_data="tiny", test_losses=5,
            notes="the test stops after the 5-epoch fit (own loss and metric objects): the "
                  "GAN's convolutions take a minute on one thread; the runner trains the "
                  "GAN on the tiny images (6 batches)"),
    Program("keras_custom_training_loop_tf", ("keras_custom_training_loop_tf.py",),
            _GUIDES + "writing_a_custom_training_loop_in_tensorflow.py", "keras",
            "tf.GradientTape loops, tf.data.Dataset (from_tensor_slices, shuffle, batch), "
            "optimizer.apply, SparseCategoricalAccuracy, @tf.function, model.losses, "
            "DCGAN loop, keras.utils.array_to_img",
            r"Training loss \(for 1 batch\) at step \d+: " + NUMBER,
            ("validation accuracy", r"Validation acc: " + NUMBER, True), loss_skip=3,
            notes="the test follows the second model (trained by the second and third "
                  "loops); the first loop's three losses are skipped"),
    Program("keras_functional_api_guide", ("keras_functional_api_guide.py",),
            _GUIDES + "functional_api.py", "keras",
            "keras.Input, functional Model (nested models, several named inputs and "
            "outputs, shared layers, residual add), per-output losses and loss_weights, "
            "fit on dicts, save/load_model (.keras), UpSampling2D, average, concatenate, "
            "from_config(custom_objects), Input(batch_shape)",
            r"Epoch \d+/\d+ - .*?(?<![\w_])loss: " + NUMBER + " - accuracy:",
            ("test accuracy", r"Test accuracy: " + NUMBER, True),
            notes="the test follows the MNIST model's fit"),
]
