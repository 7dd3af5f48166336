package dev.empathy.jobs.text;

import dev.empathy.lib.text.LanguageTag;
import dev.empathy.lib.text.LexiconScorer;
import dev.empathy.lib.text.Vader;
import java.io.Serializable;
import java.util.Map;
import java.util.TreeMap;

/**
 * How one turn gets its sentiment, in this order:
 * <ol>
 *   <li>a {@code sentiment} given in the input is used as it is: source {@code given};</li>
 *   <li>empty or blank text has no sentiment: source {@code empty};</li>
 *   <li>the turn's language is its interaction's {@code language}, by its primary subtag
 *       ({@code pt-BR} is {@code pt}); where that is null the language is unknown (no
 *       detection: a short turn's language is guessed badly, and a wrong guess would score it
 *       with the wrong lexicon) and the turn is {@code unscored_language};</li>
 *   <li>English ({@code en}) is scored by VADER: source {@code vader};</li>
 *   <li>a language with a lexicon of its own ({@link LexiconScorer}: French today) is scored with
 *       it: source {@code lexicon:<language>};</li>
 *   <li>any other language is {@code unscored_language}: it is never scored with the English
 *       lexicon.</li>
 * </ol>
 * One instance serves a whole partition; each lexicon is loaded once per JVM.
 */
public final class TurnScoring implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String GIVEN = "given";
    public static final String VADER = "vader";
    public static final String EMPTY = "empty";
    public static final String UNSCORED_LANGUAGE = "unscored_language";

    private final Vader vader;
    private final Map<String, LexiconScorer> lexicons = new TreeMap<>();

    public TurnScoring() {
        this.vader = Vader.english();
        for (String language : LexiconScorer.languages()) {
            LexiconScorer.forLanguage(language).ifPresent(l -> lexicons.put(language, l));
        }
    }

    /** The source of a turn scored with another language's lexicon. */
    public static String lexicon(String language) {
        return "lexicon:" + language;
    }

    /** A turn's language (primary subtag, or null) and its sentiment (or null) with its source. */
    public record Score(String language, Double sentiment, String source) {
    }

    /** Scores one turn; {@code language} is its interaction's tag as written. */
    public Score score(String text, Double given, String language) {
        String primary = LanguageTag.primary(language);
        if (given != null) {
            return new Score(primary, given, GIVEN);
        }
        if (text == null || text.isBlank()) {
            return new Score(primary, null, EMPTY);
        }
        if ("en".equals(primary)) {
            return new Score(primary, vader.compound(text), VADER);
        }
        LexiconScorer lexicon = primary == null ? null : lexicons.get(primary);
        if (lexicon != null) {
            return new Score(primary, lexicon.score(text).compound(), lexicon(primary));
        }
        return new Score(primary, null, UNSCORED_LANGUAGE);
    }
}
