// Shrinks the claim's photos in the browser before upload, for slow networks: each picture is
// redrawn on a canvas at most data-shrink pixels on its long side and re-saved as JPEG.
// Without this script (or on a browser that cannot replace an input's files) the form still
// sends the original photos, and the server shrinks them itself.
(function () {
  "use strict";
  var form = document.querySelector("[data-claim-form]");
  if (!form || !window.DataTransfer || !window.File || !HTMLCanvasElement.prototype.toBlob) return;
  var inputs = Array.prototype.slice.call(form.querySelectorAll("input[type=file][data-shrink]"));
  var previews = form.querySelector("[data-previews]");
  var status = form.querySelector("[data-shrink-status]");
  var submit = form.querySelector("[data-submit]");
  var busy = 0;

  function decode(file) {
    if (window.createImageBitmap) {
      return createImageBitmap(file, { imageOrientation: "from-image" }).catch(function () { return viaImage(file); });
    }
    return viaImage(file);
  }

  function viaImage(file) {
    return new Promise(function (resolve, reject) {
      var image = new Image();
      image.onload = function () { resolve(image); };
      image.onerror = reject;
      image.src = URL.createObjectURL(file);
    });
  }

  function shrink(file, longSide) {
    if (!/^image\//.test(file.type)) return Promise.resolve(file);
    return decode(file).then(function (image) {
      var width = image.naturalWidth || image.width, height = image.naturalHeight || image.height;
      var scale = Math.min(1, longSide / Math.max(width, height));
      var canvas = document.createElement("canvas");
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      var context = canvas.getContext("2d");
      context.fillStyle = "#fff";  // transparent PNGs become white, as on the server
      context.fillRect(0, 0, canvas.width, canvas.height);
      context.drawImage(image, 0, 0, canvas.width, canvas.height);
      return new Promise(function (resolve) {
        canvas.toBlob(function (blob) {
          if (!blob || blob.size >= file.size && file.type === "image/jpeg" && scale === 1) return resolve(file);
          var name = (file.name || "photo").replace(/\.[^.]*$/, "") + ".jpg";
          resolve(new File([blob], name, { type: "image/jpeg", lastModified: Date.now() }));
        }, "image/jpeg", 0.85);
      });
    }).catch(function () { return file; });  // unreadable here: the server judges it
  }

  function showPreviews() {
    previews.textContent = "";
    var count = 0;
    inputs.forEach(function (input) {
      Array.prototype.forEach.call(input.files, function (file) {
        count += 1;
        var item = document.createElement("li");
        var image = document.createElement("img");
        image.src = URL.createObjectURL(file);
        image.alt = (form.getAttribute("data-text-photo") || "Photo {n}").replace("{n}", count);
        item.appendChild(image);
        previews.appendChild(item);
      });
    });
  }

  function setBusy(change) {
    busy += change;
    submit.disabled = busy > 0;
    status.hidden = busy === 0;
    status.textContent = busy > 0 ? form.getAttribute("data-text-shrinking") : "";
  }

  // One tap sends the claim once, however impatient the finger.
  form.addEventListener("submit", function (event) {
    if (submit.disabled) { event.preventDefault(); return; }
    setTimeout(function () { submit.disabled = true; }, 0);
  });

  inputs.forEach(function (input) {
    var longSide = parseInt(input.getAttribute("data-shrink"), 10) || 1600;
    input.addEventListener("change", function () {
      var files = Array.prototype.slice.call(input.files);
      if (!files.length) { showPreviews(); return; }
      setBusy(1);
      Promise.all(files.map(function (file) { return shrink(file, longSide); })).then(function (shrunk) {
        var transfer = new DataTransfer();
        shrunk.forEach(function (file) { transfer.items.add(file); });
        input.files = transfer.files;  // setting files fires no change event: no loop
      }).then(showPreviews, showPreviews).then(function () { setBusy(-1); });
    });
  });
})();
