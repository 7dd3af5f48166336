package dev.empathy.jobs.training;

/**
 * The outcomes whose change after training {@code training} estimates, in the order of every
 * file: what customers' words say first (sentiment shift, hostile openings turned cooperative),
 * then what they score (CSAT), then what QA scores.
 */
public enum Outcome {
    SENTIMENT_SHIFT("sentiment_shift", "turns", "conversations", "sentiment shift",
            "the customer's sentiment shift from their first to their last turn"),
    HOSTILE_TO_COOPERATIVE("hostile_to_cooperative", "turns", "conversations opening hostile",
            "hostile to cooperative",
            "the share of conversations opening hostile that ended cooperative"),
    CSAT("csat", "csat", "answered contacts", "CSAT (1-5)", "CSAT"),
    EMPATHY_SCORE("empathy_score", "interactions", "QA-scored contacts", "QA empathy (0-100)",
            "the QA empathy score");

    private final String label;
    private final String table;
    private final String unit;
    private final String axis;
    private final String words;

    Outcome(String label, String table, String unit, String axis, String words) {
        this.label = label;
        this.table = table;
        this.unit = unit;
        this.axis = axis;
        this.words = words;
    }

    /** Its name in the files. */
    public String label() {
        return label;
    }

    /** The input table it needs. */
    public String table() {
        return table;
    }

    /** What one observation is, in words ("answered contacts"). */
    public String unit() {
        return unit;
    }

    /** The chart's axis label. */
    public String axis() {
        return axis;
    }

    /** The outcome in a sentence ("the QA empathy score"). */
    public String words() {
        return words;
    }
}
