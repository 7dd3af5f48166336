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
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * VADER sentiment of English text: Hutto, C.J. and Gilbert, E.E. (2014), "VADER: A Parsimonious
 * Rule-based Model for Sentiment Analysis of Social Media Text", ICWSM-14.
 *
 * <p>Each word found in the lexicon brings its mean human rating (-4..4). The rules of the paper
 * then adjust it: a booster or dampener up to three words before ({@code very}, {@code kind of})
 * adds or takes 0.293, less with distance (x 0.95, x 0.9); a negation up to three words before
 * ({@code not}, any word with {@code n't}, ...) multiplies it by -0.74; a word in capitals among
 * words that are not gains 0.733; after {@code but} a word counts 1.5 times and before it 0.5
 * times; a few idioms ({@code the shit}, {@code kiss of death}) replace it. The sum {@code s} of
 * the word valences, pushed away from zero by 0.292 for each {@code !} (at most four) and by 0.18
 * for each {@code ?} when there are two or three (0.96 beyond), becomes
 * {@code compound = s / sqrt(s^2 + 15)}, in -1..1.
 *
 * <p>The rules are those of the reference implementation, cjhutto/vaderSentiment at commit
 * 44fc044 (2026; its rules unchanged since release 3.3.2 of May 2020), quirks included, so that
 * scores agree with it to the four decimals it prints (run under Python 3.11; from 3.12 Python
 * sums floats with compensation, which can move the last bit). Among the quirks: words are split
 * on white space only, with ASCII punctuation stripped from both ends unless that leaves two
 * characters or fewer ({@code ok!} stays {@code ok!}, so is not found in the lexicon); the idiom
 * rule and the two-word dampeners only apply to a word with three words before it; the "but"
 * rule finds each word by its value, so in "I love it but I accept" (3.2 and 1.6) "love" is
 * halved twice and "accept" not raised. The lexicon is the one the reference shipped until 2018
 * (see {@code vader/README.md} next to the data); emoji become their Unicode names before
 * scoring, as in the reference, with names from Emoji 15.0 rather than its 11.0.
 *
 * <p>One instance, {@link #english()}, is loaded once per JVM and shared: it is immutable and
 * safe for any number of threads. It is {@link Serializable} so that Spark can ship it in a
 * closure or a broadcast; what travels is a token, and the receiving JVM uses its own
 * {@link #english()}.
 */
public final class Vader implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final String RESOURCES = "/dev/empathy/lib/text/vader/";

    /** Empirical mean increase of a rating for a booster word, and decrease for a dampener. */
    static final double BOOST = 0.293;
    /** Empirical increase for a word in capitals among words that are not. */
    static final double CAPITALS = 0.733;
    /** Factor for a negated word: the sign flips and the intensity shrinks. */
    static final double NEGATION = -0.74;
    /** The normalisation constant: about the largest sum of valences expected in a sentence. */
    static final double ALPHA = 15;

    private static final double EXCLAMATION = 0.292;
    private static final int MAX_EXCLAMATIONS = 4;
    private static final double QUESTION = 0.18;
    private static final double MAX_QUESTION = 0.96;
    /** Weight of a booster two and three words before the word it modifies (index = distance). */
    private static final double[] BOOSTER_DISTANCE = {0, 1, 0.95, 0.9};
    private static final double NEVER_SO = 1.25;
    private static final double BEFORE_BUT = 0.5;
    private static final double AFTER_BUT = 1.5;

    /** Words that negate the rating of a word up to three words after them. */
    private static final Set<String> NEGATIONS = Set.of(
            "aint", "arent", "cannot", "cant", "couldnt", "darent", "didnt", "doesnt",
            "ain't", "aren't", "can't", "couldn't", "daren't", "didn't", "doesn't",
            "dont", "hadnt", "hasnt", "havent", "isnt", "mightnt", "mustnt", "neither",
            "don't", "hadn't", "hasn't", "haven't", "isn't", "mightn't", "mustn't",
            "neednt", "needn't", "never", "none", "nope", "nor", "not", "nothing", "nowhere",
            "oughtnt", "shant", "shouldnt", "uhuh", "wasnt", "werent",
            "oughtn't", "shan't", "shouldn't", "uh-uh", "wasn't", "weren't",
            "without", "wont", "wouldnt", "won't", "wouldn't", "rarely", "seldom", "despite");

    /** Degree adverbs: one-word boosters (+0.293) and dampeners (-0.293). */
    private static final Map<String, Double> BOOSTERS = degreeWords(List.of(
            "absolutely", "amazingly", "awfully", "completely", "considerable", "considerably",
            "decidedly", "deeply", "effing", "enormous", "enormously", "entirely", "especially",
            "exceptional", "exceptionally", "extreme", "extremely", "fabulously", "flipping",
            "flippin", "frackin", "fracking", "fricking", "frickin", "frigging", "friggin", "fully",
            "fuckin", "fucking", "fuggin", "fugging", "greatly", "hella", "highly", "hugely",
            "incredible", "incredibly", "intensely", "major", "majorly", "more", "most",
            "particularly", "purely", "quite", "really", "remarkably", "so", "substantially",
            "thoroughly", "total", "totally", "tremendous", "tremendously", "uber", "unbelievably",
            "unusually", "utter", "utterly", "very"), List.of(
            "almost", "barely", "hardly", "kinda", "kindof", "kind-of", "less", "little",
            "marginal", "marginally", "occasional", "occasionally", "partly", "scarce", "scarcely",
            "slight", "slightly", "somewhat", "sorta", "sortof", "sort-of"));

    /**
     * Idioms whose valence replaces that of the rated word inside them. (The reference also lists
     * "badass", which as one word never matches the word pairs and triples the rule looks at.)
     */
    private static final Map<String, Double> IDIOMS = Map.of(
            "the shit", 3.0, "the bomb", 3.0, "bad ass", 1.5, "bus stop", 0.0, "yeah right", -2.0,
            "kiss of death", -1.5, "to die for", 3.0, "beating heart", 3.1, "broken heart", -2.9);
    private static final Set<String> IDIOM_FIRST_WORDS = Set.of(
            "the", "bad", "bus", "yeah", "kiss", "to", "beating", "broken");

    /** {@code string.punctuation} of Python: the 32 ASCII punctuation and symbol characters. */
    private static final boolean[] ASCII_PUNCTUATION = asciiTable("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~");

    private static final Polarity NO_WORDS = new Polarity(0, 0, 0, 0, 0, 0);

    private final transient Map<String, Double> lexicon;
    private final transient int[] emojiCodePoints;
    private final transient String[] emojiNames;

    private Vader(Map<String, Double> lexicon, int[] emojiCodePoints, String[] emojiNames) {
        this.lexicon = lexicon;
        this.emojiCodePoints = emojiCodePoints;
        this.emojiNames = emojiNames;
    }

    /** The English analyser, loaded from the classpath on first use and shared by every caller. */
    public static Vader english() {
        return English.INSTANCE;
    }

    /**
     * The compound score of {@code text}, in -1..1, unrounded (the reference prints it rounded to
     * four decimals). A null, empty or blank text scores 0, as does a text with no word in the
     * lexicon; {@link #polarity(String)} tells these apart.
     */
    public double compound(String text) {
        Words words = rate(text);
        return words.size() == 0 ? 0 : normalize(words.emphasizedSum());
    }

    /**
     * The compound score with the reference's proportions of positive, neutral and negative words.
     * A null, empty or blank text gives all zeros and {@code words() == 0}.
     */
    public Polarity polarity(String text) {
        Words words = rate(text);
        if (words.size() == 0) {
            return NO_WORDS;
        }
        double positive = 0;
        double negative = 0;
        int neutral = 0;
        // +1 and -1: a rated word counts at least as much as a neutral one in the proportions.
        for (double v : words.valences) {
            if (v > 0) {
                positive += v + 1;
            }
            if (v < 0) {
                negative += v - 1;
            }
            if (v == 0) {
                neutral++;
            }
        }
        if (positive > Math.abs(negative)) {
            positive += words.emphasis;
        } else if (positive < Math.abs(negative)) {
            negative -= words.emphasis;
        }
        double total = positive + Math.abs(negative) + neutral;
        return new Polarity(Math.abs(negative / total), Math.abs(neutral / total), Math.abs(positive / total),
                normalize(words.emphasizedSum()), words.size(), words.lexiconWords);
    }

    /**
     * VADER's scores of one text, unrounded.
     *
     * @param negative     share of the text's weight on negative words (0..1)
     * @param neutral      share on words rated zero, including words not in the lexicon
     * @param positive     share on positive words; the three shares add up to 1 when {@code words > 0}
     * @param compound     the normalised, weighted sum of valences, in -1..1
     * @param words        tokens after splitting on white space; 0 for a null or blank text
     * @param lexiconWords tokens found in the lexicon and rated (boosters and {@code kind} of
     *                     {@code kind of} are not); 0 means nothing in the text carried sentiment
     */
    public record Polarity(double negative, double neutral, double positive, double compound, int words,
            int lexiconWords) {
    }

    /** {@code s / sqrt(s^2 + alpha)}, clipped to -1..1. */
    static double normalize(double sum) {
        double score = sum / Math.sqrt(sum * sum + ALPHA);
        return Math.max(-1, Math.min(1, score));
    }

    // ---------------------------------------------------------------- the rules

    /** A text's tokens and, once rated, the valence of each (0 for a word that carries none). */
    private static final class Words {
        final String[] lower;
        final boolean[] capitals;
        final boolean[] inLexicon;
        final double[] lexiconValence;
        final boolean capitalsDiffer;
        final double[] valences;
        double emphasis;
        int lexiconWords;

        Words(String[] tokens, Map<String, Double> lexicon) {
            int n = tokens.length;
            lower = new String[n];
            capitals = new boolean[n];
            inLexicon = new boolean[n];
            lexiconValence = new double[n];
            valences = new double[n];
            int upper = 0;
            for (int i = 0; i < n; i++) {
                lower[i] = tokens[i].toLowerCase(Locale.ROOT);
                capitals[i] = isUpper(tokens[i]);
                if (capitals[i]) {
                    upper++;
                }
                Double v = lexicon.get(lower[i]);
                if (v != null) {
                    inLexicon[i] = true;
                    lexiconValence[i] = v;
                }
            }
            // Capitals are emphasis only when some words, not all, are in capitals.
            capitalsDiffer = upper > 0 && upper < n;
        }

        int size() {
            return lower.length;
        }

        boolean is(int i, String word) {
            return lower[i].equals(word);
        }

        /** The sum of valences pushed away from zero by the punctuation emphasis. */
        double emphasizedSum() {
            double sum = 0;
            for (double v : valences) {
                sum += v;
            }
            if (sum > 0) {
                sum += emphasis;
            } else if (sum < 0) {
                sum -= emphasis;
            }
            return sum;
        }
    }

    private Words rate(String text) {
        String named = text == null ? "" : withEmojiNames(text);
        Words w = new Words(tokens(named), lexicon);
        int n = w.size();
        for (int i = 0; i < n; i++) {
            // Boosters and the "kind" of "kind of" modify the next words; they carry nothing themselves.
            if (BOOSTERS.containsKey(w.lower[i]) || (i < n - 1 && w.is(i, "kind") && w.is(i + 1, "of"))) {
                continue;
            }
            if (w.inLexicon[i]) {
                w.lexiconWords++;
                w.valences[i] = valence(w, i);
            }
        }
        weighAroundBut(w);
        w.emphasis = punctuationEmphasis(named);
        return w;
    }

    /** The valence of the lexicon word at {@code i} after the rules that look at its neighbours. */
    private static double valence(Words w, int i) {
        int n = w.size();
        double v = w.lexiconValence[i];
        // "no" before another lexicon word negates it rather than counting itself.
        if (w.is(i, "no") && i != n - 1 && w.inLexicon[i + 1]) {
            v = 0.0;
        }
        if ((i > 0 && w.is(i - 1, "no")) || (i > 1 && w.is(i - 2, "no"))
                || (i > 2 && w.is(i - 3, "no") && (w.is(i - 1, "or") || w.is(i - 1, "nor")))) {
            v = w.lexiconValence[i] * NEGATION;
        }
        if (w.capitals[i] && w.capitalsDiffer) {
            v = v > 0 ? v + CAPITALS : v - CAPITALS;
        }
        // The three words before, nearest first; a word that is itself in the lexicon is skipped.
        for (int distance = 1; distance <= 3; distance++) {
            int j = i - distance;
            if (j < 0 || w.inLexicon[j]) {
                continue;
            }
            v += booster(w, j, v) * BOOSTER_DISTANCE[distance];
            v = negate(w, i, distance, v);
            if (distance == 3) {
                v = idioms(w, i, v);
            }
        }
        return least(w, i, v);
    }

    /** The boost of word {@code j} on a word of valence {@code v}: towards the sign of {@code v}. */
    private static double booster(Words w, int j, double v) {
        Double b = BOOSTERS.get(w.lower[j]);
        if (b == null) {
            return 0;
        }
        double scalar = v < 0 ? -b : b;
        if (w.capitals[j] && w.capitalsDiffer) {
            scalar = v > 0 ? scalar + CAPITALS : scalar - CAPITALS;
        }
        return scalar;
    }

    private static double negate(Words w, int i, int distance, double v) {
        return switch (distance) {
            case 1 -> negation(w.lower[i - 1]) ? v * NEGATION : v;
            case 2 -> {
                if (w.is(i - 2, "never") && (w.is(i - 1, "so") || w.is(i - 1, "this"))) {
                    yield v * NEVER_SO;
                }
                if (w.is(i - 2, "without") && w.is(i - 1, "doubt")) {
                    yield v;
                }
                yield negation(w.lower[i - 2]) ? v * NEGATION : v;
            }
            default -> {
                // As in the reference: "so" or "this" just before the word also counts as "never so".
                if ((w.is(i - 3, "never") && (w.is(i - 2, "so") || w.is(i - 2, "this")))
                        || w.is(i - 1, "so") || w.is(i - 1, "this")) {
                    yield v * NEVER_SO;
                }
                if (w.is(i - 3, "without") && (w.is(i - 2, "doubt") || w.is(i - 1, "doubt"))) {
                    yield v;
                }
                yield negation(w.lower[i - 3]) ? v * NEGATION : v;
            }
        };
    }

    private static boolean negation(String lower) {
        return NEGATIONS.contains(lower) || lower.contains("n't");
    }

    /** Idioms around the word at {@code i} (which has at least three words before it). */
    private static double idioms(Words w, int i, double v) {
        String[] s = w.lower;
        Double idiom = idiom(s[i - 1], s[i]);
        if (idiom == null) {
            idiom = idiom(s[i - 2], s[i - 1], s[i]);
        }
        if (idiom == null) {
            idiom = idiom(s[i - 2], s[i - 1]);
        }
        if (idiom == null) {
            idiom = idiom(s[i - 3], s[i - 2], s[i - 1]);
        }
        if (idiom == null) {
            idiom = idiom(s[i - 3], s[i - 2]);
        }
        if (idiom != null) {
            v = idiom;
        }
        if (s.length - 1 > i) {
            Double after = idiom(s[i], s[i + 1]);
            if (after != null) {
                v = after;
            }
        }
        if (s.length - 1 > i + 1) {
            Double after = idiom(s[i], s[i + 1], s[i + 2]);
            if (after != null) {
                v = after;
            }
        }
        // "kind of", "sort of" and "just enough" dampen by the same amount whatever the sign; the
        // reference finds these two-word dampeners only here, so only after three words.
        if (dampeningPair(s[i - 3], s[i - 2])) {
            v -= BOOST;
        }
        if (dampeningPair(s[i - 2], s[i - 1])) {
            v -= BOOST;
        }
        return v;
    }

    /** "kind of", "sort of" or "just enough". */
    private static boolean dampeningPair(String a, String b) {
        return ((a.equals("kind") || a.equals("sort")) && b.equals("of")) || (a.equals("just") && b.equals("enough"));
    }

    private static Double idiom(String a, String b) {
        return IDIOM_FIRST_WORDS.contains(a) ? IDIOMS.get(a + " " + b) : null;
    }

    private static Double idiom(String a, String b, String c) {
        return IDIOM_FIRST_WORDS.contains(a) ? IDIOMS.get(a + " " + b + " " + c) : null;
    }

    /** "least" before a word negates it, except in "at least" and "very least". */
    private static double least(Words w, int i, double v) {
        if (i > 1 && !w.inLexicon[i - 1] && w.is(i - 1, "least")) {
            return w.is(i - 2, "at") || w.is(i - 2, "very") ? v : v * NEGATION;
        }
        if (i > 0 && !w.inLexicon[i - 1] && w.is(i - 1, "least")) {
            return v * NEGATION;
        }
        return v;
    }

    /**
     * The contrastive "but": valences before the first "but" are halved, after it raised by half.
     * The reference locates each valence by the first position holding an equal value, so a value
     * that repeats is weighted at its first position again; that is kept for agreement. Zeros are
     * skipped: weighting a zero changes nothing.
     */
    private static void weighAroundBut(Words w) {
        int but = Arrays.asList(w.lower).indexOf("but");
        if (but < 0) {
            return;
        }
        double[] v = w.valences;
        for (int k = 0; k < v.length; k++) {
            double value = v[k];
            if (value == 0) {
                continue;
            }
            int first = 0;
            while (v[first] != value) {
                first++;
            }
            if (first < but) {
                v[first] = value * BEFORE_BUT;
            } else if (first > but) {
                v[first] = value * AFTER_BUT;
            }
        }
    }

    /** Exclamation marks (up to four) and question marks (two or more) in the whole text. */
    private static double punctuationEmphasis(String text) {
        int exclamations = 0;
        int questions = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '!') {
                exclamations++;
            } else if (c == '?') {
                questions++;
            }
        }
        double emphasis = Math.min(exclamations, MAX_EXCLAMATIONS) * EXCLAMATION;
        if (questions > 1) {
            emphasis += questions <= 3 ? questions * QUESTION : MAX_QUESTION;
        }
        return emphasis;
    }

    // ---------------------------------------------------------------- text to tokens

    /**
     * Each emoji that has a name becomes its name, set off from the text before it by a space
     * (but not from the text after it, as in the reference). Emoji are matched one code point at a
     * time.
     */
    private String withEmojiNames(String text) {
        int start = -1;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (emojiName(cp) != null) {
                start = i;
                break;
            }
            i += Character.charCount(cp);
        }
        if (start < 0) {
            return text;
        }
        StringBuilder out = new StringBuilder(text.length() + 64);
        out.append(text, 0, start);
        boolean afterSpace = start == 0 || text.charAt(start - 1) == ' ';
        for (int i = start; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            String name = emojiName(cp);
            if (name != null) {
                if (!afterSpace) {
                    out.append(' ');
                }
                out.append(name);
                afterSpace = false;
            } else {
                out.appendCodePoint(cp);
                afterSpace = cp == ' ';
            }
        }
        return out.toString();
    }

    private String emojiName(int codePoint) {
        if (emojiCodePoints.length == 0 || codePoint < emojiCodePoints[0]) {
            return null;
        }
        int at = Arrays.binarySearch(emojiCodePoints, codePoint);
        return at >= 0 ? emojiNames[at] : null;
    }

    /**
     * The text split on white space (Python's {@code str.split()}), each token stripped of ASCII
     * punctuation at both ends unless fewer than three characters would remain, which keeps
     * emoticons such as {@code :)} whole.
     */
    static String[] tokens(String text) {
        List<String> tokens = new ArrayList<>();
        int i = 0;
        int n = text.length();
        while (i < n) {
            while (i < n && isSpace(text.charAt(i))) {
                i++;
            }
            int start = i;
            while (i < n && !isSpace(text.charAt(i))) {
                i++;
            }
            if (i > start) {
                tokens.add(stripPunctuation(text, start, i));
            }
        }
        return tokens.toArray(new String[0]);
    }

    private static String stripPunctuation(String text, int start, int end) {
        int from = start;
        int to = end;
        while (from < to && isPunctuation(text.charAt(from))) {
            from++;
        }
        while (to > from && isPunctuation(text.charAt(to - 1))) {
            to--;
        }
        if (text.codePointCount(from, to) <= 2) {
            return text.substring(start, end);
        }
        return text.substring(from, to);
    }

    private static boolean isPunctuation(char c) {
        return c < 128 && ASCII_PUNCTUATION[c];
    }

    /** Python's white space ({@code str.isspace()}), which is wider than Java's. */
    static boolean isSpace(char c) {
        if (c <= ' ') {
            return c == ' ' || (c >= '\t' && c <= '\r') || (c >= 0x1c && c <= 0x1f);
        }
        return c == 0x85 || c == 0xa0 || c == 0x1680 || (c >= 0x2000 && c <= 0x200a) || c == 0x2028
                || c == 0x2029 || c == 0x202f || c == 0x205f || c == 0x3000;
    }

    /**
     * Python's {@code str.isupper()}: at least one cased character and no lower or title case one.
     * So {@code ":D"} and {@code "SUX!"} are in capitals and {@code "123"} is not.
     */
    static boolean isUpper(String token) {
        boolean cased = false;
        for (int i = 0; i < token.length(); ) {
            int cp = token.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLowerCase(cp) || Character.isTitleCase(cp)) {
                return false;
            }
            cased |= Character.isUpperCase(cp);
        }
        return cased;
    }

    // ---------------------------------------------------------------- loading and serialisation

    private static final class English {
        static final Vader INSTANCE = load();
    }

    private static Vader load() {
        // A later line for the same token wins, as in the reference (the lexicon repeats a few).
        Map<String, Double> lexicon = new HashMap<>(16_384);
        for (String[] fields : tabSeparated("vader_lexicon.txt")) {
            lexicon.put(fields[0], Double.parseDouble(fields[1]));
        }
        Map<Integer, String> emoji = new LinkedHashMap<>();
        for (String[] fields : tabSeparated("emoji_names.txt")) {
            if (fields[0].codePointCount(0, fields[0].length()) == 1) {
                emoji.put(fields[0].codePointAt(0), fields[1]);
            }
        }
        int[] codePoints = emoji.keySet().stream().mapToInt(Integer::intValue).sorted().toArray();
        String[] names = new String[codePoints.length];
        for (int k = 0; k < codePoints.length; k++) {
            names[k] = emoji.get(codePoints[k]);
        }
        return new Vader(lexicon, codePoints, names);
    }

    private static List<String[]> tabSeparated(String file) {
        String path = RESOURCES + file;
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = Vader.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("vader: resource " + path + " is not on the classpath");
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            int lineNumber = 0;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lineNumber++;
                if (line.isEmpty()) {
                    continue;
                }
                String[] fields = line.strip().split("\t");
                if (fields.length < 2) {
                    throw new IllegalStateException(String.format(Locale.ROOT,
                            "vader: %s line %d has %d field(s), expected a token, a tab and a value",
                            path, lineNumber, fields.length));
                }
                rows.add(fields);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("vader: cannot read " + path, e);
        }
        return rows;
    }

    private static boolean[] asciiTable(String chars) {
        boolean[] table = new boolean[128];
        for (char c : chars.toCharArray()) {
            table[c] = true;
        }
        return table;
    }

    private static Map<String, Double> degreeWords(List<String> boosters, List<String> dampeners) {
        Map<String, Double> map = new HashMap<>();
        boosters.forEach(word -> map.put(word, BOOST));
        dampeners.forEach(word -> map.put(word, -BOOST));
        return Map.copyOf(map);
    }

    /** Only a token travels; the receiving JVM loads (once) its own copy of the same resources. */
    private Object writeReplace() {
        return new SerialForm();
    }

    private void readObject(ObjectInputStream in) throws InvalidObjectException {
        throw new InvalidObjectException("vader: deserialised through its serial form only");
    }

    private static final class SerialForm implements Serializable {
        private static final long serialVersionUID = 1L;

        private Object readResolve() {
            return english();
        }
    }
}
