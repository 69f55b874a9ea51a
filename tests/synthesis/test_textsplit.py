# ruff: noqa: RUF001, SIM905
# Multilingual on purpose: non-ASCII letters and punctuation are data here.
# Word lists read best as split strings.
"""Unit tests for synthesis.textsplit (pure Python, no database)."""

from __future__ import annotations

import itertools
import random
import re
import unicodedata

import pytest

from synthesis.textsplit import SUPPORTED_LANGUAGES, Chunk, split_text


def texts(text: str, **kwargs: object) -> list[str]:
    return [c.text for c in split_text(text, **kwargs)]


def check_offsets(text: str, chunks: list[Chunk]) -> None:
    for i, c in enumerate(chunks):
        assert c.index == i
        assert c.text == c.text.strip() and c.text
        assert text[c.start : c.end].strip() == c.text
        assert text[c.start : c.end] == c.text  # offsets are already trimmed
    starts = [c.start for c in chunks]
    assert starts == sorted(starts)
    assert all(a.end <= b.start for a, b in itertools.pairwise(chunks))
    assert "".join(c.text for c in chunks) == re.sub(r"\s+", "", text) or _ws_equal(text, chunks)


def _ws_equal(text: str, chunks: list[Chunk]) -> bool:
    return re.sub(r"\s+", "", "".join(c.text for c in chunks)) == re.sub(r"\s+", "", text)


# ---- one realistic multi-sentence example per language ----------------------------------------------------------

