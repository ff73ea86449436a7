# Follows pytorch/examples mnist_forward_forward/main.py
# at commit 77f55b912142e11fcfdf5b530231fb9c52f181e8
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   import ndgrad.torch as torch
#   import ndgrad.torch.nn as nn
#   from ndgrad.torch.utils.data import DataLoader
#   from ndgrad.torch.optim import Adam
# Data: MNIST from _offline_vision (scikit-learn digits redrawn at 28x28) in
# place of torchvision's download; the same transforms.
"""Hinton's forward-forward algorithm on MNIST: the label is written into the
first pixels of each image; every layer (an ``nn.Linear`` subclass with its
own Adam) learns, on its own, high "goodness" (mean squared activation) for
images with their true label and low goodness for a wrong label. A test
image gets the label whose overlay gives the most goodness."""
import argparse

import ndgrad.torch as torch
import ndgrad.torch.nn as nn
from _offline_vision.datasets import MNIST
from _offline_vision.transforms import Compose, ToTensor, Normalize, Lambda
from ndgrad.torch.utils.data import DataLoader
from ndgrad.torch.optim import Adam


def wrong_labels(labels):
    """For each label, a different one drawn at random."""
    wrong = labels.clone()
    for index, label in enumerate(labels):
        others = [digit for digit in range(10) if digit != label.item()]
        pick = torch.randint(len(others), size=(1,))
        wrong[index] = torch.tensor(others)[pick].item()
    return wrong.to(device)


def overlay_y_on_x(images, labels, classes=10):
    """Blank the first ``classes`` pixels and light the one of the label."""
    marked = images.clone()
    marked[:, :classes] *= 0.0
    marked[range(images.shape[0]), labels] = images.max()
    return marked


class Net(torch.nn.Module):
    """A stack of forward-forward layers, trained one after the other."""

    def __init__(self, dims):
        super().__init__()
        self.layers = []
        for fan_in, fan_out in zip(dims[:-1], dims[1:]):
            self.layers = self.layers + [Layer(fan_in, fan_out).to(device)]

    def predict(self, images):
        scores = []
        for label in range(10):
            activity = overlay_y_on_x(images, label)
            goodness = []
            for layer in self.layers:
                activity = layer(activity)
                goodness = goodness + [activity.pow(2).mean(1)]
            scores += [sum(goodness).unsqueeze(1)]
        return torch.cat(scores, 1).argmax(1)

    def train(self, positive, negative):
        for number, layer in enumerate(self.layers):
            print("training layer: ", number)
            positive, negative = layer.train(positive, negative)


class Layer(nn.Linear):
    """A linear layer with ReLU on length-normalised inputs and its own optimizer."""

    def __init__(self, in_features, out_features, bias=True, device=None, dtype=None):
        super().__init__(in_features, out_features, bias, device, dtype)
        self.relu = torch.nn.ReLU()
        self.opt = Adam(self.parameters(), lr=args.lr)
        self.threshold = args.threshold
        self.num_epochs = args.epochs

    def forward(self, x):
        direction = x / (x.norm(2, 1, keepdim=True) + 1e-4)
        return self.relu(torch.mm(direction, self.weight.T) + self.bias.unsqueeze(0))

    def train(self, positive, negative):
        for epoch in range(self.num_epochs):
            good_positive = self.forward(positive).pow(2).mean(1)
            good_negative = self.forward(negative).pow(2).mean(1)
            # softplus of (threshold - goodness) for positives, (goodness - threshold) else
            margins = torch.cat([self.threshold - good_positive, good_negative - self.threshold])
            loss = torch.log1p(torch.exp(margins)).mean()
            self.opt.zero_grad()
            loss.backward()
            self.opt.step()
            if epoch % args.log_interval == 0:
                print("Loss: ", loss.item())
        return self.forward(positive).detach(), self.forward(negative).detach()


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--epochs", type=int, default=1000, metavar="N",
                        help="training epochs per layer (1000)")
    parser.add_argument("--lr", type=float, default=0.03, metavar="LR",
                        help="Adam learning rate (0.03)")
    parser.add_argument("--no_accel", action="store_true",
                        help="stay on the CPU even if an accelerator is present")
    parser.add_argument("--seed", type=int, default=1, metavar="S",
                        help="random seed (1)")
    parser.add_argument("--save_model", action="store_true",
                        help="write the trained weights to mnist_ff.pt")
    parser.add_argument("--train_size", type=int, default=50000,
                        help="images in the one training batch")
    parser.add_argument("--threshold", type=float, default=2,
                        help="goodness threshold")
    parser.add_argument("--test_size", type=int, default=10000,
                        help="images in the one test batch")
    parser.add_argument("--save-model", action="store_true",
                        help="write the trained weights to mnist_ff.pt")
    parser.add_argument("--log-interval", type=int, default=10, metavar="N",
                        help="epochs between two loss reports (10)")
    args = parser.parse_args()
    use_accel = not args.no_accel and torch.accelerator.is_available()
    device = torch.accelerator.current_accelerator() if use_accel else torch.device("cpu")

    train_kwargs = {"batch_size": args.train_size}
    test_kwargs = {"batch_size": args.test_size}
    if use_accel:
        loader_extras = {"num_workers": 1, "pin_memory": True, "shuffle": True}
        train_kwargs.update(loader_extras)
        test_kwargs.update(loader_extras)

    flat = Compose([ToTensor(), Normalize((0.1307,), (0.3081,)),
                    Lambda(lambda image: torch.flatten(image))])
    train_loader = DataLoader(MNIST("./data/", train=True, download=True, transform=flat),
                              **train_kwargs)
    test_loader = DataLoader(MNIST("./data/", train=False, download=True, transform=flat),
                             **test_kwargs)

    net = Net([784, 500, 500])
    x, y = next(iter(train_loader))
    x, y = x.to(device), y.to(device)
    net.train(overlay_y_on_x(x, y), overlay_y_on_x(x, wrong_labels(y)))
    print("train error:", 1.0 - net.predict(x).eq(y).float().mean().item())

    x_test, y_test = next(iter(test_loader))
    x_test, y_test = x_test.to(device), y_test.to(device)
    if args.save_model:
        torch.save(net.state_dict(), "mnist_ff.pt")
    print("test error:", 1.0 - net.predict(x_test).eq(y_test).float().mean().item())
