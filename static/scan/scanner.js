/*
 * The scanner: phone camera → QR decoder → server → result on screen. No framework, no CDN.
 *
 * A page uses it by loading the decoder and this module (CSP allows only this site's scripts):
 *
 *   <script src="/static/vendor/jsQR.js" defer></script>        (copied from npm by `make assets`)
 *   <script type="module" src="/static/scan/scanner.js"></script>
 *
 * and marking up one element; everything the scanner needs is in its data- attributes:
 *
 *   <section data-scanner
 *       data-endpoint="/scan/check"        each code is POSTed here as JSON {code, nonce, ...params}
 *       data-params='{"venue_id": 3}'      merged into every request body
 *       data-csrf="…"                      sent as the X-CSRFToken header (Flask-WTF reads it)
 *       data-photo-endpoint="/scan/decode" optional: a photo is POSTed as multipart "photo" → {code}
 *       data-repeat-ms="4000"              optional: the same code again within this many ms of the
 *                                          last sighting is the same scan (no second request)
 *       data-msg-insecure="…" data-msg-denied="…" data-msg-nocamera="…" data-msg-failed="…"
 *       data-msg-network="…" data-msg-checking="…" data-msg-reading="…"   localised texts
 *   >
 *     <video data-scanner-video muted playsinline></video>
 *     <p data-scanner-status aria-live="polite"></p>   what the camera is doing, or why it cannot
 *     <div data-scanner-result hidden></div>           the result is drawn here
 *     <template data-result-template="ok" data-tone="ok">
 *       <p>Checked in</p><p data-field="resident_name"></p>
 *       <p data-optional>Used at <span data-field="used_at"></span></p>
 *     </template>
 *     <template data-result-template="already_used" data-if="just_by_you" data-tone="confirm">…</template>
 *     <template data-result-template="*" data-tone="bad">…<p data-field="message"></p></template>
 *     <form data-scanner-manual><input name="code"> <button>…</button></form>   optional
 *     <input type="file" accept="image/*" capture="environment" data-scanner-photo>  optional; a photo
 *       whose code cannot be read is shown with the template "photo_unread" (scan/_photo.html)
 *   </section>
 *
 * The server answers JSON with a `result` (errors as {"error": {"message"}} become result "error").
 * The first template whose data-result-template equals the result (else "*") is drawn into the
 * result element; a template with data-if="x" is used only when the answer's x is true (a variant
 * of a result, such as one's own check-in seen again). The result element gets
 * data-result="<result>" and data-tone="ok|confirm|bad|wait" (the colour, sound and vibration). Each [data-field=x] gets the answer's x as text; a [data-optional] block around an
 * empty field is hidden. The result stays until a different code is read or it is tapped. The root
 * element also receives a "scanner:result" event whose detail is the answer, for pages that do more
 * with it (the walk-in page fills its form). Every [data-scanner] on a page starts by itself;
 * startScanner(element) is exported for pages that add one later.
 *
 * Each scan sends a fresh random nonce; when the network fails the request is repeated with the
 * same nonce, so the server counts it once.
 */

const REPEAT_MS = 4000;
const SCAN_EVERY_MS = 120;
const FRAME_WIDTH = 640; // frames are decoded at this width at most: plenty for a ticket held up close
const RETRY_AFTER_MS = [500, 1500, 3000];
const RETRY_STATUSES = new Set([502, 503, 504]);

export function startScanner(root) {
  const scanner = new Scanner(root);
  scanner.start();
  return scanner;
}

class Scanner {
  constructor(root) {
    this.root = root;
    this.video = root.querySelector("[data-scanner-video]");
    this.status = root.querySelector("[data-scanner-status]");
    this.result = root.querySelector("[data-scanner-result]");
    this.params = JSON.parse(root.dataset.params || "{}");
    this.repeatMs = Number(root.dataset.repeatMs) || REPEAT_MS;
    this.last = { code: null, seenAt: -Infinity };
    this.busy = false;
    this.stream = null;
  }

  start() {
    this.result.addEventListener("click", () => this.dismiss());
    this.result.addEventListener("keydown", (event) => {
      if (event.key === "Escape") this.dismiss();
    });
    this.root.querySelector("[data-scanner-manual]")?.addEventListener("submit", (event) => this.typed(event));
    this.root.querySelector("[data-scanner-photo]")?.addEventListener("change", (event) => this.photo(event));
    window.addEventListener("pagehide", () => this.stopCamera());
    unlockAudioOnFirstTouch();
    if (this.video) this.startCamera();
  }

  // ---- Camera ----

