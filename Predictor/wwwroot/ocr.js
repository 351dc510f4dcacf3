// TfMnist drawing page. Two ways to draw, both producing the 784 values (row-major 28x28, 0..1,
// white digit on black) that POST /api/predict expects:
//  - pen: freehand strokes on a large canvas, converted like MNIST (normalizeInk, the same
//    steps and rounding as Predictor/Input/MnistNormalizer.cs), in mnist-ink.js;
//  - grid: the 28x28 cells painted directly, sent as they are.
'use strict';

(() => {
  const N = 28;            // MNIST side
  const BOX = 20;          // the digit is fitted into 20x20
  const PEN_SIDE = 336;    // pen ink canvas resolution (independent of screen size and DPR)
  const PEN_WIDTH = 24;    // stroke width on that canvas
  const ERASER_WIDTH = 40;

  const $ = (id) => document.getElementById(id);
  const { normalizeInk } = window.mnistInk;
  const { setStatus, showProbabilities } = window.ocrResult;
  const pad = $('pad');
  const preview = $('preview');
  const digitOut = $('digit');
  const confidence = $('confidence');
  const resultCard = document.querySelector('.result');
  const predictButton = $('predict');
  const eraserButton = $('eraser');

  // ---- state -------------------------------------------------------------------------------
  let mode = 'pen';                         // 'pen' | 'grid'
  let eraser = false;
  const cells = new Float32Array(N * N);    // grid mode values
  const ink = document.createElement('canvas');  // pen mode: ink as alpha on transparent
  ink.width = ink.height = PEN_SIDE;
  const inkCtx = ink.getContext('2d', { willReadFrequently: true });
  let cursor = { r: 13, c: 13 };            // keyboard cursor in grid mode
  let showCursor = false;
  let stroke = null;                        // active pointer stroke
  let requestId = 0;

  /** The 784 values to send, or null when nothing is drawn. */
  function currentPixels() {
    if (mode === 'grid') return cells.some((v) => v > 0) ? Float32Array.from(cells) : null;
    const data = inkCtx.getImageData(0, 0, PEN_SIDE, PEN_SIDE).data;
    const src = new Float64Array(PEN_SIDE * PEN_SIDE);
    for (let i = 0; i < src.length; i++) src[i] = data[4 * i + 3] / 255;
    return normalizeInk(src, PEN_SIDE, PEN_SIDE);
  }

  // ---- rendering ----------------------------------------------------------------------------
  const padCtx = pad.getContext('2d');
  function css(name) { return getComputedStyle(document.documentElement).getPropertyValue(name).trim(); }

  function fitPadBackingStore() {
    const dpr = window.devicePixelRatio || 1;
    const side = Math.round(pad.getBoundingClientRect().width * dpr) || PEN_SIDE;
    if (pad.width !== side) { pad.width = side; pad.height = side; }
  }

  function render() {
    fitPadBackingStore();
    const s = pad.width;
    padCtx.setTransform(1, 0, 0, 1, 0, 0);
    padCtx.fillStyle = css('--paper') || '#fff';
    padCtx.fillRect(0, 0, s, s);
    if (mode === 'pen') {
      padCtx.imageSmoothingEnabled = true;
      // ink canvas is black-with-alpha; draw it scaled onto the paper
      padCtx.drawImage(ink, 0, 0, s, s);
    } else {
      const cell = s / N;
      const inkColour = css('--ink') || '#111';
      for (let r = 0; r < N; r++) {
        for (let c = 0; c < N; c++) {
          const v = cells[r * N + c];
          if (v > 0) {
            padCtx.globalAlpha = v;
            padCtx.fillStyle = inkColour;
            padCtx.fillRect(c * cell, r * cell, cell, cell);
          }
        }
      }
      padCtx.globalAlpha = 1;
      padCtx.strokeStyle = css('--grid') || '#e9ecf2';
      padCtx.lineWidth = 1;
      padCtx.beginPath();
      for (let i = 1; i < N; i++) {
        const p = Math.round(i * cell) + 0.5;
        padCtx.moveTo(p, 0); padCtx.lineTo(p, s);
        padCtx.moveTo(0, p); padCtx.lineTo(s, p);
      }
      padCtx.stroke();
      // the 20x20 box MNIST digits are fitted into, as a guide
      padCtx.setLineDash([4, 4]);
      padCtx.strokeStyle = css('--muted') || '#888';
      padCtx.strokeRect(4 * cell + 0.5, 4 * cell + 0.5, BOX * cell, BOX * cell);
      padCtx.setLineDash([]);
      if (showCursor) {
        padCtx.strokeStyle = css('--focus') || '#f0a020';
        padCtx.lineWidth = 2;
        padCtx.strokeRect(cursor.c * cell + 1, cursor.r * cell + 1, cell - 2, cell - 2);
      }
    }
  }

  function renderPreview(pixels) {
    const ctx = preview.getContext('2d');
    const img = ctx.createImageData(N, N);
    for (let i = 0; i < N * N; i++) {
      const v = pixels ? Math.round(pixels[i] * 255) : 0;
      img.data[4 * i] = img.data[4 * i + 1] = img.data[4 * i + 2] = v;
      img.data[4 * i + 3] = 255;
    }
    ctx.putImageData(img, 0, 0);
  }

  function changed() {
    render();
    renderPreview(currentPixels());
    resultCard.classList.add('stale');
  }

  // ---- pointer input ------------------------------------------------------------------------
  function padPoint(e) {
    const rect = pad.getBoundingClientRect();
    return { x: (e.clientX - rect.left) / rect.width, y: (e.clientY - rect.top) / rect.height };
  }

  function paintCell(p, value) {
    const c = Math.floor(p.x * N), r = Math.floor(p.y * N);
    if (r < 0 || r >= N || c < 0 || c >= N) return;
    cells[r * N + c] = value;
  }

  function paintCellsAlong(a, b, value) {
    // step in half-cell increments so fast drags leave no gaps
    const steps = Math.max(1, Math.ceil(Math.hypot(b.x - a.x, b.y - a.y) * N * 2));
    for (let i = 0; i <= steps; i++) {
      const t = i / steps;
      paintCell({ x: a.x + (b.x - a.x) * t, y: a.y + (b.y - a.y) * t }, value);
    }
  }

  function penSegment(a, b, erase) {
    inkCtx.save();
    inkCtx.globalCompositeOperation = erase ? 'destination-out' : 'source-over';
    inkCtx.strokeStyle = '#000';
    inkCtx.fillStyle = '#000';
    inkCtx.lineCap = 'round';
    inkCtx.lineJoin = 'round';
    inkCtx.lineWidth = erase ? ERASER_WIDTH : PEN_WIDTH;
    inkCtx.beginPath();
    inkCtx.moveTo(a.x * PEN_SIDE, a.y * PEN_SIDE);
    inkCtx.lineTo(b.x * PEN_SIDE, b.y * PEN_SIDE);
    inkCtx.stroke();
    inkCtx.restore();
  }

  pad.addEventListener('pointerdown', (e) => {
    if (e.button !== 0 && e.button !== 2) return;
    e.preventDefault();
    pad.focus({ preventScroll: true });
    pad.setPointerCapture(e.pointerId);
    const erase = eraser || e.button === 2;
    const p = padPoint(e);
    stroke = { id: e.pointerId, last: p, erase };
    showCursor = false;
    if (mode === 'grid') paintCell(p, erase ? 0 : 1);
    else penSegment(p, p, erase);
    render();
  });

  pad.addEventListener('pointermove', (e) => {
    if (!stroke || e.pointerId !== stroke.id) return;
    const events = typeof e.getCoalescedEvents === 'function' ? e.getCoalescedEvents() : [];
    for (const ev of events.length ? events : [e]) {
      const p = padPoint(ev);
      if (mode === 'grid') paintCellsAlong(stroke.last, p, stroke.erase ? 0 : 1);
      else penSegment(stroke.last, p, stroke.erase);
      stroke.last = p;
    }
    render();
  });

  function endStroke(e) {
    if (!stroke || e.pointerId !== stroke.id) return;
    stroke = null;
    changed();
  }
  pad.addEventListener('pointerup', endStroke);
  pad.addEventListener('pointercancel', endStroke);
  pad.addEventListener('contextmenu', (e) => e.preventDefault());

  // ---- keyboard -----------------------------------------------------------------------------
  pad.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') { e.preventDefault(); predict(); return; }
    if (e.key === 'Delete' || e.key === 'Backspace') { e.preventDefault(); clearPad(); return; }
    if (mode !== 'grid') return;
    const moves = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] };
    if (moves[e.key]) {
      e.preventDefault();
      const [dr, dc] = moves[e.key];
      cursor = { r: Math.min(N - 1, Math.max(0, cursor.r + dr)), c: Math.min(N - 1, Math.max(0, cursor.c + dc)) };
      showCursor = true;
      if (e.shiftKey) { cells[cursor.r * N + cursor.c] = eraser ? 0 : 1; changed(); } else render();
    } else if (e.key === ' ') {
      e.preventDefault();
      showCursor = true;
      const i = cursor.r * N + cursor.c;
      cells[i] = cells[i] > 0 ? 0 : 1;
      changed();
    }
  });
  pad.addEventListener('focus', () => { if (mode === 'grid' && !stroke) { showCursor = true; render(); } });
  pad.addEventListener('blur', () => { showCursor = false; render(); });

  // ---- controls -----------------------------------------------------------------------------
  function setMode(next) {
    mode = next;
    $('mode-pen').setAttribute('aria-pressed', String(next === 'pen'));
    $('mode-grid').setAttribute('aria-pressed', String(next === 'grid'));
    for (const el of document.querySelectorAll('#pad-help [data-mode]')) el.hidden = el.dataset.mode !== next;
    pad.setAttribute('aria-label', next === 'pen'
      ? 'Drawing pad. Draw a digit with the mouse, pen or finger.'
      : 'Drawing grid of 28 by 28 cells. Click or drag to fill cells; arrows and Space from the keyboard.');
    changed();
  }
  $('mode-pen').addEventListener('click', () => setMode('pen'));
  $('mode-grid').addEventListener('click', () => setMode('grid'));

  eraserButton.addEventListener('click', () => {
    eraser = !eraser;
    eraserButton.setAttribute('aria-pressed', String(eraser));
    pad.classList.toggle('erasing', eraser);
  });

  function clearPad() {
    if (mode === 'grid') cells.fill(0);
    else inkCtx.clearRect(0, 0, PEN_SIDE, PEN_SIDE);
    requestId++;
    digitOut.textContent = '–';
    confidence.textContent = 'Draw a digit, then press Predict.';
    showProbabilities(null);
    setStatus('');
    changed();
    resultCard.classList.remove('stale');
  }
  $('clear').addEventListener('click', clearPad);
  predictButton.addEventListener('click', predict);

  async function predict() {
    const pixels = currentPixels();
    renderPreview(pixels);
    if (!pixels) { setStatus('Draw a digit first.', true); return; }
    const id = ++requestId;
    predictButton.disabled = true;
    predictButton.setAttribute('aria-busy', 'true');
    setStatus('Asking the network…');
    try {
      const response = await fetch('api/predict', {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ pixels: Array.from(pixels, (v) => Math.round(v * 10000) / 10000) }),
      });
      const body = await response.json().catch(() => ({}));
      if (id !== requestId) return;
      if (!response.ok) throw new Error(body.error || `server answered ${response.status}`);
      digitOut.textContent = String(body.digit);
      const p = body.probabilities[body.digit];
      confidence.textContent = `${(p * 100).toFixed(1)}% sure it is a ${body.digit}.`;
      showProbabilities(body.probabilities);
      resultCard.classList.remove('stale');
      setStatus('');
    } catch (err) {
      if (id !== requestId) return;
      setStatus(`Prediction failed: ${err.message}`, true);
    } finally {
      if (id === requestId) { predictButton.disabled = false; predictButton.removeAttribute('aria-busy'); }
    }
  }

  // ---- hooks for tests and the curious ------------------------------------------------------
  window.ocr = {
    /** The 784 values Predict would send (array of numbers), or null. */
    pixels: () => { const p = currentPixels(); return p ? Array.from(p) : null; },
    /** The pen drawing as a black-on-white PNG data URL at the pen canvas resolution. */
    penImage: () => {
      const c = document.createElement('canvas');
      c.width = c.height = PEN_SIDE;
      const ctx = c.getContext('2d');
      ctx.fillStyle = '#fff';
      ctx.fillRect(0, 0, PEN_SIDE, PEN_SIDE);
      ctx.drawImage(ink, 0, 0);
      return c.toDataURL('image/png');
    },
    normalizeInk,
  };

  window.addEventListener('resize', render);
  showProbabilities(null);
  changed();
  resultCard.classList.remove('stale');
})();
