"""ndgrad's demo: linear regression trained twice, in the Keras and the PyTorch
vocabulary, over the same core.

    make demo

1. Keras style: ``Variable`` + ``GradientTape`` + ``optim.Adam.apply_gradients``.
2. PyTorch style: ``nn.Parameter`` + ``loss.backward()`` + ``optimizer.step()``.

Both fit y = 3 x1 - 2 x2 + 0.5 plus noise and print the loss as it falls.
"""

import numpy as np

import ndgrad

TRUE_WEIGHTS = np.array([[3.0], [-2.0]], dtype=np.float32)
TRUE_BIAS = 0.5


def make_data(n=256, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, 2)).astype(np.float32)
    y = x @ TRUE_WEIGHTS + TRUE_BIAS + 0.05 * rng.normal(size=(n, 1)).astype(np.float32)
    return ndgrad.tensor(x), ndgrad.tensor(y)


def keras_style(x, y, steps=200):
    print("Keras style: Variable + GradientTape + Adam.apply_gradients")
    w = ndgrad.Variable(ndgrad.random.normal((2, 1), stddev=0.1), name="kernel")
    b = ndgrad.Variable(ndgrad.zeros(1), name="bias")
    optimizer = ndgrad.optim.Adam(learning_rate=0.1)
    for step in range(steps + 1):
        with ndgrad.GradientTape() as tape:
            loss = ndgrad.mean(ndgrad.square(x @ w + b - y))
        gradients = tape.gradient(loss, [w, b])
        optimizer.apply_gradients(zip(gradients, [w, b]))
        if step % 40 == 0:
            print(f"  step {step:3d}  loss {loss.item():.5f}")
    print(f"  learned w = {w.numpy().ravel().round(3)}, b = {b.numpy().round(3)}")
    return loss.item()


def pytorch_style(x, y, steps=200):
    print("PyTorch style: nn.Parameter + backward() + SGD.step()")
    weight = ndgrad.nn.Parameter(ndgrad.random.normal((1, 2), stddev=0.1))
    bias = ndgrad.nn.Parameter(ndgrad.zeros(1))
    optimizer = ndgrad.optim.SGD([weight, bias], lr=0.1, momentum=0.9)
    for step in range(steps + 1):
        prediction = x @ weight.T + bias
        loss = ((prediction - y) ** 2).mean()
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
        if step % 40 == 0:
            print(f"  step {step:3d}  loss {loss.item():.5f}")
    print(f"  learned w = {weight.numpy().ravel().round(3)}, b = {bias.numpy().round(3)}")
    return loss.item()


def main():
    ndgrad.random.seed(0)
    x, y = make_data()
    final_keras = keras_style(x, y)
    final_torch = pytorch_style(x, y)
    print(f"true w = {TRUE_WEIGHTS.ravel()}, b = {TRUE_BIAS}")
    assert final_keras < 0.01 and final_torch < 0.01, "the demo did not converge"


if __name__ == "__main__":
    main()
