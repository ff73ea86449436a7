# Follows pytorch/examples time_sequence_prediction/train.py
# at commit 77f55b912142e11fcfdf5b530231fb9c52f181e8
# Written independently for ndgrad's real-programs suite; no code copied.
# Framework import lines (the baseline run swaps back only these):
#   import ndgrad.torch as torch
#   import ndgrad.torch.nn as nn
#   import ndgrad.torch.optim as optim
# Data: the shifted sine waves come from _offline_data.sine_waves() (the same
# recipe as the original's generate_sine_wave.py) in place of
# torch.load('traindata.pt').
"""Two stacked LSTM cells in float64 learn sine waves that start at different
phases; LBFGS (with a closure) fits them, then the network continues three
held-out waves 1000 steps into the future and the plot is saved as a PDF."""
import argparse

import numpy as np
import ndgrad.torch as torch
import ndgrad.torch.nn as nn
import ndgrad.torch.optim as optim
import matplotlib
matplotlib.use('Agg')
import matplotlib.pyplot as plt
import _offline_data

HIDDEN = 51


class Sequence(nn.Module):
    """LSTMCell(1 -> 51), LSTMCell(51 -> 51) and a linear read-out, stepped
    through time by hand; ``future`` steps more feed the output back in."""

    def __init__(self):
        super(Sequence, self).__init__()
        self.lstm1 = nn.LSTMCell(1, HIDDEN)
        self.lstm2 = nn.LSTMCell(HIDDEN, HIDDEN)
        self.linear = nn.Linear(HIDDEN, 1)

    def forward(self, input, future=0):
        batch = input.size(0)
        h1, c1, h2, c2 = (torch.zeros(batch, HIDDEN, dtype=torch.double) for _ in range(4))
        predictions = []

        def step(value, h1, c1, h2, c2):
            h1, c1 = self.lstm1(value, (h1, c1))
            h2, c2 = self.lstm2(h1, (h2, c2))
            return self.linear(h2), h1, c1, h2, c2

        for column in input.split(1, dim=1):
            output, h1, c1, h2, c2 = step(column, h1, c1, h2, c2)
            predictions += [output]
        for _ in range(future):
            output, h1, c1, h2, c2 = step(output, h1, c1, h2, c2)
            predictions += [output]
        return torch.cat(predictions, dim=1)


def plot(prediction, known, future, step_number):
    """The three test waves: known part solid, predicted part dotted."""
    plt.figure(figsize=(30, 10))
    plt.title('Future values predicted for the test waves\n(dotted: prediction)', fontsize=30)
    plt.xlabel('x', fontsize=20)
    plt.ylabel('y', fontsize=20)
    plt.xticks(fontsize=20)
    plt.yticks(fontsize=20)
    for wave, color in zip(prediction[:3], 'rgb'):
        plt.plot(np.arange(known), wave[:known], color, linewidth=2.0)
        plt.plot(np.arange(known, known + future), wave[known:], color + ':', linewidth=2.0)
    plt.savefig('predict%d.pdf' % step_number)
    plt.close()


if __name__ == '__main__':
    parser = argparse.ArgumentParser()
    parser.add_argument('--steps', type=int, default=15, help='LBFGS steps to take')
    options = parser.parse_args()
    np.random.seed(0)
    torch.manual_seed(0)
    waves = _offline_data.sine_waves()
    # the first three waves are held out; each target is its input shifted by one
    input = torch.from_numpy(waves[3:, :-1])
    target = torch.from_numpy(waves[3:, 1:])
    test_input = torch.from_numpy(waves[:3, :-1])
    test_target = torch.from_numpy(waves[:3, 1:])

    seq = Sequence()
    seq.double()
    criterion = nn.MSELoss()
    optimizer = optim.LBFGS(seq.parameters(), lr=0.8)   # full batch: LBFGS fits
    for step_number in range(options.steps):
        print('STEP: ', step_number)

        def closure():
            optimizer.zero_grad()
            loss = criterion(seq(input), target)
            print('loss:', loss.item())
            loss.backward()
            return loss

        optimizer.step(closure)
        with torch.no_grad():
            future = 1000
            prediction = seq(test_input, future=future)
            test_loss = criterion(prediction[:, :-future], test_target)
            print('test loss:', test_loss.item())
            curves = prediction.detach().numpy()
        plot(curves, input.size(1), future, step_number)
