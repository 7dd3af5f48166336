package dev.empathy.lib.text;

import java.io.Serializable;
import java.util.List;
import java.util.Locale;

/**
 * One language's codebook as written in its CSV file: the rules that map phrases and words of a
 * customer's turn to a tone, the words that negate, intensify or contrast them, the agents'
 * empathy phrases, and the settings of the coder. {@link Codebooks} reads it and checks it;
 * {@link VerbatimCoder#of(Codebook)} compiles it. The format is in {@code docs/codebooks.md}.
 *
 * @param language the file name without {@code .csv}, a BCP-47 primary language such as {@code en}
 * @param source where it was read from, for messages
 * @param settings the coder's windows and thresholds
 * @param rules every rule but the settings, in file order
 */
public record Codebook(String language, String source, Settings settings, List<Rule> rules) implements Serializable {

    private static final long serialVersionUID = 1L;

    public Codebook {
        rules = List.copyOf(rules);
    }

    /** What a rule does; the first column of a codebook line. */
    public enum Kind {
        /** Several words (or, with character segmentation, a substring) that signal a tone. */
        PHRASE,
        /** One word that signals a tone; a trailing {@code *} matches any ending. */
        WORD,
        /** Flips the tone of the next cue within {@code negation_window}: "not happy" is hostile. */
        NEGATION,
        /** Multiplies the weight of the next cue within {@code intensifier_window} ("really"). */
        INTENSIFIER,
        /** Discounts every cue before it to {@code contrast_weight}: "thanks, but ..." */
        CONTRAST,
        /** Ends a clause as punctuation does ("and"): negations and intensifiers do not reach past it. */
        BOUNDARY,
        /** An agent's empathy phrase, counted in agent turns by the audit. */
        EMPATHY_PHRASE,
        /** A coder setting: the pattern column names it, the code column holds its value. */
        SETTING;

        /** The name in the file: {@code empathy_phrase}. */
        public String label() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Whether rules of this kind carry a tone code and a weight. */
        boolean isCue() {
            return this == PHRASE || this == WORD;
        }
    }

    /**
     * One line of a codebook.
     *
     * @param kind what the rule does
     * @param pattern the words as written (matched after the normalisation the docs describe)
     * @param code the tone of a phrase or word; null for other kinds
     * @param weight the evidence a phrase or word adds, or an intensifier's factor; 1 otherwise
     * @param line the line in the file, for messages
     */
    public record Rule(Kind kind, String pattern, VerbatimCode code, double weight, long line) implements Serializable {
        private static final long serialVersionUID = 1L;
    }

    /** How a language's text is cut into the units that patterns match. */
    public enum Segmentation {
        /** Words between spaces and punctuation (the alphabetic languages). */
        WORDS,
        /** Single characters, patterns matching as substrings (Japanese, written without spaces). */
        CHARACTERS
    }

    /** Whether a negation acts on the cue after it ("not happy") or before it (満足していません). */
    public enum NegationScope { BEFORE, AFTER }

    /**
     * The coder's settings; each has a default so that a codebook names only what it changes.
     *
     * @param segmentation words or characters
     * @param foldAccents whether to match without accents ("asi" as "así"); off for German, where
     *     "schon" and "schön" differ
     * @param negationScope which side of a negation its cue stands
     * @param negationWindow how many units (words, or characters) may separate a negation from its cue
     * @param intensifierWindow how many units may separate an intensifier from its cue
     * @param contrastWeight the factor for cues before the last contrast word
     * @param threshold the evidence a turn needs to be hostile or cooperative
     * @param minWords a turn with fewer words and no cue is unclear
     */
    public record Settings(Segmentation segmentation, boolean foldAccents, NegationScope negationScope,
                           int negationWindow, int intensifierWindow, double contrastWeight, double threshold,
                           int minWords) implements Serializable {

        private static final long serialVersionUID = 1L;

        /** Words, no accent folding, negation before its cue within 3 words, intensifiers within 2,
         *  contrast weight 0.25, threshold 1, at least 4 words. */
        public static Settings defaults() {
            return new Settings(Segmentation.WORDS, false, NegationScope.BEFORE, 3, 2, 0.25, 1.0, 4);
        }
    }
}
