#!/usr/bin/env python3
"""Export a torchvision (or timm) backbone with chosen taps into PerceptSweep's model-file contract.

Writes NAME.pt, TorchScript whose forward(x) takes float32 [N,3,H,W] RGB in [0,1] (the net's own
normalisation is inside), and returns a list of tap tensors [N,C,h,w] in card order; and NAME.json,
the model card (name, architecture, goal, training_data, taps with channels and shape_at_384x512,
learning, depth, parameters, input, source, licence, sha256). See shared/models/README.md for the
contract; learning is supervised, self-supervised, perceptual or none, depth the number of weight layers
(conv and linear) and parameters the number of parameter values, both counted in the saved file.

Then it checks the export: the saved file is loaded back and compared with the eager model on random
inputs (max abs diff printed, failure above --tolerance), the card's taps and channels are checked
against the loaded file's outputs at 384x512, and the smallest input of the contract (64x64) must run.

Examples (run where the weights can be downloaded; --weights none needs no network):
  tools/export_torchvision.py --arch alexnet --weights IMAGENET1K_V1 --out models/
  tools/export_torchvision.py --arch squeezenet1_1 --weights none --seed 0 --out /tmp/nets
  tools/export_torchvision.py --arch resnet50 --weights ./moco_v2_800ep.pth --state-dict-prefix module.encoder_q. \\
      --goal self-supervised-contrastive --learning self-supervised --training-data imagenet-1k \\
      --name resnet50-mocov2 --out models/
  tools/export_torchvision.py --arch segmentation.deeplabv3_resnet50 --weights COCO_WITH_VOC_LABELS_V1 --out models/
  tools/export_torchvision.py --arch timm:convnext_tiny --weights pretrained --out models/
  tools/export_torchvision.py --arch vgg16 --list-modules        # module names to pick taps from
"""

import argparse
import hashlib
import inspect
import json
import os
import re
import sys
import tempfile

IMAGENET_MEAN = [0.485, 0.456, 0.406]
IMAGENET_STD = [0.229, 0.224, 0.225]
CARD_H, CARD_W = 384, 512
MIN_SIDE = 64

# Default taps per architecture: (tap name, module name). They match the cards in shared/models
# (alexnet/squeezenet: the LPIPS slices; mobilenet_v2: blockK = features.K) and the usual stage ends.
DEFAULT_TAPS = {
    "alexnet": [("relu1", "features.1"), ("relu2", "features.4"), ("relu3", "features.7"),
                ("relu4", "features.9"), ("relu5", "features.11")],
    "squeezenet1_1": [("relu1", "features.1"), ("fire3", "features.4"), ("fire5", "features.7"),
                      ("fire6", "features.9"), ("fire7", "features.10"), ("fire8", "features.11"),
                      ("fire9", "features.12")],
    "vgg16": [("relu1_2", "features.3"), ("relu2_2", "features.8"), ("relu3_3", "features.15"),
              ("relu4_3", "features.22"), ("relu5_3", "features.29")],
    "vgg16_bn": [("relu1_2", "features.5"), ("relu2_2", "features.12"), ("relu3_3", "features.22"),
                 ("relu4_3", "features.32"), ("relu5_3", "features.42")],
    "resnet18": [("relu", "relu"), ("layer1", "layer1"), ("layer2", "layer2"), ("layer3", "layer3"),
                 ("layer4", "layer4")],
    "resnet50": [("relu", "relu"), ("layer1", "layer1"), ("layer2", "layer2"), ("layer3", "layer3"),
                 ("layer4", "layer4")],
    "densenet121": [("relu0", "features.relu0"), ("denseblock1", "features.denseblock1"),
                    ("denseblock2", "features.denseblock2"), ("denseblock3", "features.denseblock3"),
                    ("denseblock4", "features.denseblock4")],
    "mobilenet_v2": [("block1", "features.1"), ("block3", "features.3"), ("block6", "features.6"),
                     ("block10", "features.10"), ("block13", "features.13"), ("block16", "features.16"),
                     ("conv_last", "features.18")],
    # Segmentation nets: taps inside the backbone (the heads are not exported).
    "segmentation.deeplabv3_resnet50": [("relu", "backbone.relu"), ("layer1", "backbone.layer1"),
                                        ("layer2", "backbone.layer2"), ("layer3", "backbone.layer3"),
                                        ("layer4", "backbone.layer4")],
    "segmentation.fcn_resnet50": [("relu", "backbone.relu"), ("layer1", "backbone.layer1"),
                                  ("layer2", "backbone.layer2"), ("layer3", "backbone.layer3"),
                                  ("layer4", "backbone.layer4")],
}

