"""The form fuzz test: every form of the site, filled by Hypothesis, as each kind of visitor."""
