#!/usr/bin/env python3
"""PyTorch peer of bench/throughput.mjs: training throughput of the same models.

Thread counts are pinned: OpenBLAS and OpenMP read OPENBLAS_NUM_THREADS / OMP_NUM_THREADS
when the library loads, so this script sets both to --threads *before* importing torch
(unpinned, OpenBLAS starts its own threads on top of PyTorch's and a "1 thread" run uses
both cores). It then checks what it got: torch.get_num_threads(), the BLAS PyTorch was built
against (torch.__config__) and, through ctypes, the OpenBLAS core kernel and thread count
of the libblas.so.3 that is loaded.

Install (Debian): apt-get install python3-torch libopenblas0-pthread

    /usr/bin/python3 bench/peers/throughput_torch.py --threads 2 --models mlp,cnn --mode step

Modes:
  step   forward, mean softmax cross-entropy, backward, SGD step (lr 0.01) on one random
         batch; samples/s = batch / median step time over --steps steps after --warmup.
  epoch  the loop a user runs: uint8 features, a fresh permutation per epoch, per batch a
         gather + uint8 -> float / 255, and a step with SGD momentum 0.9, weight decay 5e-4;
         samples/s of the last of --epochs epochs (the first warms up).
  sgemm  2048 x 2048 float32 matmul, GFLOP/s (2 n^3 / median time).
Prints one JSON line.
"""

import argparse
import os
import sys


def parse() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--models", default="mlp,cnn,resnet20")
    parser.add_argument("--mode", choices=["step", "epoch", "sgemm"], default="step")
    parser.add_argument("--mlp-batch", type=int, default=256)
    parser.add_argument("--conv-batch", type=int, default=128)
    parser.add_argument("--warmup", type=int, default=2)
    parser.add_argument("--steps", type=int, default=7)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--epoch-samples", default="mlp=60000,cnn=2560")
    parser.add_argument("--seed", type=int, default=0)
    return parser.parse_args()


ARGS = parse()
# Before `import torch`: OpenBLAS sizes its thread pool when libblas.so.3 loads.
os.environ["OPENBLAS_NUM_THREADS"] = str(ARGS.threads)
os.environ["OMP_NUM_THREADS"] = str(ARGS.threads)

import ctypes  # noqa: E402
import json  # noqa: E402
import re  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import torch  # noqa: E402
from torch import nn  # noqa: E402


def blas_info() -> dict:
    """What BLAS runs: PyTorch's build setting and the loaded OpenBLAS's core and threads."""
    config = torch.__config__.show()
    match = re.search(r"BLAS_INFO=(\w+)", config)
    info = {"torchBlasInfo": match.group(1) if match else "unknown", "mkldnn": "MKL-DNN" in config}
    try:
        lib = ctypes.CDLL("libblas.so.3")
        lib.openblas_get_corename.restype = ctypes.c_char_p
        lib.openblas_get_config.restype = ctypes.c_char_p
        info["openblasCore"] = lib.openblas_get_corename().decode()
        info["openblasConfig"] = lib.openblas_get_config().decode()
        info["openblasThreads"] = lib.openblas_get_num_threads()
    except (OSError, AttributeError) as error:  # reference BLAS, or no libblas.so.3
        info["openblasCore"] = f"none ({error})"
    info["OPENBLAS_CORETYPE"] = os.environ.get("OPENBLAS_CORETYPE")
    info["OPENBLAS_L2_SIZE"] = os.environ.get("OPENBLAS_L2_SIZE")
    return info


def mlp() -> nn.Module:
    """784-256-10 with ReLU."""
    return nn.Sequential(nn.Flatten(), nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))


def cnn() -> nn.Module:
    """conv3x3x32 + ReLU, conv3x3x64 + ReLU, maxpool 2, dense 10 on 28x28x1 ('valid')."""
    return nn.Sequential(
        nn.Conv2d(1, 32, 3),
        nn.ReLU(),
        nn.Conv2d(32, 64, 3),
        nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Flatten(),
        nn.Linear(64 * 12 * 12, 10),
    )


class BasicBlock(nn.Module):
    """ResNet basic block; shortcut B (1x1 conv stride s + BN) where the shape changes."""

    def __init__(self, cin: int, cout: int, stride: int):
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(cin, cout, 3, stride, 1, bias=False),
            nn.BatchNorm2d(cout),
            nn.ReLU(),
            nn.Conv2d(cout, cout, 3, 1, 1, bias=False),
            nn.BatchNorm2d(cout),
        )
        self.skip = (
            nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))
            if stride != 1 or cin != cout
            else nn.Identity()
        )

    def forward(self, x):
        return torch.relu(self.body(x) + self.skip(x))