LANGUAGE_CASES: list[tuple[str, str, list[str]]] = [
    (
        "en",
        "Mr. Brown arrived at 10 a.m. and sat down. He ordered tea! Was it good? Yes.",
        ["Mr. Brown arrived at 10 a.m. and sat down.", "He ordered tea!", "Was it good?", "Yes."],
    ),
    (
        "ru",
        "Привет! Как дела? Я живу на ул. Ленина, д. 5, т.е. в центре. Всё хорошо.",
        ["Привет!", "Как дела?", "Я живу на ул. Ленина, д. 5, т.е. в центре.", "Всё хорошо."],
    ),
    (
        "uk",
        "Добрий день! Як справи? Я працюю на вул. Шевченка, буд. 3, біля парку. Дякую.",
        ["Добрий день!", "Як справи?", "Я працюю на вул. Шевченка, буд. 3, біля парку.", "Дякую."],
    ),
    (
        "de",
        "Herr Dr. Müller kommt am 3. Oktober, d.h. nächste Woche. Er bringt z.B. Kuchen mit! Kommst du auch?",
        ["Herr Dr. Müller kommt am 3. Oktober, d.h. nächste Woche.", "Er bringt z.B. Kuchen mit!", "Kommst du auch?"],
    ),
    (
        "fr",
        "M. Dupont est arrivé. Mme. Martin aussi ! On mange, p. ex. des crêpes. C'est bon ?",
        ["M. Dupont est arrivé.", "Mme. Martin aussi !", "On mange, p. ex. des crêpes.", "C'est bon ?"],
    ),
    (
        "es",
        "¡Hola! ¿Cómo estás? El Sr. Pérez llegó, p. ej. a las diez. Ud. también.",
        ["¡Hola!", "¿Cómo estás?", "El Sr. Pérez llegó, p. ej. a las diez.", "Ud. también."],
    ),
    (
        "it",
        "Il Sig. Rossi è arrivato. Ha portato pane, vino ecc. e formaggio. Che bello!",
        ["Il Sig. Rossi è arrivato.", "Ha portato pane, vino ecc. e formaggio.", "Che bello!"],
    ),
    (
        "pt",
        "O Sr. Silva chegou cedo. Você viu? Ele trouxe frutas, p. ex. mangas. Que bom!",
        ["O Sr. Silva chegou cedo.", "Você viu?", "Ele trouxe frutas, p. ex. mangas.", "Que bom!"],
    ),
    (
        "nl",
        "Dhr. Jansen komt morgen. Hij neemt bijv. koffie mee. Leuk, toch?",
        ["Dhr. Jansen komt morgen.", "Hij neemt bijv. koffie mee.", "Leuk, toch?"],
    ),
    (
        "pl",
        "Dzień dobry! Mieszkam przy ul. Długiej, np. obok parku. Czy to daleko?",
        ["Dzień dobry!", "Mieszkam przy ul. Długiej, np. obok parku.", "Czy to daleko?"],
    ),
    (
        "cs",
        "Dobrý den. Mám rád ovoce, např. jablka. Ing. Novák přijde zítra! Opravdu?",
        ["Dobrý den.", "Mám rád ovoce, např. jablka.", "Ing. Novák přijde zítra!", "Opravdu?"],
    ),
    (
        "tr",
        "Merhaba! Dr. Yılmaz bugün geldi. Elma, armut vb. meyveler aldı. Nasılsın?",
        ["Merhaba!", "Dr. Yılmaz bugün geldi.", "Elma, armut vb. meyveler aldı.", "Nasılsın?"],
    ),
    (
        "sv",
        "Hej! Jag gillar frukt, t.ex. äpplen. Vi ses i morgon. Okej?",
        ["Hej!", "Jag gillar frukt, t.ex. äpplen.", "Vi ses i morgon.", "Okej?"],
    ),
    (
        "fi",
        "Hyvää päivää! Pidän hedelmistä, esim. omenoista. Nähdään huomenna klo. 10. Sopiiko?",
        ["Hyvää päivää!", "Pidän hedelmistä, esim. omenoista.", "Nähdään huomenna klo. 10.", "Sopiiko?"],
    ),
    (
        "el",
        "Γεια σου! Τι κάνεις; Είμαι καλά, π.χ. σήμερα. Ευχαριστώ.",
        ["Γεια σου!", "Τι κάνεις;", "Είμαι καλά, π.χ. σήμερα.", "Ευχαριστώ."],
    ),
    ("ar", "مرحبا بك. كيف حالك؟ أنا بخير، شكرا!", ["مرحبا بك.", "كيف حالك؟", "أنا بخير، شكرا!"]),
    ("fa", "سلام. حال شما چطور است؟ من خوبم.", ["سلام.", "حال شما چطور است؟", "من خوبم."]),
    ("he", "שלום. מה שלומך? אני בסדר!", ["שלום.", "מה שלומך?", "אני בסדר!"]),
    (
        "hi",
        "नमस्ते। आप कैसे हैं? मैं ठीक हूँ॥ डॉ. शर्मा आए।",
        ["नमस्ते।", "आप कैसे हैं?", "मैं ठीक हूँ॥", "डॉ. शर्मा आए।"],
    ),
    ("bn", "আমি ভাত খাই। তুমি কী খাও? আমরা বন্ধু।", ["আমি ভাত খাই।", "তুমি কী খাও?", "আমরা বন্ধু।"]),
    (
        "ja",
        "今日は晴れです。明日は雨でしょうか？「こんにちは。」と彼は言った。",
        ["今日は晴れです。", "明日は雨でしょうか？", "「こんにちは。」と彼は言った。"],
    ),
    ("zh", "你好。我是小明！你叫什么名字？", ["你好。", "我是小明！", "你叫什么名字？"]),
    ("ko", "안녕하세요. 저는 학생입니다! 당신은요?", ["안녕하세요.", "저는 학생입니다!", "당신은요?"]),
    (
        "th",
        "สวัสดีครับ วันนี้อากาศดีมาก\nพรุ่งนี้จะไปเที่ยวทะเล",
        ["สวัสดีครับ วันนี้อากาศดีมาก", "พรุ่งนี้จะไปเที่ยวทะเล"],
    ),
    (
        "vi",
        "Xin chào! Tôi sống ở TP. Hồ Chí Minh. Bạn có khỏe không?",
        ["Xin chào!", "Tôi sống ở TP. Hồ Chí Minh.", "Bạn có khỏe không?"],
    ),
    (
        "id",
        "Selamat pagi! Saya membeli apel, jeruk, dll. di pasar. Bpk. Budi juga datang.",
        ["Selamat pagi!", "Saya membeli apel, jeruk, dll. di pasar.", "Bpk. Budi juga datang."],
    ),
    ("hy", "Բարեւ։ Ինչպե՞ս ես։ Լավ եմ։", ["Բարեւ։", "Ինչպե՞ս ես։", "Լավ եմ։"]),
]


