"""How long a text typed into a form may be (issue 13 item 8).

A text field without a limit took a 2.4 MB review note. Each free text has one of
three sizes, set on the model field (its ModelForm then has `max_length`, so the
textarea carries `maxlength` and Django's message names the limit) and on a form
field declared by hand. tests/test_text_limits.py fails on a typed text field
that has none."""

# A reason or a refusal: one or two sentences.
REASON = 1000
# A note or a comment: a paragraph (the decision comment of a task had 2000).
NOTE = 2000
# Minutes, a complaint, a plan's summary, a task's wording (a submission had 5000).
LONG_TEXT = 5000
