"""PyTorch definitions of the test models torchvision does not have, so
that they too are checked against PyTorch (torch_fixture.py builds them by
name, like torchvision's).

  mobilenet_v1   MobileNetV1, width 1.0 (Howard et al. 2017), with the
                 parameter names cnn-zoo gives it: features.0 (conv, BN,
                 ReLU), features.1-13 (depthwise conv, BN, ReLU, pointwise
                 conv, BN, ReLU), classifier
  activations    a small classifier through every activation the
                 classifiers lack: Tanh, LeakyReLU, PReLU (per channel and
                 one), ELU, SELU, CELU, Softplus, Softsign, Mish, Hardtanh
                 and the elementwise math (exp, log, abs, neg, reciprocal,
                 sqrt, pow, maximum, minimum), torch.where of comparisons;
                 average and max pooled at the end, and
                 its maximum over H and W (ReduceMax)
  preprocessed   a classifier that normalizes its own input, (x / 255 -
                 mean) / std, as exported models often do (Div, Sub)
  espcn          super-resolution: convs at low resolution, then
                 PixelShuffle (ONNX DepthToSpace, CRD) to 3x the size
  unet           a small U-Net: transposed convs up, skip concatenations
  unet_bilinear  the same with bilinear upsampling and resizes to the
                 input's size (Resize)
  unet_classes   the U-Net with its class map as the output: the arg-max
                 over the classes (ArgMax, without keepdims), [N, H, W]
  fpn_nearest    a feature pyramid's top-down path: nearest upsampling by
                 2 added to finer features (Upsample at opset 9)
  unshuffle      image restoration at half resolution: PixelUnshuffle
                 (Reshape, Transpose, Reshape in ONNX), convs, PixelShuffle
                 back, plus the input
  yolo           a YOLOv5-style detector: a small backbone, a head per
                 scale (stride 8 and 16, 3 anchors, 4 classes) whose output
                 is viewed as [N, A, K, H, W], permuted to [N, A, H, W, K],
                 sigmoid-decoded with grid and anchor constants and
                 flattened to [N, boxes, K]; the scales concatenated
  groupnorm_resnet  residual blocks of GroupNorm + SiLU + conv, as
                 diffusion U-Nets build them, after an InstanceNorm2d stem
                 (ONNX InstanceNormalization, and GroupNorm exported as
                 Reshape, InstanceNormalization, Reshape, Mul, Add)
  cbam_embedding  CBAM attention (channel: average and max pooled MLP;
                 spatial: mean and maximum over channels, 7x7 conv) and
                 a BAM-style gate (channel and spatial statistics
                 broadcast both ways, 1 - sigmoid), channels picked by
                 index (Gather), and
                 an embedding head: the channel norm and minimum
                 (ReduceSum, ReduceMin), F.normalize (ReduceL2, Clip,
                 Expand, Div), log_softmax and a spatial sum
  autoencoder    a convolutional autoencoder: stride-2 convs down, then
                 transposed convs up as DCGAN (4x4, stride 2, padding 1)
                 and decoders (3x3, stride 2, output padding 1) write
                 them, a sigmoid at the end
  style_transfer an image-to-image net as fast style transfer builds it
                 (Johnson et al. 2016): reflection padding (ONNX Pad,
                 reflect) before each conv, InstanceNorm, residual blocks,
                 nearest upsampling with replication padding (edge),
                 constant padding of 0.5, zero padding before a max pool,
                 and image statistics through Squeeze and Unsqueeze
"""
import torch
from torch import nn


