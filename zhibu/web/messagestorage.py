"""Django's message storage, with each message's punctuation tidied as it is added.

Messages are often joined from sentences written elsewhere (a validator's "……。" followed by "；"), which
doubles the punctuation; tidying here catches every page's messages in one place.
"""

from django.contrib.messages.storage.fallback import FallbackStorage

from zhibu.lib.textinput import tidy_punctuation


class TidyStorage(FallbackStorage):
    def add(self, level, message, extra_tags=""):
        if isinstance(message, str):
            message = tidy_punctuation(message)
        return super().add(level, message, extra_tags)
