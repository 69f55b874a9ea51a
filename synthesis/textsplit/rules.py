# ruff: noqa: RUF001, RUF003, SIM905
# Multilingual on purpose: non-ASCII letters and punctuation are data here.
# Word lists read best as split strings.
"""Per-language sentence rules and a light script/language guesser for :mod:`synthesis.textsplit`."""

from __future__ import annotations

import re
from dataclasses import dataclass

# Abbreviations that never end a sentence by themselves. Multi-part ones ("p. ex.", "т. к.") are matched with their
# inner spaces removed, so "т.к." and "т. к." are the same entry.
_ABBREVIATIONS: dict[str, str] = {
    "en": "Mr. Mrs. Ms. Dr. Prof. St. Mt. Ave. Blvd. Rd. vs. e.g. i.e. etc. Inc. Ltd. Co. Corp. Jr. Sr. No. Nos. "
    "Fig. Figs. Eq. Ch. Sec. Vol. vol. pp. ed. eds. cf. al. approx. dept. est. ca. U.S. U.K. U.N. a.m. p.m. "
    "Ph.D. M.D. B.A. M.A. Gen. Gov. Sen. Rep. Capt. Col. Lt. Sgt. Rev. Hon. Jan. Feb. Mar. Apr. Jun. Jul. Aug. "
    "Sep. Sept. Oct. Nov. Dec.",
    "ru": "т.е. т.д. т.п. т.к. т.н. т.ч. т.о. г. гг. ул. д. им. стр. см. руб. коп. тыс. млн. млрд. трлн. н.э. "
    "пр. просп. пер. обл. кв. корп. проф. акад. доц. зам. ок. др. и.о. рис. табл. гл. вып. изд. тт. чел. мин. сек. "
    "напр. англ. лат. франц. нем. р-н. пл. наб. пос.",
    "uk": "т.д. т.п. т.ч. т.зв. р. рр. вул. буд. ім. ст. див. грн. коп. тис. млн. млрд. проф. акад. доц. напр. ін. "
    "пор. обл. н.е. кв. пл. просп. мін.",
    "de": "z.B. usw. bzw. Nr. Dr. Hr. Hrn. Fr. ca. d.h. u.a. o.ä. u.ä. vgl. evtl. ggf. inkl. exkl. max. min. bspw. "
    "Str. St. Prof. Dipl. Ing. Jh. Mio. Mrd. Tel. Abb. Abs. Art. Bd. sog. usf. etc. zzgl. allg. v.a. u.U. z.T. "
    "i.d.R. Jan. Feb. Apr. Aug. Sept. Okt. Nov. Dez. geb. gest. v.Chr. n.Chr.",
    "fr": "M. MM. Mme. Mmes. Mlle. Mlles. Dr. Pr. Me. St. Ste. etc. p.ex. cf. av. apr. J.-C. env. n°. vol. chap. "
    "éd. ex. pp. fig. tél. Cie. boul. bd. min. sec. hab.",
    "es": "Sr. Sra. Srta. Sres. Dr. Dra. Lic. Ing. Arq. p.ej. etc. Ud. Uds. Vd. Vds. Dña. Avda. Av. pág. págs. "
    "núm. tel. aprox. cap. art. vol. izq. dcha. S.A. EE.UU. a.C. d.C. ej. Excmo. Excma.",
    "it": "Sig. Sigg. Dott. Prof. Ing. Avv. Arch. ecc. p.es. pag. pagg. ca. tel. S.p.A. a.C. d.C. vol. cap. es. "
    "Gent. ill.",
    "pt": "Sr. Sra. Srta. Dr. Dra. Prof. Profa. Eng. etc. p.ex. pág. págs. nº. Av. tel. aprox. a.C. d.C. Exa. "
    "Sto. Sta. Ltda. S.A.",
    "nl": "bijv. bv. o.a. enz. d.w.z. m.a.w. dhr. mevr. mr. dr. ir. prof. ca. nr. blz. t.a.v. m.b.t. i.p.v. e.d. "
    "vgl. St.",
    "pl": "np. itd. itp. tzn. tj. ok. ul. al. godz. m.in. ds. dr. prof. mgr. inż. hab. im. tzw. str. nr. pkt. "
    "tys. mln. mld. zł. gr. św. wg. ps. ob. jw. br. n.e. p.n.e.",
    "cs": "např. atd. apod. tzv. tj. resp. aj. mj. str. ul. nám. tel. Kč. mil. tis. mld. hod. min. př.n.l. n.l. "
    "Ing. Mgr. Bc. MUDr. JUDr. PhDr. RNDr. doc. prof. dr. pí. sv. popř. vč.",
    "tr": "Dr. Prof. Doç. Av. Alb. Yrd. Sn. vb. vs. vd. bkz. örn. yy. Ltd. Şti. No. Cad. Sok. Mah. Apt. sf. M.Ö. "
    "M.S. T.C.",
    "sv": "t.ex. bl.a. osv. o.s.v. m.m. s.k. ca. d.v.s. dvs. jfr. resp. nr. kl. f.d. etc. st. p.g.a. pga. ang. "
    "enl. fr.o.m. t.o.m. kap.",
    "fi": "esim. ym. jne. mm. ns. ks. vrt. klo. puh. os. tms. yms. prof. tri. nk. eKr. jKr.",
    "el": "π.χ. κ.λπ. κ.ά. κα. δηλ. βλ. σελ. αρ. τηλ. π.Χ. μ.Χ. Δρ. κυρ. οδ. χλμ. εκ. δισ. εκατ. περ.",
    "hi": "डॉ. श्री. श्रीमती. सं. पृ. कु. ई.",
    "bn": "ডা. ড. মো. খ্রি.",
    "vi": "TP. Tp. TS. ThS. PGS. GS. BS. St. v.v. Th.",
    "id": "dll. dsb. dst. yth. Yth. Bpk. Bp. Sdr. Sdri. Jl. Jln. No. Prof. Dr. Ir. Drs. Hj. S.H. S.E. M.Sc. tsb. "
    "ttd. a.n. u.p. PT. Tbk. Kab. Kec. Kel. Rp.",
}
_UNIVERSAL = "Dr. Prof. etc. vs. e.g. i.e. St."