@pytest.mark.parametrize(("language", "text", "expected"), LANGUAGE_CASES, ids=[c[0] for c in LANGUAGE_CASES])
def test_language_examples(language: str, text: str, expected: list[str]) -> None:
    chunks = split_text(text, language=language)
    assert [c.text for c in chunks] == expected
    assert {c.language for c in chunks} == {language}
    check_offsets(text, chunks)


@pytest.mark.parametrize(("language", "text", "expected"), LANGUAGE_CASES, ids=[c[0] for c in LANGUAGE_CASES])
def test_language_examples_auto(language: str, text: str, expected: list[str]) -> None:
    chunks = split_text(text)
    assert [c.text for c in chunks] == expected
    if language not in UNSURE_AUTO:
        assert {c.language for c in chunks} == {language}


UNSURE_AUTO = {"fi"}  # short Latin-script texts may be too ambiguous to name; None is the honest answer


def test_supported_languages() -> None:
    assert len(SUPPORTED_LANGUAGES) >= 20
    assert {c[0] for c in LANGUAGE_CASES} <= set(SUPPORTED_LANGUAGES)


@pytest.mark.parametrize("language", ["en-US", "pt_BR", "ZH-Hans", "RU"])
def test_regional_language_codes(language: str) -> None:
    assert split_text("Hi. Yo.", language=language)[0].language == language.lower()[:2]


@pytest.mark.parametrize("language", [None, "", "auto"])
def test_auto_language(language: str | None) -> None:
    assert texts("Hello there. How are you?", language=language) == ["Hello there.", "How are you?"]


def test_unknown_language_uses_script_rules_and_keeps_the_code() -> None:
    # Romanian has no rules of its own: Latin-script rules apply, the voice's language is reported back.
    chunks = split_text("Bună ziua! Dr. Popescu a venit. Mulțumesc.", language="ro-RO")
    assert [c.text for c in chunks] == ["Bună ziua!", "Dr. Popescu a venit.", "Mulțumesc."]
    assert {c.language for c in chunks} == {"ro"}
    assert texts("Γεια σου; Καλά.", language="xx") == ["Γεια σου;", "Καλά."]


def test_type_errors() -> None:
    with pytest.raises(TypeError):
        split_text(b"bytes")  # type: ignore[arg-type]


@pytest.mark.parametrize("max_chars", [19, 5001, 0, -5, True, 30.0])
def test_max_chars_validation(max_chars: object) -> None:
    with pytest.raises(ValueError, match="max_chars"):
        split_text("Hello.", max_chars=max_chars)  # type: ignore[arg-type]


@pytest.mark.parametrize("max_chars", [20, 5000])
def test_max_chars_bounds_accepted(max_chars: int) -> None:
    assert texts("Hello.", max_chars=max_chars) == ["Hello."]


@pytest.mark.parametrize("text", ["", " ", "\n\n\t  \r\n", "\u3000\u00a0"])
def test_whitespace_only(text: str) -> None:
    assert split_text(text) == []


# ---- boundaries that must not split -------------------------------------------------------------------------------

