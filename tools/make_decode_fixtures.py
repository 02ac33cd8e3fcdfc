#!/usr/bin/python3
"""Writes the image-decoding fixtures and PIL's decoding of each (core/src/test/resources/decode/).

Every fixture is a small image with gradients and edges, written by Pillow or by Debian's ImageMagick
(`convert`), and its expected pixels are Pillow's `Image.open(f).convert("RGB")`, stored as raw bytes
(height x width x 3, row-major, RGB) in FILE.rgb. `expected.csv` lists file, width, height,
tolerance (in 8-bit levels: 0 for lossless formats, 1 for JPEG's colour conversion), what is
expected (`pil`: Pillow's pixels; `high-byte`: see below; `rejected`: a file the decoder refuses with
a reason, Pillow's pixels kept for reference) and what the file is. ImageDecoderFixturesTest decodes each file with ImageDecoder and compares.

One documented difference (column `expected` = `high-byte`): Pillow's convert("RGB") of a 16-bit
grey image (modes I and I;16) clips each value at 255 instead of scaling it, so nearly every pixel
comes out white. PerceptSweep takes the high byte (v >> 8), which is what Pillow does for 16-bit
colour images (RGB;16B/RGB;16L unpacking). For those files the script checks that Pillow still
clips (so a Pillow that changes this fails here) and writes the high-byte image as expected.

Run with Debian's Python and Pillow (python3-pil) and ImageMagick 6:
    /usr/bin/python3 tools/make_decode_fixtures.py
The output is deterministic for a given Pillow/libjpeg/libwebp/ImageMagick; it is checked in.
"""
import csv
import io
import os
import struct
import subprocess
import sys
import tempfile

import numpy as np
from PIL import Image, features

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
OUT = os.path.join(ROOT, "core", "src", "test", "resources", "decode")
W, H = 40, 30
ICC = "/usr/share/color/icc/ghostscript"