# These usually close a list or a date ("... и т.д.", "10 p.m.") and so may end a sentence when the next word is
# capitalised; the rest never do.
_ENDABLE = frozenset(
    "etc. a.m. p.m. Inc. Ltd. Co. Corp. Jr. т.д. т.п. др. пр. ін. usw. usf. u.a. ecc. enz. e.d. itd. itp. ok. br. "
    "atd. apod. aj. n.l. př.n.l. n.e. p.n.e. н.э. н.е. vb. vd. M.Ö. M.S. osv. o.s.v. m.m. jne. ym. yms. tms. mm. "
    "κ.λπ. κ.ά. π.Χ. μ.Χ. v.v. dll. dsb. dst. Tbk. a.C. d.C. J.-C. S.A. S.p.A. Ltda. v.Chr. n.Chr. eKr. jKr.".split()
)
# Real words in some language ("No." in Spanish, "Art." in German): an abbreviation only before a number.
_BEFORE_DIGIT_ONLY = frozenset("No. no. Nos. Art. art. Abs. Rp. nº.".split())
# Year markers after a number may end a sentence ("в 1999 г. Потом"), but not before a name ("г. Москва").
_YEAR_MARKERS = frozenset("г. гг. р. рр.".split())

_GERMAN_MONTHS = frozenset(
    "Januar Jänner Februar März April Mai Juni Juli August September Oktober November Dezember".split()
)

LATIN_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl", "pl", "cs", "tr", "sv", "fi", "vi", "id")
SUPPORTED_LANGUAGES: tuple[str, ...] = (
    *LATIN_LANGUAGES,
    *("ru", "uk", "el", "ar", "fa", "he", "hi", "bn", "ja", "zh", "ko", "th", "hy"),
)

# Characters that end a sentence even when glued to the next one (no space in these scripts).
TIGHT_TERMINATORS = frozenset("。！？｡．।॥؟۔։።")
BASE_TERMINATORS = ".!?…‼⁇⁈⁉" + "".join(sorted(TIGHT_TERMINATORS))
GREEK_TERMINATORS = ";\u037e"


def _norm(abbr: str) -> str:
    return abbr.replace(" ", "")


