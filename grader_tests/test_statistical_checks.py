"""Checks that depend on chance, timing or training never fail a correct answer by chance.

Each study runs the check's own computation with the reference solution over at least 20 seeds
(the timing one under the load of two other notebooks, as `grade` runs them) and requires that
every seed passes and that the margin to the threshold, in standard deviations of the statistic,
is at least 3.1: for a roughly normal statistic a correct answer then fails with probability below
1/1000. The thresholds and this argument are stated beside each check in the notebooks; the tests
read the thresholds from there (`studies.notebook_constant`).

A study runs again only when its code, the notebook cells it runs, the `course` modules they
import or the lock file change (`studies.recorded`; its results are kept in `studies.json`);
`COURSE_RERUN_STUDIES=1` runs them all.
"""

import math
import statistics
import subprocess
import sys

from harness import run_with_reference
from studies import notebook_constant, recorded, definitions_in_test_cell

SEEDS = 20
Z_MIN = 3.1  # one-sided normal tail below 1/1000


def _margin(values, threshold, above=True):
    """(smallest margin, margin in standard deviations) of values against a threshold; printed
    (`pytest -s`) so that the numbers beside the checks can be refreshed."""
    margins = [(v - threshold) if above else (threshold - v) for v in values]
    spread = statistics.stdev(values) or 1e-12
    print(f"mean {statistics.mean(values):.4g}, standard deviation {spread:.3g}, range "
          f"{min(values):.4g} to {max(values):.4g}, threshold {threshold:.4g}: "
          f"{statistics.mean(margins) / spread:.2f} standard deviations")
    return min(margins), statistics.mean(margins) / spread


def _under_the_load_of_two_notebooks(assignment, code):
    burners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(2)]
    try:
        return run_with_reference(assignment, code)
    finally:
        for burner in burners:
            burner.kill()
            burner.wait()


def test_conv2d_fast_speed_up_holds_under_the_load_of_two_notebooks():
    result = recorded(test_conv2d_fast_speed_up_holds_under_the_load_of_two_notebooks, "05_convolution", f"""
import json, timeit
def _loop_conv(x, w):
    n_batch, _, height, width = x.shape
    n_filters, _, kh, kw = w.shape
    y = np.zeros((n_batch, n_filters, height - kh + 1, width - kw + 1))
    for n in range(n_batch):
        for f in range(n_filters):
            for i in range(height - kh + 1):
                for j in range(width - kw + 1):
                    y[n, f, i, j] = np.sum(x[n, :, i:i + kh, j:j + kw] * w[f])
    return y
ratios = []
for seed in range({SEEDS}):
    rng = np.random.default_rng(seed)
    x_t, w_t = rng.normal(size=(4, 3, 24, 24)), rng.normal(size=(6, 3, 3, 3))
    loop_time = min(timeit.repeat(lambda: _loop_conv(x_t, w_t), number=1, repeat=3))
    fast_time = min(timeit.repeat(lambda: conv2d_fast(x_t, w_t), number=1, repeat=5))
    ratios.append(loop_time / fast_time)
print(json.dumps(ratios))""", run=_under_the_load_of_two_notebooks)
    logs = [math.log(r) for r in result]
    smallest, z = _margin(logs, math.log(notebook_constant("05_convolution", "convolution-conv2d_fast-test", "_MIN_SPEED_UP")))
    assert smallest > 0 and z >= Z_MIN, f"speed-ups {sorted(result)[:5]}...: z = {z:.2f}"


def test_pairwise_distances_speed_check_holds_under_the_load_of_two_notebooks():
    """08's speed check with its own timing function: the reference solution passes on every seed
    (first run only, as the check measures it), with margin; a loop over pairs fails."""
    result = recorded(test_pairwise_distances_speed_check_holds_under_the_load_of_two_notebooks, "08_deep_networks",
                      definitions_in_test_cell("08_deep_networks", "deep_networks-pairwise_distances-test") + f"""
import json
def _pairs_loop(x):
    out = np.zeros((len(x), len(x)))
    for i in range(len(x)):
        for j in range(len(x)):
            out[i, j] = np.linalg.norm(x[i] - x[j])
    return out
timings = []
for seed in range({SEEDS}):
    x = np.random.default_rng(seed).normal(size=(1000, 2))
    timings.append((_seconds_for_grading(_reference_pairwise_distances, x, repeats=3), _seconds_for_grading(pairwise_distances, x)))
x = np.random.default_rng(0).normal(size=(1000, 2))
print(json.dumps({{"timings": timings, "pairs_loop": [_seconds_for_grading(_reference_pairwise_distances, x, repeats=3),
                                                        _seconds_for_grading(_pairs_loop, x)]}}))""", run=_under_the_load_of_two_notebooks)
    slow_down = notebook_constant("08_deep_networks", "deep_networks-pairwise_distances-test", "_MAX_SLOW_DOWN")
    allowed = [math.log(slow_down * reference + 0.25) - math.log(yours) for reference, yours in result["timings"]]
    smallest, z = _margin(allowed, 0.0)
    assert smallest > 0 and z >= Z_MIN, f"log margins {sorted(allowed)[:3]}...: z = {z:.2f}"
    reference, loop = result["pairs_loop"]
    assert loop > 2 * (slow_down * reference + 0.25), f"a loop over pairs took {loop:.2f} s, reference {reference:.3f} s"