  async startCamera() {
    this.setCamera("starting");
    if (!window.isSecureContext || !navigator.mediaDevices?.getUserMedia) return this.cameraProblem("insecure");
    this.decoder = makeDecoder();
    if (!this.decoder) return this.cameraProblem("failed");
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({
        video: { facingMode: "environment", width: { ideal: 1280 }, height: { ideal: 720 } },
        audio: false,
      });
    } catch (error) {
      return this.cameraProblem(cameraErrorKind(error));
    }
    this.video.srcObject = this.stream;
    try {
      await this.video.play();
    } catch (error) {
      return this.cameraProblem("failed");
    }
    this.setCamera("live");
    this.watch();
  }

  stopCamera() {
    this.stopped = true;
    this.stream?.getTracks().forEach((track) => track.stop());
  }

  async watch() {
    while (!this.stopped) {
      if (!document.hidden && this.video.readyState >= 2) {
        const code = await this.decoder(this.video);
        if (code) this.seen(code);
      }
      await sleep(SCAN_EVERY_MS);
    }
  }

  /* A code held in front of the camera is read many times a second: it is one scan as long as it
     was last seen less than repeatMs ago, so a ticket that turned green never turns red by itself. */
  seen(code) {
    const now = performance.now();
    if (code === this.last.code && now - this.last.seenAt < this.repeatMs) {
      this.last.seenAt = now;
      return;
    }
    if (this.busy) return;
    this.last = { code, seenAt: now };
    this.submit(code);
  }

  setCamera(state) {
    this.root.dataset.camera = state;
    if (state === "live") this.say("");
  }

  cameraProblem(kind) {
    this.setCamera("unavailable");
    this.say(this.message(kind), true);
  }

  // ---- Typed codes and photos ----

  typed(event) {
    event.preventDefault();
    const input = event.target.elements.code;
    const code = input.value.trim();
    if (!code) return input.focus();
    this.last = { code, seenAt: performance.now() };
    this.submit(code).then(() => {
      input.value = "";
    });
  }

  async photo(event) {
    const file = event.target.files?.[0];
    event.target.value = "";
    if (!file || this.busy) return;
    this.busy = true;
    this.say(this.message("reading"));
    const form = new FormData();
    form.append("photo", file);
    const answer = await this.send(this.root.dataset.photoEndpoint, { body: form });
    this.busy = false;
    this.say("");
    // An error answer has a `code` too (its error code): only a read code is sent to be checked.
    if (answer.result !== "error" && answer.code) return this.submit(answer.code);
    // Nothing was checked: the result speaks of the photo (_photo.html), never of a ticket refused.
    this.show({ ...answer, result: "photo_unread" });
  }

  // ---- Talking to the server ----

  async submit(code) {
    this.busy = true;
    this.say(this.message("checking"));
    const body = JSON.stringify({ ...this.params, code, nonce: newNonce() });
    const answer = await this.send(this.root.dataset.endpoint, {
      body, headers: { "Content-Type": "application/json" },
    });
    this.busy = false;
    this.say("");
    this.show(answer);
  }

  /* POST and read the JSON answer. The body (and so the nonce) is the same on every retry. */
  async send(url, { body, headers = {} }) {
    for (let attempt = 0; ; attempt += 1) {
      try {
        const response = await fetch(url, {
          method: "POST", body, credentials: "same-origin",
          headers: { ...headers, Accept: "application/json", "X-CSRFToken": this.root.dataset.csrf || "" },
        });
        if (!RETRY_STATUSES.has(response.status) || attempt >= RETRY_AFTER_MS.length) {
          return await this.answerOf(response);
        }
      } catch (error) {
        if (attempt >= RETRY_AFTER_MS.length) return { result: "error", message: this.message("network") };
      }
      await sleep(RETRY_AFTER_MS[attempt]);
    }
  }

  async answerOf(response) {
    const json = (response.headers.get("Content-Type") || "").includes("json")
      ? await response.json().catch(() => null)
      : null; // e.g. the sign-in page after the session ended
    if (!json) return { result: "error", message: this.message(response.redirected ? "signin" : "failed") };
    if (json.error) return { result: "error", code: json.error.code, message: json.error.message };
    return json;
  }

  // ---- Showing the result ----

  show(answer) {
    const template = this.template(answer);
    const tone = template?.dataset.tone || "bad";
    this.result.replaceChildren(template ? template.content.cloneNode(true) : "");
    for (const field of this.result.querySelectorAll("[data-field]")) {
      const value = answer[field.dataset.field];
      const empty = value === undefined || value === null || value === "";
      field.textContent = empty ? "" : String(value);
      const block = field.closest("[data-optional]");
      if (block) block.hidden = empty;
    }
    this.result.dataset.result = answer.result;
    this.result.dataset.tone = tone;
    this.result.hidden = false;
    this.result.querySelector("[data-focus]")?.focus({ preventScroll: true });
    signal(tone);
    this.root.dispatchEvent(new CustomEvent("scanner:result", { detail: answer, bubbles: true }));
  }

  template(answer) {
    const templates = [...this.root.querySelectorAll("template[data-result-template]")];
    const fits = (t) => t.dataset.if === undefined || answer[t.dataset.if] === true;
    return templates.find((t) => t.dataset.resultTemplate === answer.result && fits(t))
      || templates.find((t) => t.dataset.resultTemplate === "*");
  }

  /* A tap clears the screen for the next person; the code just shown still counts as seen, so
     the same ticket left in front of the camera is not scanned again. */
  dismiss() {
    this.result.hidden = true;
    this.result.dataset.result = "";
    this.result.replaceChildren();
    this.root.focus({ preventScroll: true }); // not the code field: that would open the phone's keyboard
  }

  say(text, problem = false) {
    if (!this.status) return;
    this.status.textContent = text;
    this.status.classList.toggle("is-problem", problem);
  }

  message(kind) {
    return this.root.dataset[`msg${kind[0].toUpperCase()}${kind.slice(1)}`] || kind;
  }
}