NO_SPLIT: list[tuple[str, str | None, str]] = [
    ("en-titles", "en", "Mr. and Mrs. Smith met Prof. Lee and Dr. Who at St. Mary's church."),
    ("en-latin", "en", "Bring fruit, e.g. apples, i.e. something sweet, vs. nothing at all."),
    ("en-company", "en", "Acme Inc. and Foo Ltd. signed with Bar Corp. yesterday."),
    ("en-suffix", "en", "Martin Luther King Jr. and John Smith Sr. spoke."),
    ("en-number", "en", "See No. 7 and Fig. 3 in the appendix."),
    ("en-us", "en", "The U.S. Army arrived at 10.30 a.m. and left at 5 p.m. sharp."),
    ("initials", "en", "J. R. R. Tolkien met C. S. Lewis in Oxford."),
    ("decimals", "en", "Pi is 3.14, the total is 1,000.5 and version v2.0 is out."),
    ("url", "en", "Open https://example.com/docs/v1.2/index.html?q=a.b&x=1 in a browser."),
    ("email", "en", "Write to john.doe@mail.example.co.uk for details."),
    ("domain", None, "The site example.org and www.test.co.uk are both down."),
    ("ellipsis-lower", "en", "Well... maybe we should wait."),
    ("ellipsis-char-lower", None, "Well… maybe we should wait."),
    ("quote-then-lower", "en", '"Stop!" he shouted at them.'),
    ("ru-abbr", "ru", "Т.е. всё было т. к. надо, см. стр. 5 и рис. 2 в гл. 3."),
    ("ru-money", "ru", "Цена 5 руб. 50 коп. за штуку, всего 3 тыс. руб. или 2 млн. за партию."),
    ("ru-era", "ru", "Это было в V в. до н.э. и длилось долго."),
    ("ru-city", "ru", "Он жил в г. Москва на ул. Тверской, д. 7, им. Пушкина."),
    ("ru-initials", "ru", "А. С. Пушкин родился в Москве."),
    ("ru-dash-dialogue", "ru", "«Стой!» — сказал он."),
    ("de-abbr", "de", "Wir kaufen z.B. Obst, d.h. Äpfel bzw. Birnen, ca. 3 kg usw. für Hr. Meier."),
    ("de-ordinal", "de", "Wir treffen uns am 3. Oktober im 2. Stock."),
    ("de-ordinal-auto", None, "Wir treffen uns am 3. Oktober in Berlin."),
    (
        "fr-abbr",
        "fr",
        "M. Dupont, Mme. Curie et Mlle. Roux mangent des fruits, p. ex. des pommes, etc. pour le dessert.",
    ),
    ("fr-guillemets", "fr", "« Arrête ! » dit-il."),
    ("es-abbr", "es", "El Sr. Pérez y la Sra. Gómez ven al Dr. Ruiz, p. ej. hoy, como Ud. quiera."),
    ("ja-quote", "ja", "「こんにちは。」と彼は言った。"),
    ("zh-quote", "zh", "“你好。”他说。"),
    ("zh-ellipsis", "zh", "我……不知道。"),
    ("nbsp", "en", "See No.\u00a07 today."),
]


@pytest.mark.parametrize(("language", "text"), [c[1:] for c in NO_SPLIT], ids=[c[0] for c in NO_SPLIT])
def test_no_split(language: str | None, text: str) -> None:
    assert texts(text, language=language) == [text]
    assert texts(text) == [text]  # auto-detection picks rules that agree


