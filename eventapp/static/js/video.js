// Recordings on the event page: nothing is loaded from YouTube or Vimeo until the visitor presses "Play".
// Then the link becomes the privacy-friendly player (youtube-nocookie.com, or Vimeo with dnt=1). Without
// JavaScript the link simply opens the video on its own site.
(function () {
  var allowed = /^https:\/\/(www\.youtube-nocookie\.com\/embed\/|player\.vimeo\.com\/video\/)/;
  document.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest(".video-facade__play") : null;
    var box = link ? link.closest(".video-facade") : null;
    var src = box ? box.getAttribute("data-player") : "";
    if (!src || !allowed.test(src)) { return; }
    event.preventDefault();
    var frame = document.createElement("iframe");
    frame.src = src + (src.indexOf("?") === -1 ? "?" : "&") + "autoplay=1";
    frame.title = box.getAttribute("data-title") || link.textContent;
    frame.className = "video-facade__player";
    frame.setAttribute("allow", "autoplay; fullscreen; picture-in-picture; encrypted-media");
    frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
    box.textContent = "";
    box.appendChild(frame);
    box.classList.add("video-facade--playing");
    frame.focus();
  });
})();