def mobilenet_v1(num_classes=1000):
    def stem():
        return nn.Sequential(nn.Conv2d(3, 32, 3, 2, 1, bias=False),
                             nn.BatchNorm2d(32), nn.ReLU())

    def separable(inp, out, stride):
        return nn.Sequential(
            nn.Conv2d(inp, inp, 3, stride, 1, groups=inp, bias=False),
            nn.BatchNorm2d(inp), nn.ReLU(),
            nn.Conv2d(inp, out, 1, bias=False), nn.BatchNorm2d(out), nn.ReLU())

    pairs = [(64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), (512, 1),
             (512, 1), (512, 1), (512, 1), (512, 1), (1024, 2), (1024, 1)]
    layers, channels = [stem()], 32
    for out, stride in pairs:
        layers.append(separable(channels, out, stride))
        channels = out

    class MobileNetV1(nn.Module):
        def __init__(self):
            super().__init__()
            self.features = nn.Sequential(*layers)
            self.classifier = nn.Linear(1024, num_classes)

        def forward(self, x):
            x = nn.functional.adaptive_avg_pool2d(self.features(x), 1)
            return self.classifier(torch.flatten(x, 1))

    return MobileNetV1()


def activations(num_classes=10):
    class Activations(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 16, 3, padding=1)
            self.bn1 = nn.BatchNorm2d(16)
            self.conv2 = nn.Conv2d(16, 32, 3, stride=2, padding=1)
            self.conv3 = nn.Conv2d(32, 32, 3, padding=1)
            self.prelu = nn.PReLU(32)
            self.prelu_one = nn.PReLU()
            self.conv4 = nn.Conv2d(32, 32, 1)
            self.chain = nn.Sequential(
                nn.ELU(0.7), nn.SELU(), nn.CELU(1.3), nn.Softplus(),
                nn.Softsign(), nn.Mish(), nn.Hardtanh(-0.6, 0.6))
            self.fc = nn.Linear(32, num_classes)

        def forward(self, x):
            x = torch.tanh(self.bn1(self.conv1(x)))
            x = nn.functional.leaky_relu(self.conv2(x), 0.1)
            x = self.prelu_one(self.prelu(self.conv3(x)))
            x = self.chain(self.conv4(x))
            # Elementwise math, kept where it is defined.
            x = torch.log(torch.exp(x) + 1) - torch.sqrt(torch.abs(x) + 1)
            x = torch.reciprocal(torch.pow(torch.abs(x) + 0.5, 1.5)) + torch.neg(x)
            # Max of two activations, Min with a constant.
            x = torch.minimum(torch.maximum(x, 0.3 * x), torch.tensor(1.5))
            # torch.where of comparisons (Greater, Less, GreaterOrEqual,
            # LessOrEqual, And, Or, Not, Where), one branch a constant.
            x = torch.where(x > 0, x, 0.2 * x)
            x = torch.where((x < 1.2) & (x >= -0.4), x, torch.tensor(0.5))
            x = torch.where(~(x <= 0.1) | (x > 0.9), x, -x)
            # Average and max pooled (GlobalAveragePool; PyTorch writes the
            # max as a MaxPool over the whole map).
            peak = torch.amax(x, dim=(2, 3))  # ReduceMax without keepdims
            x = (nn.functional.adaptive_avg_pool2d(x, 1) +
                 nn.functional.adaptive_max_pool2d(x, 1))
            return self.fc(torch.flatten(x, 1) + peak)

    return Activations()


def preprocessed(num_classes=10):
    class Preprocessed(nn.Module):
        def __init__(self):
            super().__init__()
            self.register_buffer("mean", torch.tensor([0.485, 0.456, 0.406]).view(1, 3, 1, 1))
            self.register_buffer("std", torch.tensor([0.229, 0.224, 0.225]).view(1, 3, 1, 1))
            self.conv = nn.Conv2d(3, 16, 3, padding=1)
            self.bn = nn.BatchNorm2d(16)
            self.fc = nn.Linear(16, num_classes)

        def forward(self, x):
            x = (x * 64 / 255 - self.mean) / self.std
            x = torch.relu(self.bn(self.conv(x)))
            return self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))

    return Preprocessed()