HEAD_PREFIXES = ("fc.", "classifier.", "head.", "heads.", "aux_classifier.", "last_linear.")

# The card's "learning" values (PerceptSweep's org.perceptsweep.core.Learning).
LEARNING = ["supervised", "self-supervised", "perceptual", "none"]
# Goal words that name a self-supervised pretext task (the same words the Java side reads in a goal).
PRETEXT_WORDS = ("self-supervised", "self supervised", "selfsupervised", "unsupervised", "jigsaw", "contrastive",
                 "colorization", "colourisation", "colorisation", "rotation", "moco", "simclr", "byol", "dino",
                 "barlow")


class ExportError(Exception):
    """A user-fixable problem: printed as one line, exit status 2."""


def parse_args(argv):
    p = argparse.ArgumentParser(
        description="Export a torchvision/timm backbone with taps into PerceptSweep's model-file contract.",
        formatter_class=argparse.RawDescriptionHelpFormatter, epilog="Examples" + __doc__.split("Examples", 1)[1])
    p.add_argument("--arch", required=True,
                   help="torchvision builder (alexnet, vgg16, resnet50, ...), segmentation.NAME"
                        " (torchvision.models.segmentation), or timm:NAME (timm must be importable)")
    p.add_argument("--weights", default="none",
                   help="a weights enum member name of the builder (IMAGENET1K_V1, DEFAULT, ...), 'pretrained'"
                        " (timm), a local .pth/.pt state dict, or 'none' (untrained, seeded; default)")
    p.add_argument("--taps", default=None,
                   help="comma-separated module names, optionally NAME=MODULE (e.g. relu1=features.1,"
                        "relu2=features.4); default: the known taps of --arch (timm: its feature_info)")
    p.add_argument("--out", help="output folder (created); files NAME.pt and NAME.json")
    p.add_argument("--name", help="net name (default: ARCH-TRAININGDATA or ARCH-untrained)")
    p.add_argument("--architecture", help="card architecture (default: the builder; a segmentation net's backbone)")
    p.add_argument("--goal", help="card goal (default from the weights: classification, segmentation, none)")
    p.add_argument("--training-data", dest="training_data",
                   help="card training_data (default from the weights enum: imagenet-1k, ...; required for .pth)")
    p.add_argument("--learning", choices=LEARNING,
                   help="card learning: how the weights were learned (default: none for --weights none, supervised"
                        " for torchvision/timm weights; for a .pth: self-supervised when --goal names a pretext task"
                        " such as jigsaw or contrastive, else supervised). Give self-supervised for SSL weights")
    p.add_argument("--source", help="card source (default: describes builder and weights)")
    p.add_argument("--licence", help="card licence (default: BSD-3-Clause for torchvision, Apache-2.0 for timm)")
    p.add_argument("--seed", type=int, default=0, help="torch.manual_seed before building the net (default 0)")
    p.add_argument("--mean", help="normalisation mean, 3 comma-separated values (default: the weights' or ImageNet's)")
    p.add_argument("--std", help="normalisation std, 3 comma-separated values (default: the weights' or ImageNet's)")
    p.add_argument("--no-normalisation", action="store_true",
                   help="the net takes RGB [0,1] as is (no mean/std baked in)")
    p.add_argument("--state-dict-prefix", dest="state_dict_prefix", default="",
                   help="for a .pth: keep only keys that start with this prefix and strip it (e.g. module.encoder_q.)")
    p.add_argument("--non-strict", action="store_true",
                   help="for a .pth: allow missing keys outside the classifier head (listed on stderr)")
    p.add_argument("--tolerance", type=float, default=1e-4,
                   help="largest max-abs difference allowed between the saved file and the eager net (default 1e-4)")
    p.add_argument("--list-modules", action="store_true",
                   help="print the net's module names with output shapes at 384x512, then exit")
    args = p.parse_args(argv)
    if not args.list_modules and not args.out:
        p.error("--out is required (unless --list-modules)")
    return args