SPLITS: list[tuple[str, str | None, str, list[str]]] = [
    ("quote-bang", None, 'He said "Stop!" Then left.', ['He said "Stop!"', "Then left."]),
    ("curly-quote", "en", "She asked, “Are you coming?” He nodded.", ["She asked, “Are you coming?”", "He nodded."]),
    ("single-quote", "en", "He wrote ‘Done.’ Then slept.", ["He wrote ‘Done.’", "Then slept."]),
    ("paren", "en", "(This is an aside.) The text goes on.", ["(This is an aside.)", "The text goes on."]),
    ("guillemets", "ru", "Он сказал: «Привет». Потом ушёл.", ["Он сказал: «Привет».", "Потом ушёл."]),
    ("guillemets-inner", "ru", "«Почему?» Он ушёл.", ["«Почему?»", "Он ушёл."]),
    ("german-quotes", "de", "„Halt!“ rief er. Dann ging er.", ["„Halt!“ rief er.", "Dann ging er."]),
    ("fr-spaced", "fr", "« Arrête ! » Puis il part.", ["« Arrête ! »", "Puis il part."]),
    ("cjk-corner", "ja", "「はい。」「いいえ。」", ["「はい。」", "「いいえ。」"]),
    ("cjk-double-corner", "ja", "『本当？』そうだ。", ["『本当？』そうだ。"]),
    (
        "ellipsis-upper",
        "en",
        "Wait... What happened? I don't know...",
        ["Wait...", "What happened?", "I don't know..."],
    ),
    ("combos", "en", "Really?! Yes!!! OK?.. Fine.", ["Really?!", "Yes!!!", "OK?..", "Fine."]),
    (
        "etc-end",
        "en",
        "We sold apples, pears, etc. The rest was lost.",
        ["We sold apples, pears, etc.", "The rest was lost."],
    ),
    ("pm-end", "en", "He came at 10 p.m. The party started.", ["He came at 10 p.m.", "The party started."]),
    ("no-word", "en", "Say no. No. Never.", ["Say no.", "No.", "Never."]),
    (
        "url-end",
        "en",
        "Visit https://example.com/a?x=1. Then rest.",
        ["Visit https://example.com/a?x=1.", "Then rest."],
    ),
    ("domain-end", None, "Go to www.example.com. It is fine.", ["Go to www.example.com.", "It is fine."]),
    ("list", "en", "Steps: 1. Open the box. 2. Take it out.", ["Steps: 1. Open the box.", "2. Take it out."]),
    ("ru-etc", "ru", "Мы купили хлеб, молоко и т.д. Потом ушли.", ["Мы купили хлеб, молоко и т.д.", "Потом ушли."]),
    ("ru-year", "ru", "Он родился в 1799 г. Потом вырос.", ["Он родился в 1799 г.", "Потом вырос."]),
    ("es-inverted", "es", "¡Hola! ¿Qué tal? Bien.", ["¡Hola!", "¿Qué tal?", "Bien."]),
    ("greek-semicolon", "el", "Τι κάνεις; Καλά.", ["Τι κάνεις;", "Καλά."]),
    ("greek-question-mark", None, "Τι κάνεις\u037e Καλά.", ["Τι κάνεις\u037e", "Καλά."]),
    ("semicolon-latin", "en", "One; two. Three.", ["One; two.", "Three."]),
    ("cjk-fullwidth", "zh", "你好！我很好。谢谢？", ["你好！", "我很好。", "谢谢？"]),
    ("cjk-ascii-bang", "zh", "你好!我很好.", ["你好!", "我很好."]),
    ("danda", "hi", "राम घर गया।सीता आई॥ फिर?", ["राम घर गया।", "सीता आई॥", "फिर?"]),
    ("arabic-qmark", "ar", "هل أنت بخير؟ نعم۔ شكرا.", ["هل أنت بخير؟", "نعم۔", "شكرا."]),
    ("emoji", "en", "Great! 😀 Next one 👍🏽.", ["Great! 😀", "Next one 👍🏽."]),
    ("zwj-emoji", None, "Family 👨‍👩‍👧! New line.", ["Family 👨‍👩‍👧!", "New line."]),
    ("digits-next", "en", "Price is $5. 10 people came.", ["Price is $5.", "10 people came."]),
    ("paragraphs", "en", "Line one\n\nLine two", ["Line one", "Line two"]),
    ("paragraphs-spaces", "en", "First part\n   \n\t\nSecond part", ["First part", "Second part"]),
    ("crlf", "en", "One.\r\n\r\nTwo", ["One.", "Two"]),
    (
        "verse",
        "en",
        "Roses are red\nViolets are blue\nSugar is sweet",
        ["Roses are red", "Violets are blue", "Sugar is sweet"],
    ),
    (
        "letter",
        "en",
        "Dear John,\nThanks for the letter.\nBest,\nMary",
        ["Dear John,", "Thanks for the letter.", "Best,", "Mary"],
    ),
    (
        "heading",
        "en",
        "Chapter One\nIt was a dark and stormy night and the rain fell in torrents, except at occasional intervals.",
        [
            "Chapter One",
            "It was a dark and stormy night and the rain fell in torrents, except at occasional intervals.",
        ],
    ),
    (
        "verse-continuation",
        "en",
        "I wandered lonely\nas a cloud that floats",
        ["I wandered lonely\nas a cloud that floats"],
    ),
]


