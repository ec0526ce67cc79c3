// Drag-and-drop onto the upload box: an enhancement; the form works without this script.
(function () {
  var form = document.getElementById("upload-form");
  var drop = document.getElementById("drop");
  var input = document.getElementById("file");
  var status = document.getElementById("upload-status");
  if (!form || !drop || !input || !window.DataTransfer) { return; }
  ["dragenter", "dragover"].forEach(function (name) {
    drop.addEventListener(name, function (event) { event.preventDefault(); drop.classList.add("over"); });
  });
  ["dragleave", "drop"].forEach(function (name) {
    drop.addEventListener(name, function () { drop.classList.remove("over"); });
  });
  drop.addEventListener("drop", function (event) {
    event.preventDefault();
    var files = event.dataTransfer && event.dataTransfer.files;
    if (!files || files.length !== 1) { status.textContent = "Drop one workbook at a time."; return; }
    input.files = files;
    status.textContent = "Checking " + files[0].name + " …";
    form.submit();
  });
})();
