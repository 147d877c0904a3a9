#!/usr/bin/env python3
"""A small CNN trained at test time on a real data set (scikit-learn's
digits: 1,797 8x8 images of handwritten digits), for the int8 accuracy
check of `--quantize=int8`.

usage: digits_cnn.py train WORK      trains with a fixed seed and writes
                                     WORK/model.onnx (batch dynamic),
                                     WORK/calibration.npy (training images),
                                     WORK/test.npy, WORK/labels.npy and
                                     WORK/torch.npy (PyTorch's test logits)
       digits_cnn.py accuracy WORK F32 INT8 [MAX_DROP]
                                     prints the test accuracy of the f32
                                     and int8 logits (.npy) and fails if
                                     int8 loses more than MAX_DROP points
                                     (default 0.5)
"""
import os
import sys

import numpy as np

TEST_SIZE = 360
CALIBRATION_SIZE = 360


def split():
    from sklearn.datasets import load_digits
    digits = load_digits()
    images = (digits.images / 16.0).astype(np.float32)[:, None, :, :]
    labels = digits.target.astype(np.int64)
    order = np.random.RandomState(0).permutation(len(labels))
    images, labels = images[order], labels[order]
    return (images[TEST_SIZE:], labels[TEST_SIZE:]), (images[:TEST_SIZE], labels[:TEST_SIZE])


def train(work):
    import torch
    import torch.nn as nn
    torch.manual_seed(0)
    torch.set_num_threads(1)
    (train_x, train_y), (test_x, test_y) = split()
    model = nn.Sequential(
        nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(),
        nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
        nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
        nn.Conv2d(64, 64, 1), nn.ReLU(),
        nn.Flatten(), nn.Linear(64 * 4 * 4, 10))
    optimizer = torch.optim.Adam(model.parameters(), lr=2e-3)
    x, y = torch.from_numpy(train_x), torch.from_numpy(train_y)
    for epoch in range(30):
        model.train()
        for batch in torch.randperm(len(y)).split(64):
            optimizer.zero_grad()
            loss = nn.functional.cross_entropy(model(x[batch]), y[batch])
            loss.backward()
            optimizer.step()
    model.eval()
    os.makedirs(work, exist_ok=True)
    with torch.no_grad():
        logits = model(torch.from_numpy(test_x)).numpy()
    torch.onnx.export(model, torch.zeros(1, 1, 8, 8), os.path.join(work, "model.onnx"),
                      opset_version=14, input_names=["image"], output_names=["logits"],
                      dynamic_axes={"image": {0: "batch"}, "logits": {0: "batch"}})
    np.save(os.path.join(work, "calibration.npy"), train_x[:CALIBRATION_SIZE])
    np.save(os.path.join(work, "test.npy"), test_x)
    np.save(os.path.join(work, "labels.npy"), test_y)
    np.save(os.path.join(work, "torch.npy"), logits.astype(np.float32))
    print("trained: PyTorch test accuracy %.2f%%" % (100.0 * (logits.argmax(1) == test_y).mean()))


def accuracy(work, f32_path, int8_path, max_drop):
    labels = np.load(os.path.join(work, "labels.npy"))
    results = {}
    for name, path in (("f32", f32_path), ("int8", int8_path)):
        logits = np.load(path)
        if logits.shape != (len(labels), 10) or not np.isfinite(logits).all():
            sys.exit("%s: expected finite logits of shape %s, got %s" %
                     (path, (len(labels), 10), logits.shape))
        results[name] = 100.0 * (logits.argmax(1) == labels).mean()
    drop = results["f32"] - results["int8"]
    print("test accuracy: f32 %.2f%%, int8 %.2f%% (%.2f points lost, at most %.2f allowed)" %
          (results["f32"], results["int8"], drop, max_drop))
    if results["f32"] < 90.0:
        sys.exit("the f32 model learned too little (%.2f%%) for an accuracy check" %
                 results["f32"])
    if drop > max_drop:
        sys.exit("int8 lost %.2f points of accuracy" % drop)


if __name__ == "__main__":
    if len(sys.argv) == 3 and sys.argv[1] == "train":
        train(sys.argv[2])
    elif len(sys.argv) in (5, 6) and sys.argv[1] == "accuracy":
        accuracy(sys.argv[2], sys.argv[3], sys.argv[4],
                 float(sys.argv[5]) if len(sys.argv) == 6 else 0.5)
    else:
        sys.exit(__doc__)
