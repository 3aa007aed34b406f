import pytest

from tests.factories.events import EventIndexPageFactory


@pytest.fixture
def event_index(home):
    return EventIndexPageFactory(parent=home)


@pytest.fixture
def speakers_factory(locales):
    from tests.factories.events import SpeakerFactory

    return SpeakerFactory


@pytest.fixture
def translated_speaker(translated):
    """A speaker translated into `language` with the given name, role and bio."""

    def make(speaker, language, name, role, bio):
        return translated(
            speaker, language, {speaker.name: name, speaker.role: role, speaker.bio: bio}
        )

    return make
