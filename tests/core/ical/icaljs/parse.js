// Parses iCalendar files with Mozilla's ical.js (the parser inside Thunderbird) and prints
// what a calendar client would show, as JSON, for tests/core/ical/parsers.py to check.
// Usage: node parse.js FILE...   ->   [{file, method, name, timezones, events: [...]}, ...]
import { readFileSync } from "node:fs";
import ICAL from "ical.js";

function when(time) {
  // time.toString() is the wall-clock value as written (in the TZID's zone, or a DATE);
  // toUnixTime() goes through the document's own VTIMEZONE, so it proves the offsets.
  return {
    local: time.toString(),
    zone: time.zone ? time.zone.tzid : null,
    utc: time.isDate ? null : new Date(time.toUnixTime() * 1000).toISOString(),
    isDate: time.isDate,
  };
}

function address(property) {
  return {
    value: property.getFirstValue(),
    cn: property.getParameter("cn") ?? null,
    partstat: property.getParameter("partstat") ?? null,
    rsvp: property.getParameter("rsvp") ?? null,
    role: property.getParameter("role") ?? null,
  };
}

function describe(vevent) {
  const event = new ICAL.Event(vevent);
  const organizer = vevent.getFirstProperty("organizer");
  const geo = vevent.getFirstPropertyValue("geo");
  return {
    uid: event.uid,
    sequence: event.sequence,
    summary: event.summary,
    description: event.description,
    location: event.location,
    url: vevent.getFirstPropertyValue("url"),
    status: vevent.getFirstPropertyValue("status"),
    geo: geo ? geo.map(Number) : null,
    conference: vevent.getFirstPropertyValue("conference"),
    start: when(event.startDate),
    end: when(event.endDate),
    allDay: event.startDate.isDate,
    stamp: vevent.getFirstPropertyValue("dtstamp").toString(),
    lastModified: vevent.getFirstPropertyValue("last-modified")?.toString() ?? null,
    organizer: organizer ? address(organizer) : null,
    attendees: vevent.getAllProperties("attendee").map(address),
  };
}

const documents = process.argv.slice(2).map((file) => {
  const calendar = new ICAL.Component(ICAL.parse(readFileSync(file, "utf8")));
  return {
    file,
    method: calendar.getFirstPropertyValue("method"),
    name: calendar.getFirstPropertyValue("x-wr-calname"),
    timezone: calendar.getFirstPropertyValue("x-wr-timezone"),
    refresh: calendar.getFirstPropertyValue("refresh-interval")?.toString() ?? null,
    timezones: calendar.getAllSubcomponents("vtimezone").map((z) => z.getFirstPropertyValue("tzid")),
    events: calendar.getAllSubcomponents("vevent").map(describe),
  };
});
process.stdout.write(JSON.stringify(documents));
