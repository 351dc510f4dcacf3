// The drawing page's result card: the ten probability bars and the status line.
'use strict';

window.ocrResult = (() => {
  const probsList = document.getElementById('probabilities');
  const statusLine = document.getElementById('status');

  const rows = [];
  for (let d = 0; d < 10; d++) {
    const li = document.createElement('li');
    li.dataset.digit = String(d);
    li.innerHTML = `<span class="label">${d}</span><span class="track" aria-hidden="true"><span class="fill"></span></span><span class="value">–</span>`;
    probsList.appendChild(li);
    rows.push(li);
  }

  function setStatus(text, isError) {
    statusLine.textContent = text;
    statusLine.classList.toggle('error', !!isError);
  }

  function showProbabilities(probabilities) {
    let best = -1;
    if (probabilities) best = probabilities.indexOf(Math.max(...probabilities));
    rows.forEach((li, d) => {
      const p = probabilities ? probabilities[d] : 0;
      li.querySelector('.fill').style.width = `${(p * 100).toFixed(1)}%`;
      li.querySelector('.value').textContent = probabilities ? `${(p * 100).toFixed(1)}%` : '–';
      li.classList.toggle('best', d === best);
      li.setAttribute('aria-label', probabilities ? `${d}: ${(p * 100).toFixed(1)} percent` : `${d}: no prediction yet`);
    });
  }

  return { setStatus, showProbabilities };
})();