@pytest.mark.parametrize(("language", "text", "expected"), [c[1:] for c in SPLITS], ids=[c[0] for c in SPLITS])
def test_splits(language: str | None, text: str, expected: list[str]) -> None:
    chunks = split_text(text, language=language)
    assert [c.text for c in chunks] == expected
    check_offsets(text, chunks)
    assert texts(text) == expected


def test_hard_wrapped_prose_stays_one_sentence() -> None:
    text = (
        "This is a long paragraph of prose that continues onto the next line because it\n"
        "was hard wrapped by an editor at about eighty columns, and Then it should stay\n"
        "one sentence even though a line starts with a capital letter."
    )
    assert texts(text) == [text]


def test_thai_splits_on_newlines_and_spaces_at_max_length() -> None:
    text = "วันนี้อากาศดีมาก เราจะไปเที่ยวทะเลกัน แล้วกินอาหารทะเลอร่อยๆ\nพรุ่งนี้กลับบ้าน"
    assert texts(text, language="th") == ["วันนี้อากาศดีมาก เราจะไปเที่ยวทะเลกัน แล้วกินอาหารทะเลอร่อยๆ", "พรุ่งนี้กลับบ้าน"]
    chunks = split_text(text, language="th", max_chars=40)
    assert [c.text for c in chunks] == ["วันนี้อากาศดีมาก เราจะไปเที่ยวทะเลกัน", "แล้วกินอาหารทะเลอร่อยๆ", "พรุ่งนี้กลับบ้าน"]
    check_offsets(text, chunks)


# ---- max_chars ----------------------------------------------------------------------------------------------------


def assert_cut_on_spaces(text: str, chunks: list[Chunk], max_chars: int) -> None:
    """No chunk too long, and (spaced scripts) every cut falls on whitespace, so no word is broken."""
    check_offsets(text, chunks)
    assert all(len(c.text) <= max_chars for c in chunks)
    for a, b in itertools.pairwise(chunks):
        assert b.start > a.end and not text[a.end : b.start].strip(), (a, b)


LONG_EN = (
    "The committee, after a long and sometimes heated discussion that lasted well into the evening, decided "
    "to postpone the vote; however, several members — including the chair — insisted that the matter be "
    "revisited next week, when the full report from the auditors, the lawyers and the engineers would be "
    "available for everyone to read carefully before making any final decision about the budget."
)


@pytest.mark.parametrize("max_chars", [20, 35, 60, 100, 150, 299])
def test_max_chars_long_sentence(max_chars: int) -> None:
    chunks = split_text(LONG_EN, language="en", max_chars=max_chars)
    assert len(chunks) > 1
    assert_cut_on_spaces(LONG_EN, chunks, max_chars)


def test_max_chars_prefers_clause_punctuation() -> None:
    chunks = texts(LONG_EN, language="en", max_chars=120)
    assert chunks[:3] == [
        "The committee, after a long and sometimes heated discussion that lasted well into the evening,",
        "decided to postpone the vote; however, several members — including the chair —",
        "insisted that the matter be revisited next week, when the full report from the auditors,",
    ]
    # no clause mark left: the tail is cut on a space near its middle instead of leaving an orphan
    assert chunks[3:] == [
        "the lawyers and the engineers would be available for everyone to",
        "read carefully before making any final decision about the budget.",
    ]


def test_max_chars_falls_back_to_whitespace() -> None:
    text = "alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma."
    chunks = split_text(text, max_chars=30)
    assert [c.text for c in chunks] == [
        "alpha beta gamma delta epsilon",
        "zeta eta theta iota kappa",
        "lambda mu nu xi",
        "omicron pi rho sigma.",
    ]
    assert_cut_on_spaces(text, chunks, 30)


def test_max_chars_keeps_numbers_whole() -> None:
    text = "Totals were 1,000.5 and 2,345.75 and 3.14159 and 42,000,000 and v2.0.1 and 10.30 in the morning."
    chunks = split_text(text, max_chars=20)
    assert_cut_on_spaces(text, chunks, 20)
    words = [w for c in chunks for w in c.text.split()]
    assert words == text.split()