@dataclass(frozen=True)
class Rules:
    """What the segmenter needs to know about one stretch of text."""

    language: str | None
    abbreviations: frozenset[str]
    terminators: str
    strict_german_ordinals: bool = False
    no_punctuation: bool = False  # Thai: lines and max_chars are the only boundaries
    # Auto mode: lower-case abbreviations of *other* languages may be words here ("cap.", "art.", "ex."), so they
    # only hold before a lower-case word or a number.
    soft: frozenset[str] = frozenset()

    def is_abbreviation(self, word: str) -> bool:
        """``word`` includes its final dot; lower-case entries also match when capitalised."""
        known = self.abbreviations | self.soft
        return word in known or (word[:1].isupper() and word[:1].lower() + word[1:] in known)

    def endable(self, word: str) -> bool:
        """May this abbreviation end a sentence (when a capitalised word follows)?"""
        if word in _ENDABLE:
            return True
        return word not in self.abbreviations and (word in self.soft or word[:1].lower() + word[1:] in self.soft)

    @staticmethod
    def before_digit_only(word: str) -> bool:
        return word in _BEFORE_DIGIT_ONLY

    @staticmethod
    def year_marker(word: str) -> bool:
        return word in _YEAR_MARKERS

    @staticmethod
    def german_month(word: str) -> bool:
        return word in _GERMAN_MONTHS


def _abbr_set(*languages: str) -> frozenset[str]:
    words = _UNIVERSAL.split()
    for lang in languages:
        words += _ABBREVIATIONS.get(lang, "").split()
    return frozenset(_norm(w) for w in words)


_LATIN_UNION = _abbr_set(*LATIN_LANGUAGES)
_CYRILLIC_UNION = _abbr_set("ru", "uk")


def _latin_auto(guessed: str | None) -> tuple[frozenset[str], frozenset[str]]:
    """Strict and soft abbreviations for Latin text whose language is only guessed."""
    own = _abbr_set(guessed) if guessed else frozenset()
    # Capitalised or dotted entries ("Dr.", "z.B.") are not ordinary words in any of these languages.
    safe = frozenset(a for a in _LATIN_UNION if not a[:1].islower() or "." in a[:-1])
    return own | safe, _LATIN_UNION - own - safe


def normalize_language(language: str | None) -> str | None:
    """Map "en-US", "pt_BR", "ZH-Hans" to their primary subtag; ``None``/""/"auto" mean auto-detect (``None``)."""
    if language is None or language.strip().lower() in ("", "auto"):
        return None
    return re.split(r"[-_]", language.strip().lower(), maxsplit=1)[0]


def rules_for(language: str | None, script: str | None, guessed: str | None) -> Rules:
    """Rules for an explicit ``language``, else for the detected ``script`` (and the ``guessed`` language, if any)."""
    if language is not None:
        terms = BASE_TERMINATORS + (GREEK_TERMINATORS if language == "el" else "")
        return Rules(language, _abbr_set(language), terms, language == "de", language == "th")
    if script == "Greek":
        return Rules(guessed, _abbr_set("el"), BASE_TERMINATORS + GREEK_TERMINATORS)
    if script == "Cyrillic":
        return Rules(guessed, _CYRILLIC_UNION, BASE_TERMINATORS)
    if script == "Latin":
        strict, soft = _latin_auto(guessed)
        return Rules(guessed, strict, BASE_TERMINATORS, guessed == "de", soft=soft)
    if script == "Thai":
        return Rules(guessed, _abbr_set(), BASE_TERMINATORS, no_punctuation=True)
    return Rules(guessed, _abbr_set(*(x for x in (guessed,) if x)), BASE_TERMINATORS)


# ---- script and language guessing ---------------------------------------------------------------------------------

