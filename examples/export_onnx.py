"""Export the digits CNN to ONNX and run it in ONNX Runtime (issue 15).

Trains the model of ``examples/digits_cnn.py`` for a few epochs on
scikit-learn's digits, exports it with a dynamic batch axis
(``ndgrad.onnx.export``), checks the file with ``onnx.checker``, then runs it
in ONNX Runtime at two batch sizes and compares the probabilities and the
accuracy with ndgrad's own ``predict``.

    .venv/bin/python examples/export_onnx.py      # needs: pip install 'ndgrad[onnx,datasets]'
"""

import os
import sys
import time

import numpy as np

import ndgrad
import ndgrad.onnx

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from digits_cnn import build_model  # noqa: E402  (the example's own model)

PATH = os.path.join("runs", "digits", "digits_cnn.onnx")
EPOCHS = 5


def main():
    try:
        import onnx
        import onnxruntime
    except ImportError as error:
        raise SystemExit(f"this example needs the optional extra 'onnx' ({error.name} is "
                         "missing): pip install 'ndgrad[onnx]'") from None
    ndgrad.random.seed(0)
    (x_train, y_train), (x_test, y_test) = ndgrad.datasets.load_digits(test_size=0.2, seed=0)
    model = build_model()
    model.compile(optimizer=ndgrad.optim.Adam(learning_rate=0.002),
                  loss="sparse_categorical_crossentropy", metrics=["accuracy"])
    model.fit(x_train, y_train, batch_size=32, epochs=EPOCHS, verbose=0)

    os.makedirs(os.path.dirname(PATH), exist_ok=True)
    started = time.perf_counter()
    ndgrad.onnx.export(model, x_test[:1], PATH, input_names=["images"],
                       output_names=["probabilities"],
                       dynamic_axes={"images": {0: "batch"}, "probabilities": {0: "batch"}})
    seconds = time.perf_counter() - started
    onnx.checker.check_model(onnx.load(PATH), full_check=True)
    weights = sum(v.numpy().nbytes for v in model.state_dict().values())
    print(f"exported {PATH} in {seconds * 1e3:.0f} ms: {os.path.getsize(PATH)} bytes for "
          f"{weights} bytes of weights")

    session = onnxruntime.InferenceSession(PATH, providers=["CPUExecutionProvider"])
    ours = model.predict(x_test, verbose=0)
    largest = 0.0
    for batch in (1, 64, len(x_test)):
        (theirs,) = session.run(None, {"images": x_test[:batch]})
        largest = max(largest, float(np.max(np.abs(theirs - ours[:batch]))))
    (theirs,) = session.run(None, {"images": x_test})
    accuracy_ndgrad = float(np.mean(ours.argmax(axis=1) == y_test))
    accuracy_onnx = float(np.mean(theirs.argmax(axis=1) == y_test))
    print(f"test accuracy: ndgrad {accuracy_ndgrad:.4f}, ONNX Runtime {accuracy_onnx:.4f}; "
          f"largest difference in the probabilities: {largest:.2e}")
    if largest > 1e-5 or accuracy_onnx != accuracy_ndgrad:
        raise SystemExit("ONNX Runtime disagrees with ndgrad")


if __name__ == "__main__":
    main()
