package dev.empathy.sample;

import java.util.SplittableRandom;

/** Random draws for the generator, all from one seeded {@link SplittableRandom} so output is reproducible. */
final class Draw {

    private Draw() {
    }

    static boolean bernoulli(SplittableRandom r, double p) {
        return r.nextDouble() < p;
    }

    static double normal(SplittableRandom r, double mean, double sd) {
        return mean + sd * r.nextGaussian();
    }

    /** Log-normal with the given median and log-scale standard deviation. */
    static double logNormal(SplittableRandom r, double median, double sigma) {
        return median * Math.exp(sigma * r.nextGaussian());
    }

    static double exponential(SplittableRandom r, double mean) {
        return -mean * Math.log1p(-r.nextDouble());
    }

    /** Gamma with integer shape k (a sum of k exponentials) and the given mean. */
    static double gamma(SplittableRandom r, int shape, double mean) {
        double sum = 0;
        for (int i = 0; i < shape; i++) {
            sum += exponential(r, mean / shape);
        }
        return sum;
    }

    /** Poisson by inversion; for the small means the generator uses. */
    static int poisson(SplittableRandom r, double mean) {
        double u = r.nextDouble();
        double p = Math.exp(-mean);
        double cumulative = p;
        int k = 0;
        while (u > cumulative && k < 1000) {
            k++;
            p *= mean / k;
            cumulative += p;
        }
        return k;
    }

    static int binomial(SplittableRandom r, int n, double p) {
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (r.nextDouble() < p) {
                k++;
            }
        }
        return k;
    }

    static double uniform(SplittableRandom r, double from, double to) {
        return from + (to - from) * r.nextDouble();
    }

    static double logistic(double x) {
        return 1.0 / (1.0 + Math.exp(-x));
    }

    static double clamp(double x, double lo, double hi) {
        return Math.max(lo, Math.min(hi, x));
    }

    static double round(double x, double step) {
        return Math.round(x / step) * step;
    }

    /** Index drawn from unnormalised weights. */
    static int weighted(SplittableRandom r, double[] weights) {
        double total = 0;
        for (double w : weights) {
            total += w;
        }
        double u = r.nextDouble() * total;
        for (int i = 0; i < weights.length; i++) {
            u -= weights[i];
            if (u < 0) {
                return i;
            }
        }
        return weights.length - 1;
    }
}