def import_torch():
    try:
        import torch  # noqa: F401
        import torchvision  # noqa: F401
    except ImportError as e:
        raise ExportError("torch and torchvision must be importable by %s (%s); install them, e.g."
                          " apt-get install python3-torch python3-torchvision, or pip install torch torchvision"
                          % (sys.executable, e))
    import torch
    import torchvision
    return torch, torchvision


def floats3(text, what):
    try:
        vals = [float(v) for v in text.split(",")]
    except ValueError:
        vals = []
    if len(vals) != 3:
        raise ExportError("%s '%s' must be 3 comma-separated numbers (R,G,B)" % (what, text))
    return vals


def parse_taps(text):
    taps = []
    for item in text.split(","):
        item = item.strip()
        if not item:
            continue
        if "=" in item:
            name, module = [s.strip() for s in item.split("=", 1)]
        else:
            name, module = item, item
        if not name or not module:
            raise ExportError("tap '%s' in --taps must be MODULE or NAME=MODULE" % item)
        taps.append((name, module))
    if not taps:
        raise ExportError("--taps '%s' names no module" % text)
    names = [n for n, _ in taps]
    dupes = sorted({n for n in names if names.count(n) > 1})
    if dupes:
        raise ExportError("--taps names %s more than once; tap names must be unique" % ", ".join(dupes))
    return taps


def builder_for(torchvision, arch):
    """(builder callable, family) for a torchvision arch name."""
    import torchvision.models as tvm
    family = "classification"
    module = tvm
    name = arch
    if arch.startswith("segmentation."):
        import torchvision.models.segmentation as seg
        module, name, family = seg, arch.split(".", 1)[1], "segmentation"
    builder = getattr(module, name, None)
    if builder is None or not callable(builder) or name.startswith("_") or inspect.isclass(builder):
        known = sorted(n for n in dir(module) if not n.startswith("_") and n.islower() and callable(getattr(module, n))
                       and not inspect.ismodule(getattr(module, n)))
        raise ExportError("--arch '%s' is not a builder in torchvision %s %s; pick one of: %s"
                          % (arch, torchvision.__version__, module.__name__, ", ".join(known)))
    return builder, family


def weights_enum_member(builder, name, arch):
    """The torchvision weights enum member called `name` for this builder."""
    import torchvision.models as tvm
    enum_cls = None
    if hasattr(tvm, "get_model_weights"):
        try:
            enum_cls = tvm.get_model_weights(builder)
        except Exception:  # noqa: BLE001 - older torchvision or a builder it does not register
            enum_cls = None
    if enum_cls is None:
        sig = inspect.signature(builder)
        ann = sig.parameters.get("weights").annotation if "weights" in sig.parameters else None
        enum_cls = next((a for a in getattr(ann, "__args__", ()) if inspect.isclass(a)), None)
    if enum_cls is None:
        raise ExportError("--arch %s has no weights enum in this torchvision; give a local .pth or 'none'" % arch)
    members = list(enum_cls.__members__)
    if name not in enum_cls.__members__:
        raise ExportError("--weights %s is not one of %s for %s (%s); pick one, a local .pth, or none"
                          % (name, ", ".join(members), arch, enum_cls.__name__))
    return enum_cls[name]


def load_state_dict(torch, path, prefix):
    try:
        obj = torch.load(path, map_location="cpu")
    except Exception as e:  # noqa: BLE001
        raise ExportError("--weights %s could not be read by torch.load (%s); give a state dict file" % (path, e))
    if hasattr(obj, "state_dict") and not isinstance(obj, dict):
        obj = obj.state_dict()
    for key in ("state_dict", "model", "model_state", "net"):
        if isinstance(obj, dict) and key in obj and isinstance(obj[key], dict):
            obj = obj[key]
            break
    if not isinstance(obj, dict):
        raise ExportError("--weights %s holds a %s, not a state dict" % (path, type(obj).__name__))
    if prefix:
        kept = {k[len(prefix):]: v for k, v in obj.items() if k.startswith(prefix)}
        if not kept:
            raise ExportError("--state-dict-prefix %s matches no key of %s (first keys: %s)"
                              % (prefix, path, ", ".join(list(obj)[:5])))
        obj = kept
    elif obj and all(k.startswith("module.") for k in obj):
        obj = {k[len("module."):]: v for k, v in obj.items()}
    return obj


