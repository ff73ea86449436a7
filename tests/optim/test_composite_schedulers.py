"""SequentialLR and ChainedScheduler against torch.optim.lr_scheduler."""

import pytest

import ndgrad
from ndgrad.optim import lr_scheduler

from .side_by_side import compare

torch = pytest.importorskip("torch")


def warmup_then_cosine(namespace, optimizer):
    warmup = namespace.LinearLR(optimizer, start_factor=0.1, total_iters=5)
    cosine = namespace.CosineAnnealingLR(optimizer, T_max=15, eta_min=0.001)
    return namespace.SequentialLR(optimizer, [warmup, cosine], milestones=[5])


def three_phases(namespace, optimizer):
    return namespace.SequentialLR(optimizer, [
        namespace.ConstantLR(optimizer, factor=0.2, total_iters=10),
        namespace.ExponentialLR(optimizer, gamma=0.8),
        namespace.StepLR(optimizer, step_size=2, gamma=0.5)], milestones=[4, 11])


def lambda_then_multistep(namespace, optimizer):
    # LambdaLR has no closed form: its restart goes through get_lr at epoch 0.
    return namespace.SequentialLR(optimizer, [
        namespace.MultiStepLR(optimizer, milestones=[1, 2]),
        namespace.LambdaLR(optimizer, lambda epoch: 0.5 + 0.1 * epoch)], milestones=[3])


def constant_times_exponential(namespace, optimizer):
    return namespace.ChainedScheduler([namespace.ConstantLR(optimizer, factor=0.1,
                                                            total_iters=4),
                                       namespace.ExponentialLR(optimizer, gamma=0.9)])


def chained_inside_sequential(namespace, optimizer):
    chained = namespace.ChainedScheduler([
        namespace.LinearLR(optimizer, start_factor=0.5, total_iters=3),
        namespace.MultiplicativeLR(optimizer, lambda epoch: 0.95)])
    return namespace.SequentialLR(optimizer, [chained, namespace.PolynomialLR(
        optimizer, total_iters=10)], milestones=[6])


BUILDS = [warmup_then_cosine, three_phases, lambda_then_multistep, constant_times_exponential,
          chained_inside_sequential]


# A chain restarted by SequentialLR steps its inner schedulers before any
# optimizer step: torch warns there too.
@pytest.mark.filterwarnings("ignore:.*before .*optimizer.step:UserWarning")
@pytest.mark.parametrize("build", BUILDS, ids=[b.__name__ for b in BUILDS])
def test_combinations_match_torch(build):
    compare("SGD", {"lr": 0.05, "momentum": 0.9}, None, None, build=build)


def test_state_dict_resumes_a_sequence():
    def make():
        optimizer = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
        return optimizer, three_phases(lr_scheduler, optimizer)

    optimizer, scheduler = make()
    for _ in range(6):
        optimizer.iterations += 1
        scheduler.step()
    saved_optimizer, saved = optimizer.state_dict(), scheduler.state_dict()
    assert [inner["last_epoch"] for inner in saved["_schedulers"]] == [3, 2, -1]
    resumed_optimizer, resumed = make()
    resumed_optimizer.load_state_dict(saved_optimizer)
    resumed.load_state_dict(saved)
    for _ in range(8):
        for each in (optimizer, resumed_optimizer):
            each.iterations += 1
        scheduler.step()
        resumed.step()
        assert resumed.get_last_lr() == scheduler.get_last_lr()


def test_errors_name_the_problem():
    optimizer = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
    other = ndgrad.optim.SGD([ndgrad.Variable([0.0])], lr=1.0)
    step = lr_scheduler.StepLR(optimizer, step_size=2)
    with pytest.raises(ValueError, match="one milestone fewer"):
        lr_scheduler.SequentialLR(optimizer, [step], milestones=[3])
    with pytest.raises(ValueError, match="another optimizer"):
        lr_scheduler.ChainedScheduler([step, lr_scheduler.StepLR(other, step_size=2)])
    with pytest.raises(ValueError, match="ReduceLROnPlateau"):
        lr_scheduler.ChainedScheduler([lr_scheduler.ReduceLROnPlateau(optimizer)])
    with pytest.raises(ValueError, match="at least one"):
        lr_scheduler.ChainedScheduler([])