def test_max_chars_cjk_prefers_ideographic_comma() -> None:
    text = "今天天气很好，我们一起去公园散步吧、然后去吃饭，最后回家休息一下。"
    chunks = split_text(text, language="zh", max_chars=20)
    assert [c.text for c in chunks] == ["今天天气很好，我们一起去公园散步吧、", "然后去吃饭，最后回家休息一下。"]
    check_offsets(text, chunks)


def test_max_chars_cjk_without_punctuation_cuts_between_characters() -> None:
    text = "我们" * 40 + "。"
    chunks = split_text(text, language="zh", max_chars=25)
    assert all(len(c.text) <= 25 for c in chunks)
    assert "".join(c.text for c in chunks) == text
    check_offsets(text, chunks)


def test_max_chars_never_splits_combining_marks() -> None:
    text = "e\u0301" * 50 + " " + "क्षत्रिय" * 10 + " " + "น้ำ" * 20
    chunks = split_text(text, max_chars=21)
    assert all(len(c.text) <= 21 for c in chunks)
    assert re.sub(r"\s", "", "".join(c.text for c in chunks)) == re.sub(r"\s", "", text)
    for c in chunks:
        assert not unicodedata.category(c.text[0]).startswith("M")
        assert unicodedata.combining(c.text[-1]) != 9  # never end on a virama
    check_offsets(text, chunks)


def test_max_chars_keeps_emoji_clusters() -> None:
    flags = "🇺🇸🇩🇪🇫🇷🇯🇵" * 8
    family = "👨‍👩‍👧" * 10
    thumbs = "👍🏽" * 15
    for text in (flags, family, thumbs):
        chunks = split_text(text, max_chars=21)
        assert "".join(c.text for c in chunks) == text
        for c in chunks:
            assert len(c.text) <= 21
            assert c.text[0] not in "\u200d\ufe0f" and not 0x1F3FB <= ord(c.text[0]) <= 0x1F3FF
            assert c.text[-1] != "\u200d"
    # a flag is a pair of regional indicators: every chunk holds whole pairs
    assert all(len(c.text) % 2 == 0 for c in split_text(flags, max_chars=21))


def test_max_chars_long_url_is_cut_at_separators() -> None:
    url = "https://example.com/" + "/".join(f"segment{i:02d}" for i in range(40))
    text = f"Download it from {url} today."
    chunks = split_text(text, max_chars=50)
    check_offsets(text, chunks)
    assert all(len(c.text) <= 50 for c in chunks)
    assert "".join(c.text for c in chunks).replace(" ", "") == text.replace(" ", "")
    url_chunks = [c.text for c in chunks if "segment" in c.text]
    assert all(c.endswith("/") or c.endswith("today.") for c in url_chunks[:-1])


def test_sentences_under_the_limit_are_not_merged_or_cut() -> None:
    text = "Yes. No. Maybe. OK."
    assert texts(text, max_chars=20) == ["Yes.", "No.", "Maybe.", "OK."]


# ---- property-style: random texts from word lists -----------------------------------------------------------------

EN_WORDS = (
    "time year people way day man thing woman life child world school state family student group country problem "
    "hand part place case week company system program question work government number night point home water room "
    "mother area money story fact month lot right study book eye job word business issue side kind head house "
    "service friend father power hour game line end member law car city community name president team minute idea "
    "kid body information back parent face others level office door health person art war history party result"
).split()
EN_INSERTS = [
    "Mr. Smith",
    "Dr. Lee",
    "e.g. apples",
    "i.e. pears",
    "3.14",
    "1,000.5",
    "v2.0",
    "J. R. R. Tolkien",
    "example.com",
    "mail@example.org",
    "10.30 a.m. sharp",
    "the U.S. Navy",
    "No. 7",
    "Fig. 2",
    '"stop!" he said',
    "well... maybe",
    "St. Louis",
    "🎉",
    "(see page 4)",
]
RU_WORDS = (
    "время человек год дело жизнь день рука работа слово место вопрос лицо глаз страна друг сторона дом случай "
    "ребёнок голова система вид конец город час мир голос сила земля отец машина вода книга мать утро"
).split()
RU_INSERTS = [
    "т.е. дом",
    "и т.д. и",
    "ул. Ленина",
    "в г. Москва",
    "А. С. Пушкин",
    "5 руб. 50 коп.",
    "см. стр. 5",
    "2,5",
]
ZH_CHARS = (
    "我你他她们的是了在有不这个人中大为上来说国年着就那和要出也得里后自以会家可下而过天去能对小多然于心学"
    "么之都好看起发当没成只如事把还用第样道想作种开美总从无情己面最女但现前些所同日手又行意动方期它头经长"
    "儿回位分爱老因很给名法间斯知世什两次使身者被高已亲其进此话常与活正感"
)
TERMINATORS = [".", ".", ".", "!", "?", "?!", "...", "…"]