def test_the_conv_net_reaches_its_threshold_on_every_seed():
    """With the check's own training function."""
    result = recorded(test_the_conv_net_reaches_its_threshold_on_every_seed, "05_convolution",
                      definitions_in_test_cell("05_convolution", "convolution-make_conv_net-test") + f"""
import json
accuracies = []
for seed in range({SEEDS}):
    torch.manual_seed(seed)
    accuracies.append(max(_fit_for_grading(make_conv_net(), epochs=25, seed=seed)[-3:]))
print(json.dumps(accuracies))""")
    smallest, z = _margin(result, notebook_constant("05_convolution", "convolution-make_conv_net-test", "_MIN_ACCURACY"))
    assert smallest > 0 and z >= Z_MIN, f"accuracies from {min(result):.3f}: z = {z:.2f}"


def test_augmentation_beats_the_baseline_on_every_seed():
    """The check averages two seeds; its threshold lies between the reference with augmentation
    and the baseline without, at least 3.1 standard deviations from each. The study runs the
    check's own training functions."""
    result = recorded(test_augmentation_beats_the_baseline_on_every_seed, "06_regularization",
                      definitions_in_test_cell("06_regularization", "regularization-augment-test") + f"""
import json
split = _split_for_grading()
pairs = []
for seed in range({SEEDS}):
    pairs.append((float(np.mean([_validation_error_for_grading(split, True, 2 * seed + s) for s in range(2)])),
                  float(np.mean([_validation_error_for_grading(split, False, 2 * seed + s) for s in range(2)]))))
print(json.dumps(pairs))""")
    augmented = [a for a, _ in result]
    baseline = [b for _, b in result]
    threshold = notebook_constant("06_regularization", "regularization-augment-test", "_MAX_AUGMENTED_ERROR")
    smallest, z = _margin(augmented, threshold, above=False)
    assert smallest > 0 and z >= Z_MIN, f"augmented errors up to {max(augmented):.3f}: z = {z:.2f}"
    smallest, z = _margin(baseline, threshold)
    assert smallest > 0 and z >= Z_MIN, f"baseline errors from {min(baseline):.3f}: z = {z:.2f}"


def test_dropout_and_augment_distribution_checks_pass_on_every_seed():
    result = recorded(test_dropout_and_augment_distribution_checks_pass_on_every_seed, "06_regularization", f"""
import json
worst = {{"kept": 0.0, "mean": 0.0, "shift_counts": 0.0, "scale_mean": 0.0, "noise": 0.0}}
for seed in range({SEEDS}):
    rng = torch.Generator().manual_seed(100 + seed)
    for shape, p in [((20000,), 0.5), ((50, 40, 30), 0.1), ((300, 200), 0.8)]:
        x = torch.randn(shape, generator=rng)
        kept = float((dropout(x, p, True, torch.Generator().manual_seed(seed)) != 0).float().mean())
        allowed = 4 * np.sqrt(p * (1 - p) / x.numel()) + 1e-3
        worst["kept"] = max(worst["kept"], abs(kept - (1 - p)) / allowed)
    x = torch.linspace(-2, 2, 50)
    g = torch.Generator().manual_seed(200 + seed)
    mean = torch.stack([dropout(x, 0.5, True, g) for _ in range(4000)]).mean(0)
    worst["mean"] = max(worst["mean"], float((mean - x).abs().max()) / 0.2)
    for k, (max_shift, scale_range, noise_std) in enumerate([(4, (0.8, 1.2), 0.05), (2, (0.5, 1.0), 0.2), (6, (1.0, 1.5), 0.01)]):
        x = torch.randn(3000, 40, generator=torch.Generator().manual_seed(300 + seed))
        out = augment(x, torch.Generator().manual_seed(400 + 10 * seed + k), max_shift, scale_range, noise_std)
        candidates = torch.stack([torch.roll(x, s, dims=1) for s in range(-max_shift, max_shift + 1)])
        fit_ = (candidates * out).sum(-1) / (candidates ** 2).sum(-1)
        residual = ((out - fit_[..., None] * candidates) ** 2).mean(-1)
        best = residual.argmin(0)
        rows = torch.arange(3000)
        shifts, scales, noise = best - max_shift, fit_[best, rows], residual[best, rows].sqrt()
        counts = torch.bincount(shifts + max_shift, minlength=2 * max_shift + 1).float()
        expected = 3000 / (2 * max_shift + 1)
        worst["shift_counts"] = max(worst["shift_counts"], float((counts - expected).abs().max()) / (0.3 * expected))
        worst["scale_mean"] = max(worst["scale_mean"], abs(float(scales.mean()) - sum(scale_range) / 2) / 0.02)
        worst["noise"] = max(worst["noise"], abs(float(noise.mean()) - noise_std) / (0.1 * noise_std + 0.003))
print(json.dumps(worst))""")
    # Each value is the largest deviation seen, as a fraction of what the check allows.
    assert all(value < 0.8 for value in result.values()), result


