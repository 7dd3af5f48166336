package dev.empathy.sample;

import java.util.Locale;

/**
 * What to generate.
 *
 * @param interactions exact number of interactions
 * @param seed         the same seed gives byte-identical files
 * @param threads      worker threads; the output does not depend on it
 * @param order        the order of the interactions rows
 */
public record GeneratorParams(long interactions, long seed, int threads, Order order) {

    public static final long DEFAULT_INTERACTIONS = 30_000;
    public static final long DEFAULT_SEED = 20250101L;

    /**
     * The order of the interactions rows. The rows and the file sizes are the same either way,
     * and so is every other file.
     */
    public enum Order {
        /** Customer by customer, each customer's contacts in time order: as simulated. */
        CUSTOMER,
        /**
         * By {@code started_at}, then {@code interaction_id}, across the table's files: as an
         * export by contact time would hold them, one customer's contacts spread through it.
         */
        TIME;

        /** The order named {@code text}: {@code customer} or {@code time}, any case. */
        public static Order parse(String text) {
            String t = text == null ? "" : text.strip().toLowerCase(Locale.ROOT);
            return switch (t) {
                case "customer" -> CUSTOMER;
                case "time" -> TIME;
                default -> throw new IllegalArgumentException("order: customer or time, got '" + text + "'");
            };
        }
    }

    public GeneratorParams {
        if (interactions < 1) {
            throw new IllegalArgumentException("interactions: " + interactions + " must be at least 1");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " must be at least 1");
        }
        if (order == null) {
            throw new IllegalArgumentException("order: null");
        }
    }

    /** Interactions in the order they are simulated, customer by customer. */
    public GeneratorParams(long interactions, long seed, int threads) {
        this(interactions, seed, threads, Order.CUSTOMER);
    }

    public static GeneratorParams of(long interactions, long seed) {
        return new GeneratorParams(interactions, seed, Runtime.getRuntime().availableProcessors());
    }
}
