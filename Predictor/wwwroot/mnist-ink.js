// MNIST-style normalisation of freehand ink for the drawing page: the same steps and rounding as
// Predictor/Input/MnistNormalizer.cs (crop to the ink, fit into 20x20 by exact area averaging, place by
// centre of mass in 28x28), so the page shows what the server would compute from the same drawing.
'use strict';

window.mnistInk = (() => {
  const N = 28;            // MNIST side
  const BOX = 20;          // the digit is fitted into 20x20
  const INK_THRESHOLD = 0.2;

  function roundHalfUp(v) { return Math.floor(v + 0.5); }

  /** ink: Float64Array width*height in [0,1]; returns Float32Array(784) or null when blank. */
  function normalizeInk(src, width, height) {
    let x0 = width, y0 = height, x1 = -1, y1 = -1;
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        if (src[y * width + x] >= INK_THRESHOLD) {
          if (x < x0) x0 = x;
          if (x > x1) x1 = x;
          if (y < y0) y0 = y;
          if (y > y1) y1 = y;
        }
      }
    }
    if (x1 < 0) return null;
    const w = x1 - x0 + 1, h = y1 - y0 + 1;
    const scale = BOX / Math.max(w, h);
    const tw = Math.min(BOX, Math.max(1, roundHalfUp(w * scale)));
    const th = Math.min(BOX, Math.max(1, roundHalfUp(h * scale)));

    // exact area averaging
    const small = new Float64Array(tw * th);
    const fx = w / tw, fy = h / th;
    for (let ty = 0; ty < th; ty++) {
      const ya = ty * fy, yb = (ty + 1) * fy;
      for (let tx = 0; tx < tw; tx++) {
        const xa = tx * fx, xb = (tx + 1) * fx;
        let sum = 0;
        for (let y = Math.floor(ya); y < Math.min(h, Math.ceil(yb)); y++) {
          const wy = Math.min(yb, y + 1) - Math.max(ya, y);
          if (wy <= 0) continue;
          for (let x = Math.floor(xa); x < Math.min(w, Math.ceil(xb)); x++) {
            const wx = Math.min(xb, x + 1) - Math.max(xa, x);
            if (wx <= 0) continue;
            sum += wx * wy * src[(y0 + y) * width + x0 + x];
          }
        }
        small[ty * tw + tx] = sum / (fx * fy);
      }
    }

    // center of mass -> place in 28x28
    let mass = 0, mx = 0, my = 0;
    for (let y = 0; y < th; y++) {
      for (let x = 0; x < tw; x++) {
        const v = small[y * tw + x];
        mass += v; mx += v * (x + 0.5); my += v * (y + 0.5);
      }
    }
    let left, top;
    if (mass > 0) { left = roundHalfUp(N / 2 - mx / mass); top = roundHalfUp(N / 2 - my / mass); }
    else { left = Math.floor((N - tw) / 2); top = Math.floor((N - th) / 2); }
    left = Math.min(Math.max(left, 0), N - tw);
    top = Math.min(Math.max(top, 0), N - th);

    const out = new Float32Array(N * N);
    for (let y = 0; y < th; y++)
      for (let x = 0; x < tw; x++)
        out[(top + y) * N + left + x] = Math.min(1, Math.max(0, small[y * tw + x]));
    return out;
  }

  return { normalizeInk };
})();