def build_net(torch, torchvision, args):
    """(eager model in eval mode, info dict with family, default goal/training data/source/licence, mean/std)."""
    arch = args.arch
    weights = args.weights.strip()
    info = {"mean": IMAGENET_MEAN, "std": IMAGENET_STD}
    torch.manual_seed(args.seed)
    is_file = weights not in ("none", "pretrained") and (os.path.sep in weights or weights.endswith((".pth", ".pt"))
                                                          or os.path.isfile(weights))
    if arch.startswith("timm:"):
        try:
            import timm
        except ImportError:
            raise ExportError("--arch %s needs timm, which %s cannot import; pip install timm" % (arch, sys.executable))
        name = arch.split(":", 1)[1]
        if weights not in ("none", "pretrained") and not is_file:
            raise ExportError("--weights for timm must be 'pretrained', 'none' or a local .pth, got %s" % weights)
        try:
            model = timm.create_model(name, pretrained=(weights == "pretrained"))
        except Exception as e:  # noqa: BLE001
            raise ExportError("timm cannot build %s (%s)" % (name, e))
        cfg = getattr(model, "pretrained_cfg", None) or getattr(model, "default_cfg", {}) or {}
        info.update(family="classification", licence="Apache-2.0 (timm code; check the weights' own licence)",
                    architecture=name, name_base=name, source="timm %s %s" % (timm.__version__, name))
        if cfg.get("mean") and cfg.get("std"):
            info["mean"], info["std"] = list(cfg["mean"]), list(cfg["std"])
        if weights == "pretrained":
            tag = cfg.get("tag") or ""
            info["source"] += " pretrained" + (" (%s)" % tag if tag else "")
            info["goal"] = "classification"
            info["training_data"] = "imagenet-1k" if "in1k" in tag or not tag else tag
        info["timm_taps"] = [(m, m) for m in model.feature_info.module_name()] if hasattr(model, "feature_info") else None
    else:
        builder, family = builder_for(torchvision, arch)
        base = arch.split(".")[-1]
        # A segmentation net's architecture factor is its backbone (deeplabv3_resnet50 -> resnet50), so that
        # goal contrasts (classification vs segmentation) compare the same architecture.
        info.update(family=family, licence="BSD-3-Clause (torchvision)", name_base=base,
                    architecture=base.split("_", 1)[1] if family == "segmentation" and "_" in base else base,
                    source="torchvision %s %s" % (torchvision.__version__, arch))
        params = inspect.signature(builder).parameters
        kwargs = {}
        if "weights_backbone" in params:
            kwargs["weights_backbone"] = None  # never download a backbone behind the user's back
        if "aux_loss" in params:
            kwargs["aux_loss"] = None
        if weights == "none" or is_file:
            if "weights" in params:
                kwargs["weights"] = None
            else:
                kwargs["pretrained"] = False
        elif weights == "pretrained":
            raise ExportError("--weights pretrained is for timm; name a torchvision weights enum member (e.g."
                              " IMAGENET1K_V1 or DEFAULT), a local .pth, or none")
        else:
            member = weights_enum_member(builder, weights, arch)  # DEFAULT resolves to its canonical member
            kwargs["weights"] = member
            meta = getattr(member, "meta", {}) or {}
            transforms = member.transforms() if hasattr(member, "transforms") else None
            if transforms is not None and hasattr(transforms, "mean") and hasattr(transforms, "std"):
                info["mean"], info["std"] = list(transforms.mean), list(transforms.std)
            enum_name = "%s.%s" % (type(member).__name__, member.name)
            info["source"] += " weights %s (%s)" % (enum_name, meta.get("recipe", "torchvision"))
            info["goal"] = family
            info["training_data"] = training_data_of(member.name)
        try:
            model = builder(**kwargs)
        except Exception as e:  # noqa: BLE001
            if "weights" in kwargs and kwargs["weights"] is not None:
                raise ExportError("torchvision could not load weights %s for %s (%s); run where they can be"
                                  " downloaded, or put them in $TORCH_HOME/hub/checkpoints" % (weights, arch, e))
            raise ExportError("torchvision could not build %s (%s)" % (arch, e))
    if weights == "none":
        info["goal"] = "none (random init, seed %d)" % args.seed
        info["training_data"] = "none"
        info["source"] += " default init, torch.manual_seed(%d)" % args.seed
    elif is_file:
        if not os.path.isfile(weights):
            raise ExportError("--weights %s: no such file; give a torchvision weights name, a .pth, or none" % weights)
        state = load_state_dict(torch, weights, args.state_dict_prefix)
        own = model.state_dict()
        mismatched = [k for k, v in state.items() if k in own and hasattr(v, "shape") and v.shape != own[k].shape]
        bad = [k for k in mismatched if not k.startswith(HEAD_PREFIXES)]
        if bad:
            raise ExportError("--weights %s does not fit %s: %s has shape %s, the net %s; pick the matching --arch"
                              % (weights, arch, bad[0], tuple(state[bad[0]].shape), tuple(own[bad[0]].shape)))
        if mismatched:  # e.g. a 365-class Places head on a 1000-class builder: the head is never tapped
            print("note: dropped classifier-head weights of another class count: %s" % ", ".join(mismatched),
                  file=sys.stderr)
            state = {k: v for k, v in state.items() if k not in mismatched}
        result = model.load_state_dict(state, strict=False)
        missing = [k for k in result.missing_keys if not k.startswith(HEAD_PREFIXES)]
        if missing and not args.non_strict:
            raise ExportError("--weights %s lacks %d parameters of %s (e.g. %s); check --state-dict-prefix or pass"
                              " --non-strict" % (weights, len(missing), arch, ", ".join(missing[:3])))
        if result.missing_keys or result.unexpected_keys:
            print("note: state dict %s: %d missing keys (%s), %d unused keys (%s)" % (
                weights, len(result.missing_keys), ", ".join(result.missing_keys[:4]),
                len(result.unexpected_keys), ", ".join(result.unexpected_keys[:4])), file=sys.stderr)
        with open(weights, "rb") as f:
            digest = hashlib.sha256(f.read()).hexdigest()
        info["source"] += " weights %s (sha256 %s)" % (os.path.basename(weights), digest[:16])
        info["licence"] = "unknown: the weights' own release decides (pass --licence)"
    model.eval()
    for m in model.modules():  # a later in-place op must not overwrite an earlier tap's tensor
        if hasattr(m, "inplace") and isinstance(getattr(m, "inplace"), bool):
            m.inplace = False
    return model, info