def test_sampling_frequencies_pass_on_every_seed():
    result = recorded(test_sampling_frequencies_pass_on_every_seed, "07_transformer_decoding", f"""
import json
worst_visible, worst_hidden = 0.0, 0.0
probs_demo = torch.tensor([0.1, 0.0, 0.6, 0.3])
for seed in range({SEEDS}):
    draws = torch.stack([sample_next(probs_demo, torch.Generator().manual_seed(10000 * seed + s)) for s in range(2000)])
    frequencies = torch.bincount(draws, minlength=4) / 2000
    worst_visible = max(worst_visible, float((frequencies - probs_demo).abs().max()) / 0.05)
    gen = torch.Generator().manual_seed(500 + seed)
    probs = torch.softmax(2 * torch.randn(3, 12, generator=gen), -1)
    g = torch.Generator().manual_seed(600 + seed)
    draws = torch.stack([sample_next(probs, g) for _ in range(6000)])
    for row in range(3):
        frequencies = torch.bincount(draws[:, row], minlength=12) / 6000
        tolerance = 5 * torch.sqrt(probs[row] * (1 - probs[row]) / 6000) + 1e-3
        worst_hidden = max(worst_hidden, float(((frequencies - probs[row]).abs() / tolerance).max()))
print(json.dumps([worst_visible, worst_hidden]))""")
    assert max(result) < 0.9, f"largest deviations as a fraction of the tolerance: {result}"


def test_initialisation_spreads_pass_on_every_seed():
    result = recorded(test_initialisation_spreads_pass_on_every_seed, "04_initialization", f"""
import json
worst = 0.0
for seed in range({SEEDS}):
    for init, fan_in, fan_out, expected, rtol in [(he_init, 2000, 10, np.sqrt(2 / 2000), 0.02),
                                                  (he_init, 30, 2000, np.sqrt(2 / 30), 0.02),
                                                  (xavier_init, 20, 3000, np.sqrt(2 / 3020), 0.03)]:
        W = init(fan_in, fan_out, np.random.default_rng(1000 + seed))
        worst = max(worst, abs(np.std(W) / expected - 1) / rtol)
    model = torch.nn.Sequential(torch.nn.Linear(300, 900), torch.nn.Tanh(), torch.nn.Linear(900, 700), torch.nn.Linear(700, 5))
    init_linear_layers(model, "xavier", torch.Generator().manual_seed(seed))
    for layer in (model[0], model[2], model[3]):
        fan_out, fan_in = layer.weight.shape
        worst = max(worst, abs(layer.weight.std().item() / np.sqrt(2 / (fan_in + fan_out)) - 1) / 0.05)
print(json.dumps(worst))""")
    assert result < 0.8, f"largest deviation of a standard deviation, as a fraction of its tolerance: {result:.2f}"


def test_mini_batch_training_reaches_its_threshold_on_every_seed():
    result = recorded(test_mini_batch_training_reaches_its_threshold_on_every_seed, "03_backprop", f"""
import json
accuracies = []
for seed in range({SEEDS}):
    x_tr2, x_va2, y_tr2, y_va2 = data.digits(val_fraction=0.3, seed=seed)
    p2, rng2 = mlp.init_mlp([64, 48, 10], np.random.default_rng(100 + seed)), np.random.default_rng(200 + seed)
    for epoch in range(15):
        p2 = train_epoch(p2, x_tr2, y_tr2, lr=0.3 * 0.9 ** epoch, batch_size=16, rng=rng2)
    accuracies.append(mlp.accuracy(mlp_forward(x_va2, p2)[0], y_va2))
print(json.dumps(accuracies))""")
    smallest, z = _margin(result, notebook_constant("03_backprop", "backprop-train_epoch-test", "MIN_ACCURACY"))
    assert smallest > 0 and z >= Z_MIN, f"accuracies from {min(result):.3f}: z = {z:.2f}"


def test_the_tuned_configuration_beats_the_held_out_target_on_every_seed():
    """08's "beat the baseline": the reference configuration against the target on the grader's
    held-out signals, over 20 training seeds (the check itself trains with seed 0), with the
    check's own training and measuring functions."""
    result = recorded(test_the_tuned_configuration_beats_the_held_out_target_on_every_seed, "08_deep_networks",
                      definitions_in_test_cell("08_deep_networks", "deep_networks-tuned_config-test") + f"""
import json
x_held, y_held = _held_out_for_grading()
config = tuned_config()
print(json.dumps([_accuracy_for_grading(_train_for_grading(config["width"], config["lr"], config["epochs"], seed),
                                        x_held, y_held) for seed in range({SEEDS})]))""")
    smallest, z = _margin(result, notebook_constant("08_deep_networks", "deep_networks-tuned_config-test", "TARGET_ACCURACY"))
    assert smallest > 0 and z >= Z_MIN, result
