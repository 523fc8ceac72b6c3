// The organizer's event form: say what is wrong while the organizer types (the server checks
// the same rules on submit, so the form works without this), and hide what does not apply.
document.addEventListener("DOMContentLoaded", () => {
  const form = document.querySelector("form[data-event-form]");
  if (!form) return;
  const $ = (id) => document.getElementById(id);
  const allDay = $("all_day");

  const show = (element, visible) => {
    if (element) element.hidden = !visible;
  };
  // A message the server already shows in this section is not repeated.
  const shownByServer = (box, message) => {
    const section = box.closest(".card, fieldset") || form;
    return [...section.querySelectorAll(".field__errors li")].some((item) => item.textContent.trim() === message);
  };
  const showMessage = (box, message) => {
    if (!box) return;
    const visible = Boolean(message) && !shownByServer(box, message);
    box.textContent = visible ? message : "";
    box.hidden = !visible;
  };
  const say = (name, message) => showMessage(form.querySelector(`[data-live='${name}']`), message);
  // "2027-06-14" + "18:30" -> minutes since an epoch, comparable within the event's zone.
  const moment = (day, time) => {
    if (!day) return null;
    const [y, m, d] = day.split("-").map(Number);
    const [hh, mm] = (time || "00:00").split(":").map(Number);
    return Date.UTC(y, m - 1, d, hh || 0, mm || 0) / 60000;
  };

  const checkWhen = () => {
    const whole = allDay && allDay.checked;
    form.querySelectorAll("[data-timed]").forEach((element) => show(element, !whole));
    const startDay = $("start_date").value;
    const endDay = $("end_date").value || startDay;
    let message = "";
    if (startDay && whole && endDay < startDay) {
      message = "The last day must not be before the first day.";
    } else if (startDay && !whole) {
      const start = moment(startDay, $("start_time").value);
      const end = moment(endDay, $("end_time").value);
      if ($("start_time").value && $("end_time").value && end <= start) {
        message = "The event must end after it starts.";
      }
    }
    say("when", message);

    const deadlineDay = $("deadline_date").value;
    let late = "";
    if (deadlineDay && startDay) {
      const deadline = moment(deadlineDay, $("deadline_time").value || "00:00");
      const start = moment(startDay, whole ? "00:00" : $("start_time").value);
      if (deadline > start) late = "The RSVP deadline must be before the event starts.";
    }
    say("deadline", late);
  };

  const checkQuestion = (row) => {
    const kind = row.querySelector("select[name$='-kind']");
    const label = row.querySelector("input[name$='-label']");
    const choices = row.querySelector("textarea[name$='-choices']");
    const isChoice = kind && kind.value === "choice";
    show(row.querySelector("[data-choices]"), isChoice);
    let message = "";
    if (isChoice && label && label.value.trim()) {
      const text = choices ? choices.value : "";
      const items = text.split(text.includes("\n") ? /\r?\n/ : ",").map((s) => s.trim()).filter(Boolean);
      if (items.length < 2) message = "Give at least two choices, one per line.";
    }
    showMessage(row.querySelector("[data-live='choices']"), message);
  };

  const checkKind = () => {
    const kind = $("kind");
    show(form.querySelector("[data-reunion-only]"), !kind || kind.value === "reunion");
  };

  const checkOptions = () => {
    const offer = $("offer_freed_seats");
    show(form.querySelector("[data-offer-only]"), !offer || offer.checked);
    const repeat = form.querySelector("input[name='repeat']:checked");
    const frequency = repeat ? repeat.value : "none";
    form.querySelectorAll("[data-repeat-options]").forEach((element) => show(element, frequency !== "none"));
    form.querySelectorAll("[data-repeat]").forEach((element) => show(element, element.dataset.repeat === frequency));
    const end = form.querySelector("input[name='repeat_end']:checked");
    if (end && $("repeat_until") && $("repeat_count")) {
      $("repeat_until").closest(".field").hidden = end.value !== "until";
      $("repeat_count").closest(".field").hidden = end.value !== "count";
    }
  };

  // "Check on OpenStreetMap" follows the address as it is typed: the same search the event
  // page's map link makes, from the venue and the address.
  const mapCheck = form.querySelector("[data-map-check]");
  const checkMap = () => {
    if (!mapCheck || !$("address")) return;
    const address = $("address").value.trim();
    const venue = $("venue_name") ? $("venue_name").value.trim() : "";
    const place = [venue, address].filter(Boolean).join(", ");
    mapCheck.hidden = !address;
    mapCheck.querySelector("[data-map-link]").href =
      "https://www.openstreetmap.org/search?" + new URLSearchParams({ query: place }).toString();
  };

  const all = () => {
    checkWhen();
    checkMap();
    checkKind();
    checkOptions();
    form.querySelectorAll("[data-question]").forEach(checkQuestion);
  };
  form.addEventListener("input", all);
  form.addEventListener("change", all);
  all();
});
