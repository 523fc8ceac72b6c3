"""Read the forms of a page as a browser sees them: action, method and each named control.

Parsed from the HTML the site serves (stdlib html.parser), so a form added to any template is
fuzzed without anyone listing it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

#: Input types that are clicked, not filled: only the button pressed is sent.
BUTTON_TYPES = {"submit", "image"}
#: Input types that send nothing.
IGNORED_TYPES = {"button", "reset"}


@dataclass
class Field:
    """One named control, or a group of them sharing a name (radios, checkboxes, buttons)."""

    name: str
    kind: str  # an <input> type, "textarea", "select", "select-multiple" or "button"
    default: list[str] = field(default_factory=list)  # what the browser would send untouched
    options: list[str] = field(default_factory=list)  # the values offered (selects, radios, buttons)
    required: bool = False


@dataclass
class Form:
    method: str
    action: str  # the absolute path (and query) the form is sent to
    enctype: str
    fields: dict[str, Field] = field(default_factory=dict)
    #: The last submit button, by convention the form's main action ("Save" after "Preview"):
    #: its name ("" if it has none) and value.
    main_button: tuple[str, str] = ("", "")

    @property
    def multipart(self) -> bool:
        return self.enctype == "multipart/form-data"

    def signature(self, endpoint: str) -> tuple:
        """The same form wherever it appears: its endpoint, method and controls."""
        controls = ((f.name, f.kind, tuple(f.options) if f.kind == "button" else ()) for f in self)
        return (endpoint, self.method, tuple(sorted(controls)))

    def __iter__(self):
        return iter(self.fields.values())


class _FormParser(HTMLParser):
    def __init__(self, page_url: str):
        super().__init__(convert_charrefs=True)
        self.page_url = page_url
        self.forms: list[Form] = []
        self.form: Form | None = None
        self.select: Field | None = None
        self.option: dict | None = None  # the <option> being read: value, selected, text
        self.textarea: Field | None = None

    def _field(self, name: str, kind: str, attrs: dict[str, str] | None = None) -> Field:
        assert self.form is not None
        control = self.form.fields.setdefault(name, Field(name=name, kind=kind))
        control.required = control.required or "required" in (attrs or {})
        return control

    def handle_starttag(self, tag: str, attributes: list[tuple[str, str | None]]) -> None:
        attrs = {key: value or "" for key, value in attributes}
        if tag == "form":
            action = urljoin(self.page_url, attrs.get("action") or self.page_url)
            parts = urlsplit(action)
            self.form = Form(
                method=(attrs.get("method") or "get").lower(),
                action=parts.path + (f"?{parts.query}" if parts.query else ""),
                enctype=attrs.get("enctype") or "application/x-www-form-urlencoded",
            )
            self.forms.append(self.form)
            return
        if self.form is None or "disabled" in attrs:
            return
        name = attrs.get("name")
        kind = (attrs.get("type") or ("submit" if tag == "button" else "text")).lower()
        if tag in ("input", "button") and kind in BUTTON_TYPES:
            self.form.main_button = (name or "", attrs.get("value", ""))
        if tag == "input" and name:
            self._input(name, attrs)
        elif tag == "button" and name and kind == "submit":
            self._field(name, "button").options.append(attrs.get("value", ""))
        elif tag == "textarea" and name:
            self.textarea = self._field(name, "textarea", attrs)
            self.textarea.default = [""]
        elif tag == "select" and name:
            self.select = self._field(name, "select-multiple" if "multiple" in attrs else "select", attrs)
        elif tag == "option" and self.select is not None:
            self._end_option()  # </option> may be left out
            self.option = {"value": attrs.get("value"), "selected": "selected" in attrs, "text": ""}

    def _input(self, name: str, attrs: dict[str, str]) -> None:
        kind = (attrs.get("type") or "text").lower()
        value = attrs.get("value", "")
        if kind in IGNORED_TYPES:
            return
        if kind in BUTTON_TYPES:
            self._field(name, "button").options.append(value)
            return
        if kind in ("checkbox", "radio"):
            group = self._field(name, kind, attrs)
            group.options.append(value or "on")
            if "checked" in attrs:
                group.default.append(value or "on")
            return
        control = self._field(name, kind, attrs)
        control.default = [] if kind == "file" else [value]

    def handle_data(self, data: str) -> None:
        if self.option is not None:
            self.option["text"] += data
        elif self.textarea is not None:
            self.textarea.default[0] += data

    def handle_endtag(self, tag: str) -> None:
        if tag == "option" or (tag == "select" and self.option is not None):
            self._end_option()
        if tag == "select":
            if self.select is not None and self.select.kind == "select" and not self.select.default:
                self.select.default = self.select.options[:1]  # a browser sends the first option
            self.select = None
        elif tag == "textarea" and self.textarea is not None:
            text = self.textarea.default[0]  # HTML drops one leading line break
            self.textarea.default[0] = text[2:] if text.startswith("\r\n") else text.removeprefix("\n")
            self.textarea = None
        elif tag == "form" and self.form is not None:
            name, value = self.form.main_button
            for button in self.form:
                if button.kind == "button":
                    button.default = [value] if button.name == name else []
            self.form = None

    def _end_option(self) -> None:
        if self.option is None or self.select is None:
            return
        value = self.option["value"] if self.option["value"] is not None else self.option["text"].strip()
        self.select.options.append(value)
        if self.option["selected"]:
            if self.select.kind == "select":
                self.select.default = [value]
            else:
                self.select.default.append(value)
        self.option = None


def parse_forms(html: str, page_url: str) -> list[Form]:
    """Every <form> on the page, with its controls and the values a browser would send."""
    parser = _FormParser(page_url)
    parser.feed(html)
    parser.close()
    return parser.forms
