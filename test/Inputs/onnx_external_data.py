#!/usr/bin/env python3
"""Writes DIR/model.onnx: a small conv net whose initializers are stored as
external data in DIR/weights.bin, as torch.onnx.export does for models over
2 GB (python3-onnx's external data helper).

usage: onnx_external_data.py DIR
"""
import os
import sys

import onnx
import torch
from onnx.external_data_helper import convert_model_to_external_data

folder = sys.argv[1]
os.makedirs(folder, exist_ok=True)
torch.manual_seed(1)
net = torch.nn.Sequential(torch.nn.Conv2d(3, 8, 3, padding=1), torch.nn.ReLU(),
                          torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(),
                          torch.nn.Linear(8, 4)).eval()
x = torch.randn(1, 3, 8, 8)
path = os.path.join(folder, "model.onnx")
torch.onnx.export(net, x, path, input_names=["input"], output_names=["output"])
model = onnx.load(path)
convert_model_to_external_data(model, all_tensors_to_one_file=True,
                               location="weights.bin", size_threshold=0)
onnx.save_model(model, path)
