# Makes the JPEG fixtures of the image-decoding tests (run once; the files are committed).
# Needs Pillow: `apt-get install python3-pil` (Debian) or `pip install pillow`.
# Every picture is made of flat 8×8-aligned blocks, which JPEG keeps within a few levels;
# the tests check the block colours below within a stated tolerance.
from PIL import Image

# 16×16 RGB, four 8×8 quadrants: top-left red, top-right green, bottom-left blue, bottom-right grey 128.
QUADRANTS = [((0, 0), (220, 30, 40)), ((8, 0), (30, 200, 60)), ((0, 8), (40, 50, 210)), ((8, 8), (128, 128, 128))]

def quadrants():
    image = Image.new("RGB", (16, 16))
    for (x, y), colour in QUADRANTS:
        image.paste(colour, (x, y, x + 8, y + 8))
    return image

# subsampling=0 (4:4:4): no chroma halving, so each quadrant keeps its colour up to its edge.
quadrants().save("quadrants-baseline.jpg", quality=95, subsampling=0)
quadrants().save("quadrants-progressive.jpg", quality=95, subsampling=0, progressive=True)

# 16×8 grey: left half 50, right half 200.
grey = Image.new("L", (16, 8))
grey.paste(50, (0, 0, 8, 8))
grey.paste(200, (8, 0, 16, 8))
grey.save("grey-halves.jpg", quality=95)

# 5×3 (width 5, height 3), one flat colour: an odd size that is not a multiple of the 8×8 block.
Image.new("RGB", (5, 3), (90, 160, 30)).save("flat-5x3.jpg", quality=95, subsampling=0)