def training_data_of(enum_name):
    n = enum_name.upper()
    if n.startswith("IMAGENET1K"):
        return "imagenet-1k"
    if n.startswith("IMAGENET22K") or n.startswith("IMAGENET21K"):
        return "imagenet-22k"
    if n.startswith("COCO_WITH_VOC_LABELS"):
        return "coco (pascal-voc labels)"
    if n.startswith("COCO"):
        return "coco"
    return n.lower()


def make_export_module(torch, body, tap_names, mean, std):
    import torch.nn as nn
    from typing import List

    class TapNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.body = body
            self.names: List[str] = list(tap_names)
            self.normalise = mean is not None
            m = torch.tensor(mean if mean is not None else [0.0, 0.0, 0.0], dtype=torch.float32).view(1, 3, 1, 1)
            s = torch.tensor(std if std is not None else [1.0, 1.0, 1.0], dtype=torch.float32).view(1, 3, 1, 1)
            self.register_buffer("mean", m)
            self.register_buffer("std", s)

        def forward(self, x: torch.Tensor) -> List[torch.Tensor]:
            if self.normalise:
                x = (x - self.mean) / self.std
            feats = self.body(x)
            out: List[torch.Tensor] = []
            for name in self.names:
                out.append(feats[name])
            return out

    return TapNet().eval()


def list_modules(torch, model):
    shapes = {}
    hooks = []
    def recorder(name):
        def hook(module, inputs, output):  # returns None: the output is left as it is
            shapes.setdefault(name, tuple(output.shape) if torch.is_tensor(output) else type(output).__name__)
        return hook

    for name, mod in model.named_modules():
        if name:
            hooks.append(mod.register_forward_hook(recorder(name)))
    with torch.no_grad():
        try:
            model(torch.rand(1, 3, CARD_H, CARD_W))
        except Exception as e:  # noqa: BLE001
            print("note: a full forward at %dx%d failed (%s); shapes shown for modules reached" % (CARD_H, CARD_W, e),
                  file=sys.stderr)
    for h in hooks:
        h.remove()
    for name, mod in model.named_modules():
        if name:
            print("%-40s %-24s %s" % (name, type(mod).__name__, shapes.get(name, "-")))


