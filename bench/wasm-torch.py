"""Times DenseNet training steps in PyTorch on the CPU, for bench/wasm.mjs.

    python3 bench/wasm-torch.py --batch 16 --seconds 6 --threads 2

Builds the three networks bench/wasm.mjs times (same layout as the app's
model: BN-ReLU-Conv, 3x3 stem, three dense blocks, transitions with 1x1
convolution and 2x2 average pooling, global average pooling, linear
classifier), trains each with SGD (Nesterov momentum 0.9, learning rate 0.1)
on random 32x32 images, and prints a JSON object mapping each network's name
to training images per second. Requires torch; nothing else.
"""

import argparse
import json
import math
import time

import torch
from torch import nn


class DenseLayer(nn.Module):
    def __init__(self, channels, growth_rate, bottleneck):
        super().__init__()
        layers = []
        width = channels
        if bottleneck:
            layers += [nn.BatchNorm2d(width), nn.ReLU(inplace=True),
                       nn.Conv2d(width, 4 * growth_rate, 1, bias=False)]
            width = 4 * growth_rate
        layers += [nn.BatchNorm2d(width), nn.ReLU(inplace=True),
                   nn.Conv2d(width, growth_rate, 3, padding=1, bias=False)]
        self.body = nn.Sequential(*layers)

    def forward(self, x):
        return torch.cat([x, self.body(x)], 1)


def densenet(depth, growth_rate, bottleneck, compression, classes=10):
    layers_per_block = (depth - 4) // (6 if bottleneck else 3)
    channels = 2 * growth_rate if bottleneck and compression < 1 else 16
    modules = [nn.Conv2d(3, channels, 3, padding=1, bias=False)]
    for block in range(3):
        for _ in range(layers_per_block):
            modules.append(DenseLayer(channels, growth_rate, bottleneck))
            channels += growth_rate
        if block < 2:
            out = int(math.floor(compression * channels))
            modules += [nn.BatchNorm2d(channels), nn.ReLU(inplace=True),
                        nn.Conv2d(channels, out, 1, bias=False), nn.AvgPool2d(2)]
            channels = out
    modules += [nn.BatchNorm2d(channels), nn.ReLU(inplace=True),
                nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, classes)]
    return nn.Sequential(*modules)


NETWORKS = {
    'DenseNet L=10 k=8': dict(depth=10, growth_rate=8, bottleneck=False, compression=1.0),
    'DenseNet-BC L=22 k=12': dict(depth=22, growth_rate=12, bottleneck=True, compression=0.5),
    'DenseNet L=40 k=12': dict(depth=40, growth_rate=12, bottleneck=False, compression=1.0),
}


def images_per_second(model, batch, seconds):
    optimizer = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, nesterov=True)
    loss_fn = nn.CrossEntropyLoss()
    images = torch.randn(batch, 3, 32, 32)
    labels = torch.arange(batch) % 10

    def step():
        optimizer.zero_grad()
        loss = loss_fn(model(images), labels)
        loss.backward()
        optimizer.step()

    step()
    steps = 0
    start = time.perf_counter()
    while True:
        step()
        steps += 1
        elapsed = time.perf_counter() - start
        if elapsed >= seconds:
            return steps * batch / elapsed


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument('--batch', type=int, default=16)
    parser.add_argument('--seconds', type=float, default=6.0)
    parser.add_argument('--threads', type=int, default=1)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    results = {}
    for name, config in NETWORKS.items():
        torch.manual_seed(0)
        model = densenet(**config).train()
        results[name] = images_per_second(model, args.batch, args.seconds)
    print(json.dumps(results))


if __name__ == '__main__':
    main()