_SCRIPT_RANGES: tuple[tuple[int, int, str], ...] = (
    (0x0041, 0x024F, "Latin"),
    (0x1E00, 0x1EFF, "Latin"),
    (0x0370, 0x03FF, "Greek"),
    (0x1F00, 0x1FFF, "Greek"),
    (0x0400, 0x052F, "Cyrillic"),
    (0x0530, 0x058F, "Armenian"),
    (0x0590, 0x05FF, "Hebrew"),
    (0x0600, 0x06FF, "Arabic"),
    (0x0750, 0x077F, "Arabic"),
    (0xFB50, 0xFDFF, "Arabic"),
    (0xFE70, 0xFEFF, "Arabic"),
    (0x0900, 0x097F, "Devanagari"),
    (0x0980, 0x09FF, "Bengali"),
    (0x0E00, 0x0E7F, "Thai"),
    (0x1100, 0x11FF, "Hangul"),
    (0x3130, 0x318F, "Hangul"),
    (0xAC00, 0xD7AF, "Hangul"),
    (0x3040, 0x30FF, "Kana"),
    (0x3400, 0x4DBF, "Han"),
    (0x4E00, 0x9FFF, "Han"),
)
_SCRIPT_LANGUAGE = {
    "Greek": "el",
    "Armenian": "hy",
    "Hebrew": "he",
    "Devanagari": "hi",
    "Bengali": "bn",
    "Thai": "th",
    "Hangul": "ko",
}
_STOPWORDS: dict[str, frozenset[str]] = {
    lang: frozenset(words.split())
    for lang, words in {
        "en": "the and is of to in that it was for with you this are have not be he she they what",
        "de": "der die das und ist nicht ich sie ein eine zu mit auf den dem wir du er es auch sind war hat für "
        "von im am uns bei nach aus oder wenn",
        "fr": "le les et est une des que pas dans pour qui il je nous vous sur",
        "es": "el los las y es que en una por con para del pero muy está",
        "it": "il che di non un una per sono gli del della anche questo è",
        "pt": "o os as é que não um uma para com do da em mas muito você",
        "nl": "de het een en is van niet dat ik je op te zijn maar met hij zij wij ook toch mee komt",
        "pl": "i w nie się na jest że to z do jak ale już tak",
        "cs": "a je se na v že to s ne jak ale by jsem jsou",
        "tr": "ve bir bu da de için ile çok ne ama gibi değil olarak",
        "sv": "och är att det som en på jag inte med för har av vi du hej men om ses",
        "fi": "ja on ei se että oli hän mutta kun niin minä sinä ovat hyvää kiitos tämä mitä olen",
        "id": "dan yang di ini itu dengan untuk tidak dari saya ada akan",
    }.items()
}
_MARKER_LETTERS = {"es": "ñ¿¡", "pt": "ãõ", "de": "ß", "pl": "ąęłńśźż", "cs": "ěřůť", "tr": "ğış", "sv": "å", "fr": "œ"}
_VIETNAMESE = re.compile(r"[đơưăĐƠƯĂ\u1ea0-\u1ef9]")
_WORD = re.compile(r"[^\W\d_]+")


def _script_of(ch: str) -> str | None:
    cp = ord(ch)
    for lo, hi, name in _SCRIPT_RANGES:
        if lo <= cp <= hi:
            return name if name != "Latin" or ch.isalpha() else None
    return None


def detect(text: str) -> tuple[str | None, str | None]:
    """Return ``(script, language)`` for ``text``; either may be ``None`` when unclear."""
    counts: dict[str, int] = {}
    for ch in text:
        if ch.isalpha() and (script := _script_of(ch)):
            counts[script] = counts.get(script, 0) + 1
    if not counts:
        return None, None
    if counts.get("Kana"):
        return "Han", "ja"  # Japanese mixes kana with kanji; the kana decide
    script = max(counts, key=lambda s: counts[s])
    if script == "Han":
        return script, "zh"
    if script == "Cyrillic":
        return script, "uk" if re.search(r"[іїєґІЇЄҐ]", text) and not re.search(r"[ыэъёЫЭЪЁ]", text) else "ru"
    if script == "Arabic":
        return script, "fa" if re.search(r"[پچژگکی]", text) else "ar"
    if script == "Latin":
        return script, _guess_latin(text)
    return script, _SCRIPT_LANGUAGE.get(script)


def _guess_latin(text: str) -> str | None:
    if len(_VIETNAMESE.findall(text)) >= 3:
        return "vi"
    words = [w.lower() for w in _WORD.findall(text)]
    scores = {lang: sum(w in stop for w in words) for lang, stop in _STOPWORDS.items()}
    for lang, letters in _MARKER_LETTERS.items():
        scores[lang] += 2 * sum(ch in text for ch in letters)
    ranked = sorted(scores.items(), key=lambda kv: kv[1], reverse=True)
    best, score = ranked[0]
    return best if score >= 2 and score > ranked[1][1] else None