def feature_body(torch, model, taps, arch):
    """A graph module returning {tap name: tensor} cut after the last tap (torch.fx)."""
    try:
        from torchvision.models.feature_extraction import create_feature_extractor, get_graph_node_names
    except ImportError:
        raise ExportError("this torchvision has no torchvision.models.feature_extraction (needs >= 0.11)")
    _, eval_nodes = get_graph_node_names(model)
    known = set(eval_nodes) | {n for n, _ in model.named_modules() if n}
    unknown = [m for _, m in taps if m not in known]
    if unknown:
        sample = [n for n, _ in model.named_modules() if n and n.count(".") <= 1][:40]
        raise ExportError("tap module(s) %s not found in %s; run with --list-modules, e.g. %s"
                          % (", ".join(unknown), arch, ", ".join(sample)))
    return_nodes = {module: name for name, module in taps}
    if len(return_nodes) != len(taps):
        raise ExportError("--taps uses a module twice; give each module once")
    try:
        return create_feature_extractor(model, return_nodes=return_nodes)
    except Exception as e:  # noqa: BLE001
        raise ExportError("torch.fx could not trace %s (%s); pick taps on plain modules" % (arch, e))


def to_torchscript(torch, wrapper):
    try:
        return torch.jit.script(wrapper), "torch.jit.script"
    except Exception as e:  # noqa: BLE001
        print("note: torch.jit.script failed (%s); tracing instead (checked at two input sizes below)"
              % str(e).splitlines()[0], file=sys.stderr)
    example = torch.rand(1, 3, 224, 224)
    with torch.no_grad():
        return torch.jit.trace(wrapper, example, strict=False, check_trace=False), "torch.jit.trace"


