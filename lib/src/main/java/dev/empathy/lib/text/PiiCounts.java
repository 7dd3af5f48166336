package dev.empathy.lib.text;

import java.io.Serializable;
import java.util.Locale;

/**
 * How many values of each {@link PiiKind} were replaced: for one text, or summed over many (the
 * manifest's counts). Four longs and {@link #plus}, so that a Spark aggregation or a plain loop
 * over millions of rows adds them without maps or boxing.
 */
public record PiiCounts(long emails, long phones, long cards, long ibans) implements Serializable {

    /** Nothing replaced. */
    public static final PiiCounts ZERO = new PiiCounts(0, 0, 0, 0);

    public PiiCounts {
        if (emails < 0 || phones < 0 || cards < 0 || ibans < 0) {
            throw new IllegalArgumentException(String.format(Locale.ROOT,
                    "pii counts: %d, %d, %d, %d must not be negative", emails, phones, cards, ibans));
        }
    }

    /** The counts of this and {@code other} added kind by kind. */
    public PiiCounts plus(PiiCounts other) {
        return new PiiCounts(emails + other.emails, phones + other.phones, cards + other.cards,
                ibans + other.ibans);
    }

    /** The count of one kind. */
    public long get(PiiKind kind) {
        return switch (kind) {
            case EMAIL -> emails;
            case PHONE -> phones;
            case CARD -> cards;
            case IBAN -> ibans;
        };
    }

    /** All replacements, of every kind. */
    public long total() {
        return emails + phones + cards + ibans;
    }

    /** Counts with only {@code kind} set to {@code n}. */
    static PiiCounts of(PiiKind kind, long n) {
        return switch (kind) {
            case EMAIL -> new PiiCounts(n, 0, 0, 0);
            case PHONE -> new PiiCounts(0, n, 0, 0);
            case CARD -> new PiiCounts(0, 0, n, 0);
            case IBAN -> new PiiCounts(0, 0, 0, n);
        };
    }

    /**
     * A mutable running sum for one thread or one Spark partition: {@link #accept} each text's
     * counts, {@link #combine} partial sums, read the {@link #counts}.
     */
    public static final class Tally implements Serializable {
        private static final long serialVersionUID = 1L;

        private long emails;
        private long phones;
        private long cards;
        private long ibans;

        /** Adds one text's counts. */
        public void accept(PiiCounts c) {
            emails += c.emails;
            phones += c.phones;
            cards += c.cards;
            ibans += c.ibans;
        }

        /** Adds another partial sum into this one and returns this. */
        public Tally combine(Tally other) {
            emails += other.emails;
            phones += other.phones;
            cards += other.cards;
            ibans += other.ibans;
            return this;
        }

        /** The sum so far. */
        public PiiCounts counts() {
            return new PiiCounts(emails, phones, cards, ibans);
        }
    }
}