// ---- Decoding ----

/* BarcodeDetector where the browser has one (Android Chrome), else jsQR on a scaled-down frame.
   Linux Chromium and iOS Safari have no BarcodeDetector, so jsQR must always be there. */
function makeDecoder() {
  const jsqr = window.jsQR ? jsqrDecoder() : null;
  if (!("BarcodeDetector" in window)) return jsqr;
  let detector;
  try {
    detector = new window.BarcodeDetector({ formats: ["qr_code"] });
  } catch (error) {
    return jsqr;
  }
  return async (video) => {
    try {
      const [found] = await detector.detect(video);
      return found?.rawValue || null;
    } catch (error) {
      return jsqr ? jsqr(video) : null;
    }
  };
}

function jsqrDecoder() {
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true });
  return (video) => {
    const scale = Math.min(1, FRAME_WIDTH / video.videoWidth);
    canvas.width = Math.round(video.videoWidth * scale);
    canvas.height = Math.round(video.videoHeight * scale);
    context.drawImage(video, 0, 0, canvas.width, canvas.height);
    const frame = context.getImageData(0, 0, canvas.width, canvas.height);
    const found = window.jsQR(frame.data, frame.width, frame.height, { inversionAttempts: "dontInvert" });
    return found?.data || null;
  };
}

function cameraErrorKind(error) {
  switch (error?.name) {
    case "NotAllowedError":
    case "SecurityError":
      return "denied";
    case "NotFoundError":
    case "OverconstrainedError":
    case "NotReadableError":
      return "nocamera";
    default:
      return "failed";
  }
}

// ---- Sound and vibration ----

let audio = null;

/* Browsers start sound only after a touch: wake the audio on the first one. */
function unlockAudioOnFirstTouch() {
  const unlock = () => {
    audioContext()?.resume?.();
    document.removeEventListener("pointerup", unlock);
    document.removeEventListener("keydown", unlock);
  };
  document.addEventListener("pointerup", unlock);
  document.addEventListener("keydown", unlock);
}

function audioContext() {
  if (!audio) {
    const Context = window.AudioContext || window.webkitAudioContext;
    if (!Context || navigator.userActivation?.hasBeenActive === false) return null;
    audio = new Context();
  }
  return audio;
}

const BEEPS = {
  ok: [[880, 0, 0.18]], // one high beep
  confirm: [[660, 0, 0.12]], // one short, lower beep: nothing new, nothing wrong
  wait: [[520, 0, 0.18], [520, 0.28, 0.18]], // two middle beeps
  bad: [[220, 0, 0.3], [220, 0.4, 0.3]], // two low buzzes
};
const VIBRATIONS = { ok: 120, confirm: 60, wait: [150, 100, 150], bad: [300, 120, 300] };

function signal(tone) {
  navigator.vibrate?.(VIBRATIONS[tone] || VIBRATIONS.bad);
  const context = audioContext();
  if (!context) return;
  const start = context.currentTime + 0.02;
  for (const [frequency, offset, length] of BEEPS[tone] || BEEPS.bad) {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.type = tone === "bad" ? "square" : "sine";
    oscillator.frequency.value = frequency;
    gain.gain.setValueAtTime(0.25, start + offset);
    gain.gain.exponentialRampToValueAtTime(0.001, start + offset + length);
    oscillator.connect(gain).connect(context.destination);
    oscillator.start(start + offset);
    oscillator.stop(start + offset + length);
  }
}

// ---- Small things ----

function newNonce() {
  if (window.crypto?.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
}

function sleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

document.querySelectorAll("[data-scanner]").forEach(startScanner);
