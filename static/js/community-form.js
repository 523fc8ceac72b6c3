// Start a community: preselect the browser's time zone (the form still works without this)
// and show the web address that a blank "Web address" field will get.
document.addEventListener("DOMContentLoaded", () => {
  const zone = document.querySelector("select[data-guess-timezone='true']");
  if (zone && zone.value === "UTC") {
    try {
      const guess = Intl.DateTimeFormat().resolvedOptions().timeZone;
      if (guess && [...zone.options].some((option) => option.value === guess)) zone.value = guess;
    } catch (error) {
      // No Intl time zone support: keep UTC.
    }
  }
  const name = document.getElementById("name");
  const slug = document.getElementById("slug");
  if (name && slug) {
    const suggest = () => {
      slug.placeholder = name.value
        .normalize("NFKD").replace(/[\u0300-\u036f]/g, "").toLowerCase().replace(/'/g, "")
        .replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 50).replace(/-+$/, "") || "lyon-alumni";
    };
    name.addEventListener("input", suggest);
    suggest();
  }
});