def sha256_of(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def max_abs_diff(torch, a_list, b_list):
    return max(float((a - b).abs().max()) if a.numel() else 0.0 for a, b in zip(a_list, b_list))


def export(args):
    torch, torchvision = import_torch()
    torch.set_grad_enabled(False)
    model, info = build_net(torch, torchvision, args)
    if args.list_modules:
        list_modules(torch, model)
        return 0
    if args.taps:
        taps = parse_taps(args.taps)
    elif args.arch in DEFAULT_TAPS:
        taps = DEFAULT_TAPS[args.arch]
    elif info.get("timm_taps"):
        taps = info["timm_taps"]
    else:
        raise ExportError("no default taps for --arch %s; give --taps MODULE,... (see --list-modules); defaults"
                          " exist for %s" % (args.arch, ", ".join(sorted(DEFAULT_TAPS))))
    if args.no_normalisation:
        mean = std = None
    else:
        mean = floats3(args.mean, "--mean") if args.mean else list(info["mean"])
        std = floats3(args.std, "--std") if args.std else list(info["std"])
        if any(s <= 0 for s in std):
            raise ExportError("--std values must be positive, got %s" % std)
    goal = args.goal or info.get("goal")
    training_data = args.training_data or info.get("training_data")
    if not goal or not training_data:
        raise ExportError("give --goal and --training-data for weights %s (they are the card's sweep factors,"
                          " e.g. --goal segmentation --training-data ade20k)" % args.weights)
    learning = learning_of(args, goal)
    architecture = args.architecture or info["architecture"]
    name = args.name or "%s-%s" % (info.get("name_base", architecture), "untrained" if args.weights == "none"
                                   else re.sub(r"[^a-z0-9_.-]+", "-", training_data.lower()).strip("-"))
    if not re.match(r"^[A-Za-z0-9_.+-]+$", name):
        raise ExportError("--name '%s' must be letters, digits and _ . + - (it becomes NAME.pt)" % name)

    body = feature_body(torch, model, taps, args.arch)
    tap_names = [n for n, _ in taps]
    wrapper = make_export_module(torch, body, tap_names, mean, std)
    scripted, method = to_torchscript(torch, wrapper)

    os.makedirs(args.out, exist_ok=True)
    pt_path = os.path.join(args.out, name + ".pt")
    json_path = os.path.join(args.out, name + ".json")
    fd, tmp_pt = tempfile.mkstemp(prefix=name + "-", suffix=".pt.part", dir=args.out)
    os.close(fd)
    try:
        torch.jit.save(scripted, tmp_pt)
        # --- verify: the file as saved, against the eager model (the reference: plain normalise + model) ---
        loaded = torch.jit.load(tmp_pt, map_location="cpu").eval()
        gen = torch.Generator().manual_seed(1234)
        sizes = [(2, 96, 128), (1, 131, 97)]
        worst = 0.0
        for n, h, w in sizes:
            x = torch.rand(n, 3, h, w, generator=gen)
            eager = eager_taps(torch, model, taps, x, mean, std)
            out = list(loaded(x))
            if len(out) != len(taps):
                raise ExportError("exported %s returns %d tensors for %d taps" % (name, len(out), len(taps)))
            for (tap, _), a, b in zip(taps, out, eager):
                if tuple(a.shape) != tuple(b.shape):
                    raise ExportError("exported %s tap %s has shape %s at %dx%d but the eager net gives %s"
                                      % (name, tap, tuple(a.shape), h, w, tuple(b.shape)))
            worst = max(worst, max_abs_diff(torch, out, eager))
        print("verify: max abs diff saved file vs eager net = %.3g over %s inputs (tolerance %.3g)"
              % (worst, " and ".join("%dx3x%dx%d" % s for s in sizes), args.tolerance))
        if not worst <= args.tolerance:
            raise ExportError("the saved TorchScript of %s differs from the eager net by %.3g (> %.3g); the taps may"
                              " depend on the input size in a way %s froze; try other taps" % (name, worst,
                                                                                             args.tolerance, method))
        # The contract's smallest input must run.
        try:
            small = list(loaded(torch.rand(1, 3, MIN_SIDE, MIN_SIDE, generator=gen)))
        except Exception as e:  # noqa: BLE001
            raise ExportError("exported %s fails on a %dx%d input (%s); the contract needs any H, W >= %d: pick"
                              " shallower taps" % (name, MIN_SIDE, MIN_SIDE, str(e).splitlines()[0], MIN_SIDE))
        empty = [t for (t, _), a in zip(taps, small) if a.numel() == 0]
        if empty:
            raise ExportError("exported %s gives empty taps %s at %dx%d; pick shallower taps" % (name, empty,
                                                                                                 MIN_SIDE, MIN_SIDE))
        full = list(loaded(torch.rand(1, 3, CARD_H, CARD_W, generator=gen)))
        card_taps = []
        for (tap, module), a in zip(taps, full):
            if a.dim() != 4:
                raise ExportError("tap %s (%s) of %s is %dD; taps must be [N,C,H,W] feature maps; pick a conv"
                                  " stage" % (tap, module, name, a.dim()))
            card_taps.append({"name": tap, "module": module, "channels": int(a.shape[1]),
                              "shape_at_384x512": [int(a.shape[1]), int(a.shape[2]), int(a.shape[3])]})
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp_pt, 0o666 & ~umask)  # mkstemp made it private
        os.replace(tmp_pt, pt_path)
    finally:
        if os.path.exists(tmp_pt):
            os.remove(tmp_pt)

    depth, parameters = weight_facts(torch.jit.load(pt_path, map_location="cpu"))
    card = {
        "name": name,
        "architecture": architecture,
        "goal": goal,
        "training_data": training_data,
        "learning": learning,
        "depth": depth,
        "parameters": parameters,
        "taps": card_taps,
        "source": args.source or info["source"],
        "licence": args.licence or info["licence"],
        "sha256": sha256_of(pt_path),
        "input": {
            "layout": "NCHW", "dtype": "float32", "color": "RGB", "range": [0.0, 1.0],
            "normalisation_baked_in": None if mean is None else {"mean": mean, "std": std},
        },
        "export": {"tool": "tools/export_torchvision.py", "method": method, "torch": torch.__version__,
                   "torchvision": torchvision.__version__, "arch": args.arch, "weights": args.weights,
                   "seed": args.seed, "max_abs_diff": worst},
    }
    with open(json_path + ".part", "w") as f:
        json.dump(card, f, indent=2)
        f.write("\n")
    os.replace(json_path + ".part", json_path)
    check_card(torch, pt_path, json_path)
    print("wrote %s (%d taps: %s) and %s" % (pt_path, len(card_taps), ", ".join(
        "%s %d" % (t["name"], t["channels"]) for t in card_taps), json_path))
    print("facts: learning %s, depth %d weight layers, %d parameters" % (learning, depth, parameters))
    return 0


