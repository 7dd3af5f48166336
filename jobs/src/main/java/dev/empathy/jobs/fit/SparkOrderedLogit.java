package dev.empathy.jobs.fit;

import dev.empathy.lib.formula.ModelSpec;
import dev.empathy.lib.regression.CovarianceType;
import dev.empathy.lib.regression.OlsOptions;
import dev.empathy.lib.regression.OrderedLogit;
import dev.empathy.lib.regression.OrderedLogitFit;
import dev.empathy.lib.regression.OrderedLogitPass;
import dev.empathy.lib.regression.OrderedLogitStart;
import dev.empathy.lib.regression.RobustMeat;
import java.util.List;
import java.util.Map;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.storage.StorageLevel;

/**
 * The proportional-odds logit over a Spark dataset with the Newton-Raphson loop of
 * {@link OrderedLogit}: one pass finds the response's levels and the aliased terms
 * ({@link OrderedLogitStart}), then each Newton step (and each halving) is one pass in which
 * every partition sums its rows' log-likelihood, gradient and Hessian ({@link OrderedLogitPass});
 * only those {@code p x p} sums reach the driver. Robust errors take one more pass over the
 * scores (summed by cluster across partitions). The columns used are cached for the passes and
 * released at the end.
 */
public final class SparkOrderedLogit {

    /** How refusals name the model. */
    private static final String MODEL = "ologit";

    private SparkOrderedLogit() {
    }

    public record Result(OrderedLogitFit fit, ModelSpec spec, long rowsRead, long rowsUsed) {
    }

    public static Result fit(ModelData model, OlsOptions options) {
        ModelSpec spec = model.spec();
        if (!spec.formula().intercept()) {
            throw new IllegalArgumentException(
                    "ologit: the thresholds play the intercept, so the formula must keep it (remove '- 1' or '+ 0')");
        }
        // The thresholds stand for the intercept: at least one of them, so width parameters at least.
        model.requireRows(MODEL, model.rowsRead(), model.rowsComplete(), spec.width());
        Map<String, Integer> index = model.index();
        String response = spec.formula().response();
        Dataset<Row> cached = model.data().persist(StorageLevel.MEMORY_AND_DISK());
        try {
            JavaRDD<Row> rows = cached.javaRDD();
            int width = spec.width();
            List<OrderedLogitStart> starts = UsableRows.fold(rows, index, spec, () -> new OrderedLogitStart(width),
                    OrderedLogitStart::add);
            OrderedLogitStart start = new OrderedLogitStart(width);
            starts.forEach(start::merge);
            OrderedLogit.Setup setup = OrderedLogit.setup(start, spec.names(), response,
                    options.collinearityTolerance());
            int[] kept = setup.kept();
            double[] levels = setup.levels();
            OrderedLogit.Solved solved = OrderedLogit.iterate(setup, theta -> {
                List<OrderedLogitPass> parts = UsableRows.fold(rows, index, spec,
                        () -> new OrderedLogitPass(theta, kept, levels), OrderedLogitPass::add);
                OrderedLogitPass merged = new OrderedLogitPass(theta, kept, levels);
                parts.forEach(merged::merge);
                return merged;
            });
            RobustMeat meat = null;
            if (options.covariance() != CovarianceType.CLASSICAL && solved.theta().length > kept.length) {
                meat = meat(rows, model, index, solved, options.covariance());
            }
            OrderedLogitFit fit = OrderedLogit.finish(spec.names(), solved, meat, options).withNotes(spec.notes());
            return new Result(fit, spec, model.rowsRead(), fit.n());
        } finally {
            cached.unpersist();
        }
    }

    private static RobustMeat meat(JavaRDD<Row> rows, ModelData model, Map<String, Integer> index,
                                   OrderedLogit.Solved solved, CovarianceType type) {
        double[] theta = solved.theta();
        int[] kept = solved.setup().kept();
        double[] levels = solved.setup().levels();
        return ScoreSums.robust(rows, index, model.spec(), model.cluster(), type, theta.length, (x, y, out) -> {
            OrderedLogit.score(theta, kept, levels, x, y, out);
            return 1.0;
        });
    }
}
