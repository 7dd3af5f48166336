package dev.empathy.lib.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.tartarus.snowball.SnowballStemmer;
import org.tartarus.snowball.ext.FrenchStemmer;

/**
 * Sentiment of a turn in a language other than English, from a word list with a licence the
 * project may ship. This is <b>not VADER</b> (English turns go to VADER, never here): it has no
 * boosters, no capitals or exclamation marks, no "but"; only a sum of word scores with a simple
 * negation rule, put on VADER's scale so that the two compounds can sit side by side.
 *
 * <p>The method, for a text of tokens {@code t1..tn}:
 * <ol>
 *   <li>Normalize as the lexicon's keys were made: decompose (NFD), lower-case with
 *       {@link Locale#ROOT}, drop the combining marks U+0300..U+036F ({@code Déçue} becomes
 *       {@code decue}), and split into tokens of letters; anything else separates, so an
 *       apostrophe splits {@code n'est} into {@code n}, {@code est} as French elision asks, and a
 *       hyphen splits {@code soi-disant} (no key has a hyphen).
 *   <li>Stem each token with the language's Snowball stemmer ({@code decue} becomes {@code decu})
 *       and look the stem up. Each stem found adds {@code 4 * polarity}: the lists hold
 *       polarities in -1..1, and 4 puts them on VADER's valence range -4..4.
 *   <li>A score is negated (times -1) when one of the three tokens before it is in the language's
 *       negation list, as VADER looks three words back; several negations in that window still
 *       negate once ({@code ne ... pas} is one negation). Negations are matched before stemming.
 *   <li>The sum {@code x} becomes the compound {@code x / sqrt(x^2 + 15)} in (-1, 1), VADER's
 *       normalization with its alpha of 15 (Hutto and Gilbert 2014).
 * </ol>
 * A text with no stem in the lexicon has compound 0 and {@link Score#matched()} 0: no scorable
 * tokens, which a caller may report apart from a neutral text.
 *
 * <p>Shipped lexicons (see {@code lexicons/README.md} and {@code THIRD-PARTY.md}): {@code fr}
 * only, Pattern's French adjective lexicon (De Smedt and Daelemans, PDDL 1.0) as the Snowball
 * stems of {@code @nlpjs/lang-fr}'s {@code pattern_fr.json}, stemmed here by Lucene's Snowball
 * French stemmer. Forms that share a stem share a polarity ({@code mauvais} shares {@code mauv}
 * with the colour mauve and scores 0). German, Spanish and Portuguese lists found in
 * {@code @nlpjs/lang-*} come from sources whose licences the project cannot ship under
 * Apache-2.0, and nlp.js has no Japanese list, so those languages have no scorer and their turns
 * count as {@code unscored_language}.
 *
 * <p>Instances are immutable and thread-safe; each language's list is read once per class loader
 * and shared. Snowball stemmers hold their word while they work, so {@link #score} makes its own
 * for each call: about 40 ns against 5 ns for a {@link ThreadLocal}'s, when scoring a short
 * sentence takes 4 to 8 us, and a ThreadLocal would leave a stemmer in every pooled thread.
 * Serializing a scorer writes only its language, which is looked up again on the other side (a
 * Spark executor), so a task does not carry the whole list.
 */
public final class LexiconScorer implements Serializable {

    private static final long serialVersionUID = 1L;

    /** VADER's normalization constant: {@code x / sqrt(x^2 + ALPHA)}. */
    public static final double ALPHA = 15;

    /** Multiplies a polarity in -1..1 onto VADER's valence range -4..4. */
    public static final double VALENCE_SCALE = 4;

    /** Tokens looked back for a negation. */
    public static final int NEGATION_WINDOW = 3;

    /**
     * What a language needs besides its list: negation words, accent-free as tokens are, and the
     * stemmer its keys were made with.
     */
    private record Language(Set<String> negations, Supplier<SnowballStemmer> stemmer) {}

    /**
     * French negations: those of Pattern's French analyser ({@code n'} is the token {@code n}
     * after the apostrophe split); nlp.js lists none.
     */
    private static final Map<String, Language> LANGUAGES = Map.of(
            "fr", new Language(
                    Set.of("ne", "n", "ni", "non", "pas", "rien", "sans", "aucun", "aucune", "jamais"),
                    FrenchStemmer::new));

    private static final Map<String, LexiconScorer> LOADED = new ConcurrentHashMap<>();

    private final String language;
    private final transient Map<String, Double> scores;
    private final transient Language rules;

    private LexiconScorer(String language, Map<String, Double> scores, Language rules) {
        this.language = language;
        this.scores = scores;
        this.rules = rules;
    }

    /**
     * The scorer for a language's primary subtag ({@code pt-BR} is read as {@code pt}), or empty
     * when the project ships no lexicon for it. Always empty for English, which is VADER's, and for
     * an unknown language.
     */
    public static Optional<LexiconScorer> forLanguage(String primary) {
        String lang = LanguageTag.primary(primary);
        if (lang == null || lang.equals("en") || !LANGUAGES.containsKey(lang)) {
            return Optional.empty();
        }
        return Optional.of(LOADED.computeIfAbsent(lang, LexiconScorer::load));
    }