def resnet20() -> nn.Module:
    """CIFAR ResNet-20 as @tailwise/models resNet({depth: 20, shortcut: 'B'}): 272k params."""
    layers = [nn.Conv2d(3, 16, 3, 1, 1, bias=False), nn.BatchNorm2d(16), nn.ReLU()]
    cin = 16
    for stage in range(3):
        cout = 16 * 2**stage
        for b in range(3):
            layers.append(BasicBlock(cin, cout, 2 if stage > 0 and b == 0 else 1))
            cin = cout
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(64, 10)]
    return nn.Sequential(*layers)


class WideBlock(nn.Module):
    """Pre-activation WRN block as @tailwise/models wideResNet (FixMatch's reference)."""

    def __init__(self, cin: int, cout: int, stride: int, activate_before_residual: bool):
        super().__init__()
        self.bn1 = nn.BatchNorm2d(cin)
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.act = nn.LeakyReLU(0.1)
        self.abr = activate_before_residual
        self.skip = nn.Conv2d(cin, cout, 1, stride, bias=False) if cin != cout else None

    def forward(self, x):
        h = self.act(self.bn1(x))
        y = self.conv2(self.act(self.bn2(self.conv1(h))))
        s = h if self.abr else x
        return y + (self.skip(s) if self.skip is not None else s)


def wrn28_2() -> nn.Module:
    """WRN-28-2 (1.47M params)."""
    layers = [nn.Conv2d(3, 16, 3, 1, 1, bias=False)]
    cin = 16
    for group in range(3):
        cout = 32 * 2**group
        for b in range(4):
            layers.append(WideBlock(cin, cout, 2 if group > 0 and b == 0 else 1, group == 0 and b == 0))
            cin = cout
    layers += [nn.BatchNorm2d(cin), nn.LeakyReLU(0.1), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(cin, 10)]
    return nn.Sequential(*layers)


MODELS = {
    "mlp": (mlp, (1, 28, 28)),
    "cnn": (cnn, (1, 28, 28)),
    "resnet20": (resnet20, (3, 32, 32)),
    "wrn28_2": (wrn28_2, (3, 32, 32)),
}


def batch_of(name: str) -> int:
    return ARGS.mlp_batch if name == "mlp" else ARGS.conv_batch


def step_throughput(name: str) -> dict:
    build, shape = MODELS[name]
    model = build()
    batch = batch_of(name)
    x = torch.rand(batch, *shape)
    y = torch.randint(0, 10, (batch,))
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
    loss_fn = nn.CrossEntropyLoss()

    def step() -> None:
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        loss.item()  # wait for the step, as the tfjs side reads its loss back

    for _ in range(ARGS.warmup):
        step()
    times = []
    for _ in range(ARGS.steps):
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return {"samplesPerSecond": batch / statistics.median(times), "batch": batch, "stepsMs": [t * 1e3 for t in times]}


def epoch_throughput(name: str, samples: int) -> dict:
    build, shape = MODELS[name]
    model = build()
    batch = batch_of(name)
    generator = torch.Generator().manual_seed(ARGS.seed)
    features = torch.randint(0, 256, (samples, *shape), dtype=torch.uint8, generator=generator)
    labels = torch.randint(0, 10, (samples,), generator=generator)
    optimizer = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
    loss_fn = nn.CrossEntropyLoss()
    per_epoch = []
    for _ in range(ARGS.epochs):
        start = time.perf_counter()
        order = torch.randperm(samples, generator=generator)
        for first in range(0, samples - batch + 1, batch):  # short last batch dropped
            idx = order[first : first + batch]
            x = features[idx].float().div_(255)
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(x), labels[idx])
            loss.backward()
            optimizer.step()
        loss.item()
        per_epoch.append(time.perf_counter() - start)
    steps = samples // batch
    return {"samplesPerSecond": steps * batch / per_epoch[-1], "batch": batch, "samples": samples, "epochSeconds": per_epoch}


def sgemm() -> dict:
    n = 2048
    a = torch.rand(n, n)
    b = torch.rand(n, n)
    for _ in range(2):
        a @ b
    times = []
    for _ in range(7):
        start = time.perf_counter()
        a @ b
        times.append(time.perf_counter() - start)
    return {"gflops": 2 * n**3 / statistics.median(times) / 1e9, "n": n}


def main() -> None:
    torch.set_num_threads(ARGS.threads)
    torch.manual_seed(ARGS.seed)
    out = {
        "torch": torch.__version__,
        "threadsAsked": ARGS.threads,
        "threads": torch.get_num_threads(),
        "mode": ARGS.mode,
        **blas_info(),
    }
    if out["threads"] != ARGS.threads:
        sys.exit(f"asked for {ARGS.threads} threads, torch runs {out['threads']}")
    if ARGS.mode == "sgemm":
        out["sgemm"] = sgemm()
    else:
        samples = dict(kv.split("=") for kv in ARGS.epoch_samples.split(","))
        out["results"] = {}
        for name in ARGS.models.split(","):
            if ARGS.mode == "step":
                out["results"][name] = step_throughput(name)
            else:
                out["results"][name] = epoch_throughput(name, int(samples.get(name, 5120)))
    print(json.dumps(out))


if __name__ == "__main__":
    main()