def espcn(upscale=3):
    """ESPCN (Shi et al., 2016), on RGB: features at low resolution, then a
    sub-pixel convolution (PixelShuffle) to `upscale` times the size."""
    class ESPCN(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(3, 64, 5, padding=2)
            self.conv2 = nn.Conv2d(64, 32, 3, padding=1)
            self.conv3 = nn.Conv2d(32, 3 * upscale * upscale, 3, padding=1)
            self.shuffle = nn.PixelShuffle(upscale)

        def forward(self, x):
            x = torch.tanh(self.conv2(torch.tanh(self.conv1(x))))
            return self.shuffle(self.conv3(x))

    return ESPCN()


def unet(classes=3, bilinear=False):
    """A small U-Net as the popular PyTorch one builds it: double 3x3 conv
    blocks, max-pool down, up by 2x2 stride-2 transposed convs (or, with
    bilinear, bilinear upsampling, align_corners=True) and skip
    concatenations; the bilinear one ends with resizes to half and back to
    the input's size, as segmentation heads do."""
    def block(inp, out):
        return nn.Sequential(nn.Conv2d(inp, out, 3, padding=1, bias=False),
                             nn.BatchNorm2d(out), nn.ReLU(),
                             nn.Conv2d(out, out, 3, padding=1, bias=False),
                             nn.BatchNorm2d(out), nn.ReLU())

    class UNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.inc, self.down1, self.down2 = block(3, 16), block(16, 32), block(32, 64)
            self.up1, self.up2 = block(64 + 32, 32), block(32 + 16, 16)
            self.head = nn.Conv2d(16, classes, 1)
            if bilinear:
                up = nn.Upsample(scale_factor=2, mode="bilinear", align_corners=True)
                self.upconv1, self.upconv2 = up, up
            else:
                self.upconv1 = nn.ConvTranspose2d(64, 64, 2, stride=2)
                self.upconv2 = nn.ConvTranspose2d(32, 32, 2, stride=2)

        def forward(self, x):
            x1 = self.inc(x)
            x2 = self.down1(nn.functional.max_pool2d(x1, 2))
            x3 = self.down2(nn.functional.max_pool2d(x2, 2))
            y = self.up1(torch.cat([self.upconv1(x3), x2], 1))
            y = self.head(self.up2(torch.cat([self.upconv2(y), x1], 1)))
            if not bilinear:
                return y
            y = nn.functional.interpolate(y, scale_factor=0.5, mode="bilinear",
                                          align_corners=False)
            return nn.functional.interpolate(y, size=x.shape[-2:], mode="nearest")

    return UNet()


def fpn_nearest(classes=4):
    """A feature-pyramid top-down path: coarse features upsampled by 2
    (nearest, as FPN and YOLO necks do) and added to finer ones; exported
    at opset 9 as Upsample, later as Resize."""
    class FPN(nn.Module):
        def __init__(self):
            super().__init__()
            self.c1 = nn.Conv2d(3, 16, 3, padding=1)
            self.c2 = nn.Conv2d(16, 16, 3, stride=2, padding=1)
            self.c3 = nn.Conv2d(16, 16, 3, stride=2, padding=1)
            self.head = nn.Conv2d(16, classes, 3, padding=1)

        def forward(self, x):
            p1 = torch.relu(self.c1(x))
            p2 = torch.relu(self.c2(p1))
            p3 = torch.relu(self.c3(p2))
            up = nn.functional.interpolate
            p2 = p2 + up(p3, scale_factor=2.0, mode="nearest")
            return self.head(p1 + up(p2, scale_factor=2.0, mode="nearest"))

    return FPN()


def unshuffle():
    class Unshuffle(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = nn.Sequential(
                nn.PixelUnshuffle(2), nn.Conv2d(12, 32, 3, padding=1), nn.ReLU(),
                nn.Conv2d(32, 12, 3, padding=1), nn.PixelShuffle(2))

        def forward(self, x):
            return x + self.body(x)

    return Unshuffle()


def yolo(classes=4, anchors=3):
    class Detect(nn.Module):
        """One scale of YOLOv5's Detect in inference mode."""

        def __init__(self, channels, stride, anchor_sizes):
            super().__init__()
            self.k = classes + 5
            self.stride = stride
            self.conv = nn.Conv2d(channels, anchors * self.k, 1)
            self.register_buffer("anchor", torch.tensor(anchor_sizes).view(1, anchors, 1, 1, 2))

        def forward(self, x):
            n, _, h, w = x.shape
            y = self.conv(x).view(n, anchors, self.k, h, w).permute(0, 1, 3, 4, 2)
            y = y.sigmoid()
            gy, gx = torch.meshgrid(torch.arange(h), torch.arange(w), indexing="ij")
            grid = torch.stack((gx, gy), 2).view(1, 1, h, w, 2).float()
            xy = (y[..., 0:2] * 2 - 0.5 + grid) * self.stride
            wh = (y[..., 2:4] * 2) ** 2 * self.anchor
            return torch.cat((xy, wh, y[..., 4:]), -1).view(n, -1, self.k)

    class Yolo(nn.Module):
        def __init__(self):
            super().__init__()

            def block(i, o, s):
                return nn.Sequential(nn.Conv2d(i, o, 3, s, 1, bias=False),
                                     nn.BatchNorm2d(o), nn.SiLU())
            self.p3 = nn.Sequential(block(3, 16, 2), block(16, 32, 2), block(32, 32, 2))
            self.p4 = block(32, 64, 2)
            self.d3 = Detect(32, 8, [[10, 13], [16, 30], [33, 23]])
            self.d4 = Detect(64, 16, [[30, 61], [62, 45], [59, 119]])

        def forward(self, x):
            p3 = self.p3(x)
            return torch.cat((self.d3(p3), self.d4(self.p4(p3))), 1)

    return Yolo()


def groupnorm_resnet(num_classes=10):
    class ResBlock(nn.Module):
        def __init__(self, channels, groups):
            super().__init__()
            self.body = nn.Sequential(
                nn.GroupNorm(groups, channels), nn.SiLU(),
                nn.Conv2d(channels, channels, 3, padding=1),
                nn.GroupNorm(groups, channels), nn.SiLU(),
                nn.Conv2d(channels, channels, 3, padding=1))

        def forward(self, x):
            return x + self.body(x)

    return nn.Sequential(
        nn.Conv2d(3, 32, 3, padding=1), nn.InstanceNorm2d(32, affine=True),
        nn.SiLU(), ResBlock(32, 8), ResBlock(32, 8),
        nn.Conv2d(32, 64, 3, stride=2, padding=1), ResBlock(64, 16),
        nn.GroupNorm(1, 64), nn.SiLU(), nn.AdaptiveAvgPool2d(1), nn.Flatten(),
        nn.Linear(64, num_classes))


def cbam_embedding(dim=16, num_classes=10):
    class ChannelAttention(nn.Module):
        def __init__(self, channels, reduction=4):
            super().__init__()
            self.mlp = nn.Sequential(
                nn.Conv2d(channels, channels // reduction, 1), nn.ReLU(),
                nn.Conv2d(channels // reduction, channels, 1))

        def forward(self, x):
            avg = self.mlp(nn.functional.adaptive_avg_pool2d(x, 1))
            peak = self.mlp(nn.functional.adaptive_max_pool2d(x, 1))
            return x * torch.sigmoid(avg + peak)

    class SpatialAttention(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv = nn.Conv2d(2, 1, 7, padding=3)

        def forward(self, x):
            s = torch.cat((x.mean(1, keepdim=True), x.amax(1, keepdim=True)), 1)
            return x * torch.sigmoid(self.conv(s))

    class CbamEmbedding(nn.Module):
        def __init__(self):
            super().__init__()
            self.stem = nn.Sequential(nn.Conv2d(3, 32, 3, padding=1),
                                      nn.BatchNorm2d(32), nn.ReLU())
            self.channel = ChannelAttention(32)
            self.spatial = SpatialAttention()
            self.down = nn.Conv2d(32, 48, 3, stride=2, padding=1)
            self.embed = nn.Linear(48, dim)
            self.fc = nn.Linear(dim, num_classes)

        def forward(self, x):
            x = self.spatial(self.channel(self.stem(x)))
            x = torch.relu(self.down(x))
            # BAM-style gate: channel [N, C, 1, 1] plus spatial [N, 1, H, W]
            # statistics (broadcast both ways), 1 - sigmoid (a constant
            # minus an activation).
            x = x * (1 - torch.sigmoid(x.mean((2, 3), keepdim=True) +
                                       x.mean(1, keepdim=True)))
            # Channels picked by index (Gather by a list and by a scalar).
            x = x + 0.1 * (x[:, [3, 0]].mean(1, keepdim=True) +
                           x[:, 2].unsqueeze(1))
            # The channel norm (Mul, ReduceSum, Sqrt) and minimum.
            x = x + 0.1 * (x.norm(dim=1, keepdim=True) - x.amin(1, keepdim=True))
            pooled = torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1)
            emb = nn.functional.normalize(self.embed(pooled), dim=1)
            return torch.cat((nn.functional.log_softmax(self.fc(emb), 1), emb,
                              0.01 * x.sum((2, 3))), 1)

    return CbamEmbedding()


def autoencoder():
    return nn.Sequential(
        nn.Conv2d(3, 32, 3, stride=2, padding=1), nn.BatchNorm2d(32), nn.ReLU(),
        nn.Conv2d(32, 64, 3, stride=2, padding=1), nn.BatchNorm2d(64), nn.ReLU(),
        nn.ConvTranspose2d(64, 32, 4, stride=2, padding=1), nn.BatchNorm2d(32),
        nn.ReLU(),
        nn.ConvTranspose2d(32, 16, 3, stride=2, padding=1, output_padding=1),
        nn.ReLU(), nn.Conv2d(16, 3, 3, padding=1), nn.Sigmoid())


def style_transfer():
    def conv(cin, cout, kernel, stride=1):
        return nn.Sequential(nn.ReflectionPad2d(kernel // 2),
                             nn.Conv2d(cin, cout, kernel, stride))

    class Residual(nn.Module):
        def __init__(self, channels):
            super().__init__()
            self.body = nn.Sequential(
                conv(channels, channels, 3), nn.InstanceNorm2d(channels, affine=True),
                nn.ReLU(), conv(channels, channels, 3),
                nn.InstanceNorm2d(channels, affine=True))

        def forward(self, x):
            return x + self.body(x)

    class StyleTransfer(nn.Module):
        def __init__(self):
            super().__init__()
            self.down = nn.Sequential(
                conv(3, 16, 9), nn.InstanceNorm2d(16, affine=True), nn.ReLU(),
                nn.ZeroPad2d((1, 0, 1, 0)), nn.MaxPool2d(2, stride=1),
                conv(16, 32, 3, 2), nn.InstanceNorm2d(32, affine=True), nn.ReLU(),
                Residual(32), Residual(32))
            self.up = nn.Sequential(
                nn.ReplicationPad2d(1), nn.Conv2d(32, 16, 3),
                nn.InstanceNorm2d(16, affine=True), nn.ReLU(),
                nn.ConstantPad2d(2, 0.5), nn.Conv2d(16, 3, 5))

        def forward(self, x):
            y = self.down(x)
            y = self.up(nn.functional.interpolate(y, scale_factor=2, mode="nearest"))
            # Image statistics: [N, 3] means back to [N, 3, 1, 1], and the
            # channel maximum squeezed to [N, H, W] and back.
            mean = y.mean((2, 3)).unsqueeze(-1).unsqueeze(-1)
            peak = y.amax(1, keepdim=True).squeeze(1)
            return torch.tanh(y - mean) * torch.sigmoid(peak.unsqueeze(1))

    return StyleTransfer()


class ClassMap(nn.Module):
    """A segmentation net whose output is each pixel's class (torch.argmax
    over the channels), as deployed segmenters often export."""

    def __init__(self, net):
        super().__init__()
        self.net = net

    def forward(self, x):
        return self.net(x).argmax(1)


MODELS = {"mobilenet_v1": mobilenet_v1, "activations": activations,
          "preprocessed": preprocessed, "espcn": espcn,
          "groupnorm_resnet": groupnorm_resnet, "unshuffle": unshuffle,
          "yolo": yolo,
          "unet": unet, "unet_bilinear": lambda: unet(bilinear=True),
          "unet_classes": lambda: ClassMap(unet()),
          "fpn_nearest": fpn_nearest, "cbam_embedding": cbam_embedding,
          "autoencoder": autoencoder, "style_transfer": style_transfer}
