#!/usr/bin/env python3
"""PyTorch peer of bench/kernels.mjs: training-step throughput of the same two models.

One step = forward, mean softmax cross-entropy, backward, SGD update (lr 0.01), on random
data, as in the tfjs benchmark. Prints one JSON object: samples per second (median over the
timed steps) per model, plus the settings used. Run with Debian's python3-torch:

    /usr/bin/python3 bench/peers/kernels_torch.py --threads 2 --mlp-batch 256 --cnn-batch 32
"""

import argparse
import json
import os
import statistics
import sys
import time


def _pinned_threads() -> int:
    """--threads from argv, read before torch loads OpenBLAS (which sizes its pool at load)."""
    for i, arg in enumerate(sys.argv):
        if arg == "--threads" and i + 1 < len(sys.argv):
            return int(sys.argv[i + 1])
        if arg.startswith("--threads="):
            return int(arg.split("=", 1)[1])
    return 2


# Unpinned, OpenBLAS starts its own threads on top of PyTorch's (a "1 thread" run used both
# cores); bench/peers/throughput_torch.py explains and checks this.
os.environ["OPENBLAS_NUM_THREADS"] = os.environ["OMP_NUM_THREADS"] = str(_pinned_threads())

import torch  # noqa: E402
from torch import nn  # noqa: E402


def mlp() -> nn.Module:
    """784-256-10 with ReLU, as tfjs-layers' dense(256, relu) + dense(10)."""
    return nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


def cnn() -> nn.Module:
    """conv3x3x32 + ReLU, conv3x3x64 + ReLU, maxpool 2, dense 10 on 28x28x1 ('valid' convs)."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3),
        nn.ReLU(),
        nn.Conv2d(32, 64, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64 * 12 * 12, 10),
    )


def throughput(model: nn.Module, x: torch.Tensor, y: torch.Tensor, warmup: int, steps: int) -> float:
    """Median samples/s of `steps` SGD steps after `warmup` untimed ones."""
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()

    def step() -> None:
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        loss.item()  # wait for the step, as the tfjs side reads its loss back

    for _ in range(warmup):
        step()
    times = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return x.shape[0] / statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--mlp-batch", type=int, default=256)
    parser.add_argument("--cnn-batch", type=int, default=32)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    results = {}
    x = torch.rand(args.mlp_batch, 784)
    y = torch.randint(0, 10, (args.mlp_batch,))
    results["mlp"] = throughput(mlp(), x, y, args.warmup, args.steps)
    x = torch.rand(args.cnn_batch, 1, 28, 28)
    y = torch.randint(0, 10, (args.cnn_batch,))
    results["cnn"] = throughput(cnn(), x, y, args.warmup, args.steps)
    print(
        json.dumps(
            {
                "torch": torch.__version__,
                "threads": torch.get_num_threads(),
                "mlpBatch": args.mlp_batch,
                "cnnBatch": args.cnn_batch,
                "samplesPerSecond": results,
            }
        )
    )


if __name__ == "__main__":
    main()