def rgb8():
    """R: horizontal ramp, G: vertical ramp, B: 8x8 checker with a diagonal line; full range."""
    y, x = np.mgrid[0:H, 0:W]
    r = np.round(x * 255 / (W - 1))
    g = np.round(y * 255 / (H - 1))
    b = np.where(((x // 8) + (y // 8)) % 2 == 0, 230, 20)
    b = np.where(abs(x - y) <= 1, 128, b)
    return np.stack([r, g, b], axis=-1).astype(np.uint8)


def grey8():
    y, x = np.mgrid[0:H, 0:W]
    v = np.round((x + y) * 255 / (W + H - 2))
    v = np.where((x >= 12) & (x < 28) & (y >= 10) & (y < 20), 255 - v, v)
    return v.astype(np.uint8)


def alpha8():
    y, x = np.mgrid[0:H, 0:W]
    a = np.clip(255 - 6 * np.hypot(x - W / 2, y - H / 2), 0, 255)
    a[:, :4] = 0  # fully transparent columns keep their stored colour in convert("RGB")
    return a.astype(np.uint8)


def cmyk8():
    """C, M ramps, Y checker, K a diagonal ramp up to 180 (so no plane is flat)."""
    y, x = np.mgrid[0:H, 0:W]
    c = np.round(x * 255 / (W - 1))
    m = np.round(y * 255 / (H - 1))
    yy = np.where(((x // 5) + (y // 5)) % 2 == 0, 200, 30)
    k = np.round((x + y) * 180 / (W + H - 2))
    return np.stack([c, m, yy, k], axis=-1).astype(np.uint8)


def rgb16():
    """16-bit values whose low bytes differ from their high bytes (so truncation vs rounding shows)."""
    y, x = np.mgrid[0:H, 0:W]
    r = (x * 65535 // (W - 1))
    g = (y * 65535 // (H - 1)) ^ 0x00A5
    b = np.where(((x // 8) + (y // 8)) % 2 == 0, 60000 + 7 * x, 1000 + 13 * y)
    return np.stack([r, g, b], axis=-1).astype(np.uint16)


def grey16():
    y, x = np.mgrid[0:H, 0:W]
    v = (x + y) * 65535 // (W + H - 2)
    v = np.where((x >= 12) & (x < 28) & (y >= 10) & (y < 20), 65535 - v, v)
    return v.astype(np.uint16)


def path(name):
    return os.path.join(OUT, name)


def magick(*args):
    subprocess.run(["convert", *args], check=True)


def strip_app14(data):
    """The same JPEG without its Adobe APP14 segment (the marker that says CMYK vs YCCK)."""
    assert data[:2] == b"\xff\xd8"
    out, i = bytearray(data[:2]), 2
    while True:
        marker = data[i:i + 2]
        if marker[1] == 0xDA:  # start of scan: the rest is entropy-coded data
            out += data[i:]
            return bytes(out)
        length = struct.unpack(">H", data[i + 2:i + 4])[0]
        seg = data[i:i + 2 + length]
        if not (marker[1] == 0xEE and seg[4:9] == b"Adobe"):
            out += seg
        i += 2 + length


def bmp_top_down(data):
    """A bottom-up 24-bit BMP rewritten top-down: rows reversed, negative height (BITMAPINFOHEADER)."""
    offset = struct.unpack("<I", data[10:14])[0]
    width, height = struct.unpack("<ii", data[18:26])
    bpp = struct.unpack("<H", data[28:30])[0]
    assert height > 0 and bpp == 24
    stride = (width * 3 + 3) & ~3
    rows = [data[offset + r * stride: offset + (r + 1) * stride] for r in range(height)]
    return data[:22] + struct.pack("<i", -height) + data[26:offset] + b"".join(reversed(rows))


def png_grey_packed(values, bits):
    """A PNG of colour type 0 (grey) at 1, 2 or 4 bits per pixel: packed rows, filter 0, one IDAT."""
    import zlib

    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    h, w = values.shape
    per_byte = 8 // bits
    raw = bytearray()
    for row in values:
        raw.append(0)
        for i in range(0, w, per_byte):
            byte = 0
            for j, v in enumerate(row[i:i + per_byte]):
                byte |= int(v) << (8 - bits * (j + 1))
            raw.append(byte)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", w, h, bits, 0, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(bytes(raw), 9)) + chunk(b"IEND", b""))


def pil_rgb(name):
    with Image.open(path(name)) as im:
        return np.asarray(im.convert("RGB"))


def main():
    if not features.check("webp"):
        sys.exit("Pillow without WebP support")
    os.makedirs(OUT, exist_ok=True)
    rows = []  # file, tolerance, expected kind, note

    def add(name, tolerance, note, expected="pil"):
        rows.append((name, tolerance, expected, note))

    rgb, grey, alpha, cmyk = rgb8(), grey8(), alpha8(), cmyk8()
    im_rgb = Image.fromarray(rgb, "RGB")
    im_cmyk = Image.fromarray(cmyk, "CMYK")

    with tempfile.TemporaryDirectory() as tmp:
        # --- JPEG -------------------------------------------------------------------------------
        im_rgb.save(path("jpeg-rgb-420.jpg"), quality=90, subsampling="4:2:0")
        add("jpeg-rgb-420.jpg", 1, "YCbCr JPEG, 4:2:0, JFIF (Pillow)")
        im_rgb.save(path("jpeg-rgb-a98.jpg"), quality=90, subsampling="4:4:4",
                    icc_profile=open(os.path.join(ICC, "a98.icc"), "rb").read())
        add("jpeg-rgb-a98.jpg", 1, "YCbCr JPEG with an embedded Adobe RGB ICC profile (not applied, as in Pillow)")
        Image.fromarray(grey, "L").save(path("jpeg-grey.jpg"), quality=90)
        add("jpeg-grey.jpg", 1, "greyscale JPEG (Pillow)")
        im_rgb.save(path("jpeg-progressive.jpg"), quality=90, progressive=True)
        add("jpeg-progressive.jpg", 1, "progressive YCbCr JPEG (Pillow)")
        # Pillow writes CMYK inverted ("CMYK;I") with an Adobe APP14 marker, transform 0.
        im_cmyk.save(path("jpeg-cmyk-adobe.jpg"), quality=95)
        add("jpeg-cmyk-adobe.jpg", 1, "CMYK JPEG, Adobe APP14 transform 0, inverted samples (Pillow)")
        with open(path("jpeg-cmyk-adobe.jpg"), "rb") as f:
            data = f.read()
        with open(path("jpeg-cmyk-noadobe.jpg"), "wb") as f:
            f.write(strip_app14(data))
        add("jpeg-cmyk-noadobe.jpg", 1, "the CMYK JPEG without its APP14 marker (read as CMYK, inverted, as libjpeg/Pillow do)")
        im_cmyk.save(path("jpeg-cmyk-icc.jpg"), quality=95,
                     icc_profile=open(os.path.join(ICC, "ps_cmyk.icc"), "rb").read())
        add("jpeg-cmyk-icc.jpg", 1, "CMYK JPEG with an embedded CMYK ICC profile (not applied, as in Pillow)")
        tif = os.path.join(tmp, "cmyk.tif")
        im_cmyk.save(tif)
        # ImageMagick writes YCCK when asked for libjpeg's colour space 5 (JCS_YCCK): APP14 transform 2.
        magick(tif, "-quality", "95", "-define", "jpeg:colorspace=5", "-define",
               "jpeg:sampling-factor=2x2,1x1,1x1,2x2", path("jpeg-ycck-adobe.jpg"))
        with Image.open(path("jpeg-ycck-adobe.jpg")) as im:
            assert im.mode == "CMYK" and im.info.get("adobe_transform") == 2, im.info
        add("jpeg-ycck-adobe.jpg", 1, "YCCK JPEG, Adobe APP14 transform 2, 4:2:0 chroma (ImageMagick)")
        with open(path("jpeg-ycck-adobe.jpg"), "rb") as f:
            data = f.read()
        with open(path("jpeg-ycck-noadobe.jpg"), "wb") as f:
            f.write(strip_app14(data))
        add("jpeg-ycck-noadobe.jpg", 1,
            "the YCCK JPEG without APP14: libjpeg/Pillow read its samples as CMYK (no colour transform)")

        # --- PNG --------------------------------------------------------------------------------
        ppm16 = os.path.join(tmp, "rgb16.ppm")
        with open(ppm16, "wb") as f:
            f.write(b"P6\n%d %d\n65535\n" % (W, H) + rgb16().astype(">u2").tobytes())
        # No tIME/date chunks, so that a rerun writes the same bytes.
        magick(ppm16, "-depth", "16", "-define", "png:exclude-chunks=date,time", path("png-rgb16.png"))
        add("png-rgb16.png", 0, "16-bit RGB PNG (Pillow keeps the high byte)")
        Image.fromarray(grey16()).save(path("png-grey16.png"))
        add("png-grey16.png", 0, "16-bit grey PNG (Pillow clips at 255; we keep the high byte)", "high-byte")
        im_rgb.save(path("png-rgb.png"))
        add("png-rgb.png", 0, "8-bit RGB PNG")
        im_rgb.quantize(colors=16, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            path("png-palette.png"))
        add("png-palette.png", 0, "palette PNG, 16 colours, 4 bits per index")
        pal = im_rgb.quantize(colors=64, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)
        pal.save(path("png-palette-trns.png"), transparency=3)
        add("png-palette-trns.png", 0, "palette PNG with a transparent entry (tRNS; alpha dropped)")
        Image.fromarray(np.stack([grey, alpha], axis=-1), "LA").save(path("png-grey-alpha.png"))
        add("png-grey-alpha.png", 0, "grey + alpha PNG (alpha dropped, not composited)")
        Image.fromarray(np.dstack([rgb, alpha]), "RGBA").save(path("png-rgba.png"))
        add("png-rgba.png", 0, "RGBA PNG (alpha dropped, not composited)")
        Image.fromarray(grey, "L").convert("1", dither=Image.Dither.NONE).save(path("png-1bit.png"))
        add("png-1bit.png", 0, "1-bit PNG")
        Image.fromarray(grey, "L").save(path("png-grey.png"))
        add("png-grey.png", 0, "8-bit grey PNG")
        for bits in (2, 4):
            # Neither Pillow nor ImageMagick writes 2/4-bit grey PNG: packed here (grey8's top bits).
            with open(path("png-grey%d.png" % bits), "wb") as f:
                f.write(png_grey_packed(grey >> (8 - bits), bits))
            with Image.open(path("png-grey%d.png" % bits)) as im:
                assert im.mode == "L" and im.tile[0][3] == "L;%d" % bits, (im.mode, im.tile)
            add("png-grey%d.png" % bits, 0, "%d-bit grey PNG" % bits)

        # --- TIFF -------------------------------------------------------------------------------
        magick(ppm16, "-depth", "16", "-compress", "none", path("tiff-rgb16.tif"))
        add("tiff-rgb16.tif", 0, "16-bit RGB TIFF, uncompressed (ImageMagick)")
        Image.fromarray(grey16()).save(path("tiff-grey16.tif"))
        add("tiff-grey16.tif", 0, "16-bit grey TIFF (Pillow clips at 255; we keep the high byte)", "high-byte")
        im_rgb.save(path("tiff-lzw.tif"), compression="tiff_lzw")
        add("tiff-lzw.tif", 0, "RGB TIFF, LZW (Pillow)")
        im_rgb.save(path("tiff-deflate.tif"), compression="tiff_adobe_deflate")
        add("tiff-deflate.tif", 0, "RGB TIFF, deflate (Pillow)")
        magick(path("png-rgb.png"), "-compress", "lzw", "-define", "tiff:predictor=2", path("tiff-lzw-predictor.tif"))
        add("tiff-lzw-predictor.tif", 0, "RGB TIFF, LZW with horizontal predictor (ImageMagick)")
        Image.fromarray(grey, "L").convert("1", dither=Image.Dither.NONE).save(
            path("tiff-1bit-g4.tif"), compression="group4")
        add("tiff-1bit-g4.tif", 0, "1-bit TIFF, CCITT group 4")
        Image.fromarray(np.dstack([rgb, alpha]), "RGBA").save(path("tiff-rgba.tif"), compression="tiff_adobe_deflate")
        add("tiff-rgba.tif", 0, "RGBA TIFF, deflate (alpha dropped)")
        im_cmyk.save(path("tiff-cmyk.tif"))
        add("tiff-cmyk.tif", 0, "CMYK TIFF (Pillow's CMYK to RGB, no ICC)")
        im_rgb.save(path("tiff-packbits.tif"), compression="packbits")
        add("tiff-packbits.tif", 0, "RGB TIFF, PackBits (Pillow)")
        im_rgb.save(path("tiff-jpeg.tif"), compression="jpeg", quality=90)
        add("tiff-jpeg.tif", 1, "RGB TIFF, JPEG-compressed (Pillow)")
        Image.fromarray(grey, "L").convert("1", dither=Image.Dither.NONE).save(
            path("tiff-1bit-g3.tif"), compression="group3")
        add("tiff-1bit-g3.tif", 0, "1-bit TIFF, CCITT group 3")
        pal.save(path("tiff-palette.tif"))
        add("tiff-palette.tif", 0, "8-bit palette TIFF (Pillow)")
        magick(path("png-rgb.png"), "-compress", "zip", "TIFF64:" + path("tiff-bigtiff.tif"))
        add("tiff-bigtiff.tif", 0, "BigTIFF, deflate (ImageMagick)")

        # --- BMP --------------------------------------------------------------------------------
        buf = io.BytesIO()
        im_rgb.save(buf, "BMP")
        with open(path("bmp-topdown.bmp"), "wb") as f:
            f.write(bmp_top_down(buf.getvalue()))
        with Image.open(path("bmp-topdown.bmp")) as im:
            assert np.array_equal(np.asarray(im.convert("RGB")), rgb), "top-down BMP rewrite"
        add("bmp-topdown.bmp", 0, "24-bit BMP stored top-down (negative height)")
        im_rgb.save(path("bmp-rgb.bmp"))
        add("bmp-rgb.bmp", 0, "24-bit BMP, bottom-up")
        pal.save(path("bmp-palette.bmp"))
        add("bmp-palette.bmp", 0, "8-bit palette BMP")
        magick(path("png-rgba.png"), "-define", "bmp:format=bmp4", path("bmp-rgba.bmp"))
        add("bmp-rgba.bmp", 0, "32-bit BMP with an alpha mask, BI_BITFIELDS (ImageMagick; alpha dropped)")
        Image.fromarray(grey, "L").convert("1", dither=Image.Dither.NONE).save(path("bmp-1bit.bmp"))
        add("bmp-1bit.bmp", 0, "1-bit BMP")
        magick(path("png-palette.png"), "-type", "Palette", "BMP3:" + path("bmp-4bit.bmp"))
        add("bmp-4bit.bmp", 0, "4-bit palette BMP (ImageMagick)")
        magick(path("png-rgb.png"), "-define", "bmp:subtype=RGB565", path("bmp-rgb565.bmp"))
        add("bmp-rgb565.bmp", 0, "16-bit BMP, RGB565 bitfields (ImageMagick)")
        magick(path("bmp-palette.bmp"), "-type", "Palette", "-compress", "RLE", "BMP3:" + path("bmp-rle8.bmp"))
        add("bmp-rle8.bmp", 0, "8-bit palette BMP, RLE8 (ImageMagick)")

        # --- PNM, GIF, WebP ---------------------------------------------------------------------
        im_rgb.save(path("pnm-rgb.ppm"))
        add("pnm-rgb.ppm", 0, "binary PPM (P6)")
        Image.fromarray(grey, "L").save(path("pnm-grey.pgm"))
        add("pnm-grey.pgm", 0, "binary PGM (P5)")
        Image.fromarray(grey, "L").convert("1", dither=Image.Dither.NONE).save(path("pnm-1bit.pbm"))
        add("pnm-1bit.pbm", 0, "binary PBM (P4)")
        magick(path("png-rgb.png"), "-compress", "none", path("pnm-ascii.ppm"))
        add("pnm-ascii.ppm", 0, "ASCII PPM (P3, ImageMagick)")
        pal.save(path("gif-palette.gif"))
        add("gif-palette.gif", 0, "GIF")
        im_rgb.save(path("webp-lossless.webp"), lossless=True)
        add("webp-lossless.webp", 0, "lossless WebP (VP8L)")
        im_rgb.save(path("webp-lossy.webp"), quality=90)
        # Rejected: TwelveMonkeys' VP8 decoder repeats chroma (no interpolation) and converts with
        # Rec. 601 tables, so it differs from libwebp's pixels by up to 76 levels at edges here.
        add("webp-lossy.webp", 1, "lossy WebP (VP8): rejected (the Java decoder differs from libwebp)", "rejected")

        # Pillow opens icons (the largest size); PerceptSweep does not read ICO.
        im_rgb.save(path("ico-icon.ico"), sizes=[(W, H)])
        add("ico-icon.ico", 0, "Windows icon: rejected (not a format PerceptSweep reads)", "rejected")

    # --- expected pixels --------------------------------------------------------------------------
    with open(path("expected.csv"), "w", newline="") as f:
        out = csv.writer(f, lineterminator="\n")
        out.writerow(["file", "width", "height", "tolerance", "expected", "note"])
        for name, tolerance, expected, note in rows:
            with Image.open(path(name)) as im:
                size = im.size
                if expected == "high-byte":
                    assert im.mode in ("I", "I;16"), im.mode
                    raw = np.asarray(im).astype(np.int64)
                    # Pillow clips: check it still does, so this documented difference stays true.
                    assert np.array_equal(np.asarray(im.convert("RGB"))[..., 0], np.clip(raw, 0, 255))
                    v = (raw >> 8).astype(np.uint8)
                    pixels = np.stack([v, v, v], axis=-1)
                else:
                    pixels = np.asarray(im.convert("RGB"))
            assert size == (W, H), (name, size)
            with open(path(name + ".rgb"), "wb") as g:
                g.write(np.ascontiguousarray(pixels, dtype=np.uint8).tobytes())
            out.writerow([name, size[0], size[1], tolerance, expected, note])
    print("wrote %d fixtures to %s" % (len(rows), os.path.relpath(OUT, ROOT)))


if __name__ == "__main__":
    main()
