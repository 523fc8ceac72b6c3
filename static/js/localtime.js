// Event times in the viewer's own time zone, beside the event's (which the page already shows).
// <span data-utc="ISO start" data-utc-end="ISO end" data-zone="Europe/London" hidden>
// is filled with "20:30–23:00 your time (Europe/Berlin)" and shown, only when the zones differ.
(function () {
  "use strict";
  var viewerZone;
  try {
    viewerZone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  } catch (error) {
    return;
  }
  if (!viewerZone) return;

  function parts(date, zone) {
    var out = {};
    new Intl.DateTimeFormat("en-GB", {
      timeZone: zone, weekday: "short", day: "numeric", month: "short",
      hour: "2-digit", minute: "2-digit", hourCycle: "h23",
    }).formatToParts(date).forEach(function (part) { out[part.type] = part.value; });
    return out;
  }

  function sameInstantText(date, zone) {
    var p = parts(date, zone);
    return { day: p.weekday + " " + p.day + " " + p.month, time: p.hour + ":" + p.minute };
  }

  document.querySelectorAll("[data-utc]").forEach(function (element) {
    var eventZone = element.getAttribute("data-zone");
    if (!eventZone || eventZone === viewerZone) return;
    var start = new Date(element.getAttribute("data-utc"));
    if (isNaN(start.getTime())) return;
    var endValue = element.getAttribute("data-utc-end");
    var end = endValue ? new Date(endValue) : null;

    var viewerStart = sameInstantText(start, viewerZone);
    var eventStart = sameInstantText(start, eventZone);
    var text = viewerStart.time;
    if (viewerStart.day !== eventStart.day) text = viewerStart.day + ", " + text;
    if (end && !isNaN(end.getTime())) {
      var viewerEnd = sameInstantText(end, viewerZone);
      text += "–" + (viewerEnd.day !== viewerStart.day ? viewerEnd.day + ", " : "") + viewerEnd.time;
    }
    if (viewerStart.time === eventStart.time && viewerStart.day === eventStart.day) return;
    element.textContent = text + " your time (" + viewerZone.replace(/_/g, " ") + ")";
    element.hidden = false;
  });
})();