def learning_of(args, goal):
    """The card's learning kind: --learning, else from the weights (none / supervised) or a .pth's --goal."""
    weights = args.weights.strip()
    if weights == "none":
        if args.learning not in (None, "none"):
            raise ExportError("--learning %s with --weights none: an untrained net learned nothing; drop --learning"
                              % args.learning)
        return "none"
    if args.learning:
        return args.learning
    if weights == "pretrained" or not (os.path.sep in weights or weights.endswith((".pth", ".pt"))
                                       or os.path.isfile(weights)):
        return "supervised"  # torchvision weights enums and timm's pretrained weights are labelled-task training
    g = (goal or "").lower()
    if any(w in g for w in PRETEXT_WORDS):
        return "self-supervised"
    print("note: learning: supervised (from --goal %r; pass --learning to say otherwise)" % goal, file=sys.stderr)
    return "supervised"


def weight_facts(module):
    """(depth, parameters) of a module as PerceptSweep counts them in the saved file: weight layers are the
    parameters named *weight with at least 2 dimensions (conv, linear), parameters all parameter values."""
    depth = 0
    parameters = 0
    for name, p in module.named_parameters():
        parameters += int(p.numel())
        if p.dim() >= 2 and name.rsplit(".", 1)[-1].endswith("weight"):
            depth += 1
    return depth, parameters


def eager_taps(torch, model, taps, x, mean, std):
    """Tap outputs of the eager model via forward hooks: independent of the fx graph that was exported."""
    modules = dict(model.named_modules())
    got = {}
    hooks = [modules[m].register_forward_hook(lambda mod, i, o, m=m: got.__setitem__(m, o)) for _, m in taps]
    try:
        xn = x if mean is None else (x - torch.tensor(mean).view(1, 3, 1, 1)) / torch.tensor(std).view(1, 3, 1, 1)
        try:
            model(xn)
        except Exception:  # noqa: BLE001 - heads may fail on small inputs; taps before them were recorded
            pass
    finally:
        for h in hooks:
            h.remove()
    missing = [m for _, m in taps if m not in got]
    if missing:
        raise ExportError("eager forward never reached tap module(s) %s" % ", ".join(missing))
    return [got[m] for _, m in taps]


def check_card(torch, pt_path, json_path):
    """Re-reads the written card and checks it against the written file: sha256, tap count, channels, shapes."""
    with open(json_path) as f:
        card = json.load(f)
    if card["sha256"] != sha256_of(pt_path):
        raise ExportError("card %s sha256 does not match %s" % (json_path, pt_path))
    net = torch.jit.load(pt_path, map_location="cpu").eval()
    out = list(net(torch.zeros(1, 3, CARD_H, CARD_W)))
    if len(out) != len(card["taps"]):
        raise ExportError("%s returns %d tensors but card %s lists %d taps" % (pt_path, len(out), json_path,
                                                                             len(card["taps"])))
    for t, a in zip(card["taps"], out):
        if [int(a.shape[1]), int(a.shape[2]), int(a.shape[3])] != t["shape_at_384x512"] or a.shape[1] != t["channels"]:
            raise ExportError("%s tap %s has shape %s at 384x512 but card says %s" % (pt_path, t["name"],
                                                                                    tuple(a.shape), t["shape_at_384x512"]))
    if list(weight_facts(net)) != [card.get("depth"), card.get("parameters")]:
        raise ExportError("card %s says depth %s and parameters %s but %s has %s" % (json_path, card.get("depth"),
                                                                                  card.get("parameters"), pt_path,
                                                                                  weight_facts(net)))
    print("card check: %d taps, channels and shapes at %dx%d match %s" % (len(out), CARD_H, CARD_W, pt_path))


def main(argv=None):
    args = parse_args(sys.argv[1:] if argv is None else argv)
    try:
        return export(args)
    except ExportError as e:
        print("export_torchvision: error: %s" % e, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
