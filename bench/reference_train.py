#!/usr/bin/python3
"""The same k-fold recipe as `cassava train`, written the usual way in PyTorch: torchvision's
efficientnet_b0, PIL decoding, torchvision transforms, DataLoader workers. The baseline of
bench/bench_train_real.sh. Run with Debian's /usr/bin/python3 (python3-torch, python3-torchvision).

It reads the run's config.json and folds.csv so that data, folds, epochs, size, batch, schedule and
augmentation are the ones `cassava train` used, and prints one JSON line with the OOF accuracy,
per-class accuracy and wall time.

    /usr/bin/python3 bench/reference_train.py --run RUN [--threads 2] [--workers 2] [--override JSON]
"""
import argparse
import csv
import json
import math
import os
import time

import torch
import torchvision
from PIL import Image
from torchvision import transforms as T


def read_folds(run):
    with open(os.path.join(run, "folds.csv")) as f:
        rows = list(csv.DictReader(f))
    return {r["image_id"]: int(r["fold"]) for r in rows}


def read_labels(run, data):
    path = os.path.join(run, "labels.csv")
    if not os.path.exists(path):
        path = os.path.join(data, "train.csv")
    with open(path) as f:
        return {r["image_id"]: int(r["label"]) for r in csv.DictReader(f)}


class Photos(torch.utils.data.Dataset):
    def __init__(self, root, items, transform):
        self.root, self.items, self.transform = root, items, transform

    def __len__(self):
        return len(self.items)

    def __getitem__(self, i):
        image_id, label = self.items[i]
        with Image.open(os.path.join(self.root, "train_images", image_id)) as im:
            return self.transform(im.convert("RGB")), label


def adapt_normalization(root, items, size):
    """Per-channel mean and std over the training split (Keras' Normalization.adapt)."""
    total = torch.zeros(3, dtype=torch.float64)
    squares = torch.zeros(3, dtype=torch.float64)
    count = 0
    shrink = T.Compose([T.Resize(size), T.PILToTensor()])
    for image_id, _ in items:
        with Image.open(os.path.join(root, "train_images", image_id)) as im:
            x = shrink(im.convert("RGB")).double() / 255.0
        total += x.sum((1, 2))
        squares += (x * x).sum((1, 2))
        count += x.shape[1] * x.shape[2]
    mean = total / count
    return mean.tolist(), (squares / count - mean * mean).clamp_min(1e-6).sqrt().tolist()


def cosine(step, total, warmup, lr, alpha):
    if step < warmup:
        return lr * (step + 1) / warmup
    t = min(1.0, (step - warmup) / max(1, total - warmup))
    return lr * ((1 - alpha) * 0.5 * (1 + math.cos(math.pi * t)) + alpha)


def train_fold(c, root, train_items, val_items, threads, workers):
    size, aug = c["size"], c["augment"]
    mean, std = adapt_normalization(root, train_items, size)
    train_tf = [T.RandomResizedCrop(size, scale=(aug["min_area"], aug["max_area"]))]
    if aug["flip_horizontal"]:
        train_tf.append(T.RandomHorizontalFlip())
    if aug["flip_vertical"]:
        train_tf.append(T.RandomVerticalFlip())
    if aug["rotation_turns"] > 0:
        train_tf.append(T.RandomRotation(aug["rotation_turns"] * 360))
    if aug["contrast"] > 0:
        train_tf.append(T.ColorJitter(contrast=aug["contrast"]))
    train_tf += [T.ToTensor(), T.Normalize(mean, std)]
    val_tf = T.Compose([T.Resize(size), T.CenterCrop(size), T.ToTensor(), T.Normalize(mean, std)])
    train_loader = torch.utils.data.DataLoader(Photos(root, train_items, T.Compose(train_tf)), batch_size=c["batch"],
                                               shuffle=True, drop_last=True, num_workers=workers,
                                               persistent_workers=workers > 0)
    val_loader = torch.utils.data.DataLoader(Photos(root, val_items, val_tf), batch_size=c["batch"],
                                             num_workers=workers, persistent_workers=workers > 0)
    model = torchvision.models.efficientnet_b0(num_classes=5, stochastic_depth_prob=c["drop_connect"])
    if c.get("channels_last"):
        model = model.to(memory_format=torch.channels_last)
    opt = torch.optim.Adam(model.parameters(), lr=c["lr"], weight_decay=c["weight_decay"])
    steps = c["epochs"] * len(train_loader)
    warmup = round(c["warmup_epochs"] * len(train_loader))
    step, best = 0, (-1.0, None)
    for epoch in range(c["epochs"]):
        model.train()
        for x, y in train_loader:
            for g in opt.param_groups:
                g["lr"] = cosine(step, steps, warmup, c["lr"], c["alpha"])
            if c.get("channels_last"):
                x = x.contiguous(memory_format=torch.channels_last)
            opt.zero_grad()
            torch.nn.functional.cross_entropy(model(x), y, label_smoothing=c["label_smoothing"]).backward()
            opt.step()
            step += 1
        model.eval()
        probs = []
        with torch.no_grad():
            for x, _ in val_loader:
                probs.append(torch.softmax(model(x), 1))
        probs = torch.cat(probs)
        labels = torch.tensor([label for _, label in val_items])
        accuracy = (probs.argmax(1) == labels).float().mean().item()
        print(json.dumps({"epoch": epoch, "val_accuracy": accuracy}), flush=True)
        if accuracy > best[0]:
            best = (accuracy, probs)
    return best[1]


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--run", required=True, help="a `cassava train` run folder (config.json, folds.csv)")
    p.add_argument("--threads", type=int, default=os.cpu_count())
    p.add_argument("--workers", type=int, default=os.cpu_count())
    p.add_argument("--override", default="{}",
                   help='settings that differ from the run\'s, as JSON: \'{"size": 192, "epochs": 10}\'')
    a = p.parse_args()
    start = time.perf_counter()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    with open(os.path.join(a.run, "config.json")) as f:
        c = json.load(f)
    c.update(json.loads(a.override))
    root = c["data"]
    folds = read_folds(a.run)
    labels = read_labels(a.run, root)
    # k-fold: every fold is validated once; hold-out (folds < 2): fold 1 is the validation set.
    kfold = c.get("folds", 0) >= 2
    confusion = [[0] * 5 for _ in range(5)]
    for fold in (range(max(folds.values()) + 1) if kfold else [1]):
        train_items = [(i, labels[i]) for i, f in folds.items() if f != fold]
        val_items = [(i, labels[i]) for i, f in folds.items() if f == fold]
        probs = train_fold(c, root, train_items, val_items, a.threads, a.workers)
        for (_, label), pred in zip(val_items, probs.argmax(1).tolist()):
            confusion[label][pred] += 1
    total = sum(map(sum, confusion))
    print(json.dumps({"oof_accuracy": sum(confusion[i][i] for i in range(5)) / total,
                      "per_class_accuracy": [confusion[i][i] / max(1, sum(confusion[i])) for i in range(5)],
                      "confusion": confusion, "seconds": time.perf_counter() - start}))


if __name__ == "__main__":
    main()
