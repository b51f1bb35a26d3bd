// CarbonChain regulator's view: a file dropped (or chosen) is sent to /hash, which hashes it with
// SHA-256, Keccak-256 and SM3 and answers with the pages it leads to. Nothing is stored.
(function () {
  var drop = document.getElementById("drop");
  var input = document.getElementById("file");
  var out = document.getElementById("drop-result");
  if (!drop || !input) return;
  function show(text) { out.textContent = " " + text; }
  function send(file) {
    show("hashing " + file.name + "…");
    fetch("/hash", { method: "POST", body: file, headers: { "Content-Type": "application/octet-stream" } })
      .then(function (r) { return r.json(); })
      .then(function (res) {
        if (res.error) { show(res.error); return; }
        if (res.hits.length === 1) { window.location.href = res.hits[0].url; return; }
        if (res.hits.length === 0) {
          show(file.name + " is not in the index (sha256 " + res.digests.sha256 + ")");
          return;
        }
        out.textContent = " ";
        res.hits.forEach(function (h) {
          var a = document.createElement("a");
          a.href = h.url; a.textContent = h.label; out.appendChild(a); out.appendChild(document.createTextNode(" "));
        });
      })
      .catch(function (e) { show("could not hash: " + e); });
  }
  input.addEventListener("change", function () { if (input.files.length) send(input.files[0]); });
  ["dragenter", "dragover"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (t) {
    drop.addEventListener(t, function (e) { e.preventDefault(); drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (e) { if (e.dataTransfer.files.length) send(e.dataTransfer.files[0]); });
})();
