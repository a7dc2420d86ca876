"""Invented text for bulk data: sentences from a small vocabulary of common words and a long
tail of made-up ones, so word frequencies fall off as in real writing and search has both
common and rare words to find. Nothing here is taken from the community's threads."""
import random
from itertools import accumulate, product

from markupsafe import escape

COMMON = (
    "listening support chat feel felt today week group night shift help helped hard kind calm "
    "breathe boundaries practice friend friends family school work tired hope hopeful voice quiet "
    "moment story stories trust patient time mentor trainee response reply question answer idea "
    "ideas plan plans small step steps sleep morning evening weekend notice noticed share shared "
    "together gentle honest space safe care caring learn learned listen listened reflect reflection "
    "feelings worry worried better slowly maybe really still again first last new every little "
    "long short thanks grateful rest walk music book books tea garden rain sun sea city train "
    "notes journal draft message messages forum community volunteer volunteering mood energy"
).split()
FILLER = "the a and to of in it that was for on with as my i we you is this but so at be".split()
SYLLABLES = ("ba", "ke", "lo", "mi", "nu", "ra", "se", "ti", "vo", "zu", "shan", "dor", "mel", "quin", "fas",
             "pol", "ver", "gan", "lir", "tho")


def made_up_words(count: int) -> list[str]:
    words = ["".join(parts) for parts in product(SYLLABLES, repeat=3)]
    return words[:count]


class TextMaker:
    """Bodies of a few sentences; `html` is what the Markdown renderer makes of such plain
    text (checked against the real renderer by the seeder before use)."""

    def __init__(self, seed: int = 7, rare_words: int = 5000):
        self.random = random.Random(seed)
        rare = made_up_words(rare_words)
        self.words = FILLER + COMMON + rare
        # Zipf-like: the n-th word is about 1/n as likely as the first.
        self.cumulative = list(accumulate(1.0 / (rank + 1) for rank in range(len(self.words))))

    def sentence(self, low: int = 6, high: int = 14) -> str:
        words = self.random.choices(self.words, cum_weights=self.cumulative, k=self.random.randint(low, high))
        return " ".join(words).capitalize() + "."

    def body(self, sentences: tuple[int, int] = (1, 4)) -> str:
        return " ".join(self.sentence() for _ in range(self.random.randint(*sentences)))

    def title(self) -> str:
        return self.sentence(3, 7)[:-1]

    @staticmethod
    def html(body: str) -> str:
        return f"<p>{escape(body)}</p>"
