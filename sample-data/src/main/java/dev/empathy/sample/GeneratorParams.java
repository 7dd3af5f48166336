package dev.empathy.sample;

/**
 * What to generate.
 *
 * @param interactions exact number of interactions
 * @param seed         the same seed gives byte-identical files
 * @param threads      worker threads; the output does not depend on it
 */
public record GeneratorParams(long interactions, long seed, int threads) {

    public static final long DEFAULT_INTERACTIONS = 30_000;
    public static final long DEFAULT_SEED = 20250101L;

    public GeneratorParams {
        if (interactions < 1) {
            throw new IllegalArgumentException("interactions: " + interactions + " must be at least 1");
        }
        if (threads < 1) {
            throw new IllegalArgumentException("threads: " + threads + " must be at least 1");
        }
    }

    public static GeneratorParams of(long interactions, long seed) {
        return new GeneratorParams(interactions, seed, Runtime.getRuntime().availableProcessors());
    }
}
