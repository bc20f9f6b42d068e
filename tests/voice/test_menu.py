"""Phone menus in the bundled dialogue: the options read from what the line said, and
the key towards what the agent calls about."""

import pytest

from ringline.voice.dialogue import Dialogue, bundled_embedder
from ringline.voice.dialogue.menu import MenuOption, choose, menu_options

PROMPT = (
    "You are Alex from Acme Insurance, calling about the renewal of policy POL-456 and "
    "its billing. The renewal premium is 12,000 rupees."
)


@pytest.mark.parametrize(
    ("heard", "options"),
    [
        (
            "Welcome to Acme. For sales, press 1. For accounts and billing, press 2.",
            [("1", "sales"), ("2", "accounts and billing")],
        ),
        (
            "Press one for new policies, press two for renewals, or press star to repeat.",
            [("1", "new policies"), ("2", "renewals"), ("*", "repeat")],
        ),
        ("To speak to an operator, dial 0.", [("0", "speak to an operator")]),
        (  # punctuation where speech-to-text heard pauses, not where the options part
            "Welcome to At Me for sales, press 1 for renewals and billing. Press 2.",
            [("1", "sales"), ("2", "renewals and billing")],
        ),
        (
            "Welcome to Acme. Press 1 for sales, press 2 for billing.",
            [("1", "sales"), ("2", "billing")],
        ),
    ],
)
def test_a_menus_options_are_read_in_order(heard, options):
    assert [(o.key, o.label) for o in menu_options(heard)] == options


@pytest.mark.parametrize(
    "heard",
    ["Yes, speaking.", "I pressed the button already.", "Press on, I am listening."],
)
def test_what_is_no_menu_has_no_options(heard):
    assert menu_options(heard) == []


def test_the_option_sharing_the_prompts_words_is_chosen():
    options = [MenuOption("1", "sales"), MenuOption("2", "accounts and billing")]

    assert choose(options, PROMPT).key == "2"
    assert choose(options[:1], PROMPT).key == "1"  # the only way on
    assert choose([], PROMPT) is None


def test_on_a_tie_of_words_the_closest_meaning_is_chosen():
    options = [MenuOption("1", "buying a car"), MenuOption("2", "money you owe us")]

    assert choose(options, "calling about an unpaid bill", bundled_embedder()).key == "2"


def test_the_dialogue_presses_a_key_for_a_menu_and_talks_to_a_person():
    dialogue = Dialogue(PROMPT, {}, bundled_embedder())
    dialogue.opening("Hello, this is Alex from Acme Insurance.")

    menu = dialogue.respond("For sales, press 1. For accounts and billing, press 2.")
    person = dialogue.respond("Accounts department, Priya speaking. How can I help?")

    assert (menu.keys, menu.text) == ("2", "")
    assert person.keys == "" and person.text


def test_the_person_the_key_reached_hears_why_the_agent_calls():
    dialogue = Dialogue(PROMPT, {}, bundled_embedder())
    dialogue.opening("Hello, this is Alex from Acme Insurance.")
    dialogue.respond("For sales, press 1. For accounts and billing, press 2.")

    reply = dialogue.respond("Accounts department, Priya speaking. How can I help you?")

    assert "Alex from Acme Insurance" in reply.text and "renewal" in reply.text, reply


def test_a_menu_heard_in_two_turns_is_heard_out_before_a_key_is_pressed():
    dialogue = Dialogue(PROMPT, {}, bundled_embedder())
    dialogue.opening("Hello, this is Alex from Acme Insurance.")

    first = dialogue.respond("Welcome to Acme. For sales, press 1.")  # a pause: turn ends
    rest = dialogue.respond("For accounts and billing, press 2.")

    assert (first.keys, first.text) == ("", "")
    assert rest.keys == "2"


def test_a_menu_naming_nothing_of_the_purpose_gets_its_closest_key_once_it_repeats():
    dialogue = Dialogue(
        "You are Sam from Acme, calling about an unpaid bill.", {}, bundled_embedder()
    )
    dialogue.opening("Hello, this is Sam from Acme.")
    menu = "For buying a car, press 1. For money you owe us, press 2."

    heard_once = dialogue.respond(menu)
    heard_again = dialogue.respond(menu)

    assert heard_once.keys == ""
    assert heard_again.keys == "2"


def test_a_menu_gathered_but_taken_back_is_forgotten():
    dialogue = Dialogue(PROMPT, {}, bundled_embedder())
    dialogue.opening("Hello, this is Alex from Acme Insurance.")
    before = dialogue.state()
    dialogue.respond("For sales, press 1.")

    dialogue.restore(before)  # the turn went on: the draft was withdrawn

    assert dialogue.respond("For sales, press 1.").keys == ""
