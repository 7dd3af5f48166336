package dev.empathy.lib.text;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Codes a customer's turn as hostile, neutral, cooperative or unclear with one language's
 * {@link Codebook}, and finds the agents' empathy phrases of the same codebook.
 *
 * <p>How a turn is coded (the settings are the codebook's, see {@code docs/codebooks.md}):
 * <ol>
 * <li>The turn is cut into units ({@link Units}): words, or characters for Japanese.
 * <li>From left to right, the longest pattern that starts at a unit is taken, and its units are
 *     used up: "no problem" (cooperative) wins over the negation "no", "fed up" over "up".
 * <li>Each phrase or word adds its weight to its tone, after three adjustments. A negation
 *     within {@code negation_window} units before it (after it, for {@code negation_scope after})
 *     and in the same clause flips hostile and cooperative: "not happy", "pas content",
 *     "満足していません". Intensifiers right before it multiply its weight ("really fed up").
 *     Cues before the last contrast word ("but", "aber", "でも") count {@code contrast_weight}
 *     of their weight, since the clause after the contrast carries the speaker's point.
 * <li>The turn is hostile or cooperative when the larger of the two sums reaches
 *     {@code threshold} and the other is smaller; else neutral when it has any cue or at least
 *     {@code min_words} words; else unclear: too little to judge ("ok", "Yes.", "58213").
 * </ol>
 *
 * <p>Built once per codebook, immutable, and safe to share between threads and to serialise into
 * Spark tasks: the patterns are compiled into a trie up front, so coding a turn allocates only
 * its units.
 */
public final class VerbatimCoder implements Serializable {

    private static final long serialVersionUID = 1L;

    private final String language;
    private final Codebook.Settings settings;
    private final Node cues;
    private final Node empathy;

    private VerbatimCoder(String language, Codebook.Settings settings, Node cues, Node empathy) {
        this.language = language;
        this.settings = settings;
        this.cues = cues;
        this.empathy = empathy;
    }

    /** The coder of a codebook that {@link Codebooks} has read and checked. */
    public static VerbatimCoder of(Codebook codebook) {
        Node cues = new Node();
        Node empathy = new Node();
        for (Codebook.Rule rule : codebook.rules()) {
            Node root = rule.kind() == Codebook.Kind.EMPATHY_PHRASE ? empathy : cues;
            root.add(Units.cut(rule.pattern(), codebook.settings(), true).units(), 0, new Entry(rule));
        }
        return new VerbatimCoder(codebook.language(), codebook.settings(), cues, empathy);
    }

    /** The language of the codebook. */
    public String language() {
        return language;
    }

    /** The code of a customer's turn; a null or blank turn is unclear. */
    public VerbatimCode code(String text) {
        return score(text, null).code();
    }

    /** The code with the evidence behind it. */
    public Coding score(String text) {
        return score(text, null);
    }

    /** The code with the evidence and the cues that made it, for checking a codebook by hand. */
    public Explained explain(String text) {
        List<String> cues = new ArrayList<>();
        return new Explained(score(text, cues), List.copyOf(cues));
    }

    /** How many empathy phrases of the codebook an agent's turn holds (non-overlapping). */
    public int empathyPhrases(String text) {
        return empathyPhraseMatches(text).size();
    }

    /**
     * The empathy phrases of the codebook an agent's turn holds, as the codebook writes their
     * patterns, in the order they occur (non-overlapping, the longest at each position, as
     * {@link #empathyPhrases} counts them): "I'm sorry. I understand, I'm sorry." gives
     * {@code [i'm sorry, i understand, i'm sorry]}. The patterns are the codebook's words, never
     * the turn's, so they can be counted and reported without the text.
     */
    public List<String> empathyPhraseMatches(String text) {
        if (text == null) {
            return List.of();
        }
        String[] units = Units.cut(text, settings, false).units();
        Hit hit = new Hit();
        List<String> found = new ArrayList<>();
        for (int i = 0; i < units.length; ) {
            if (empathy.longest(units, i, hit)) {
                found.add(hit.entry.pattern);
                i = hit.end;
            } else {
                i++;
            }
        }
        return found;
    }

    /** Whether an agent's turn holds at least one empathy phrase of the codebook. */
    public boolean hasEmpathyPhrase(String text) {
        return empathyPhrases(text) > 0;
    }

    /**
     * The evidence for a turn's code.
     *
     * @param code the code
     * @param hostile the summed weight of hostile cues
     * @param neutral the summed weight of neutral cues
     * @param cooperative the summed weight of cooperative cues
     * @param words the turn's words (for characters, one per two letters)
     */
    public record Coding(VerbatimCode code, double hostile, double neutral, double cooperative, int words) {

        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%s (hostile %.2f, neutral %.2f, cooperative %.2f, %d words)",
                    code.label(), hostile, neutral, cooperative, words);
        }
    }

    /** A coding with its cues, each as {@code pattern→code×weight} ({@code +} marks the negated). */
    public record Explained(Coding coding, List<String> cues) {
    }

    private Coding score(String text, List<String> explanation) {
        if (text == null || text.isBlank()) {
            return new Coding(VerbatimCode.UNCLEAR, 0, 0, 0, 0);
        }
        Units.Cut cut = Units.cut(text, settings, false);
        String[] units = cut.units();
        int n = units.length;
        int[] starts = new int[n];
        int[] ends = new int[n];
        int[] clauses = new int[n];
        Entry[] entries = new Entry[n];
        int m = 0;
        int clause = 0;
        int lastContrast = -1;
        Hit hit = new Hit();
        for (int i = 0; i < n; ) {
            if (units[i].equals(Units.BOUNDARY)) {
                clause++;
                i++;
                continue;
            }
            if (!cues.longest(units, i, hit)) {
                i++;
                continue;
            }
            starts[m] = i;
            ends[m] = hit.end;
            clauses[m] = clause;
            entries[m] = hit.entry;
            if (hit.entry.kind == Codebook.Kind.CONTRAST) {
                lastContrast = m;
                clause++;
            } else if (hit.entry.kind == Codebook.Kind.BOUNDARY) {
                clause++;
            }
            m++;
            i = hit.end;
        }
        double hostile = 0;
        double neutral = 0;
        double cooperative = 0;
        for (int k = 0; k < m; k++) {
            Entry e = entries[k];
            if (!e.kind.isCue()) {
                continue;
            }
            boolean negated = settings.negationScope() == Codebook.NegationScope.BEFORE
                    ? negatedBefore(k, starts, ends, clauses, entries)
                    : negatedAfter(k, m, starts, ends, clauses, entries);
            VerbatimCode code = negated ? e.code.negated() : e.code;
            double weight = e.weight * intensity(k, starts, ends, clauses, entries);
            if (k < lastContrast) {
                weight *= settings.contrastWeight();
            }
            switch (code) {
                case HOSTILE -> hostile += weight;
                case COOPERATIVE -> cooperative += weight;
                default -> neutral += weight;
            }
            if (explanation != null) {
                explanation.add(String.format(Locale.ROOT, "%s%s→%s×%.2f",
                        negated ? "+" : "", e.pattern, code.label(), weight));
            }
        }
        return new Coding(decide(hostile, neutral, cooperative, cut.words()), hostile, neutral, cooperative,
                cut.words());
    }

    private VerbatimCode decide(double hostile, double neutral, double cooperative, int words) {
        double strongest = Math.max(hostile, cooperative);
        if (strongest >= settings.threshold() && hostile != cooperative) {
            return hostile > cooperative ? VerbatimCode.HOSTILE : VerbatimCode.COOPERATIVE;
        }
        if (hostile > 0 || cooperative > 0 || neutral > 0 || words >= settings.minWords()) {
            return VerbatimCode.NEUTRAL;
        }
        return VerbatimCode.UNCLEAR;
    }

    /** Whether the nearest match before cue {@code k}, past any intensifiers, is a negation in reach. */
    private boolean negatedBefore(int k, int[] starts, int[] ends, int[] clauses, Entry[] entries) {
        int j = k - 1;
        while (j >= 0 && entries[j].kind == Codebook.Kind.INTENSIFIER) {
            j--;
        }
        return j >= 0 && entries[j].kind == Codebook.Kind.NEGATION && clauses[j] == clauses[k]
                && starts[k] - ends[j] <= settings.negationWindow();
    }

    /** Whether the nearest match after cue {@code k}, past any intensifiers, is a negation in reach. */
    private boolean negatedAfter(int k, int m, int[] starts, int[] ends, int[] clauses, Entry[] entries) {
        int j = k + 1;
        while (j < m && entries[j].kind == Codebook.Kind.INTENSIFIER) {
            j++;
        }
        return j < m && entries[j].kind == Codebook.Kind.NEGATION && clauses[j] == clauses[k]
                && starts[j] - ends[k] <= settings.negationWindow();
    }

    /**
     * The product of the intensifiers in a chain right before cue {@code k}, each within
     * {@code intensifier_window} units of the next; a negation may sit in the chain ("really not
     * happy") without breaking it.
     */
    private double intensity(int k, int[] starts, int[] ends, int[] clauses, Entry[] entries) {
        double factor = 1;
        int next = k;
        for (int j = k - 1; j >= 0; j--) {
            Codebook.Kind kind = entries[j].kind;
            if ((kind != Codebook.Kind.INTENSIFIER && kind != Codebook.Kind.NEGATION)
                    || clauses[j] != clauses[k] || starts[next] - ends[j] > settings.intensifierWindow()) {
                break;
            }
            if (kind == Codebook.Kind.INTENSIFIER) {
                factor *= entries[j].weight;
            }
            next = j;
        }
        return factor;
    }

    /** A compiled rule: what a pattern does once it matches. */
    private static final class Entry implements Serializable {
        private static final long serialVersionUID = 1L;
        final Codebook.Kind kind;
        final VerbatimCode code;
        final double weight;
        final String pattern;

        Entry(Codebook.Rule rule) {
            this.kind = rule.kind();
            this.code = rule.code();
            this.weight = rule.weight();
            this.pattern = rule.pattern();
        }
    }

    /** The end and rule of the longest match found at a position; reused across positions. */
    private static final class Hit {
        int end;
        Entry entry;
    }

    /**
     * A trie over units. A unit written with a trailing {@code *} is kept apart as a prefix, and a
     * text unit follows every prefix edge that it starts with, so {@code frustrat*} matches
     * "frustrating" and "frustrated".
     */
    private static final class Node implements Serializable {
        private static final long serialVersionUID = 1L;
        private final Map<String, Node> exact = new HashMap<>();
        private final Map<String, Node> prefix = new HashMap<>();
        private int longestPrefix;
        private Entry entry;

        void add(String[] units, int at, Entry e) {
            if (at == units.length) {
                entry = e;
                return;
            }
            String unit = units[at];
            Node child;
            if (unit.length() > 1 && unit.endsWith("*")) {
                String p = unit.substring(0, unit.length() - 1);
                longestPrefix = Math.max(longestPrefix, p.length());
                child = prefix.computeIfAbsent(p, x -> new Node());
            } else {
                child = exact.computeIfAbsent(unit, x -> new Node());
            }
            child.add(units, at + 1, e);
        }

        /** Finds the longest pattern starting at {@code start}; false when none does. */
        boolean longest(String[] units, int start, Hit hit) {
            hit.end = -1;
            hit.entry = null;
            search(units, start, hit);
            return hit.entry != null;
        }

        private void search(String[] units, int at, Hit hit) {
            if (entry != null && at > hit.end) {
                hit.end = at;
                hit.entry = entry;
            }
            if (at == units.length) {
                return;
            }
            String unit = units[at];
            Node child = exact.get(unit);
            if (child != null) {
                child.search(units, at + 1, hit);
            }
            if (!prefix.isEmpty()) {
                for (int len = Math.min(unit.length(), longestPrefix); len >= 1; len--) {
                    Node p = prefix.get(unit.substring(0, len));
                    if (p != null) {
                        p.search(units, at + 1, hit);
                    }
                }
            }
        }
    }
}