    /** The languages that have a lexicon, as primary subtags. */
    public static Set<String> languages() {
        return LANGUAGES.keySet();
    }

    /** The primary subtag this scorer is for. */
    public String language() {
        return language;
    }

    /** The number of stems in the lexicon. */
    public int size() {
        return scores.size();
    }

    /** The lexicon's polarity of a word (any case, accents or not), or empty when its stem is not listed. */
    public Optional<Double> polarity(String word) {
        return Optional.ofNullable(scores.get(stem(word)));
    }

    /** The key a word is looked up by: normalized as in step 1 of the class comment, then stemmed. */
    String stem(String word) {
        String normalized = fold(word);
        return normalized.isEmpty() ? normalized : stem(rules.stemmer().get(), normalized);
    }

    /** The compound of {@code text} by the method of the class comment. */
    public Score score(String text) {
        List<String> tokens = tokens(text);
        SnowballStemmer stemmer = rules.stemmer().get();
        Set<String> negations = rules.negations();
        double sum = 0;
        int matched = 0;
        for (int i = 0; i < tokens.size(); i++) {
            String token = tokens.get(i);
            if (negations.contains(token)) {
                continue;
            }
            Double polarity = scores.get(stem(stemmer, token));
            if (polarity == null) {
                continue;
            }
            matched++;
            sum += (negated(tokens, i) ? -1 : 1) * VALENCE_SCALE * polarity;
        }
        return new Score(normalize(sum), tokens.size(), matched);
    }

    /** {@code x / sqrt(x^2 + ALPHA)}. */
    static double normalize(double x) {
        return x == 0 ? 0 : x / Math.sqrt(x * x + ALPHA);
    }

    private boolean negated(List<String> tokens, int i) {
        for (int k = Math.max(0, i - NEGATION_WINDOW); k < i; k++) {
            if (rules.negations().contains(tokens.get(k))) {
                return true;
            }
        }
        return false;
    }

    private static String stem(SnowballStemmer stemmer, String token) {
        stemmer.setCurrent(token);
        stemmer.stem();
        return stemmer.getCurrent();
    }

    /** Normalized, unstemmed tokens as in step 1 of the class comment. */
    static List<String> tokens(String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isEmpty()) {
            return out;
        }
        String s = fold(text);
        int start = -1;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            if (Character.isLetter(cp)) {
                if (start < 0) {
                    start = i;
                }
            } else if (start >= 0) {
                out.add(s.substring(start, i));
                start = -1;
            }
            i += Character.charCount(cp);
        }
        if (start >= 0) {
            out.add(s.substring(start));
        }
        return out;
    }

    /** NFD, lower case, combining diacritics U+0300..U+036F removed: the form the keys were made from. */
    private static String fold(String text) {
        String decomposed = Normalizer.normalize(text, Normalizer.Form.NFD).toLowerCase(Locale.ROOT);
        StringBuilder b = new StringBuilder(decomposed.length());
        for (int i = 0; i < decomposed.length(); i++) {
            char c = decomposed.charAt(i);
            if (c < '\u0300' || c > '\u036f') {
                b.append(c);
            }
        }
        return b.toString();
    }

    private static LexiconScorer load(String language) {
        String resource = "lexicons/" + language + ".tsv";
        Map<String, Double> scores = new HashMap<>();
        try (InputStream in = LexiconScorer.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("lexicon " + language + ": resource " + resource + " is missing");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                int tab = line.indexOf('\t');
                if (tab <= 0) {
                    throw new IllegalStateException(String.format(Locale.ROOT,
                            "lexicon %s: line %d '%s' is not 'stem<TAB>polarity'", language, number, line));
                }
                if (scores.put(line.substring(0, tab), Double.parseDouble(line.substring(tab + 1).strip())) != null) {
                    throw new IllegalStateException(String.format(Locale.ROOT,
                            "lexicon %s: line %d: stem '%s' is listed twice", language, number, line.substring(0, tab)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("lexicon " + language + ": cannot read " + resource, e);
        }
        return new LexiconScorer(language, Map.copyOf(scores), LANGUAGES.get(language));
    }

    private Object writeReplace() {
        return new Serialized(language);
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("a LexiconScorer is serialized as its language only");
    }

    /** What a scorer serializes to: its language, resolved to the shared instance when read. */
    private record Serialized(String language) implements Serializable {
        private Object readResolve() {
            return forLanguage(language).orElseThrow(() -> new IllegalStateException(
                    "lexicon " + language + ": not shipped in this build"));
        }
    }

    /**
     * A text's compound in (-1, 1), its number of tokens and how many of them the lexicon scored
     * (0: nothing to score, the compound is 0 for want of evidence, not for neutral words).
     */
    public record Score(double compound, int tokens, int matched) implements Serializable {

        /** Whether any token was in the lexicon. */
        public boolean scorable() {
            return matched > 0;
        }
    }
}
