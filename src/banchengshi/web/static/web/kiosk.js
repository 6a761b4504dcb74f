// The kiosk starts again after a while without a touch (body data-idle-seconds): for the last
// data-warning-seconds a notice counts down and "I am still here" keeps the page. Starting
// again posts to the reset page, which forgets the last person's appeal and large-text choice.
(() => {
  const body = document.body;
  const idle = Number(body.dataset.idleSeconds) * 1000;
  const warning = Number(body.dataset.warningSeconds) * 1000;
  if (!idle) return;
  const notice = document.getElementById("kiosk-idle");
  const counter = document.getElementById("kiosk-idle-seconds");
  let last = Date.now();

  // The header's "Start again" form (kiosk_base.html) carries the CSRF token.
  const restart = () => document.getElementById("kiosk-restart").form.submit();
  const touched = () => {
    last = Date.now();
  };
  const dismiss = () => {
    touched();
    notice.hidden = true;
  };
  // Every touch counts as someone being there. A touch does not hide the notice at once,
  // though: hidden on touchstart/pointerdown, the tap's click would land on whatever lies
  // under the notice (a field, a link, "Start again"). The notice goes on its own click (the
  // button or the shade around it), on a key, or when the page is scrolled.
  ["pointerdown", "touchstart", "input"].forEach((name) =>
    window.addEventListener(name, touched, { passive: true, capture: true }),
  );
  ["keydown", "scroll"].forEach((name) =>
    window.addEventListener(name, dismiss, { passive: true, capture: true }),
  );
  notice.addEventListener("click", dismiss);
  window.setInterval(() => {
    const left = idle - (Date.now() - last);
    if (left <= 0) {
      restart();
    } else if (left <= warning) {
      notice.hidden = false;
      counter.textContent = String(Math.ceil(left / 1000));
    }
  }, 250);
  // No way out: links to anywhere but the kiosk's own pages do nothing.
  document.addEventListener("click", (event) => {
    const link = event.target.closest("a[href]");
    if (link && !new URL(link.href, location.href).pathname.startsWith("/kiosk/")) {
      event.preventDefault();
    }
  });
})();