def random_sentence(rng: random.Random, words: list[str], inserts: list[str]) -> str:
    body = [rng.choice(words) for _ in range(rng.randint(2, 12))]
    for _ in range(rng.randint(0, 2)):
        body.insert(rng.randint(1, len(body) - 1), rng.choice(inserts))
    body.append(rng.choice(words))  # a plain last word keeps the terminator unambiguous
    if rng.random() < 0.3:
        body.insert(rng.randint(1, len(body) - 1), rng.choice(words) + ",")
    text = " ".join(body)
    text = text[0].upper() + text[1:] + rng.choice(TERMINATORS)
    return f'"{text}"' if rng.random() < 0.1 else text


def random_text(rng: random.Random, words: list[str], inserts: list[str]) -> tuple[str, list[str]]:
    sentences = [random_sentence(rng, words, inserts) for _ in range(rng.randint(1, 8))]
    text = sentences[0]
    for s in sentences[1:]:
        text += rng.choice([" ", " ", " ", "  ", "\n", " \t"]) + s
    return rng.choice(["", " ", "\n"]) + text + rng.choice(["", " ", "\n"]), sentences


@pytest.mark.parametrize(("words", "inserts", "language"), [(EN_WORDS, EN_INSERTS, "en"), (RU_WORDS, RU_INSERTS, "ru")])
def test_random_sentences_are_found_exactly(words: list[str], inserts: list[str], language: str) -> None:
    rng = random.Random(20240611)
    for _ in range(300):
        text, expected = random_text(rng, words, inserts)
        for lang in (language, None):
            chunks = split_text(text, language=lang, max_chars=5000)
            assert [c.text for c in chunks] == expected, text
            check_offsets(text, chunks)


@pytest.mark.parametrize(("words", "inserts"), [(EN_WORDS, EN_INSERTS), (RU_WORDS, RU_INSERTS)])
def test_random_texts_cover_input_under_any_limit(words: list[str], inserts: list[str]) -> None:
    rng = random.Random(7)
    for _ in range(300):
        text, _ = random_text(rng, words, inserts)
        max_chars = rng.randint(20, 160)
        chunks = split_text(text, max_chars=max_chars)
        assert_cut_on_spaces(text, chunks, max_chars)
        assert " ".join(" ".join(c.text.split()) for c in chunks) == " ".join(text.split())


def test_random_cjk_texts() -> None:
    rng = random.Random(3)
    for _ in range(200):
        sentences = []
        for _ in range(rng.randint(1, 6)):
            body = "".join(rng.choice(ZH_CHARS) for _ in range(rng.randint(3, 60)))
            if rng.random() < 0.5:
                cut = rng.randint(1, len(body) - 1)
                body = body[:cut] + rng.choice("，、；") + body[cut:]
            sentences.append(body + rng.choice("。！？"))
        text = "".join(sentences)
        assert texts(text, max_chars=5000) == sentences
        max_chars = rng.randint(20, 80)
        chunks = split_text(text, max_chars=max_chars)
        check_offsets(text, chunks)
        assert all(len(c.text) <= max_chars for c in chunks)
        assert "".join(c.text for c in chunks) == text
        assert all(c.language == "zh" for c in chunks)
